//! How to reach the API: the key and the base URL from the environment, checked so that neither
//! fails later nor leaks: a key with a control character is refused, and so is `user:pass@`, a
//! query or a fragment in `SCAVIO_BASE_URL`, without showing the secret.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use super::env::{Env, Var};
use crate::error::{Failure, Kind};
use crate::retry::RetryPolicy;
use crate::scavio::{ApiConfig, ApiKey, DEFAULT_BASE_URL};
use crate::text;

/// The key (`SCAVIO_API_KEY`, required) and the base URL (`SCAVIO_BASE_URL`, else the default).
pub(super) fn api(env: &Env, timeout: Duration) -> Result<ApiConfig, Failure> {
    let key = env.get(Var::ScavioApiKey).ok_or_else(|| {
            Failure::new(
                Kind::Config,
                "SCAVIO_API_KEY is not set: export it, or put it in .env or the --env-file (see .env.example)",
            )
        })?;
    if key.chars().any(char::is_control) {
        return Err(Failure::new(
            Kind::Config,
            "SCAVIO_API_KEY contains a control character (such as a carriage return or tab inside it); \
             copy the key again from the Scavio dashboard",
        ));
    }
    if key.contains(char::REPLACEMENT_CHARACTER) {
        return Err(Failure::new(
            Kind::Config,
            "SCAVIO_API_KEY holds bytes that are not UTF-8 text; copy the key again from the \
             Scavio dashboard",
        ));
    }
    let key = ApiKey::new(key);
    let base_url = base_url(env.get(Var::ScavioBaseUrl), &key)?;
    Ok(ApiConfig {
        base_url,
        key,
        timeout,
        retry: RetryPolicy::default(),
        clock: chrono::Utc::now,
    })
}

