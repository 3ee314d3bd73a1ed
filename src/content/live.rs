//! Live blogs: an article with `kind: live` whose body opens with a
//! summary and goes on in updates, each a level-2 heading that begins with
//! its time — `## 14:32 Power restored to Lowtown` (on the article's date,
//! in the site's time zone) or `## 2026-11-25 08:10 Ferries resume`.
//! Updates may be written in any order; the page shows them newest first.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// One update of a live blog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub time: DateTime<FixedOffset>,
    /// The heading after its time.
    pub title: String,
    /// The update's anchor on the page (`update-2026-11-25-1432`).
    pub anchor: String,
    /// Which of the body's top-level `##` headings opens it (0-based).
    pub heading: usize,
}

/// A live blog's coverage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// When the coverage ends; until then the page reads as live.
    pub until: Option<DateTime<FixedOffset>>,
    /// The updates, newest first (ties in the order written).
    pub updates: Vec<Update>,
    /// How many top-level `##` headings the body has, updates or not.
    pub headings: usize,
}

impl Live {
    /// Whether the coverage still runs at `now`.
    pub fn active(&self, now: DateTime<FixedOffset>) -> bool {
        self.until.is_none_or(|until| now < until)
    }

    /// The time of the latest update.
    pub fn latest(&self) -> Option<DateTime<FixedOffset>> {
        self.updates.iter().map(|u| u.time).max()
    }
}

/// A problem in a live blog's body: (body line, message).
pub type LiveError = (usize, String);

/// The updates of a live blog's `body`, dated on `date` in `tz` unless
/// they give their day, and how many top-level `##` headings it has.
pub fn updates(
    body: &str,
    date: DateTime<FixedOffset>,
    tz: Tz,
) -> Result<(Vec<Update>, usize), Vec<LiveError>> {
    let mut updates = Vec::new();
    let mut errors = Vec::new();
    let mut depth = 0usize;
    let mut heading: Option<(usize, String)> = None;
    let mut index = 0;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) if depth == 0 => heading = Some((range.start, String::new())),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) if heading.is_some() => {
                if let Some((at, text)) = heading.take() {
                    let line = crate::text::line_col(body, at).0;
                    match parse_heading(&text, date, tz) {
                        Ok(Some((time, title))) => updates.push(Update {
                            time,
                            title,
                            anchor: String::new(),
                            heading: index,
                        }),
                        Ok(None) => {}
                        Err(message) => errors.push((line, message)),
                    }
                }
                index += 1;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Newest first; a stable sort keeps same-minute updates as written.
    updates.sort_by_key(|u| std::cmp::Reverse(u.time));
    let mut used: Vec<String> = Vec::new();
    for u in &mut updates {
        let base = format!(
            "update-{}",
            u.time.with_timezone(&tz).format("%Y-%m-%d-%H%M")
        );
        let mut anchor = base.clone();
        let mut n = 2;
        while used.contains(&anchor) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        used.push(anchor.clone());
        u.anchor = anchor;
    }
    Ok((updates, index))
}

/// `14:32 Title` or `2026-11-25 08:10 Title`: the time and the title; a
/// heading that does not start with a digit is no update (`Ok(None)`).
fn parse_heading(
    text: &str,
    date: DateTime<FixedOffset>,
    tz: Tz,
) -> Result<Option<(DateTime<FixedOffset>, String)>, String> {
    let text = text.trim();
    if !text.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(None);
    }
    let mut words = text.splitn(2, char::is_whitespace);
    let first = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("").trim();
    let (day, clock, title) = if first.contains('-') {
        let mut more = rest.splitn(2, char::is_whitespace);
        let clock = more.next().unwrap_or("");
        let title = more.next().unwrap_or("").trim();
        let day = NaiveDate::parse_from_str(first, "%Y-%m-%d")
            .map_err(|_| format!("live update `{text}`: `{first}` is not a date (YYYY-MM-DD)"))?;
        (day, clock, title)
    } else {
        (date.with_timezone(&tz).date_naive(), first, rest)
    };
    let time = NaiveTime::parse_from_str(clock, "%H:%M").map_err(|_| {
        format!("live update `{text}`: `{clock}` is not a time of day (HH:MM, 00:00 to 23:59)")
    })?;
    let local = tz
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .ok_or_else(|| {
            format!("live update `{text}`: {day} {clock} does not exist in the site's time zone")
        })?;
    let title = title.trim_start_matches(['-', '–', '—', ':', '|']).trim();
    if title.is_empty() {
        return Err(format!("live update `{text}` has a time but no headline"));
    }
    Ok(Some((local.fixed_offset(), title.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-24T06:00:00-05:00").unwrap()
    }

    #[test]
    fn updates_are_dated_and_sorted_newest_first() {
        let body = "Summary.\n\n## Background\n\nText.\n\n## 09:15 Winds pick up\n\nA.\n\n## 2026-11-25 08:10 Ferries resume\n\nB.\n\n## 14:32 – Power restored\n\nC.\n";
        let tz: Tz = "America/New_York".parse().unwrap();
        let (ups, headings) = updates(body, date(), tz).unwrap();
        assert_eq!(headings, 4);
        let seen: Vec<_> = ups
            .iter()
            .map(|u| {
                (
                    u.time.to_rfc3339(),
                    u.title.as_str(),
                    u.heading,
                    u.anchor.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "2026-11-25T08:10:00-05:00".into(),
                    "Ferries resume",
                    2,
                    "update-2026-11-25-0810"
                ),
                (
                    "2026-11-24T14:32:00-05:00".into(),
                    "Power restored",
                    3,
                    "update-2026-11-24-1432"
                ),
                (
                    "2026-11-24T09:15:00-05:00".into(),
                    "Winds pick up",
                    1,
                    "update-2026-11-24-0915"
                ),
            ]
        );
    }

    #[test]
    fn an_impossible_time_is_an_error_with_its_line() {
        let body = "Summary.\n\n## 25:99 Nothing\n\nx\n\n## 2026-02-30 10:00 No day\n";
        let errors = updates(body, date(), Tz::UTC).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].0, 3);
        assert!(errors[0].1.contains("`25:99` is not a time"), "{errors:?}");
        assert_eq!(errors[1].0, 7);
    }
}
