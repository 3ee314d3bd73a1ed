//! The photo pipeline on generated camera files: derivatives at the
//! configured widths, orientation applied, no location published, cards
//! and sharing tags on derivatives, the cache reused, bad files refused
//! with their article's line.

mod common;

use std::collections::BTreeMap;

use common::{attrs, SiteTest};
use image::{ImageDecoder, ImageEncoder};
use scraper::{Html, Selector};

const SITE: &str =
    "title = \"Photo Test\"\nbase_url = \"https://photos.example.com/\"\ntimezone = \"UTC\"\n";

/// A latitude no real photo carries, to look for in every published byte.
const SECRET_LATITUDE: [u32; 6] = [51, 1, 30, 1, 4321, 100];

/// A JPEG `w` × `h` pixels as stored, with an EXIF block holding
/// `orientation` and a GPS position, as phones and cameras write them.
fn camera_jpeg(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            [
                (x * 255 / w) as u8,
                (y * 255 / h) as u8,
                ((x ^ y) & 0xFF) as u8,
            ]
        })
        .collect();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(&pixels, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let exif = exif_block(orientation);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((exif.len() + 2) as u16).to_be_bytes());
    out.extend(&exif);
    out.extend(&jpeg[2..]);
    out
}

/// `Exif\0\0` and a big-endian TIFF with IFD0 (Orientation, GPS pointer)
/// and a GPS IFD (latitude reference and latitude).
fn exif_block(orientation: u16) -> Vec<u8> {
    let mut t = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: two entries, then the next-IFD offset.
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    t.extend(2u16.to_be_bytes());
    t.extend([0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    t.extend(orientation.to_be_bytes());
    t.extend([0, 0]);
    t.extend([0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1]);
    t.extend((gps_ifd as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    // GPS IFD: two entries, then the rationals.
    let rationals = gps_ifd + 2 + 2 * 12 + 4;
    t.extend(2u16.to_be_bytes());
    t.extend([0x00, 0x01, 0x00, 0x02, 0, 0, 0, 2, b'N', 0, 0, 0]);
    t.extend([0x00, 0x02, 0x00, 0x05, 0, 0, 0, 3]);
    t.extend((rationals as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    for n in SECRET_LATITUDE {
        t.extend(n.to_be_bytes());
    }
    let mut out = b"Exif\0\0".to_vec();
    out.extend(t);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 251) as u8, 90, 200, 255])
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, w, h, image::ExtendedColorType::Rgba8)
        .unwrap();
    out
}

fn article(headline: &str, date: &str, front: &str, body: &str) -> String {
    format!("---\nheadline: \"{headline}\"\ndate: {date}\nsection: news/us\n{front}---\n{body}")
}

/// A site with a landscape lead photo (GPS tags), a portrait one stored
/// sideways (EXIF orientation 6), and a PNG chart in a body.
fn photo_site() -> SiteTest {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/harbor.md",
            &article(
                "Harbor at dawn",
                "2026-03-02",
                "image:\n  src: /images/harbor.jpg\n  alt: Boats at dawn\n  credit: Staff\n  focus: [0.25, 0.5]\n",
                "The fleet left early.\n\n![Tide chart](/images/chart.png)\n",
            ),
        ),
        (
            "content/news/us/portrait.md",
            &article(
                "The mayor",
                "2026-03-01",
                "image:\n  src: /images/mayor.jpg\n  alt: The mayor\n  credit: Staff\n",
                "She spoke.\n\n{{ figure(src=\"/images/harbor.jpg\", alt=\"Harbor\", caption=\"Again\") }}\n",
            ),
        ),
    ]);
    site.write("static/images/harbor.jpg", camera_jpeg(2700, 1800, 1));
    site.write("static/images/mayor.jpg", camera_jpeg(1800, 1200, 6));
    site.write("static/images/chart.png", png(900, 500));
    site
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

/// (url, width) of each candidate of a srcset.
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

