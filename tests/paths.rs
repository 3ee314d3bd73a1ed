//! Property tests: whatever string a writer puts in a slug, section, tag or
//! alias, the page it names stays inside the output folder, or the string
//! is refused with an error.

use std::path::{Component, Path};

use dateline::urls::{alias_path, check_alias, check_section, check_segment, output_file, slugify};
use proptest::prelude::*;

/// Every component is a plain name: no root, no `..`, no `.`, no prefix.
fn stays_inside(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Strings biased towards the characters that make paths escape.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[./\\\\%:a-zA-Z0-9 ~-]{0,24}",
        "(\\.\\./|/|%2e%2e|[A-Z]:\\\\|CON|nul|\\.)*[a-z]{0,5}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn accepted_slugs_name_a_folder_inside_the_output(s in hostile()) {
        if check_segment(&s).is_ok() {
            prop_assert!(stays_inside(&output_file(&format!("{s}/"))), "{s:?}");
        }
    }

    #[test]
    fn accepted_sections_and_slugs_stay_inside(section in hostile(), slug in hostile()) {
        if check_section(&section).is_ok() && check_segment(&slug).is_ok() {
            prop_assert!(stays_inside(&output_file(&format!("{section}/{slug}/"))), "{section:?} {slug:?}");
        }
    }

    #[test]
    fn every_tag_slug_is_a_safe_segment_or_empty(tag in hostile()) {
        let slug = slugify(&tag);
        prop_assert!(slug.is_empty() || check_segment(&slug).is_ok(), "{tag:?} -> {slug:?}");
    }

    #[test]
    fn accepted_aliases_stay_inside(alias in hostile()) {
        if check_alias(&alias).is_ok() {
            prop_assert!(stays_inside(&output_file(&alias_path(&alias))), "{alias:?}");
        }
    }
}
