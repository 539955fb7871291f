//! Where the reports folder is served (`TIKTOK_REVIEW_REPORT_URL`: a bucket, a static site), so
//! that a chat message can link each account to its HTML report:
//! `<base>/<handle>/report_<date>.html`.
//!
//! Validated once, when the configuration is read: an http(s) URL with a host, no user name or
//! password (the link is posted where everyone in the channel reads it), no query or fragment (a
//! path is appended). Its path is kept, every character but letters, digits and `-._~` percent-
//! encoded, so that a link survives Slack's `<…|…>`, Markdown's `[…](…)` and HTML unchanged. Pure.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::Url;

use crate::handle::Handle;
use crate::store::report_file_name;

/// What a path segment of a link keeps as it is: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The longest base URL taken: a link must stay well within a chat message's limits.
pub(crate) const MAX_LEN: usize = 1000;

/// The base URL of the served reports folder, normalised: `https://host[:port][/path]`, without
/// a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReportUrl(String);

impl ReportUrl {
    /// The link of `handle`'s HTML report of `date`: `<base>/<handle>/report_<date>.html`.
    pub(crate) fn link(&self, handle: &Handle, date: NaiveDate) -> String {
        format!(
            "{}/{}/{}",
            self.0,
            utf8_percent_encode(handle.as_str(), SEGMENT),
            utf8_percent_encode(&report_file_name(date, "html"), SEGMENT)
        )
    }
}

impl fmt::Display for ReportUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ReportUrl {
    type Err = String;

    /// Accepts an http(s) URL with a host and no credentials, query or fragment, of at most
    /// 1,000 characters; why not, in words that never show a password.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        if value.chars().any(char::is_control) {
            return Err("contains a control character (such as a line break inside it)".into());
        }
        if value.chars().count() > MAX_LEN {
            return Err(format!("is longer than {MAX_LEN} characters"));
        }
        let url = Url::parse(value)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some())
            .ok_or("is not an http(s) URL, such as https://reports.example.com/tiktok")?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err("holds a user name or password (not shown): the link is posted for everyone in the channel to read; serve the reports without one".into());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(
                "has a ?query or #fragment: give the folder's address, to which <handle>/report_<date>.html is appended"
                    .into(),
            );
        }
        let mut base = url.origin().ascii_serialization();
        let mut segments: Vec<&str> = url.path_segments().into_iter().flatten().collect();
        if segments.last() == Some(&"") {
            segments.pop();
        }
        for segment in segments {
            let decoded = percent_decode_str(segment).collect::<Vec<u8>>();
            let text = String::from_utf8_lossy(&decoded);
            base.push('/');
            base.extend(utf8_percent_encode(&text, SEGMENT));
        }
        Ok(Self(base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn link(base: &str, handle: &str) -> String {
        let url: ReportUrl = base.parse().unwrap();
        url.link(&handle.parse().unwrap(), date())
    }

    #[test]
    fn the_link_is_the_base_the_handle_and_the_html_file() {
        for base in [
            "https://reports.example.com/tiktok",
            "https://reports.example.com/tiktok/",
            "  https://REPORTS.example.com:443/tiktok/./",
        ] {
            assert_eq!(
                link(base.trim(), "crumbandcrust"),
                "https://reports.example.com/tiktok/crumbandcrust/report_2026-11-22.html",
                "{base}"
            );
        }
        assert_eq!(
            link("http://127.0.0.1:8080", "a.b_c"),
            "http://127.0.0.1:8080/a.b_c/report_2026-11-22.html"
        );
        assert_eq!(
            link("https://bucket.example/", "ab"),
            "https://bucket.example/ab/report_2026-11-22.html"
        );
    }

    #[test]
    fn the_path_is_percent_encoded_once_so_no_markup_can_break_on_it() {
        // A space, a non-ASCII letter, characters that end a Slack or Markdown link, and one
        // already encoded (kept, never encoded twice).
        assert_eq!(
            link("https://bücher.example/my reports/ü|x)(y]/a%20b/", "ab"),
            "https://xn--bcher-kva.example/my%20reports/%C3%BC%7Cx%29%28y%5D/a%20b/ab/report_2026-11-22.html"
        );
        let url = link("https://x.example/a>b<c\"d'e*f", "ab");
        assert!(
            url.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%:".contains(&b)),
            "{url}"
        );
    }

    #[test]
    fn what_is_not_a_served_folder_is_refused_and_a_password_never_shown() {
        for (value, why) in [
            ("reports.example.com/tiktok", "is not an http(s) URL"),
            ("ftp://reports.example.com", "is not an http(s) URL"),
            ("file:///srv/reports", "is not an http(s) URL"),
            ("https://x.example/a?sig=1", "has a ?query or #fragment"),
            ("https://x.example/a#top", "has a ?query or #fragment"),
            ("https://x.example/a\nb", "control character"),
            (
                "https://me:hunter2@x.example/a",
                "holds a user name or password",
            ),
        ] {
            let err = value.parse::<ReportUrl>().unwrap_err();
            assert!(err.contains(why), "{value}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let long = format!("https://x.example/{}", "a".repeat(MAX_LEN));
        assert!(
            long.parse::<ReportUrl>()
                .unwrap_err()
                .contains("longer than 1000")
        );
    }
}
