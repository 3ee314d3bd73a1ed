//! Reading statistics of a body: word count and a plain-text excerpt,
//! computed once at parse time, in parallel with every other article.

use pulldown_cmark::{Event, Tag, TagEnd};

/// Words per minute used for reading time: a common figure for news prose.
pub const WORDS_PER_MINUTE: usize = 230;

/// Longest excerpt, in characters, before it is cut at a word.
const EXCERPT_CHARS: usize = 300;

/// Word count and the first paragraph as plain text: what [`BodyStats`]
/// gathers in the render pass at load, on its own, to test it by.
#[cfg(test)]
pub fn body_stats(body: &str) -> (usize, String) {
    let mut stats = BodyStats::default();
    for event in pulldown_cmark::Parser::new_ext(body, crate::markdown::options()) {
        stats.observe(&event);
    }
    stats.finish()
}

/// [`body_stats`] as the events of a body stream past, so the pass that
/// renders the body can count it too.
#[derive(Default)]
pub struct BodyStats {
    words: Words,
    excerpt: String,
    depth_in_first: Option<usize>,
    depth: usize,
    first_done: bool,
}

impl BodyStats {
    pub fn observe(&mut self, event: &Event) {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if matches!(tag, Tag::Paragraph)
                    && !self.first_done
                    && self.depth_in_first.is_none()
                    && self.depth == 1
                {
                    self.depth_in_first = Some(self.depth);
                }
            }
            Event::End(end) => {
                self.words.split();
                if matches!(end, TagEnd::Paragraph) && self.depth_in_first == Some(self.depth) {
                    self.depth_in_first = None;
                    self.first_done = !self.excerpt.trim().is_empty();
                }
                self.depth = self.depth.saturating_sub(1);
            }
            Event::Text(text) | Event::Code(text) => {
                self.words.feed(text);
                if self.depth_in_first.is_some() {
                    self.excerpt.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                self.words.split();
                if self.depth_in_first.is_some() {
                    self.excerpt.push(' ');
                }
            }
            _ => {}
        }
    }

    /// Word count and excerpt.
    pub fn finish(mut self) -> (usize, String) {
        self.words.split();
        let excerpt = self
            .excerpt
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (self.words.count, shorten(excerpt))
    }
}

/// Counts words as they stream past: runs of non-space holding a letter or
/// digit. Text events split words at smart quotes and inline markup, so a
/// word carries over from one event to the next until a space or the end
/// of a block.
#[derive(Default)]
struct Words {
    count: usize,
    /// The word being read has a letter or digit: it will count.
    has_alnum: bool,
}

/// What an ASCII byte is to [`Words`].
const OTHER: u8 = 0;
const SPACE: u8 = 1;
const ALNUM: u8 = 2;

const ASCII_CLASS: [u8; 128] = {
    let mut class = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        class[b] = if matches!(c, b' ' | b'\t'..=b'\r') {
            SPACE
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

impl Words {
    fn feed(&mut self, text: &str) {
        // Bytes through a table, without a branch per byte: news copy is
        // nearly all ASCII, and this loop meets every byte of the archive.
        // Other characters are decoded where they start.
        let bytes = text.as_bytes();
        let (mut count, mut alnum) = (self.count, self.has_alnum);
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                let class = ASCII_CLASS[usize::from(b)];
                let space = class == SPACE;
                count += usize::from(space & alnum);
                alnum = (alnum | (class == ALNUM)) & !space;
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if c.is_whitespace() {
                count += usize::from(alnum);
                alnum = false;
            } else {
                alnum |= c.is_alphanumeric();
            }
            i += c.len_utf8();
        }
        (self.count, self.has_alnum) = (count, alnum);
    }

    fn split(&mut self) {
        self.count += usize::from(self.has_alnum);
        self.has_alnum = false;
    }
}

fn shorten(text: String) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':']))
}

/// Minutes to read `words`, at least one.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_and_takes_the_first_paragraph() {
        let (words, excerpt) = body_stats("## Sub\n\nThe *council* voted\nlate on `Monday`.\n\n> \"Don't\" quote here \u{2014} ok.\n");
        assert_eq!(words, 11);
        assert_eq!(excerpt, "The council voted late on Monday.");
    }

    #[test]
    fn long_first_paragraphs_are_cut_at_a_word() {
        let long = "word ".repeat(200);
        let (_, excerpt) = body_stats(&long);
        assert!(excerpt.ends_with('…') && excerpt.chars().count() <= 301);
    }

    #[test]
    fn words_split_at_every_kind_of_space_and_need_a_letter_or_digit() {
        // Tab, form feed, no-break space, em space; a dash alone is no word.
        let text = "one\ttwo\u{c}three\u{a0}four\u{2003}five — six 7 \u{e9}t\u{e9} \u{4e2d}\u{6587} -- ...";
        assert_eq!(body_stats(text).0, 9);
    }

    proptest::proptest! {
        /// The table-driven count agrees with the plain definition, however
        /// the text is cut into events.
        #[test]
        fn counts_like_the_definition(
            text in "[a-z0-9 \t\n.,\u{a0}\u{2003}\u{e9}\u{2014}\u{4e2d}'-]{0,60}",
            cut in 0usize..60,
        ) {
            let expected = text
                .split(char::is_whitespace)
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            let cut = (0..=cut.min(text.len()))
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            let mut words = Words::default();
            words.feed(&text[..cut]);
            words.feed(&text[cut..]);
            words.split();
            proptest::prop_assert_eq!(words.count, expected);
        }
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }
}