/// `SCAVIO_BASE_URL` (or the default) as the base every API path is joined onto: http(s), no
/// `user:pass@`, no query or fragment, a path ending in `/` so that a prefix such as
/// `https://gw.example/scavio/` is kept. A refused value is shown without its user info.
fn base_url(raw: Option<&str>, key: &ApiKey) -> Result<Url, Failure> {
    let raw = raw.unwrap_or(DEFAULT_BASE_URL).to_string();
    let refuse = |why: String| Failure::new(Kind::Config, format!("SCAVIO_BASE_URL {why}"));
    let Some(mut url) = Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    else {
        // An unparsed value may hold a password anywhere before its `@`: then show none of it.
        return Err(refuse(if raw.contains('@') {
            "is not an http(s) URL (not shown: it contains '@' and may hold a password)".into()
        } else {
            format!("{:?} is not an http(s) URL", key.redact(&text::clean(&raw)))
        }));
    };
    let has_userinfo = !url.username().is_empty() || url.password().is_some();
    // Setting these cannot fail on an http(s) URL, which always has a host.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if has_userinfo {
        return Err(refuse(format!(
            "{} holds a user name or password (`user:pass@`); remove it: the API key is the only credential sent",
            key.redact(url.as_str())
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        // Not shown: a query is where gateways put their tokens.
        url.set_query(None);
        url.set_fragment(None);
        return Err(refuse(format!(
            "{} has a query string or fragment (`?…` or `#…`, not shown), which every request would drop; remove it",
            key.redact(url.as_str())
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// The warning for a plain-http base URL whose host is not this machine (`localhost`, 127.0.0.0/8
/// or `::1`): the key would cross the network in clear text.
pub(crate) fn clear_text_warning(url: &Url) -> Option<String> {
    plain_http_host(url).map(|host| {
        format!(
            "SCAVIO_BASE_URL is plain http to {host}: the API key travels in clear text; use https"
        )
    })
}

/// The host of a plain-http `url` that is not this machine (`localhost`, 127.0.0.0/8 or `::1`).
pub(super) fn plain_http_host(url: &Url) -> Option<&str> {
    let host = url.host_str()?;
    let loopback = match host.trim_start_matches('[').trim_end_matches(']').parse() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback())
        }
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    };
    (url.scheme() == "http" && !loopback).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `api` with the key and `extra` variables (which may replace the key).
    fn api_with(extra: &[(Var, &str)]) -> Result<ApiConfig, Failure> {
        let env: Env = std::iter::once((Var::ScavioApiKey, "sk_live_secret"))
            .chain(extra.iter().copied())
            .map(|(var, value)| (var, value.to_string()))
            .collect();
        api(&env, Duration::from_secs(30))
    }

    fn failure(result: Result<ApiConfig, Failure>) -> (Kind, String) {
        let failure = result.unwrap_err();
        (failure.kind, failure.to_string())
    }

    #[test]
    fn a_key_with_a_control_character_is_configuration_and_never_shown() {
        for key in [
            "sk_live_se\rcret",
            "sk_live_se\u{1}cret",
            "sk\tlive",
            "sk_\u{7f}x",
        ] {
            let (kind, line) = failure(api_with(&[(Var::ScavioApiKey, key)]));
            assert_eq!(kind, Kind::Config, "{key:?}");
            assert!(
                line.starts_with("SCAVIO_API_KEY contains a control character"),
                "{line}"
            );
            assert!(!line.contains("se") && !line.contains("live"), "{line}");
        }
        let trimmed = api_with(&[(Var::ScavioApiKey, " sk_live_x\r\n")]);
        assert_eq!(trimmed.unwrap().key.expose(), "sk_live_x");
    }

    #[test]
    fn a_base_url_keeps_its_path_prefix_and_ends_with_a_slash() {
        for (raw, base) in [
            ("https://gw.example/scavio", "https://gw.example/scavio/"),
            ("https://gw.example/scavio/", "https://gw.example/scavio/"),
            (" http://127.0.0.1:8080 ", "http://127.0.0.1:8080/"),
            ("", "https://api.scavio.dev/"),
        ] {
            let c = api_with(&[(Var::ScavioBaseUrl, raw)]).unwrap();
            assert_eq!(c.base_url.as_str(), base, "{raw}");
        }
        let c = api_with(&[(Var::ScavioBaseUrl, "https://gw.example/scavio")]).unwrap();
        let joined = c.base_url.join("api/v1/tiktok/profile").unwrap();
        assert_eq!(
            joined.as_str(),
            "https://gw.example/scavio/api/v1/tiktok/profile"
        );
    }

    #[test]
    fn a_base_url_with_credentials_a_query_or_another_scheme_is_refused_without_the_password() {
        let refused = |raw: &str| {
            let (kind, line) = failure(api_with(&[(Var::ScavioBaseUrl, raw)]));
            assert_eq!(kind, Kind::Config, "{raw}");
            assert!(!line.contains("hunter2"), "{line}");
            line
        };
        assert_eq!(
            refused("https://me:hunter2@gw.example/scavio"),
            "SCAVIO_BASE_URL https://gw.example/scavio holds a user name or password (`user:pass@`); \
             remove it: the API key is the only credential sent"
        );
        assert!(refused("https://me@gw.example").contains("https://gw.example/ holds a user name"));
        assert!(refused("https://:hunter2@gw.example").contains("holds a user name or password"));
        assert_eq!(
            refused("ftp://x"),
            "SCAVIO_BASE_URL \"ftp://x\" is not an http(s) URL"
        );
        assert_eq!(
            refused("me:hunter2@gw example"),
            "SCAVIO_BASE_URL is not an http(s) URL (not shown: it contains '@' and may hold a password)"
        );
        let line = refused("https://gw.example/v1?token=hunter2#x");
        assert_eq!(
            line,
            "SCAVIO_BASE_URL https://gw.example/v1 has a query string or fragment (`?…` or `#…`, \
             not shown), which every request would drop; remove it"
        );
        assert!(refused("https://gw.example/#hunter2").contains("https://gw.example/ has a query"));
    }

    #[test]
    fn plain_http_warns_only_off_this_machine() {
        let warning = |raw: &str| clear_text_warning(&Url::parse(raw).unwrap());
        for quiet in [
            "http://127.0.0.1:9/",
            "http://127.3.4.5/",
            "http://localhost:8080/",
            "http://LOCALHOST/",
            "http://[::1]:80/",
            "https://api.example/",
        ] {
            assert_eq!(warning(quiet), None, "{quiet}");
        }
        assert_eq!(
            warning("http://gw.example/scavio/").as_deref(),
            Some(
                "SCAVIO_BASE_URL is plain http to gw.example: the API key travels in clear text; use https"
            )
        );
        assert!(warning("http://10.0.0.1/").is_some() && warning("http://[::2]/").is_some());
    }
}
