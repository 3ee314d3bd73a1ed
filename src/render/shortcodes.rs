//! Drawing a body's shortcodes through the theme's
//! `templates/shortcodes/NAME.html`, into the placeholders the markdown
//! stage left. A call's arguments are its template's variables, with
//! `body` (its body as HTML), `feed` (true in a feed, where embeds become
//! links) and `page` (the article's url and permalink).

use std::borrow::Cow;

use tera::{Context, Value};

use super::builtins;
use super::Renderer;
use crate::content::shortcodes::Problem;
use crate::content::Body;
use crate::error::Diagnostic;
use crate::markdown::{bundle_ref, placeholders};

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
        let at = |(message, hint): Problem| {
            let d = Diagnostic::at(&a.source, call.line, Some(call.column), message);
            match hint {
                Some(h) => d.with_hint(h),
                None => d,
            }
        };
        let template = format!("shortcodes/{}.html", call.name);
        // Checked at load; a preview can meet a template removed since.
        if !self.templates.has(&template) {
            return Err(vec![at((
                format!("unknown shortcode `{}`", call.name),
                None,
            ))]);
        }
        let mut errors = Vec::new();
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
        if crate::content::shortcodes::spec(&call.name).is_some() {
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
    /// Sanitised as the article's own body is, when the site asks.
    fn call_body<'b>(&self, i: usize, body: &'b Body) -> Result<Cow<'b, str>, Vec<Diagnostic>> {
        let html = match body {
            Body::Html(html) => Cow::Borrowed(html.as_str()),
            Body::Markdown(markdown) => Cow::Owned(self.late_html(i, markdown, false)?),
        };
        Ok(if self.urls.config.safe_html {
            Cow::Owned(super::sanitize(&html))
        } else {
            html
        })
    }

    /// A URL written in article `i`'s content, as (link, absolute URL):
    /// bundle files beside the page, site paths under the base path, full
    /// URLs as they are. (Checked at load: a bundle file is there.)
    pub(super) fn content_url(&self, i: usize, src: &str) -> (String, String) {
        let a = &self.site.articles[i];
        match (&a.bundle, bundle_ref(src)) {
            (Some(_), Some(rel)) => {
                let path = format!("{}{rel}", self.site.article_dirs[i]);
                (self.urls.url(&path), self.urls.permalink(&path))
            }
            _ => self.urls.resolve(src),
        }
    }
}
