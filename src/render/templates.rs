//! Compiles the theme's templates with Tera and explains Tera's errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use tera::{ErrorKind, Kwargs, ReportError, State, Tera, Value};

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
        tera.register_filter("default", default);
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
                ErrorKind::SyntaxError(report) => pending
                    .iter()
                    .position(|t| t.name == report.filename())
                    .map(|i| (i, report)),
                _ => None,
            };
            match bad {
                Some((i, report)) => {
                    let t = pending.remove(i);
                    errors.push(from_report(&t.origin, report, "template syntax error"));
                }
                None if errors.is_empty() => return Err(explain(&origins, &e)),
                None => break,
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Templates { tera, origins })
    }

    /// Whether there is a template `name`.
    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
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
            let mut d = explain(&self.origins, &e).swap_remove(0);
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

/// Tera 1's `default`: the value, unless it is undefined or none (an
/// absent optional field), then `value`. Tera 2's own keeps none, which
/// would quietly print nothing where a theme asked for a fallback.
fn default(value: Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let fallback = kwargs.must_get::<Value>("value")?;
    let boolean = kwargs.get::<bool>("boolean")?.unwrap_or_default();
    let missing = value.is_undefined() || value.is_none() || (boolean && !value.is_truthy());
    Ok(if missing { fallback } else { value })
}

/// A diagnostic at the place a Tera report points to in `origin`.
fn from_report(origin: &Path, report: &ReportError, what: &str) -> Diagnostic {
    let span = report.span();
    Diagnostic::at(
        origin,
        span.start_line,
        Some(span.start_col + 1),
        format!("{what}: {}", report.message()),
    )
}

/// One diagnostic per problem in a Tera error, each in the file it names.
/// Never empty.
fn explain(origins: &HashMap<String, PathBuf>, e: &tera::Error) -> Vec<Diagnostic> {
    let origin = |name: &str| origins.get(name).cloned().unwrap_or_else(|| name.into());
    let in_file = |name: &str| Diagnostic::in_file(origin(name), format!("template error: {e}"));
    match e.kind() {
        ErrorKind::SyntaxError(r) => vec![from_report(
            &origin(r.filename()),
            r,
            "template syntax error",
        )],
        ErrorKind::RenderingError(r) => {
            vec![from_report(&origin(r.filename()), r, "template error")]
        }
        ErrorKind::MissingParent { current, .. } => vec![in_file(current)],
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            vec![in_file(tpl)]
        }
        // Checks made once every template is parsed (an unknown filter,
        // component or include) come as one text of reports, one per
        // problem, each naming its template, line and column.
        _ => e
            .to_string()
            .split("\n\nerror: ")
            .map(|report| {
                let message = format!("template error: {}", first_message(report));
                match place(report) {
                    Some((name, line, col)) => {
                        Diagnostic::at(origin(name), line, Some(col), message)
                    }
                    None => Diagnostic::new(message),
                }
            })
            .collect(),
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
                    built_in: false,
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
    fn every_unknown_filter_and_component_is_reported_in_its_file() {
        let t = theme(&[
            ("a.html", "{{ x | nope }}"),
            ("b.html", "fine\n{{<missing />}}"),
        ]);
        let errors = Templates::compile(&t).err().unwrap();
        let places: Vec<_> = errors.iter().map(|e| (e.path.clone(), e.line)).collect();
        assert_eq!(
            places,
            [
                (Some(PathBuf::from("templates/a.html")), Some(1)),
                (Some(PathBuf::from("templates/b.html")), Some(2)),
            ],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("nope"), "{}", errors[0]);
    }

    #[test]
    fn a_missing_parent_names_the_child() {
        let t = theme(&[("a.html", "{% extends \"gone.html\" %}")]);
        let errors = Templates::compile(&t).err().unwrap();
        assert_eq!(errors[0].path, Some(PathBuf::from("templates/a.html")));
        assert!(errors[0].message.contains("gone.html"), "{}", errors[0]);
    }

    #[test]
    fn default_replaces_none_as_tera_1_did_and_urlencode_keeps_slashes() {
        let t = theme(&[(
            "a.html",
            "{{ none | default(value='n') }}|{{ gone | default(value='u') }}|\
             {{ '' | default(value='e') }}|{{ '' | default(value='b', boolean=true) }}|\
             {{ 'a b/c?d=\u{e9}' | urlencode }}",
        )]);
        let templates = Templates::compile(&t).unwrap();
        let mut c = tera::Context::new();
        c.insert("none", &None::<String>);
        assert_eq!(
            templates.render("a.html", &c, "/").unwrap(),
            "n|u||b|a%20b/c%3Fd%3D%C3%A9"
        );
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
