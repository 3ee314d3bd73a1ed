//! Compiles the theme's templates with Tera and explains Tera's errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tera::{ErrorKind, Kwargs, State, Tera};

use super::theme::{TemplateSource, Theme};
use crate::error::Diagnostic;

/// The compiled templates and where each came from.
pub struct Templates {
    pub tera: Tera,
    origins: HashMap<String, PathBuf>,
}

impl Templates {
    /// Parses every template, reporting all syntax errors at once.
    pub fn compile(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let origins: HashMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        tera.set_escape_fn(super::escape::write_escaped);
        tera.register_filter("urlencode", urlencode);
        // Tera stops at the first bad template. Setting each one it
        // rejects aside and trying again reports every syntax error in one
        // run; what the rest then lack (a parent, a component) would only
        // be a consequence, so it waits for the next run.
        let mut pending: Vec<&TemplateSource> = theme.templates.iter().collect();
        let mut errors = Vec::new();
        loop {
            let added =
                tera.add_raw_templates(pending.iter().map(|t| (t.name.as_str(), t.text.as_str())));
            let Err(e) = added else { break };
            let bad = match e.kind() {
                ErrorKind::SyntaxError(report) => {
                    pending.iter().position(|t| t.name == report.filename())
                }
                _ => None,
            };
            match bad {
                Some(i) => {
                    let t = pending.remove(i);
                    errors.push(report_diagnostic(&t.origin, &e, "template syntax error"));
                }
                None if errors.is_empty() => {
                    return Err(vec![located(&origins, &e, "template error")]);
                }
                None => break,
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Templates { tera, origins })
    }

    /// Where the template `name` came from.
    pub fn origin(&self, name: &str) -> PathBuf {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    }

    /// Renders `name`, naming the template and page when it fails.
    pub fn render(
        &self,
        name: &str,
        context: &tera::Context,
        page: &str,
    ) -> Result<String, Diagnostic> {
        let mut out = Vec::new();
        self.render_to(name, context, page, &mut out)?;
        Ok(super::text(out))
    }

    /// [`Templates::render`], appending to `out`: a buffer a thread reuses
    /// from page to page, rather than a new string grown for each page.
    /// On failure `out` is left as it was.
    pub fn render_to(
        &self,
        name: &str,
        context: &tera::Context,
        page: &str,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        let len = out.len();
        self.tera.render_to(name, context, &mut *out).map_err(|e| {
            out.truncate(len);
            let mut d = match e.kind() {
                ErrorKind::RenderingError(report) => {
                    let origin = self.origin(report.filename());
                    report_diagnostic(&origin, &e, "template error")
                }
                _ => located(&self.origins, &e, "template error"),
            };
            if d.path.is_none() {
                d = Diagnostic::in_file(self.origin(name), d.message);
            }
            d.with_hint(format!("while rendering {page}"))
        })
    }
}

/// What Tera's `urlencode` was in Tera 1: everything but letters, digits
/// and `/ _ . - ~` percent-encoded, for a value inside a query string.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

fn urlencode(value: &str, _: Kwargs, _: &State) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// A Tera error whose report points into `origin`: the report's first
/// line is the message, and its ` --> name:line:col` the place.
fn report_diagnostic(origin: &Path, e: &tera::Error, what: &str) -> Diagnostic {
    let text = e.to_string();
    let message = format!("{what}: {}", first_message(&text));
    match place(&text) {
        Some((_, line, col)) => Diagnostic::at(origin, line, Some(col), message),
        None => Diagnostic::in_file(origin, message),
    }
}

/// A Tera error that may name a template in its report, such as an
/// unknown filter or component found once every template is parsed.
fn located(origins: &HashMap<String, PathBuf>, e: &tera::Error, what: &str) -> Diagnostic {
    let text = e.to_string();
    let message = format!("{what}: {}", first_message(&text));
    match place(&text) {
        Some((name, line, col)) => match origins.get(name) {
            Some(origin) => Diagnostic::at(origin, line, Some(col), message),
            None => Diagnostic::new(message),
        },
        None => Diagnostic::new(message),
    }
}

/// `Unknown filter `x`` from a report's `error: Unknown filter `x`` line.
fn first_message(report: &str) -> &str {
    let line = report.lines().next().unwrap_or("");
    line.strip_prefix("error: ").unwrap_or(line).trim()
}

/// The template name, line and column of a report's first ` --> ` line.
fn place(report: &str) -> Option<(&str, usize, usize)> {
    let at = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::TemplateSource;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        Theme {
            templates: templates
                .iter()
                .map(|(n, t)| TemplateSource {
                    name: n.to_string(),
                    text: t.to_string(),
                    origin: PathBuf::from("templates").join(n),
                })
                .collect(),
            static_files: Default::default(),
        }
    }

    #[test]
    fn syntax_errors_name_every_template_and_line() {
        let t = theme(&[
            ("a.html", "ok\n{% if %}\n"),
            ("b.html", "{{ x }"),
            ("c.html", "fine"),
        ]);
        let errors = Templates::compile(&t).err().unwrap();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].path, Some(PathBuf::from("templates/a.html")));
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0].message.starts_with("template syntax error"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn runtime_errors_name_template_and_page() {
        let t = theme(&[("a.html", "{{ missing.value }}")]);
        let templates = Templates::compile(&t).unwrap();
        let e = templates
            .render("a.html", &tera::Context::new(), "/news/x/")
            .unwrap_err();
        assert_eq!(e.path, Some(PathBuf::from("templates/a.html")));
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("missing"), "{}", e.message);
        assert_eq!(e.hint.as_deref(), Some("while rendering /news/x/"));
    }

    #[test]
    fn html_is_escaped() {
        let t = theme(&[("a.html", "{{ x }}")]);
        let templates = Templates::compile(&t).unwrap();
        let mut c = tera::Context::new();
        c.insert("x", "<script>");
        assert_eq!(
            templates.render("a.html", &c, "/").unwrap(),
            "&lt;script&gt;"
        );
    }
}
