//! Compiles the theme's templates with Tera and explains Tera's errors.

use std::collections::HashMap;
use std::error::Error as _;
use std::path::PathBuf;

use tera::Tera;

use super::theme::Theme;
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
        // Tera stops at the first bad template; parsing each on its own
        // first lets us report every syntax error in one run.
        let errors: Vec<Diagnostic> = theme
            .templates
            .iter()
            .filter_map(|t| {
                tera::Template::new(&t.name, None, &t.text)
                    .err()
                    .map(|e| (t, e))
            })
            .map(|(t, e)| syntax_error(&t.origin, &e))
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(super::escape_html);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| vec![Diagnostic::new(chain(&e))])?;
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
            Diagnostic::in_file(self.origin(name), chain(&e))
                .with_hint(format!("while rendering {page}"))
        })
    }
}

/// A Tera error with its causes, which hold the real explanation.
pub fn chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Tera's parser reports ` --> line:col`; lift that into the diagnostic.
fn syntax_error(origin: &std::path::Path, e: &tera::Error) -> Diagnostic {
    let text = chain(e);
    let position = text.find("--> ").and_then(|i| {
        let rest = &text[i + 4..];
        let end = rest
            .find(|c: char| !c.is_ascii_digit() && c != ':')
            .unwrap_or(rest.len());
        let (line, col) = rest[..end].split_once(':')?;
        Some((line.parse().ok()?, col.parse().ok()))
    });
    let detail = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("= "))
        .map(|l| l.trim_start_matches("= ").to_string())
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string());
    let message = format!("template syntax error: {detail}");
    match position {
        Some((line, col)) => Diagnostic::at(origin, line, col, message),
        None => Diagnostic::in_file(origin, message),
    }
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
        assert!(e.message.contains("missing.value"), "{}", e.message);
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
