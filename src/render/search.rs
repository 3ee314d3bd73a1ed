//! What the search index holds of each article: the text readers search
//! and the card a result shows, from the same model as every page.

use chrono::Datelike;
use rayon::prelude::*;

use super::{escape_html, Renderer};
use crate::error::Diagnostic;
use crate::search::{plain_text, Record};

impl Renderer<'_> {
    /// One record per published article, in the site's order.
    pub fn search_records(&self) -> Result<Vec<Record>, Vec<Diagnostic>> {
        (0..self.site.articles.len())
            .into_par_iter()
            .map(|i| {
                Ok(Record {
                    body: self.search_body(i)?,
                    ..self.search_head(i)
                })
            })
            .collect()
    }

    /// The records without their bodies, which are most of their cost:
    /// [`search_body`](Self::search_body) gives one when it is needed.
    pub fn search_heads(&self) -> Vec<Record> {
        (0..self.site.articles.len())
            .into_par_iter()
            .map(|i| self.search_head(i))
            .collect()
    }

    /// Article `i`'s body as the index reads it.
    pub fn search_body(&self, i: usize) -> Result<String, Vec<Diagnostic>> {
        Ok(plain_text(&self.body(i)?))
    }

    fn search_head(&self, i: usize) -> Record {
        let site = self.site;
        let a = &site.articles[i];
        let path = &site.article_paths[i];
        // The parts of a card a result shows, made as the card makes them
        // (its bylines and the rest are not needed here).
        let date = self.urls.date(&a.date);
        let section = self.urls.section_link(site, &a.section);
        let card_image = a
            .image
            .as_ref()
            .map(|img| self.urls.image(img, path, super::context::CARD_MAX_WIDTH));
        let mut standfirst = a.dek.clone().unwrap_or_default();
        for line in &a.summary {
            standfirst.push(' ');
            standfirst.push_str(line);
        }
        // The narrowest derivative: a result's thumbnail is small.
        let image = card_image.as_ref().map(|image| {
            image
                .picture
                .srcset
                .split(',')
                .next()
                .and_then(|c| c.split_whitespace().next())
                .filter(|u| !u.is_empty())
                .unwrap_or(&image.src)
                .to_string()
        });
        let local = a.date.with_timezone(&self.urls.config.timezone);
        Record {
            url: self.urls.url(path),
            headline: a.headline.clone(),
            standfirst,
            body: String::new(),
            authors: a.authors.clone(),
            dek: a.dek.clone().unwrap_or_else(|| a.excerpt.clone()),
            date: date.display,
            iso: date.iso,
            section: section.name,
            section_url: section.url,
            image,
            tags: a.tags.clone(),
            year: local.year().to_string(),
            timestamp: a.date.timestamp(),
        }
    }
}

impl Renderer<'_> {
    /// The OpenSearch description: browsers offer the site's search in
    /// their address bar, sending `?q=` to the search page.
    pub(super) fn opensearch(&self) -> String {
        let config = self.urls.config;
        // OpenSearch caps the short name at 16 characters.
        let short: String = config.title.chars().take(16).collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n\
             <ShortName>{short}</ShortName>\n\
             <Description>Search {title}</Description>\n\
             <InputEncoding>UTF-8</InputEncoding>\n\
             <Language>{lang}</Language>\n\
             <Url type=\"text/html\" method=\"get\" template=\"{search}?q={{searchTerms}}\"/>\n\
             </OpenSearchDescription>\n",
            short = escape_html(&short),
            title = escape_html(&config.title),
            lang = escape_html(&config.language),
            search = escape_html(&self.urls.permalink("search/")),
        )
    }
}
