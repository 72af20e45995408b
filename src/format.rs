//! Dates in the site's format and timezone, and panel URLs.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::Deserialize;

/// Month and weekday names in the site language (WordPress's `$wp_locale`).
#[derive(Debug, Clone, Deserialize)]
pub struct LocaleWords {
    #[serde(default = "english_months")]
    pub months: Vec<String>,
    #[serde(default = "english_months_short")]
    pub months_short: Vec<String>,
    #[serde(default = "english_weekdays")]
    pub weekdays: Vec<String>,
    #[serde(default = "english_weekdays_short")]
    pub weekdays_short: Vec<String>,
    #[serde(default = "am")]
    pub am: String,
    #[serde(default = "pm")]
    pub pm: String,
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}
fn english_months() -> Vec<String> {
    words("January February March April May June July August September October November December")
}
fn english_months_short() -> Vec<String> {
    words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
}
fn english_weekdays() -> Vec<String> {
    words("Sunday Monday Tuesday Wednesday Thursday Friday Saturday")
}
fn english_weekdays_short() -> Vec<String> {
    words("Sun Mon Tue Wed Thu Fri Sat")
}
fn am() -> String {
    "am".into()
}
fn pm() -> String {
    "pm".into()
}

impl Default for LocaleWords {
    fn default() -> Self {
        LocaleWords {
            months: english_months(),
            months_short: english_months_short(),
            weekdays: english_weekdays(),
            weekdays_short: english_weekdays_short(),
            am: am(),
            pm: pm(),
        }
    }
}

impl LocaleWords {
    fn pick(list: &[String], i: usize) -> &str {
        list.get(i).map(String::as_str).unwrap_or("")
    }
}

/// How the site shows dates: WordPress's `date_format`/`time_format` (PHP
/// `date()` syntax) and its current offset from UTC.
#[derive(Debug, Clone)]
pub struct DateStyle {
    pub date_format: String,
    pub time_format: String,
    pub utc_offset_seconds: i64,
    pub words: LocaleWords,
}

impl Default for DateStyle {
    fn default() -> Self {
        DateStyle { date_format: "F j, Y".into(), time_format: "g:i a".into(), utc_offset_seconds: 0, words: LocaleWords::default() }
    }
}

impl DateStyle {
    pub fn date(&self, d: NaiveDate) -> String {
        php_date(&self.date_format, d.and_hms_opt(0, 0, 0).expect("midnight"), &self.words)
    }

    /// A UTC timestamp from the database, shown in site time.
    pub fn datetime(&self, utc: NaiveDateTime) -> String {
        let local = utc + Duration::seconds(self.utc_offset_seconds);
        format!("{} {}", php_date(&self.date_format, local, &self.words), php_date(&self.time_format, local, &self.words))
    }

    pub fn local_date(&self, utc: NaiveDateTime) -> String {
        php_date(&self.date_format, utc + Duration::seconds(self.utc_offset_seconds), &self.words)
    }
}

/// The subset of PHP's `date()` letters WordPress sites use; other letters
/// are printed as they are, `\x` escapes a letter.
pub fn php_date(format: &str, t: NaiveDateTime, w: &LocaleWords) -> String {
    let mut out = String::with_capacity(format.len() * 2);
    let mut chars = format.chars();
    let hour12 = |h: u32| if h % 12 == 0 { 12 } else { h % 12 };
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            'd' => out.push_str(&format!("{:02}", t.day())),
            'j' => out.push_str(&t.day().to_string()),
            'S' => out.push_str(match t.day() {
                1 | 21 | 31 => "st",
                2 | 22 => "nd",
                3 | 23 => "rd",
                _ => "th",
            }),
            'D' => out.push_str(LocaleWords::pick(&w.weekdays_short, t.weekday().num_days_from_sunday() as usize)),
            'l' => out.push_str(LocaleWords::pick(&w.weekdays, t.weekday().num_days_from_sunday() as usize)),
            'N' => out.push_str(&t.weekday().number_from_monday().to_string()),
            'w' => out.push_str(&t.weekday().num_days_from_sunday().to_string()),
            'F' => out.push_str(LocaleWords::pick(&w.months, t.month0() as usize)),
            'M' => out.push_str(LocaleWords::pick(&w.months_short, t.month0() as usize)),
            'm' => out.push_str(&format!("{:02}", t.month())),
            'n' => out.push_str(&t.month().to_string()),
            'Y' => out.push_str(&t.year().to_string()),
            'y' => out.push_str(&format!("{:02}", t.year() % 100)),
            'a' => out.push_str(if t.hour() < 12 { &w.am } else { &w.pm }),
            'A' => out.push_str(&if t.hour() < 12 { &w.am } else { &w.pm }.to_uppercase()),
            'g' => out.push_str(&hour12(t.hour()).to_string()),
            'h' => out.push_str(&format!("{:02}", hour12(t.hour()))),
            'G' => out.push_str(&t.hour().to_string()),
            'H' => out.push_str(&format!("{:02}", t.hour())),
            'i' => out.push_str(&format!("{:02}", t.minute())),
            's' => out.push_str(&format!("{:02}", t.second())),
            other => out.push(other),
        }
    }
    out
}

