//! Any text as an article, through the whole pipeline: parse, assemble a
//! one-article site, render every page (article, lists, feeds, sitemaps).
//! Errors are fine; panics, hangs and runaway memory are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dateline::fuzzing::article_render(data);
});
