//! Front-matter dates: `YYYY-MM-DD`, an RFC 3339 date-time, or the
//! space-separated timestamps other generators' exports write.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

const EXPECTED: &str =
    "expected `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS] [+HHMM]` or an RFC 3339 date-time like `2026-11-24T08:30:00-05:00`";

/// Parses a front-matter date; one without an offset is in the site's zone.
pub fn parse_date(text: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Ok(dt);
    }
    // The forms exports write: YAML timestamps with a space before a
    // numeric offset (Jekyll, WordPress: `2025-01-29 18:15:32 +0530`),
    // offsets with or without a colon or a space, and no seconds.
    let zoned = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix(" Z"))
        .or_else(|| text.strip_suffix('Z'))
        .map(|t| format!("{t} +0000"));
    let zoned = zoned.as_deref().unwrap_or(text);
    for format in [
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M%z",
        "%Y-%m-%dT%H:%M %z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(zoned, format) {
            return Ok(dt);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if text.len() == 10 {
            return localize(date.and_time(chrono::NaiveTime::MIN), tz, text);
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return localize(naive, tz, text);
        }
    }
    Err(explain(text))
}

fn localize(naive: NaiveDateTime, tz: Tz, text: &str) -> Result<DateTime<FixedOffset>, String> {
    // `earliest` picks the first of the two instants when clocks fall back; a
    // time skipped when clocks spring forward has no instant at all.
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|dt| dt.fixed_offset())
        .ok_or_else(|| format!("`{text}` does not exist in {tz} (the clocks skip it)"))
}

/// Says why a date-looking string is not a date (2019-02-30).
fn explain(text: &str) -> String {
    let numbers: Vec<u32> = text
        .get(..10)
        .unwrap_or("")
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    if let [year, month, day] = numbers[..] {
        if !(1..=12).contains(&month) {
            return format!("`{text}` is not a real date: there is no month {month}; {EXPECTED}");
        }
        if NaiveDate::from_ymd_opt(year as i32, month, day).is_none() {
            return format!("`{text}` is not a real date: day {day} does not exist in {year}-{month:02}; {EXPECTED}");
        }
    }
    format!("invalid date `{text}`: {EXPECTED}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_date_is_midnight_in_the_site_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let d = parse_date("2026-01-15", tz).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-01-15T00:00:00-05:00");
        let d = parse_date("2026-07-15 09:30", tz).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-07-15T09:30:00-04:00");
    }

    #[test]
    fn rfc3339_keeps_its_offset() {
        let d = parse_date("2026-11-24T08:30:00+09:00", Tz::UTC).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-24T08:30:00+09:00");
        assert!(parse_date("2026-11-24T08:30:00Z", Tz::UTC).is_ok());
    }

    #[test]
    fn export_timestamps_with_spaces_and_numeric_offsets() {
        for (text, want) in [
            ("2025-01-29 18:15:32 +0530", "2025-01-29T18:15:32+05:30"),
            ("2025-01-29 18:15:32 +05:30", "2025-01-29T18:15:32+05:30"),
            ("2025-01-29 18:15:32+0530", "2025-01-29T18:15:32+05:30"),
            ("2025-01-29T18:15:32 -0800", "2025-01-29T18:15:32-08:00"),
            ("2025-01-29 18:15 +0530", "2025-01-29T18:15:00+05:30"),
            ("2025-01-29T18:15+05:30", "2025-01-29T18:15:00+05:30"),
            (
                "2025-01-29 18:15:32.25 +0000",
                "2025-01-29T18:15:32.250+00:00",
            ),
            ("2025-01-29 18:15:32 UTC", "2025-01-29T18:15:32+00:00"),
            ("2025-01-29 18:15:32Z", "2025-01-29T18:15:32+00:00"),
        ] {
            let d = parse_date(text, Tz::UTC).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.to_rfc3339(), want, "{text}");
        }
        assert!(parse_date("2025-01-29 18:15:32 +9999", Tz::UTC).is_err());
    }

    #[test]
    fn impossible_dates_say_why() {
        let e = parse_date("2019-02-30", Tz::UTC).unwrap_err();
        assert!(e.contains("day 30 does not exist"), "{e}");
        let e = parse_date("2019-13-01", Tz::UTC).unwrap_err();
        assert!(e.contains("no month 13"), "{e}");
        let e = parse_date("last tuesday", Tz::UTC).unwrap_err();
        assert!(e.contains("expected `YYYY-MM-DD`"), "{e}");
    }

    #[test]
    fn skipped_local_times_are_errors() {
        let tz: Tz = "America/New_York".parse().unwrap();
        assert!(parse_date("2026-03-08T02:30", tz).is_err());
    }
}
