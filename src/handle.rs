//! The TikTok handle newtype: validated once at parse time, safe to use as a folder name.

use std::fmt;
use std::str::FromStr;

/// A TikTok username without `@`, lowercased: 2–24 of `a-z`, `0-9`, `_`, `.`, not ending in `.`.
///
/// It becomes a folder under the reports dir, so the rules also keep it from escaping that dir
/// (`..` ends in a dot; `/` is never allowed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle(String);

impl Handle {
    /// The handle as a string, without `@`.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Handle {
    type Err = String;

    /// Accepts `name`, `@name` and profile links such as `https://www.tiktok.com/@name?lang=en`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let trimmed = input.trim();
        let name = match profile_link_name(trimmed) {
            Some(name) => name,
            None => trimmed.strip_prefix('@').unwrap_or(trimmed),
        };
        let len = name.chars().count();
        if !(2..=24).contains(&len) {
            return Err(format!(
                "invalid TikTok handle {input:?}: it must be 2 to 24 characters"
            ));
        }
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        {
            return Err(format!(
                "invalid TikTok handle {input:?}: {bad:?} is not allowed (letters, digits, '_' and '.' only)"
            ));
        }
        if name.ends_with('.') {
            return Err(format!(
                "invalid TikTok handle {input:?}: it cannot end with '.'"
            ));
        }
        Ok(Handle(name.to_ascii_lowercase()))
    }
}

/// The `name` of a `tiktok.com/@name` link (with or without scheme and `www.`/`m.`), else `None`.
fn profile_link_name(input: &str) -> Option<&str> {
    let rest = input
        .strip_prefix("https://")
        .or_else(|| input.strip_prefix("http://"))
        .unwrap_or(input);
    let rest = rest
        .strip_prefix("www.")
        .or_else(|| rest.strip_prefix("m."))
        .unwrap_or(rest);
    let path = rest.strip_prefix("tiktok.com/@")?;
    let end = path.find(['/', '?', '#']).unwrap_or(path.len());
    Some(&path[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, String> {
        s.parse::<Handle>().map(|h| h.0)
    }

    #[test]
    fn accepts_name_at_name_and_profile_links() {
        for input in [
            "examplecreator",
            "@examplecreator",
            "ExampleCreator",
            "https://www.tiktok.com/@examplecreator",
            "https://www.tiktok.com/@examplecreator/",
            "https://www.tiktok.com/@examplecreator?lang=en",
            "tiktok.com/@examplecreator",
            "http://m.tiktok.com/@examplecreator/video/123",
        ] {
            assert_eq!(parse(input).as_deref(), Ok("examplecreator"), "{input}");
        }
        assert_eq!(parse("a.b_c9").as_deref(), Ok("a.b_c9"));
    }

    #[test]
    fn rejects_what_could_escape_the_reports_dir_or_is_not_a_handle() {
        for input in [
            "",
            "a",
            "@",
            "..",
            "../x",
            "a/b",
            "name.",
            "has space",
            "naïve",
            "abcdefghijklmnopqrstuvwxy",
            "https://www.tiktok.com/@",
            "https://example.com/@name",
        ] {
            assert!(parse(input).is_err(), "{input:?} should be rejected");
        }
        assert_eq!(parse("abcdefghijklmnopqrstuvwx").map(|h| h.len()), Ok(24));
    }
}
