//! Dateline: a static site generator for news publishers.
//!
//! The build is a pipeline, one module per stage, data flowing one way:
//! [`config`] → [`content`] → [`site`] → [`render`] → [`output`].

pub mod config;
pub mod content;
pub mod error;
pub mod site;
pub mod text;
pub mod urls;
