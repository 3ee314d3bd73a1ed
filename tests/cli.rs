//! End-to-end: run the `dateline` binary on broken copies of the fixture.
//! Every error exits non-zero, names the file and line, and leaves the
//! previously built site byte-identical.

mod common;

use common::SiteTest;

/// Builds the good fixture, applies `breakage`, builds again with the
/// binary and returns stderr after checking the old output survived.
fn fails_with(breakage: impl FnOnce(&SiteTest)) -> String {
    let site = SiteTest::new("newsroom");
    let first = site.run(&["build"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = site.snapshot();
    breakage(&site);
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        before,
        site.snapshot(),
        "output changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    assert!(
        stderr.contains("the output folder was not changed"),
        "{stderr}"
    );
    stderr
}

/// The diagnostic names `loc` (file:line, or file:line:col) and says `msg`.
fn at(err: &str, loc: &str, msg: &str) -> bool {
    (err.contains(&format!("{loc}:")) || err.contains(&format!("{loc}\n"))) && err.contains(msg)
}

fn article(front: &str) -> String {
    format!("---\n{front}\n---\nBody.\n")
}

#[test]
fn a_good_build_exits_zero_and_says_what_it_wrote() {
    let site = SiteTest::new("newsroom");
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("26 articles"), "{stderr}");
    assert!(stderr.contains("held back: 1 draft"), "{stderr}");
}

#[test]
fn malformed_yaml() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            "---\nheadline: x\ndate: 2026-01-01\ntags: [a, b\n---\n",
        )
    });
    assert!(err.contains("content/news/us/bad.md:5:"), "{err}");
    assert!(err.contains("invalid front matter"), "{err}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            "---\nhedline: x\ndate: 2026-01-01\n---\n",
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:2:1",
            "unknown front-matter key `hedline`"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean `headline`?"), "{err}");
}

#[test]
fn missing_headline() {
    let err = fails_with(|s| s.write("content/news/us/bad.md", article("date: 2026-01-01")));
    assert!(
        at(
            &err,
            "content/news/us/bad.md:1",
            "missing required key `headline`"
        ),
        "{err}"
    );
}

#[test]
fn headline_that_is_not_a_string() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            article("date: 2026-01-01\nheadline:\n  - a\n  - b"),
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:3",
            "headline must be a string, found a list"
        ),
        "{err}"
    );
}

#[test]
fn missing_date() {
    let err = fails_with(|s| s.write("content/news/us/bad.md", article("headline: x")));
    assert!(
        at(
            &err,
            "content/news/us/bad.md:1",
            "missing required key `date`"
        ),
        "{err}"
    );
}

#[test]
fn impossible_date() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            article("headline: x\ndate: 2019-02-30"),
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:3",
            "date: `2019-02-30` is not a real date"
        ),
        "{err}"
    );
}

#[test]
fn unclosed_front_matter() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            "---\nheadline: x\ndate: 2026-01-01\nBody\n",
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:1",
            "front matter opened on line 1 is never closed"
        ),
        "{err}"
    );
}

#[test]
fn empty_file() {
    let err = fails_with(|s| s.write("content/news/us/bad.md", ""));
    assert!(
        at(&err, "content/news/us/bad.md:1", "file is empty"),
        "{err}"
    );
}

#[test]
fn non_utf8_file() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            b"---\nheadline: Caf\xe9\ndate: 2026-01-01\n---\n",
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:2:14",
            "file is not valid UTF-8"
        ),
        "{err}"
    );
}

#[test]
fn related_link_to_a_missing_article() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            article("headline: x\ndate: 2026-01-01\nrelated:\n  - news/us/no-such-story"),
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:5",
            "related article `news/us/no-such-story` not found"
        ),
        "{err}"
    );
}

#[test]
fn internal_body_link_to_a_missing_article() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/bad.md",
            "---\nheadline: x\ndate: 2026-01-01\n---\nIntro.\n\nSee [this](@/news/us/gone.md).\n",
        )
    });
    assert!(
        at(
            &err,
            "content/news/us/bad.md:7:5",
            "internal link `@/news/us/gone.md`"
        ),
        "{err}"
    );
}

#[test]
fn two_articles_with_the_same_url_name_both_files() {
    let err = fails_with(|s| {
        s.write(
            "content/business/dup.md",
            article("headline: x\ndate: 2026-01-01\nslug: port-bonds"),
        )
    });
    assert!(
        err.contains("two pages would be written to /business/port-bonds/"),
        "{err}"
    );
    assert!(
        err.contains("content/business/port-bonds.md") && err.contains("content/business/dup.md"),
        "{err}"
    );
}

#[test]
fn slugs_and_sections_that_escape_the_output() {
    let err = fails_with(|s| {
        s.write(
            "content/news/us/a.md",
            article("headline: x\ndate: 2026-01-01\nslug: ../../../etc/passwd"),
        );
        s.write(
            "content/news/us/b.md",
            article("headline: y\ndate: 2026-01-01\nsection: /abs/path"),
        );
    });
    assert!(
        at(&err, "content/news/us/a.md:4", "slug `../../../etc/passwd`"),
        "{err}"
    );
    assert!(
        at(
            &err,
            "content/news/us/b.md:4",
            "section `/abs/path` must be relative"
        ),
        "{err}"
    );
    assert!(
        err.contains("2 files failed to build (2 errors"),
        "all errors in one run: {err}"
    );
}

