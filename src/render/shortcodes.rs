//! Drawing a body's shortcodes through the theme's
//! `templates/shortcodes/NAME.html`, into the placeholders the markdown
//! stage left. A call's arguments are its template's variables, with
//! `body` (its body as HTML), `feed` (true in a feed, where embeds become
//! links) and `page` (the article's url and permalink).

use std::borrow::Cow;

use tera::{Context, Value};

use super::builtins;
use super::Renderer;
use crate::content::Body;
use crate::error::Diagnostic;
use crate::markdown::{bundle_ref, placeholders};

/// Where the built-in theme's templates come from: a template elsewhere
/// is a site's or theme's own, drawing a built-in its own way.
const BUILT_IN_ORIGIN: &str = "themes/default";

impl Renderer<'_> {
    /// `html` (a body of article `i`) with its shortcodes drawn.
    pub(super) fn expand(
        &self,
        i: usize,
        html: &str,
        feed: bool,
    ) -> Result<String, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let out = placeholders::expand(html, |n, out| {
            match self.draw_call(i, n, feed) {
                Ok(drawn) => out.push_str(&drawn),
                Err(mut e) => errors.append(&mut e),
            }
            Ok::<_, ()>(())
        });
        match out {
            Ok(out) if errors.is_empty() => Ok(out),
            _ => Err(errors),
        }
    }

    fn draw_call(&self, i: usize, n: usize, feed: bool) -> Result<String, Vec<Diagnostic>> {
        let a = &self.site.articles[i];
        let Some(call) = a.calls.get(n) else {
            return Ok(String::new());
        };
        let at = |(message, hint): builtins::Problem| {
            let d = Diagnostic::at(&a.source, call.line, Some(call.column), message);
            match hint {
                Some(h) => d.with_hint(h),
                None => d,
            }
        };
        let template = format!("shortcodes/{}.html", call.name);
        if !self.templates.has(&template) {
            return Err(vec![at(unknown(&call.name, &self.templates.shortcodes()))]);
        }
        let spec = builtins::spec(&call.name);
        let own = !self
            .templates
            .origin(&template)
            .starts_with(BUILT_IN_ORIGIN);
        let mut errors: Vec<Diagnostic> = spec
            .map(|s| builtins::check(s, call, own))
            .unwrap_or_default()
            .into_iter()
            .map(at)
            .collect();
        let body = match &call.body {
            Some(body) => match self
                .call_body(i, body)
                .and_then(|h| self.expand(i, &h, feed))
            {
                Ok(html) => Some(html),
                Err(mut e) => {
                    errors.append(&mut e);
                    None
                }
            },
            None => None,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut ctx = Context::new();
        for (key, value) in &call.args {
            ctx.insert_value(key.clone(), Value::from_serializable(value));
        }
        if spec.is_some() {
            for (key, value) in builtins::extras(self, i, n, call).map_err(|p| vec![at(p)])? {
                ctx.insert_value(key, value);
            }
        }
        ctx.insert_value("body", Value::safe_string(body.as_deref().unwrap_or("")));
        ctx.insert("feed", &feed);
        let path = &self.site.article_paths[i];
        ctx.insert_value(
            "page",
            Value::from_serializable(&serde_json::json!({
                "url": self.urls.url(path),
                "permalink": self.urls.permalink(path),
            })),
        );
        let label = format!(
            "the shortcode `{}` at {}:{}:{}",
            call.name,
            a.source.display(),
            call.line,
            call.column
        );
        self.finish(&template, ctx, &label)
    }

    /// A body shortcode's body as HTML: rendered at load, or now when it
    /// links other articles or bundle files.
    fn call_body<'b>(&self, i: usize, body: &'b Body) -> Result<Cow<'b, str>, Vec<Diagnostic>> {
        match body {
            Body::Html(html) => Ok(Cow::Borrowed(html)),
            Body::Markdown(markdown) => self.late_html(i, markdown, false).map(Cow::Owned),
        }
    }

    /// A URL written in article `i`'s content, as (link, absolute URL):
    /// bundle files beside the page, site paths under the base path, full
    /// URLs as they are; `javascript:` and the like refused.
    pub(super) fn content_url(
        &self,
        i: usize,
        src: &str,
    ) -> Result<(String, String), builtins::Problem> {
        let a = &self.site.articles[i];
        if let (Some(bundle), Some(rel)) = (&a.bundle, bundle_ref(src)) {
            if bundle.files.iter().all(|f| f != rel) {
                return Err((
                    format!("`{rel}` is not a file of this page bundle (the article's folder)"),
                    Some(
                        "put the file beside index.md, or write a site path such as /images/x.jpg"
                            .into(),
                    ),
                ));
            }
            let path = format!("{}{rel}", self.site.article_paths[i]);
            return Ok((self.urls.url(&path), self.urls.permalink(&path)));
        }
        let scheme = src
            .split_once(':')
            .map(|(s, _)| s)
            .filter(|s| !s.contains('/'));
        if src.is_empty() || (scheme.is_some() && !crate::content::is_safe_url(src)) {
            return Err((
                format!("`{src}` must be an http(s) URL or a site path like /images/photo.jpg"),
                None,
            ));
        }
        Ok(self.urls.resolve(src))
    }
}

fn unknown(name: &str, known: &[&str]) -> builtins::Problem {
    let hint = match crate::text::closest(name, known) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!(
            "the shortcodes are {}; add templates/shortcodes/{name}.html to define it",
            known.join(", ")
        ),
    };
    (format!("unknown shortcode `{name}`"), Some(hint))
}
