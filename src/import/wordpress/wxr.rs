//! WordPress's export (WXR: RSS 2.0 with the `wp:`, `content:`,
//! `excerpt:` and `dc:` namespaces) read into plain values. The file is
//! parsed whole with roxmltree, which reports the line of any XML error.

use std::collections::HashMap;

use roxmltree::{Document, Node};

// WXR versions its namespaces: `http://wordpress.org/export/1.2/`,
// `…/1.2/excerpt/`; any version is read, and WordPress.com writes https.
const WP: &str = "wordpress.org/export/";
const EXCERPT: &str = "excerpt";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const DC: &str = "http://purl.org/dc/elements/1.1/";

#[derive(Debug, Default)]
pub struct Export {
    pub title: String,
    /// The site's address (`<link>`, else `wp:base_blog_url`).
    pub link: String,
    pub language: Option<String>,
    /// Login → display name and e-mail.
    pub authors: HashMap<String, (String, Option<String>)>,
    pub items: Vec<Item>,
}

#[derive(Debug, Default, Clone)]
pub struct Item {
    /// The line of its `<item>` in the export, and of its body.
    pub line: usize,
    pub content_line: usize,
    pub id: String,
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub date_local: String,
    pub date_gmt: String,
    pub slug: String,
    pub status: String,
    pub kind: String,
    pub attachment_url: String,
    /// (domain, nicename, display name): `category` or `post_tag`.
    pub terms: Vec<(String, String, String)>,
    pub meta: Vec<(String, String)>,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses an export; the error names the line.
pub fn parse(text: &str) -> Result<Export, String> {
    let doc = Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .map_err(|e| format!("{}: not a readable WordPress export: {e}", e.pos().row))?;
    let channel = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))
        .ok_or("1: no <channel>: not a WordPress export (WXR) file")?;
    let mut export = Export {
        title: child_text(channel, "", "title"),
        link: child_text(channel, "", "link"),
        language: Some(child_text(channel, "", "language")).filter(|l| !l.is_empty()),
        ..Export::default()
    };
    if export.link.is_empty() {
        export.link = child_text(channel, WP, "base_blog_url");
    }
    for node in channel.children().filter(|n| n.is_element()) {
        if is(node, WP, "author") {
            let login = child_text(node, WP, "author_login");
            let name = child_text(node, WP, "author_display_name");
            let email = Some(child_text(node, WP, "author_email")).filter(|e| !e.is_empty());
            let name = if name.is_empty() { login.clone() } else { name };
            export.authors.insert(login, (name, email));
        } else if node.has_tag_name("item") {
            export.items.push(item(&doc, node));
        }
    }
    Ok(export)
}

fn item(doc: &Document, node: Node) -> Item {
    let mut item = Item {
        line: doc.text_pos_at(node.range().start).row as usize,
        id: child_text(node, WP, "post_id"),
        title: child_text(node, "", "title"),
        link: child_text(node, "", "link"),
        creator: child_text(node, DC, "creator"),
        content: child_text(node, CONTENT, "encoded"),
        excerpt: child_text(node, EXCERPT, "encoded"),
        date_local: child_text(node, WP, "post_date"),
        date_gmt: child_text(node, WP, "post_date_gmt"),
        slug: child_text(node, WP, "post_name"),
        status: child_text(node, WP, "status"),
        kind: child_text(node, WP, "post_type"),
        attachment_url: child_text(node, WP, "attachment_url"),
        ..Item::default()
    };
    for child in node.children().filter(|n| n.is_element()) {
        if child.has_tag_name("category") && child.tag_name().namespace().is_none() {
            item.terms.push((
                child.attribute("domain").unwrap_or("category").to_string(),
                child.attribute("nicename").unwrap_or("").to_string(),
                text_of(child),
            ));
        } else if is(child, CONTENT, "encoded") {
            item.content_line = doc.text_pos_at(child.range().start).row as usize;
        } else if is(child, WP, "postmeta") {
            item.meta.push((
                child_text(child, WP, "meta_key"),
                child_text(child, WP, "meta_value"),
            ));
        }
    }
    item
}

fn is(node: Node, ns: &str, name: &str) -> bool {
    let actual = node.tag_name().namespace().unwrap_or("");
    let wp = actual
        .strip_prefix("https://")
        .or_else(|| actual.strip_prefix("http://"))
        .is_some_and(|a| a.starts_with(WP));
    let matches = match ns {
        WP => wp && !actual.ends_with("/excerpt/"),
        EXCERPT => wp && actual.ends_with("/excerpt/"),
        _ => actual == ns,
    };
    matches && node.tag_name().name() == name
}

fn child_text(node: Node, ns: &str, name: &str) -> String {
    node.children()
        .find(|c| c.is_element() && is(*c, ns, name))
        .map(text_of)
        .unwrap_or_default()
}

/// All the text of a node, CDATA included, trimmed.
fn text_of(node: Node) -> String {
    let mut out = String::new();
    for d in node.descendants().filter(|d| d.is_text()) {
        out.push_str(d.text().unwrap_or(""));
    }
    out.trim().to_string()
}
