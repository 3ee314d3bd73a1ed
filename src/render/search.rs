//! What the search index holds of each article: the text readers search
//! and the card a result shows, from the same model as every page.

use std::collections::BTreeMap;

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
            .map(|i| self.search_record(i))
            .collect()
    }

    fn search_record(&self, i: usize) -> Result<Record, Vec<Diagnostic>> {
        let site = self.site;
        let a = &site.articles[i];
        let card = self.urls.card(site, a, &site.article_paths[i]);
        let body = plain_text(&self.body(i)?);
        let mut content = a.headline.clone();
        for part in a.dek.iter().chain(&a.summary) {
            content.push_str(". ");
            content.push_str(part);
        }
        content.push_str(". ");
        content.push_str(&body);
        if !a.authors.is_empty() {
            content.push_str(" By ");
            content.push_str(&a.authors.join(", "));
        }

        let mut meta = BTreeMap::new();
        meta.insert("title".to_string(), a.headline.clone());
        meta.insert("date".to_string(), card.date.display.clone());
        meta.insert("iso".to_string(), card.date.iso.clone());
        meta.insert("section".to_string(), card.section.name.clone());
        meta.insert("section_url".to_string(), card.section.url.clone());
        meta.insert("kind".to_string(), card.kind_label.clone());
        if let Some(dek) = a.dek.as_deref() {
            meta.insert("dek".to_string(), dek.to_string());
        } else if !a.excerpt.is_empty() {
            meta.insert("dek".to_string(), a.excerpt.clone());
        }
        if let Some(image) = &card.image {
            // The narrowest derivative: a result's thumbnail is small.
            let thumb = image
                .picture
                .srcset
                .split(',')
                .next()
                .and_then(|c| c.split_whitespace().next())
                .filter(|u| !u.is_empty())
                .unwrap_or(&image.src);
            meta.insert("image".to_string(), thumb.to_string());
        }

        let local = a.date.with_timezone(&self.urls.config.timezone);
        let mut filters = BTreeMap::new();
        filters.insert("section".to_string(), vec![card.section.name.clone()]);
        if !a.tags.is_empty() {
            filters.insert("tag".to_string(), a.tags.clone());
        }
        if !a.authors.is_empty() {
            filters.insert("author".to_string(), a.authors.clone());
        }
        filters.insert("year".to_string(), vec![local.year().to_string()]);

        let mut sort = BTreeMap::new();
        // Zero-padded, so newest-first is right as text and as a number.
        sort.insert(
            "date".to_string(),
            format!("{:012}", a.date.timestamp().max(0)),
        );
        Ok(Record {
            url: card.url,
            content,
            meta,
            filters,
            sort,
        })
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
