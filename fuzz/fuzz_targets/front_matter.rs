//! Any bytes as an article file: decoding, splitting the front matter and
//! parsing it must end in an article or in diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    dateline::fuzzing::front_matter(data);
});