/// Percent-encode a query component (RFC 3986 unreserved characters stay).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The panel page's URL split into its path and the query parameters it
/// already carries (`?page_id=7` with plain permalinks), so links and GET
/// forms can keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    pub path: String,
    pub params: Vec<(String, String)>,
}

impl BaseUrl {
    pub fn parse(url: &str) -> BaseUrl {
        let url = url.split('#').next().unwrap_or_default();
        match url.split_once('?') {
            None => BaseUrl { path: url.to_string(), params: Vec::new() },
            Some((path, query)) => BaseUrl {
                path: path.to_string(),
                params: query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        (decode_component(k), decode_component(v))
                    })
                    .filter(|(k, _)| !k.starts_with("pqm_"))
                    .collect(),
            },
        }
    }

    /// This page with `extra` parameters (empty values are left out).
    pub fn with(&self, extra: &[(&str, String)]) -> String {
        let mut url = self.path.clone();
        let all = self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain(extra.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, v.as_str())));
        for (i, (k, v)) in all.enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_component(k));
            url.push('=');
            url.push_str(&encode_component(v));
        }
        url
    }
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn wordpress_default_formats() {
        let s = DateStyle::default();
        assert_eq!(s.date(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()), "December 5, 2026");
        assert_eq!(s.datetime(dt("2026-12-05 14:02:00")), "December 5, 2026 2:02 pm");
    }

    #[test]
    fn offset_moves_into_site_time_across_midnight() {
        let s = DateStyle { date_format: "Y-m-d".into(), time_format: "H:i".into(), utc_offset_seconds: 3600, ..Default::default() };
        assert_eq!(s.datetime(dt("2026-12-31 23:30:00")), "2027-01-01 00:30");
        assert_eq!(s.local_date(dt("2026-12-31 23:30:00")), "2027-01-01");
    }

    #[test]
    fn php_letters_and_escapes() {
        let w = LocaleWords::default();
        let t = dt("2026-03-01 00:05:09");
        assert_eq!(php_date("D, d M y \\a\\t h:i:s A jS N w G", t, &w), "Sun, 01 Mar 26 at 12:05:09 AM 1st 7 0 0");
        assert_eq!(php_date("l j. F", dt("2026-12-22 13:00:00"), &w), "Tuesday 22. December");
    }

    #[test]
    fn translated_month_names_are_used() {
        let mut w = LocaleWords::default();
        w.months[11] = "Dezember".into();
        assert_eq!(php_date("j. F Y", dt("2026-12-24 00:00:00"), &w), "24. Dezember 2026");
    }

    #[test]
    fn urls_keep_existing_params_and_encode() {
        let b = BaseUrl::parse("http://shop.test/?page_id=7&pqm_order=OLD#top");
        assert_eq!(b.params, vec![("page_id".to_string(), "7".to_string())]);
        assert_eq!(b.with(&[("pqm_order", "PQ 1/2&x".into()), ("pqm_view", String::new())]), "http://shop.test/?page_id=7&pqm_order=PQ%201%2F2%26x");
        let pretty = BaseUrl::parse("http://shop.test/client-panel/");
        assert_eq!(pretty.with(&[]), "http://shop.test/client-panel/");
        assert_eq!(pretty.with(&[("pqm_page", "2".into())]), "http://shop.test/client-panel/?pqm_page=2");
    }

    #[test]
    fn decoding_tolerates_bad_escapes() {
        assert_eq!(decode_component("a%20b+c%zz%4"), "a b c%zz%4");
    }
}
