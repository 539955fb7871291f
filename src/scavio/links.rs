//! Which links from an answer may be shown: a redirect's host (never the whole location, which may
//! carry a token), and a 402's billing link only on Scavio's own `https` domain.

use reqwest::Url;

use crate::text::clean;

/// The host a redirect points at (relative locations resolve against the request's URL); never the
/// whole location, which may carry a token.
pub(super) fn location_host(url: &Url, location: &str) -> String {
    url.join(location)
        .ok()
        .and_then(|u| u.host_str().map(clean))
        .unwrap_or_else(|| "an unreadable location".into())
}

/// A 402's `billing_url`, only when it is an `https` link on Scavio's own domain or the configured
/// API's (its host, or a sibling under its parent domain): anything else is not shown.
pub(super) fn billing_url(raw: &str, base: &Url) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let under = |api: &str| {
        let domain = match api.split_once('.') {
            Some((_, parent)) if parent.contains('.') => parent,
            _ => api,
        };
        host == api || host == domain || host.ends_with(&format!(".{domain}"))
    };
    let default_host = Url::parse(super::DEFAULT_BASE_URL)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    let ours = base
        .host_str()
        .is_some_and(|h| under(&h.to_ascii_lowercase()))
        || default_host.is_some_and(|h| under(&h));
    (url.scheme() == "https" && ours && url.username().is_empty() && url.password().is_none())
        .then(|| clean(url.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Url;

    #[test]
    fn billing_links_are_shown_only_on_the_apis_own_https_domain() {
        let base = Url::parse("https://gw.example.org/scavio/").unwrap();
        for good in [
            "https://scavio.dev/billing",
            "https://app.scavio.dev/b?x=1",
            "https://billing.example.org/",
        ] {
            assert!(billing_url(good, &base).is_some(), "{good}");
        }
        for bad in [
            "http://scavio.dev/billing",
            "https://scavio.dev.evil.example/billing",
            "https://evilscavio.dev/",
            "https://user:pw@scavio.dev/",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert_eq!(billing_url(bad, &base), None, "{bad}");
        }
    }

    #[test]
    fn a_redirect_names_only_the_host() {
        let url = Url::parse("http://127.0.0.1:9/api/v1/tiktok/profile").unwrap();
        assert_eq!(
            location_host(&url, "https://evil.example/steal?token=abc"),
            "evil.example"
        );
        assert_eq!(location_host(&url, "/elsewhere"), "127.0.0.1");
    }
}