#[test]
fn template_syntax_error() {
    let err = fails_with(|s| {
        s.write("templates/tag.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ tag.name | }}\n{% endblock main %}\n")
    });
    assert!(err.contains("templates/tag.html:3:"), "{err}");
    assert!(err.contains("template syntax error"), "{err}");
}

#[test]
fn template_runtime_error_names_template_and_page() {
    let err = fails_with(|s| s.write("templates/tags.html", "{{ nothing.here }}"));
    assert!(err.contains("templates/tags.html:1:4"), "{err}");
    assert!(err.contains("`nothing` is not defined"), "{err}");
    assert!(err.contains("while rendering /tags/"), "{err}");
}

#[test]
fn malformed_site_toml() {
    let err = fails_with(|s| s.write("site.toml", "title = \"Gazette\"\npaginate = \"ten\"\n"));
    assert!(
        at(&err, "site.toml:2:12", "`paginate`: invalid type"),
        "{err}"
    );
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let err = fails_with(|s| {
        s.write("content/news/us/one.md", "");
        s.write(
            "content/business/two.md",
            article("headline: x\ndate: 2026-13-01"),
        );
        s.write("templates/archive.html", "{% if %}");
    });
    for needle in [
        "content/news/us/one.md:1",
        "content/business/two.md:3",
        "templates/archive.html:1",
    ] {
        assert!(err.contains(needle), "{needle} missing from:\n{err}");
    }
}

#[test]
fn refuses_to_write_over_the_sources() {
    let site = SiteTest::new("newsroom");
    let before = common::snapshot(&site.root);
    for target in [
        ".",
        "content",
        "content/inner",
        "static",
        "static/images",
        "templates",
        "themes/x",
        "..",
    ] {
        let out = site.run(&["build", "-o", target]);
        assert_eq!(out.status.code(), Some(2), "-o {target}");
    }
    assert_eq!(
        before,
        common::snapshot(&site.root),
        "nothing in the site changed, nothing was left behind"
    );
}

