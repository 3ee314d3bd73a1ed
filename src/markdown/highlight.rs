//! Fenced code highlighted at build time with syntect's grammars, as
//! `<span class="hl-…">` scopes the theme's stylesheet colours for light
//! and dark schemes: no inline colours, no JavaScript.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Loaded on the first block with a language: a site without code never
/// pays for the grammars.
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

/// The class prefix, so highlight classes never meet a theme's own.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// `code` in `lang` (`rust`, `py`, `sh`…) as a `<pre>` of classed spans;
/// `None` for a language no grammar knows.
pub fn to_html(lang: &str, code: &str) -> Option<String> {
    let syntaxes = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
    let lower = lang.to_ascii_lowercase();
    // The grammars have no TypeScript: JavaScript's colours it closely.
    let token = match lower.as_str() {
        "ts" | "typescript" | "tsx" => "js",
        "shell" | "console" | "zsh" => "sh",
        other => other,
    };
    let syntax = syntaxes.find_syntax_by_token(token)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    let mut out = String::with_capacity(code.len() * 3);
    out.push_str("<pre class=\"code hl\" data-lang=\"");
    crate::text::escape_html_into(lang, &mut out);
    out.push_str("\" tabindex=\"0\"><code class=\"language-");
    crate::text::escape_html_into(lang, &mut out);
    out.push_str("\">");
    out.push_str(&generator.finalize());
    out.push_str("</code></pre>\n");
    Some(out)
}
