//! Finding shortcodes in a body's markdown: `{{ name(key=value) }}` and
//! `{% name(key=value) %}body{% end %}`, in Zola's syntax, so Zola content
//! moves over unchanged.
//!
//! The scanner works on the source text before markdown sees it, skipping
//! the ranges pulldown-cmark reports as code, so shortcode syntax in code
//! stays literal. `{{/* x() */}}` and `{%/* x() */%}` write the syntax
//! itself. Text that only looks like a template (`{{ x }}`, no call) is
//! left alone; anything that starts like a call must parse, or it is an
//! error: a shortcode is never silently printed as text.

use std::ops::Range;

/// Body shortcodes nest at most this deep: deeper is surely a mistake,
/// and the renderer recurses once per level.
pub const MAX_DEPTH: usize = 16;

/// A shortcode argument's value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Arg {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Arg>),
}

impl Arg {
    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Arg::Str(_) => "a string",
            Arg::Int(_) => "an integer",
            Arg::Float(_) => "a number",
            Arg::Bool(_) => "a boolean",
            Arg::Array(_) => "an array",
        }
    }
}

/// What the scanner found in a stretch of text, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Call(Found),
    /// An escaped shortcode: `range` is replaced by `text`.
    Literal {
        range: Range<usize>,
        text: String,
    },
}

/// One shortcode call. Offsets are into the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// From the opening `{` to the closing `}` (of `{% end %}` for a body).
    pub range: Range<usize>,
    pub name: String,
    pub args: Vec<(String, Arg)>,
    /// The text between `%}` and `{% end %}`, and what it holds.
    pub body: Option<(Range<usize>, Vec<Item>)>,
}

/// A shortcode that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Whether `text` may hold a shortcode at all: the cheap test that keeps
/// bodies without any (nearly all of them) on the fast path.
pub fn may_contain(text: &str) -> bool {
    // One memchr for the brace first: most bodies have none at all.
    text.contains('{') && (text.contains("{{") || text.contains("{%"))
}

/// Every shortcode of `text` outside the sorted `code` ranges.
pub fn scan(text: &str, code: &[Range<usize>]) -> (Vec<Item>, Vec<ScanError>) {
    let mut s = Scanner {
        text,
        code,
        next_code: 0,
        pos: 0,
        errors: Vec::new(),
        too_deep: false,
    };
    let (mut items, mut end) = s.items(0);
    // A stray end is reported, and the rest still read for more problems.
    while let Some(at) = end {
        s.error(
            at,
            "`{% end %}` without a body shortcode to close",
            Some("remove it, or open the body with `{% name(...) %}`"),
        );
        s.pos = at + 2;
        let (more, next) = s.items(0);
        items.extend(more);
        end = next;
    }
    (items, s.errors)
}

struct Scanner<'a> {
    text: &'a str,
    code: &'a [Range<usize>],
    next_code: usize,
    pos: usize,
    errors: Vec<ScanError>,
    /// Nesting went past [`MAX_DEPTH`]: the bodies around are not also
    /// reported unclosed.
    too_deep: bool,
}

/// What starts at a `{`.
enum Opening {
    Inline,
    Body,
    End,
}