fn dimensions(site: &SiteTest, url: &str) -> (u32, u32) {
    let path = site.public().join(url.trim_start_matches('/'));
    image::image_dimensions(&path).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[test]
fn a_lead_photo_is_published_as_derivatives_as_wide_as_their_descriptors() {
    let site = photo_site();
    site.build_ok();
    let page = site.page("news/us/harbor/");
    let img = select(&page, ".lead-image img")[0];
    let srcset = img.value().attr("srcset").expect("a srcset");
    let list = candidates(srcset);
    let widths: Vec<u32> = list.iter().map(|c| c.1).collect();
    assert_eq!(
        widths,
        vec![480, 800, 1200, 1600, 2400],
        "never wider than the 2700 px source"
    );
    for (url, w) in &list {
        let (real_w, real_h) = dimensions(&site, url);
        assert_eq!(real_w, *w, "{url}");
        assert_eq!(real_h, (w * 2 + 1) / 3, "{url} keeps the 3:2 shape");
        assert!(
            url.ends_with(".jpg"),
            "fallback in the source's format: {url}"
        );
    }
    assert_eq!(img.value().attr("width"), Some("2700"));
    assert_eq!(img.value().attr("height"), Some("1800"));
    assert_eq!(img.value().attr("fetchpriority"), Some("high"));
    assert_eq!(
        img.value().attr("loading"),
        None,
        "the lead photo is not lazy"
    );
    assert!(img.value().attr("sizes").is_some());
    let source = select(&page, ".lead-image picture source[type=\"image/webp\"]");
    let webp = candidates(source[0].value().attr("srcset").unwrap());
    assert_eq!(webp.len(), 5);
    for (url, w) in &webp {
        assert!(url.ends_with(".webp"));
        assert_eq!(dimensions(&site, url).0, *w);
    }
    // The original is published only as derivatives.
    assert!(!site.public().join("images/harbor.jpg").exists());
}

#[test]
fn a_portrait_photo_stored_sideways_stays_portrait() {
    let site = photo_site();
    site.build_ok();
    let page = site.page("news/us/portrait/");
    let img = select(&page, ".lead-image img")[0];
    assert_eq!(img.value().attr("width"), Some("1200"));
    assert_eq!(img.value().attr("height"), Some("1800"));
    for (url, w) in candidates(img.value().attr("srcset").unwrap()) {
        let (rw, rh) = dimensions(&site, &url);
        assert_eq!(rw, w);
        assert!(rh > rw, "{url} is {rw}×{rh}, not portrait");
    }
}

#[test]
fn sharing_tags_and_structured_data_use_derivatives_of_discover_size() {
    let site = photo_site();
    site.build_ok();
    let page = site.page("news/us/harbor/");
    let og = attrs(&page, "meta[property=\"og:image\"]", "content");
    let tw = attrs(&page, "meta[name=\"twitter:image\"]", "content");
    assert_eq!(og, tw);
    let url = og[0].strip_prefix("https://photos.example.com").unwrap();
    let (w, _) = dimensions(&site, url);
    assert!((1200..=2400).contains(&w), "og:image is {w} px wide");
    assert_eq!(
        attrs(&page, "meta[property=\"og:image:width\"]", "content"),
        vec![w.to_string()]
    );
    let script = select(&page, "script[type=\"application/ld+json\"]")[0].inner_html();
    let json: serde_json::Value = serde_json::from_str(&script).unwrap();
    let images: Vec<&str> = json["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(images.len(), 3, "16×9, 4×3 and 1×1 crops");
    let ratios: Vec<(u32, u32)> = images
        .iter()
        .map(|u| dimensions(&site, u.strip_prefix("https://photos.example.com").unwrap()))
        .collect();
    assert_eq!(ratios, vec![(1200, 675), (1200, 900), (1200, 1200)]);
}

#[test]
fn the_focus_decides_where_a_crop_is_taken() {
    let site = photo_site();
    site.build_ok();
    let page = site.page("news/us/harbor/");
    let script = select(&page, "script[type=\"application/ld+json\"]")[0].inner_html();
    let json: serde_json::Value = serde_json::from_str(&script).unwrap();
    let square = json["image"][2].as_str().unwrap();
    let file = site
        .public()
        .join(square.strip_prefix("https://photos.example.com/").unwrap());
    let img = image::open(file).unwrap().to_rgb8();
    // The generated photo's red rises left to right: a square around a
    // focus a quarter in from the left sits on the left, its centre less
    // red than the middle of the photo (red 127).
    let centre = img.get_pixel(600, 600)[0];
    assert!(
        centre < 110,
        "centre red {centre}: the crop ignored the focus"
    );
}

#[test]
fn cards_and_body_images_use_derivatives() {
    let site = photo_site();
    site.build_ok();
    let home = site.page("");
    let card_imgs = select(&home, ".card__image img");
    assert!(!card_imgs.is_empty());
    for img in card_imgs {
        let src = img.value().attr("src").unwrap();
        assert!(
            src.starts_with("/img/"),
            "card src {src} is not a derivative"
        );
        let widest = candidates(img.value().attr("srcset").unwrap())
            .iter()
            .map(|c| c.1)
            .max()
            .unwrap();
        assert!(widest <= 800, "a card offers {widest} px");
        assert_eq!(img.value().attr("loading"), Some("lazy"));
    }
    let page = site.page("news/us/harbor/");
    let body = select(&page, ".story__body picture img");
    assert_eq!(body.len(), 1, "the PNG of the body is a picture");
    let img = body[0].value();
    assert_eq!(img.attr("alt"), Some("Tide chart"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("900"), Some("500"))
    );
    let fallback = candidates(img.attr("srcset").unwrap());
    assert!(fallback.iter().all(|(u, _)| u.ends_with(".png")));
    assert_eq!(fallback.last().unwrap().1, 900);
    let figure = site.page("news/us/portrait/");
    let fig = select(&figure, "figure.photo img")[0].value();
    assert!(fig.attr("srcset").unwrap().contains("/img/"));
    assert_eq!(fig.attr("width"), Some("2700"));
}

#[test]
fn no_published_file_carries_exif_or_the_gps_position() {
    let site = photo_site();
    site.build_ok();
    let secret: Vec<u8> = SECRET_LATITUDE[4].to_be_bytes().to_vec();
    let mut images = 0;
    for (rel, bytes) in site.snapshot() {
        assert!(
            !bytes.windows(6).any(|w| w == b"Exif\0\0"),
            "{rel} carries an EXIF block"
        );
        assert!(
            !bytes.windows(4).any(|w| w == secret.as_slice()),
            "{rel} carries the latitude"
        );
        if rel.ends_with(".jpg") || rel.ends_with(".webp") || rel.ends_with(".png") {
            images += 1;
            let mut decoder = image::ImageReader::open(site.public().join(&rel))
                .unwrap()
                .with_guessed_format()
                .unwrap()
                .into_decoder()
                .unwrap();
            assert_eq!(decoder.exif_metadata().unwrap(), None, "{rel}");
        }
    }
    assert!(images > 20, "only {images} images published");
}

#[test]
fn a_second_clean_build_encodes_nothing_and_writes_the_same_bytes() {
    let site = photo_site();
    let first = site.build_ok();
    assert!(first.images.encoded > 20, "{:?}", first.images);
    let before: BTreeMap<String, Vec<u8>> = site.snapshot();
    std::fs::remove_dir_all(site.public()).unwrap();
    let second = site.build_ok();
    assert_eq!(second.images.encoded, 0, "{:?}", second.images);
    assert_eq!(second.images.reused, first.images.encoded);
    assert_eq!(site.snapshot(), before, "byte-identical output");
}

#[test]
fn the_cache_can_live_elsewhere_and_unused_entries_are_pruned() {
    let site = photo_site();
    let elsewhere = tempfile::tempdir().unwrap();
    let options = dateline::BuildOptions {
        cache: Some(elsewhere.path().to_path_buf()),
        ..site.options()
    };
    let first = dateline::build(&options).unwrap();
    assert!(!site.root.join(".dateline-cache").exists());
    let count = |dir: &std::path::Path| {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count()
    };
    let entries = count(elsewhere.path());
    assert!(entries >= first.images.encoded);
    // The portrait story drops its photo: its derivatives go.
    site.write(
        "content/news/us/portrait.md",
        article("The mayor", "2026-03-01", "", "She spoke.\n"),
    );
    dateline::build(&options).unwrap();
    assert!(count(elsewhere.path()) < entries);
}

#[test]
fn every_bad_image_is_an_error_naming_the_article_line_and_file() {
    let truncated = camera_jpeg(600, 400, 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.jpg",
            truncated[..truncated.len() / 2].to_vec(),
            "truncated",
        ),
        (
            "text.jpg",
            b"<html>not a photo</html>".to_vec(),
            "not a JPEG, PNG or WebP",
        ),
        ("scan.tiff", b"II*\0........".to_vec(), "TIFF"),
        ("bomb.png", bomb_png(), "limit"),
    ];
    for (name, bytes, why) in cases {
        let site = SiteTest::from_files(&[
            ("site.toml", SITE),
            (
                "content/news/us/story.md",
                &article(
                    "Story",
                    "2026-03-02",
                    &format!("image:\n  src: /images/{name}\n"),
                    "Text.\n",
                ),
            ),
        ]);
        site.write(&format!("static/images/{name}"), &bytes);
        let d = site.build_error("content/news/us/story.md");
        assert_eq!(d.line, Some(5), "{name}: {d:?}");
        assert!(d.message.contains(name), "{name}: {}", d.message);
        assert!(d.message.contains(why), "{name}: {}", d.message);
    }
}

/// A 70-byte PNG whose header claims 60,000 × 60,000 pixels.
fn bomb_png() -> Vec<u8> {
    let mut out = png(1, 1);
    // IHDR's width and height sit at bytes 16..24; its CRC after.
    out[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    out[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn a_bad_photo_leaves_the_previous_site_intact() {
    let site = photo_site();
    site.build_ok();
    let before = site.snapshot();
    site.write("static/images/harbor.jpg", b"broken upload");
    assert!(site.build().is_err());
    assert_eq!(site.snapshot(), before);
}

#[test]
fn missing_photos_are_one_warning_and_stay_plain_images() {
    let mut files = vec![("site.toml".to_string(), SITE.to_string())];
    for n in 0..30 {
        files.push((
            format!("content/news/us/story-{n}.md"),
            article(
                &format!("Story {n}"),
                "2026-03-02",
                &format!("image:\n  src: /images/gone-{n}.jpg\n  alt: Gone\n"),
                "Text.\n",
            ),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = SiteTest::from_files(&borrowed);
    let report = site.build_ok();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].message.contains("30 images"));
    let page = site.page("news/us/story-3/");
    assert_eq!(
        attrs(&page, ".lead-image img", "src"),
        vec!["/images/gone-3.jpg"]
    );
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("gone-").count(), 30, "{stderr}");
}

#[test]
fn an_original_published_on_request_is_full_size_and_carries_no_metadata() {
    let site = photo_site();
    site.write("site.toml", format!("{SITE}[images]\noriginals = true\n"));
    site.build_ok();
    let original = std::fs::read(site.public().join("images/mayor.jpg")).unwrap();
    assert!(
        !original.windows(6).any(|w| w == b"Exif\0\0"),
        "the original kept its EXIF"
    );
    // Stored 1800 × 1200 sideways: published upright, at full size.
    assert_eq!(dimensions(&site, "/images/mayor.jpg"), (1200, 1800));
}

/// The pixels of a JPEG file, decoded.
fn pixels(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes).unwrap().to_rgb8().into_raw()
}

#[test]
fn photos_copied_as_they_are_lose_their_metadata_but_not_their_pixels() {
    // A photo only raw HTML shows and one in a bundle that nothing shows
    // are copied, not resized; a phone's second picture (appended after
    // the end-of-image marker, with its own EXIF) goes too.
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/raw.md",
            &article(
                "Raw HTML photo",
                "2026-03-02",
                "",
                "<p><img src=\"/images/raw.jpg\" alt=\"Raw\"></p>\n",
            ),
        ),
        (
            "content/news/us/bundle/index.md",
            &article("Bundle", "2026-03-01", "", "[The original](scan.jpg)\n"),
        ),
        (
            "static/images/logo.svg",
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        ),
    ]);
    let camera = camera_jpeg(640, 480, 1);
    let mut two_pictures = camera.clone();
    two_pictures.extend(camera_jpeg(64, 48, 1));
    site.write("static/images/raw.jpg", &two_pictures);
    site.write("content/news/us/bundle/scan.jpg", &camera);
    site.build_ok();
    let secret: Vec<u8> = SECRET_LATITUDE[4].to_be_bytes().to_vec();
    for rel in ["images/raw.jpg", "news/us/bundle/scan.jpg"] {
        let published = std::fs::read(site.public().join(rel)).unwrap();
        assert!(
            !published.windows(6).any(|w| w == b"Exif\0\0"),
            "{rel} carries an EXIF block"
        );
        assert!(
            !published.windows(4).any(|w| w == secret.as_slice()),
            "{rel} carries the latitude"
        );
        assert_eq!(pixels(&published), pixels(&camera), "{rel}: pixels changed");
        assert_eq!(
            published.len(),
            camera.len() - exif_block(1).len() - 4,
            "{rel}"
        );
    }
    assert_eq!(
        std::fs::read(site.public().join("images/logo.svg")).unwrap(),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    );

    let server = common::server::Server::start(&site, &[]);
    let served = server.get("/images/raw.jpg");
    assert_eq!(served.status, 200);
    assert!(!served.body.contains("Exif\0\0"), "serve publishes EXIF");
}

#[test]
fn a_video_poster_is_a_derivative_not_the_camera_file() {
    let site = SiteTest::from_files(&[
        ("site.toml", SITE),
        (
            "content/news/us/surge/index.md",
            &article(
                "The surge",
                "2026-03-02",
                "",
                "{{ video(src=\"surge.mp4\", poster=\"surge.jpg\", title=\"The surge recedes\") }}\n",
            ),
        ),
    ]);
    site.write(
        "content/news/us/surge/surge.jpg",
        camera_jpeg(2000, 1125, 1),
    );
    site.write("content/news/us/surge/surge.mp4", b"not really a video");
    site.build_ok();
    let page = site.page("news/us/surge/");
    let posters = attrs(&page, "video", "poster");
    assert_eq!(posters.len(), 1, "{posters:?}");
    let (w, h) = dimensions(&site, &posters[0]);
    assert_eq!((w, h), (800, 450), "{}", posters[0]);
    assert!(posters[0].contains("/img/"), "{}", posters[0]);
    assert!(!site.public().join("news/us/surge/surge.jpg").exists());
    assert!(site.public().join("news/us/surge/surge.mp4").exists());
}
