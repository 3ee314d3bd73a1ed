//! The checked parts of an article that front matter describes: a lead
//! image, corrections, related stories.

use chrono::{DateTime, FixedOffset};

/// A published correction or clarification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: DateTime<FixedOffset>,
    pub text: String,
}

/// A lead image with what a news page prints around it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Image {
    pub src: String,
    /// `src` is a file of the article's page bundle, published beside it.
    #[serde(skip)]
    pub bundled: bool,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The point crops keep in view, in thousandths of the width and
    /// height (`focus: [0.3, 0.4]` is `(300, 400)`).
    pub focus: Option<(u16, u16)>,
}

/// What a `related` entry points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelatedTarget {
    /// Another article, by `slug` or `section/slug`; resolved by `site`.
    Article(String),
    /// A link off the site.
    External { title: String, url: String },
}

/// A `related` entry and the file line it was written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub target: RelatedTarget,
    pub line: usize,
}