impl Scanner<'_> {
    fn error(&mut self, offset: usize, message: impl Into<String>, hint: Option<&str>) {
        self.errors.push(ScanError {
            offset,
            message: message.into(),
            hint: hint.map(str::to_string),
        });
    }

    /// The next `{{` or `{%` outside code, from `pos`.
    fn next_open(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        loop {
            let rel = memchr_brace(&bytes[self.pos..])?;
            let at = self.pos + rel;
            while self.next_code < self.code.len() && self.code[self.next_code].end <= at {
                self.next_code += 1;
            }
            if let Some(range) = self.code.get(self.next_code) {
                if range.start <= at {
                    self.pos = range.end;
                    continue;
                }
            }
            if matches!(bytes.get(at + 1), Some(b'{' | b'%')) {
                return Some(at);
            }
            self.pos = at + 1;
        }
    }

    /// Items up to the end of the text, or up to a `{% end %}`, whose
    /// offset is returned.
    fn items(&mut self, depth: usize) -> (Vec<Item>, Option<usize>) {
        let mut items = Vec::new();
        while let Some(at) = self.next_open() {
            if let Some(item) = self.escape(at) {
                items.push(item);
                continue;
            }
            match self.opening(at) {
                None => self.pos = at + 2,
                Some(Opening::End) => return (items, Some(at)),
                Some(kind) => {
                    if let Some(found) = self.call(at, kind, depth) {
                        items.push(Item::Call(found));
                    }
                }
            }
        }
        (items, None)
    }

    /// `{{/* … */}}` or `{%/* … */%}` at `at`: the syntax written literally.
    fn escape(&mut self, at: usize) -> Option<Item> {
        let rest = &self.text[at..];
        let (open, close, out_open, out_close) = if rest.starts_with("{{/*") {
            ("{{/*", "*/}}", "{{", "}}")
        } else if rest.starts_with("{%/*") {
            ("{%/*", "*/%}", "{%", "%}")
        } else {
            return None;
        };
        let inner_start = at + open.len();
        let inner_len = self.text[inner_start..].find(close)?;
        let end = inner_start + inner_len + close.len();
        self.pos = end;
        Some(Item::Literal {
            range: at..end,
            text: format!(
                "{out_open}{}{out_close}",
                &self.text[inner_start..inner_start + inner_len]
            ),
        })
    }

    /// What the `{{` or `{%` at `at` opens, if it is shortcode syntax.
    fn opening(&self, at: usize) -> Option<Opening> {
        let body = self.text.as_bytes()[at + 1] == b'%';
        let mut c = Cursor::new(self.text, at + 2);
        c.space();
        let name = c.ident()?;
        c.space();
        if body && name == "end" && c.eat("%}") {
            return Some(Opening::End);
        }
        c.peek(b'(')?;
        Some(if body { Opening::Body } else { Opening::Inline })
    }

    fn call(&mut self, at: usize, kind: Opening, depth: usize) -> Option<Found> {
        let mut c = Cursor::new(self.text, at + 2);
        c.space();
        let name = c.ident().unwrap_or_default().to_string();
        c.space();
        let parsed = c.args().and_then(|args| {
            c.space();
            let close = if matches!(kind, Opening::Body) {
                "%}"
            } else {
                "}}"
            };
            if c.eat(close) {
                Ok(args)
            } else {
                Err((
                    c.at,
                    format!("expected `{close}` to close the shortcode `{name}`"),
                ))
            }
        });
        let args = match parsed {
            Ok(args) => args,
            Err((offset, message)) => {
                self.error(
                    offset,
                    message,
                    Some("write `{{ name(key=\"value\", n=3, flag=true) }}`"),
                );
                // Go on after its closing braces (or its line), to find
                // the next problem too.
                let close = if matches!(kind, Opening::Body) {
                    "%}"
                } else {
                    "}}"
                };
                let from = offset.max(at + 2);
                let rest = &self.text[from..];
                let line = rest.find('\n').unwrap_or(rest.len());
                self.pos = from + rest[..line].find(close).map_or(line, |n| n + 2);
                // A body call's body and end go with it, or its end would
                // be reported as a stray one.
                if matches!(kind, Opening::Body) {
                    if let (_, Some(end_at)) = self.items(depth + 1) {
                        self.pos = end_at + 2;
                        self.skip_end_tag(end_at);
                    }
                }
                return None;
            }
        };
        self.pos = c.at;
        if matches!(kind, Opening::Inline) {
            return Some(Found {
                range: at..c.at,
                name,
                args,
                body: None,
            });
        }
        if depth + 1 >= MAX_DEPTH {
            self.error(
                at,
                format!("shortcodes nest more than {MAX_DEPTH} deep"),
                None,
            );
            self.too_deep = true;
            self.pos = self.text.len();
            return None;
        }
        let body_start = c.at;
        let (items, end) = self.items(depth + 1);
        let Some(end_at) = end else {
            if !self.too_deep {
                self.error(
                    at,
                    format!("unclosed body shortcode `{name}`: no `{{% end %}}` after it"),
                    Some("close its body with `{% end %}`"),
                );
            }
            return None;
        };
        self.skip_end_tag(end_at);
        Some(Found {
            range: at..self.pos,
            name,
            args,
            body: Some((body_start..end_at, items)),
        })
    }
}