#[test]
fn refuses_a_foreign_folder_without_force() {
    let site = SiteTest::new("newsroom");
    site.write("mine/notes.txt", "keep me");
    let out = site.run(&["build", "-o", "mine"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(site.root.join("mine/notes.txt").is_file());
    let out = site.run(&["build", "-o", "mine", "--force"]);
    assert!(out.status.success());
    assert!(site.root.join("mine/index.html").is_file());
}

#[test]
fn bad_flags_exit_2_and_a_folder_without_a_site_exits_1() {
    let site = SiteTest::new("newsroom");
    assert_eq!(
        site.run(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(
        site.run(&["build", "-s", "/nonexistent/site"])
            .status
            .code(),
        Some(1)
    );
}

/// Names of staging or backup folders left beside the output.
fn leftovers(site: &SiteTest) -> Vec<String> {
    std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.tmp"))
        .collect()
}

#[test]
fn a_fault_while_writing_or_applying_leaves_the_previous_site_intact() {
    let site = SiteTest::new("newsroom");
    assert!(site.run(&["build"]).status.success());
    let before = site.snapshot();
    // Every page changes, so the rebuild has thousands of steps to fail in.
    site.write(
        "templates/partials/footer.html",
        "<footer><p>New footer</p></footer>",
    );
    for (hook, after) in [
        ("DATELINE_TEST_FAIL_WRITES", "5"),
        ("DATELINE_TEST_FAIL_APPLY", "1"),
        ("DATELINE_TEST_FAIL_APPLY", "40"),
    ] {
        let out = site.run_env(&["build"], &[(hook, after)]);
        assert_eq!(
            out.status.code(),
            Some(3),
            "{hook}={after}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("injected fault"));
        assert_eq!(before, site.snapshot(), "{hook}={after} changed the site");
        assert!(
            leftovers(&site).is_empty(),
            "{hook}={after}: {:?}",
            leftovers(&site)
        );
    }
    assert!(site.run(&["build"]).status.success());
    assert!(site.read("index.html").contains("New footer"));
}

#[test]
fn a_fault_in_a_first_build_leaves_no_output_at_all() {
    let site = SiteTest::new("newsroom");
    let out = site.run_env(&["build"], &[("DATELINE_TEST_FAIL_WRITES", "3")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!site.public().exists());
    assert!(leftovers(&site).is_empty());
}

#[test]
fn the_order_files_were_created_in_does_not_change_the_output() {
    let forward = SiteTest::new("newsroom");
    let backward = SiteTest::from_files(&[]);
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&forward.root)
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .filter(|p| p.is_file())
        .collect();
    files.reverse();
    for path in files {
        let rel = path
            .strip_prefix(&forward.root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        backward.write(&rel, std::fs::read(&path).unwrap());
    }
    for site in [&forward, &backward] {
        assert!(site
            .run(&["build", "--now", "2026-04-01T12:00:00Z"])
            .status
            .success());
    }
    assert_eq!(forward.snapshot(), backward.snapshot());
}

/// A tmpfs of `size` mounted on a fresh folder, unmounted on drop.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    /// `None` when this user may not mount (only root may).
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if !root {
            return None;
        }
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("run mount");
        assert!(status.success(), "root could not mount a tmpfs");
        Some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn a_full_disk_fails_the_build_and_leaves_the_previous_site() {
    // The fixture's output takes about 1.1 MB of this 1.6 MB disk, so a
    // rebuild that changes every page cannot stage its files beside it.
    let Some(disk) = SmallDisk::mount("1600k") else {
        eprintln!("skipped: mounting a small disk needs root");
        return;
    };
    let site = SiteTest::new("newsroom");
    let out = disk.0.path().join("public");
    let out_arg = out.to_str().unwrap();
    let build =
        |site: &SiteTest| site.run(&["build", "-o", out_arg, "--now", "2026-04-01T12:00:00Z"]);
    assert!(build(&site).status.success());
    let before = common::snapshot(&out);

    site.write(
        "templates/partials/footer.html",
        format!(
            "<footer><p>{}</p></footer>",
            "A much longer footer. ".repeat(400)
        ),
    );
    let failed = build(&site);
    assert_eq!(failed.status.code(), Some(3), "an output error");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(
        common::snapshot(&out),
        before,
        "the previous site is intact"
    );
    let left: Vec<String> = std::fs::read_dir(disk.0.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".public.lock")
        .collect();
    assert_eq!(left, ["public"], "no staging folder left behind");

    site.remove("templates/partials/footer.html");
    assert!(build(&site).status.success(), "room again: builds");
}

/// Makes `dir` refuse new and replaced entries until dropped: `chattr +i`
/// for root (whom file modes do not stop), read-only modes otherwise.
struct Unwritable(std::path::PathBuf, bool);

impl Unwritable {
    fn new(dir: &std::path::Path) -> Unwritable {
        let immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        if !immutable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        Unwritable(dir.to_path_buf(), immutable)
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        if self.1 {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn permission_denied_in_the_output_leaves_the_previous_site() {
    let site = SiteTest::new("newsroom");
    assert!(site.run(&["build"]).status.success());
    let before = site.snapshot();
    // A second build leaves the standby copy the next build writes into
    // (or, where folders cannot be exchanged, the output itself).
    let file = site.root.join("content/news/us/harbor-dredging.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Fixture body", "Second body")).unwrap();
    assert!(site.run(&["build"]).status.success());
    std::fs::write(&file, &text).unwrap();
    assert!(site.run(&["build"]).status.success());
    assert_eq!(site.snapshot(), before);
    let written = match site.root.join(".public.standby").is_dir() {
        true => site.root.join(".public.standby"),
        false => site.public(),
    };
    std::fs::write(&file, text.replace("Fixture body", "Edited body")).unwrap();
    {
        let locked_dir = written.join("news/us/harbor-dredging");
        let _locked = Unwritable::new(&locked_dir);
        if std::fs::write(locked_dir.join("probe"), "").is_ok() {
            // Root on a file system without `chattr +i`: nothing can lock it.
            eprintln!("skipped: this file system cannot refuse root a write");
            return;
        }
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(3), "an output error");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("not permitted") || stderr.contains("denied"),
            "{stderr}"
        );
        assert!(
            stderr.contains("harbor-dredging"),
            "names the place: {stderr}"
        );
    }
    assert_eq!(site.snapshot(), before, "the previous site is intact");
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
    assert!(
        site.run(&["build"]).status.success(),
        "writable again: builds"
    );
    assert!(site
        .read_page_text("news/us/harbor-dredging/")
        .contains("Edited body"));
}

#[test]
fn slugs_differing_only_in_case_are_a_clash_not_an_overwrite() {
    let site = SiteTest::from_files(&[
        (
            "site.toml",
            "title = \"C\"\nbase_url = \"https://c.example/\"\n",
        ),
        (
            "content/news/Harbor-Vote.md",
            "---\nheadline: One\ndate: 2026-01-01\n---\nOne.\n",
        ),
        (
            "content/news/harbor-vote.md",
            "---\nheadline: Two\ndate: 2026-01-02\n---\nTwo.\n",
        ),
    ]);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("two pages would be written to /news/harbor-vote/")
            && stderr.contains("content/news/Harbor-Vote.md")
            && stderr.contains("content/news/harbor-vote.md"),
        "{stderr}"
    );
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn a_second_build_of_one_folder_waits_for_the_first_and_says_so() {
    let site = SiteTest::new("newsroom");
    assert!(site.run(&["build", "-q"]).status.success());
    // Hold the lock as a running build would.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(site.root.join(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(
        site.root.join(".public.lock"),
        "dateline build, process 4242",
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dateline"))
        .arg("build")
        .current_dir(&site.root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the second build waits"
    );
    drop(lock);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("Waiting for the other build of this output folder to finish (dateline build, process 4242)"),
        "{stderr}"
    );
    assert!(site.exists("news/us/harbor-dredging/"));
}
