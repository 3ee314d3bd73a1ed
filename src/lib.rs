//! Dateline: a static site generator for news publishers.
//!
//! The build is a pipeline, one module per stage, data flowing one way:
//! [`config`] (site.toml) → [`content`] (articles) → [`site`] (the model)
//! → [`render`] (pages to HTML) → [`output`] (staged, then swapped in).
//! [`pipeline`] runs the stages in order; [`serve`] keeps a live model for
//! previews; the binary adds the CLI.

pub mod cache;
pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod import;

pub mod linkcheck;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod quick;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
pub mod urls;

pub use error::{BuildError, Diagnostic};
pub use pipeline::{build, build_with, load, BuildOptions, BuildReport, Progress, Silent};