impl Scanner<'_> {
    /// Moves past the `{% end %}` at `at`.
    fn skip_end_tag(&mut self, at: usize) {
        let mut e = Cursor::new(self.text, at + 2);
        e.space();
        e.ident();
        e.space();
        e.eat("%}");
        self.pos = e.at;
    }
}

fn memchr_brace(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'{')
}

/// Reads the parts of a call from a position in the text.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

type Parse<T> = Result<T, (usize, String)>;

impl<'a> Cursor<'a> {
    fn new(text: &'a str, at: usize) -> Cursor<'a> {
        Cursor { text, at }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn peek(&self, b: u8) -> Option<()> {
        (self.text.as_bytes().get(self.at) == Some(&b)).then_some(())
    }

    fn ident(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.at += len;
        Some(&rest[..len])
    }

    /// `(key=value, …)`, the cursor on the `(`.
    fn args(&mut self) -> Parse<Vec<(String, Arg)>> {
        if !self.eat("(") {
            return Err((self.at, "expected `(` after the shortcode's name".into()));
        }
        let mut args: Vec<(String, Arg)> = Vec::new();
        loop {
            self.space();
            if self.eat(")") {
                return Ok(args);
            }
            let key_at = self.at;
            let Some(key) = self.ident() else {
                return Err((self.at, "expected an argument name or `)`".into()));
            };
            self.space();
            if !self.eat("=") {
                return Err((self.at, format!("expected `=` after the argument `{key}`")));
            }
            self.space();
            let value = self.value(0)?;
            if args.iter().any(|(k, _)| k == key) {
                return Err((key_at, format!("the argument `{key}` is given twice")));
            }
            args.push((key.to_string(), value));
            self.space();
            if self.eat(",") {
                continue;
            }
            self.space();
            if !self.rest().starts_with(')') {
                return Err((self.at, "expected `,` or `)` after an argument".into()));
            }
        }
    }

    fn value(&mut self, depth: usize) -> Parse<Arg> {
        let rest = self.rest();
        match rest.as_bytes().first() {
            Some(q @ (b'"' | b'\'' | b'`')) => self.string(*q as char).map(Arg::Str),
            Some(b'[') if depth < 4 => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    if self.eat("]") {
                        return Ok(Arg::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if !self.eat(",") && !self.rest().starts_with(']') {
                        return Err((self.at, "expected `,` or `]` in an array".into()));
                    }
                }
            }
            _ if rest.starts_with("true") => {
                self.at += 4;
                Ok(Arg::Bool(true))
            }
            _ if rest.starts_with("false") => {
                self.at += 5;
                Ok(Arg::Bool(false))
            }
            _ => self.number(),
        }
    }

    /// A quoted string; `\` escapes the quote, itself, `n` and `t`.
    fn string(&mut self, quote: char) -> Parse<String> {
        let start = self.at;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => {
                    self.at += i + c.len_utf8();
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err((start, format!("unterminated string: no closing {quote}")))
    }

    fn number(&mut self) -> Parse<Arg> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let parsed = if word.is_empty() {
            None
        } else if let Ok(n) = word.parse::<i64>() {
            Some(Arg::Int(n))
        } else {
            word.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Arg::Float)
        };
        match parsed {
            Some(value) => {
                self.at += len;
                Ok(value)
            }
            None => Err((
                self.at,
                "expected a value: a quoted string, a number, true, false or [an, array]".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<Found> {
        let (items, errors) = scan(text, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        items
            .into_iter()
            .filter_map(|i| match i {
                Item::Call(f) => Some(f),
                Item::Literal { .. } => None,
            })
            .collect()
    }

    #[test]
    fn inline_calls_take_strings_numbers_booleans_and_arrays() {
        let found = calls(
            "A {{ figure(src=\"/a.jpg\", width=400, ratio=1.5, wide=true, tags=['x', `y`]) }} b",
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "figure");
        assert_eq!(
            found[0].args,
            vec![
                ("src".into(), Arg::Str("/a.jpg".into())),
                ("width".into(), Arg::Int(400)),
                ("ratio".into(), Arg::Float(1.5)),
                ("wide".into(), Arg::Bool(true)),
                (
                    "tags".into(),
                    Arg::Array(vec![Arg::Str("x".into()), Arg::Str("y".into())])
                ),
            ]
        );
        assert_eq!(found[0].range.start, 2);
    }

    #[test]
    fn body_calls_nest_and_close_with_end() {
        let text =
            "{% factbox(title=\"Facts\") %}\n- one\n{{ related(to=\"a\") }}\n{% end %}\nafter";
        let found = calls(text);
        assert_eq!(found.len(), 1);
        let (range, inner) = found[0].body.clone().unwrap();
        assert_eq!(&text[range], "\n- one\n{{ related(to=\"a\") }}\n");
        assert!(matches!(&inner[0], Item::Call(f) if f.name == "related"));
        assert_eq!(&text[found[0].range.clone()], &text[..text.len() - 6]);
    }

    #[test]
    fn code_ranges_and_template_lookalikes_stay_text() {
        let text = "`{{ figure(src=\"x\") }}` and {{ not_a_call }} and {x}";
        let code = vec![Range { start: 0, end: 23 }];
        let (items, errors) = scan(text, &code);
        assert!(
            items.is_empty() && errors.is_empty(),
            "{items:?} {errors:?}"
        );
    }

    #[test]
    fn escapes_write_the_syntax_itself() {
        let (items, _) = scan("{{/* figure(src=\"x\") */}} {%/* end */%}", &[]);
        let texts: Vec<_> = items
            .iter()
            .map(|i| match i {
                Item::Literal { text, .. } => text.as_str(),
                Item::Call(_) => "call",
            })
            .collect();
        assert_eq!(texts, ["{{ figure(src=\"x\") }}", "{% end %}"]);
    }

    #[test]
    fn every_malformed_call_is_reported_with_its_offset() {
        let text = "{{ a(x=) }}\n{{ b(y=\"open) }}\n{% c() %} never closed\n{{ d(k=1, k=2) }}";
        let (_, errors) = scan(text, &[]);
        let offsets: Vec<usize> = errors.iter().map(|e| e.offset).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(offsets[0], 7);
        assert!(errors[1].message.contains("unterminated"), "{errors:?}");
        assert!(errors
            .iter()
            .any(|e| e.message.contains("unclosed body shortcode `c`")));
        assert!(errors.iter().any(|e| e.message.contains("given twice")));
    }

    #[test]
    fn one_mistake_is_one_error() {
        let (_, errors) = scan(
            "{% factbox(title=) %}\n- a\n{% end %}\nafter {{ x() }}",
            &[],
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        let deep = "{% a() %}".repeat(40);
        let (_, errors) = scan(&deep, &[]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("nest more than"));
    }

    #[test]
    fn a_stray_end_is_an_error_and_the_rest_is_still_read() {
        let (items, errors) = scan("text {% end %} {{ a(b=) }} {{ c() }}", &[]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].offset, 5);
        assert_eq!(items.len(), 1);
    }

    #[test]
    fn hostile_input_never_panics_or_loops() {
        let deep_body = "{% a() %}".repeat(40);
        let deep_array = format!("{{{{ a(x={}) }}}}", "[".repeat(1000));
        let many = "{{ a() }}".repeat(5000);
        for text in [
            "{{",
            "{%",
            "{{ a(",
            "{{ a(b",
            "{{ a(b=",
            "{{ a(b=\"",
            "{{ a(b=1,,) }}",
            "{% a() %",
            "{{/*",
            "{{/* x */",
            "{%/* end",
            "{{ é(x=1) }}",
            "{{ a(é=1) }}",
            "{{ a(x='é\\') }}",
            "{{ a(x=1e999) }}",
            "{{ a(x=-) }}",
            "{{ a(x=[1,) }}",
            "}}{%}}%{",
            "{{}}",
            "{{ () }}",
            deep_body.as_str(),
            deep_array.as_str(),
            many.as_str(),
        ] {
            let _ = scan(text, &[]);
            let _ = crate::markdown::prerender(text, &Default::default());
        }
    }
}
