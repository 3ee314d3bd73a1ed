//! HTML escaping for every value a template prints.
//!
//! It is the hottest function of a build: each `{{ }}` of every page goes
//! through it, and feeds push whole article bodies through it. Bytes are
//! tested eight at a time (SWAR), which finds exactly where the five
//! special bytes are, and the runs of safe bytes between are copied whole.

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const LOWS: u64 = u64::from_le_bytes([0x7f; 8]);

/// Escapes text for HTML text and quoted attributes: `& < > " '`.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_runs(text, |run| out.push_str(run));
    out
}

/// [`escape_html`] onto a writer: Tera's escape function, so a template's
/// values go straight into the page being drawn.
pub fn write_escaped(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut done = Ok(());
    escape_runs(text, |run| {
        if done.is_ok() {
            done = out.write_all(run.as_bytes());
        }
    });
    done
}

/// Hands `emit` the escaped text in pieces: each run of safe text whole,
/// then the entity for the special byte that ended it.
fn escape_runs<'t>(text: &'t str, mut emit: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    // Start of the run of safe bytes not yet emitted.
    let mut start = 0;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let mut found = specials(u64::from_le_bytes(word));
        while found != 0 {
            let i = at + found.trailing_zeros() as usize / 8;
            emit_escaped(&mut emit, text, &mut start, i, bytes[i]);
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in bytes[at..].iter().enumerate() {
        emit_escaped(&mut emit, text, &mut start, at + i, b);
    }
    if start < text.len() {
        emit(&text[start..]);
    }
}

/// The high bit of each byte of `word` that is one of the five. A byte
/// equal to `c` becomes zero under `^`; adding 0x7f to the low seven bits
/// sets the high bit of every byte but a zero one, without carries.
fn specials(word: u64) -> u64 {
    let zero_at = |c: u8| {
        let x = word ^ (ONES * u64::from(c));
        !(((x & LOWS) + LOWS) | x | LOWS)
    };
    zero_at(b'&') | zero_at(b'<') | zero_at(b'>') | zero_at(b'"') | zero_at(b'\'')
}

/// Emits the safe run before byte `i` and the entity for it, if `b` is
/// special. The five are ASCII, so `i` is always a char boundary.
#[inline]
fn emit_escaped<'t>(
    emit: &mut impl FnMut(&'t str),
    text: &'t str,
    start: &mut usize,
    i: usize,
    b: u8,
) {
    let entity = match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => return,
    };
    if *start < i {
        emit(&text[*start..i]);
    }
    emit(entity);
    *start = i + 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '&' => "&amp;".to_string(),
                '<' => "&lt;".to_string(),
                '>' => "&gt;".to_string(),
                '"' => "&quot;".to_string(),
                '\'' => "&#39;".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn keeps_unicode_and_escapes_the_five() {
        assert_eq!(
            escape_html("Café <b>&\"'</b> — ok"),
            "Café &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt; — ok"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn agrees_with_the_plain_definition_at_every_offset_and_length() {
        // Specials, neighbours of specials (which must not match), bytes
        // with the high bit set, and multi-byte characters, placed at
        // every position around the eight-byte chunk edges.
        let pieces = [
            "a",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "%",
            "=",
            "?",
            "\u{a6}",
            "é",
            "—",
            "\u{1F4F0}",
            "\0",
            "\u{7f}",
            " ",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..4000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let mut s = seed;
            for _ in 0..len {
                s = s.rotate_left(5).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                text.push_str(pieces[(s >> 60) as usize]);
            }
            assert_eq!(escape_html(&text), reference(&text), "{text:?}");
            let mut written = Vec::new();
            write_escaped(&text, &mut written).unwrap();
            assert_eq!(written, reference(&text).as_bytes(), "{text:?}");
        }
    }
}
