//! `authors.yaml`: optional profiles for bylines (bio, photo, links).
//!
//! ```yaml
//! - name: Marisol Ferreira
//!   bio: Covers city hall and the waterfront.
//!   photo: /images/staff/ferreira.jpg
//!   links:
//!     - title: Email
//!       url: mailto:mferreira@example.org
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;

/// The author data file at the root of a site.
pub const AUTHORS_FILE: &str = "authors.yaml";

/// What the author pages say about a writer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorProfile {
    pub name: String,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub photo: Option<String>,
    #[serde(default)]
    pub links: Vec<ProfileLink>,
}

/// A link on an author's page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLink {
    pub title: String,
    pub url: String,
}

/// Reads `authors.yaml` if the site has one.
pub fn load_authors(root: &Path) -> Result<Vec<AuthorProfile>, Vec<Diagnostic>> {
    let Some(text) = super::read_data_file(root, AUTHORS_FILE)? else {
        return Ok(Vec::new());
    };
    let rel = Path::new(AUTHORS_FILE);
    let profiles: Vec<AuthorProfile> = serde_yaml::from_str(&text).map_err(|e| {
        let (line, col) = e.location().map_or((1, None), |l| (l.line(), Some(l.column())));
        vec![Diagnostic::at(rel, line, col, format!("invalid author list: {e}"))
            .with_hint("a list of entries with `name`, and optionally `bio`, `photo` and `links` ({title, url})")]
    })?;
    let mut errors = Vec::new();
    for p in &profiles {
        for link in &p.links {
            let lower = link.url.to_ascii_lowercase();
            if !(super::is_safe_url(&link.url) || lower.starts_with("mailto:")) {
                errors.push(Diagnostic::in_file(
                    rel,
                    format!(
                        "link `{}` of {} must be an http(s), mailto: or site URL",
                        link.url, p.name
                    ),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(profiles)
    } else {
        Err(errors)
    }
}
