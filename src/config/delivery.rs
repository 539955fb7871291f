//! Where the review is delivered: each channel of [`CHANNELS`] reads its settings (a webhook URL,
//! the mail settings) from the environment layered over the env file, checked once so that a run
//! fails before it spends a credit rather than after; the secrets to redact are the variables the
//! channels mark secret. The URLs are secrets: a refused value is named by its variable only,
//! never shown.

use std::time::Duration;

use reqwest::Url;

use super::api::plain_http_host;
use super::env::{Env, Var};
use crate::deliver::{CHANNELS, Channels, NOT_UTF8, ReportUrl, Secret, Target, refuse};
use crate::error::Failure;

/// The channels `env` configures, in [`CHANNELS`]' order; none when it sets no delivery variable.
/// A value that is not a URL of the right kind, or mail settings that are incomplete, are refused
/// (78).
pub(super) fn channels(env: &Env, timeout: Duration) -> Result<Channels, Failure> {
    let mut targets = Vec::new();
    for &channel in CHANNELS {
        if let Some(target) = channel.configure(env)? {
            targets.push((channel, target));
        }
    }
    Ok(Channels {
        targets,
        report_url: report_url(env)?,
        ..Channels::none(timeout, chrono::Utc::now)
    })
}

/// Every spelling of every secret `env` holds (the key, the channels' URLs and their tokens), set
/// or not valid, for the log's redaction.
pub(crate) fn secrets(env: &Env) -> Vec<String> {
    (Var::all().into_iter())
        .filter(|var| var.is_secret())
        .filter_map(|var| Some((var, env.get(var)?)))
        .flat_map(|(var, value)| match var {
            Var::ScavioApiKey => crate::scavio::ApiKey::new(value).hidden_forms().to_vec(),
            _ => Secret::new(value).hidden_forms(),
        })
        .collect()
}

/// The warnings for webhooks reached over plain http off this machine: their tokens (and the
/// reports) travel in clear text.
pub(crate) fn clear_text_warnings(channels: &Channels) -> Vec<String> {
    (channels.targets.iter())
        .filter_map(|(channel, target)| {
            let Target::Url(url) = target else {
                return None;
            };
            let url = Url::parse(url.expose()).ok()?;
            let host = plain_http_host(&url)?;
            Some(format!(
                "{} is plain http to {host}: its token travels in clear text; use https",
                channel.variable()
            ))
        })
        .collect()
}

/// Where the reports folder is served, when `TIKTOK_REVIEW_REPORT_URL` is set; a value that is not
/// an http(s) URL of a folder is refused (78).
fn report_url(env: &Env) -> Result<Option<ReportUrl>, Failure> {
    let var = Var::ReportUrl;
    let Some(value) = env.get(var) else {
        return Ok(None);
    };
    if value.contains(char::REPLACEMENT_CHARACTER) {
        return Err(refuse(var.name(), NOT_UTF8));
    }
    value
        .parse()
        .map(Some)
        .map_err(|why: String| refuse(var.name(), &why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deliver::channel_named;
    use crate::error::Kind;

    fn env(pairs: &[(Var, &str)]) -> Env {
        pairs.iter().map(|(var, v)| (*var, v.to_string())).collect()
    }

    fn resolve(pairs: &[(Var, &str)]) -> Result<Channels, Failure> {
        channels(&env(pairs), Duration::from_secs(30))
    }

    /// The `i`th variable of the channel `send --channel` calls `channel`.
    fn var(channel: &str, i: usize) -> Var {
        Var::Channel(&channel_named(channel).unwrap().vars()[i])
    }

    #[test]
    fn each_channel_comes_from_its_variable_and_none_from_none() {
        assert!(resolve(&[]).unwrap().is_empty());
        let c = resolve(&[
            (var("slack", 0), "https://hooks.example/services/T/B/xyz"),
            (var("teams", 0), " https://x.example/workflows/1?sig=abc "),
            (var("mail", 0), "smtps://me:pw@mail.example:465"),
            (var("mail", 1), "Reviews <reviews@example.com>"),
            (var("mail", 2), "a@example.com, b@example.com,"),
        ])
        .unwrap();
        let names: Vec<&str> = c.configured().iter().map(|c| c.option_name()).collect();
        assert_eq!(names, ["slack", "teams", "mail"]);
        let Target::Url(teams) = &c.targets[1].1 else {
            panic!("Teams takes a URL");
        };
        assert_eq!(teams.expose(), "https://x.example/workflows/1?sig=abc");
        let dump = format!("{c:?}");
        assert!(
            !dump.contains("xyz") && !dump.contains("sig=") && !dump.contains("pw@"),
            "{dump}"
        );
    }

    #[test]
    fn every_channel_is_configured_by_variables_the_program_reads() {
        for channel in CHANNELS {
            assert!(!channel.vars().is_empty(), "{channel:?} has no variable");
            assert_eq!(channel.variable(), channel.vars()[0].name);
            for var in channel.vars() {
                assert_eq!(Var::from_name(var.name), Some(Var::Channel(var)));
            }
        }
    }

    #[test]
    fn every_secret_of_every_channel_is_hidden_from_stderr() {
        // Each variable a channel marks secret is redacted, however short its value...
        for channel in CHANNELS {
            for var in channel.vars().iter().filter(|var| var.secret) {
                let marker = format!("https://x.example/{}/M4rker", channel.option_name());
                let hidden = secrets(&env(&[(Var::Channel(var), &marker)]));
                assert!(!shown(&hidden, &marker).contains("M4rker"), "{}", var.name);
            }
        }
        // ...and every secret a configured channel holds comes from such a variable: each channel
        // set up as .env.example shows it, then each spelling of what it holds redacted.
        let text = super::super::env::tests::uncommented_example();
        let example: Env = super::super::env::parse_env_text(&text)
            .unwrap()
            .into_iter()
            .collect();
        let hidden = secrets(&example);
        let configured = channels(&example, Duration::from_secs(30)).unwrap();
        assert_eq!(configured.targets.len(), CHANNELS.len(), "one a channel");
        for (channel, target) in &configured.targets {
            for form in target.hidden_forms() {
                assert!(
                    !shown(&hidden, &form).contains(&form),
                    "{channel:?} holds {form:?}, which no secret variable hides: mark it secret"
                );
            }
        }
    }

    /// `text` as stderr would show it, with `hidden` registered.
    fn shown(hidden: &[String], text: &str) -> String {
        let text = format!("echo: {text} end");
        (hidden.iter()).fold(text, |text, secret| crate::text::redact(&text, secret))
    }

    #[test]
    fn a_bad_url_is_refused_by_its_variable_without_showing_it() {
        for (var, value) in [
            (var("slack", 0), "hooks.example/services/T/B/hunter2"),
            (var("discord", 0), "ftp://x.example/hunter2"),
            (var("webhook", 0), "https://x.example/hun\rter2"),
            (var("mail", 0), "https://mail.example/hunter2"),
        ] {
            let mut pairs = vec![(var, value)];
            if var == self::var("mail", 0) {
                pairs.extend([
                    (self::var("mail", 1), "a@example.com"),
                    (self::var("mail", 2), "b@example.com"),
                ]);
            }
            let failure = resolve(&pairs).unwrap_err();
            assert_eq!(failure.kind, Kind::Config);
            let line = failure.to_string();
            assert!(line.starts_with(var.name()), "{line}");
            assert!(
                !line.contains("hunter2") && !line.contains("ter2"),
                "{line}"
            );
        }
    }

    #[test]
    fn the_report_url_is_read_and_a_bad_one_refused_by_its_variable() {
        let c = resolve(&[(Var::ReportUrl, "https://reports.example.com/tiktok/")]).unwrap();
        assert!(c.is_empty(), "a link base is not a channel");
        assert_eq!(
            c.report_url.unwrap().to_string(),
            "https://reports.example.com/tiktok"
        );
        assert_eq!(resolve(&[]).unwrap().report_url, None);
        for value in ["reports.example.com", "https://u:hunter2@x.example/r"] {
            let failure = resolve(&[(Var::ReportUrl, value)]).unwrap_err();
            assert_eq!(failure.kind, Kind::Config);
            let line = failure.to_string();
            assert!(line.starts_with("TIKTOK_REVIEW_REPORT_URL "), "{line}");
            assert!(!line.contains("hunter2"), "{line}");
        }
    }

    #[test]
    fn mail_needs_all_three_variables() {
        let [smtp, from, to] = [0, 1, 2].map(|i| var("mail", i));
        let failure = resolve(&[(to, "b@example.com")]).unwrap_err();
        assert_eq!(failure.kind, Kind::Config);
        assert_eq!(
            failure.to_string(),
            format!(
                "mail needs {smtp}, {from} and {to}; \
                 {smtp} and {from} are not set"
            )
        );
        let no_one = resolve(&[
            (smtp, "smtp://mail.example"),
            (from, "a@example.com"),
            (to, " , "),
        ]);
        let failure = no_one.unwrap_err();
        assert_eq!(failure.kind, Kind::Config);
        assert!(
            failure.to_string().starts_with(&format!("{to} ")),
            "{failure}"
        );
    }

    #[test]
    fn plain_http_off_this_machine_warns_and_secrets_list_every_token() {
        let c = resolve(&[
            (
                var("slack", 0),
                "http://hooks.example/services/T/B/abcdefghijklmnopqrstuvwx",
            ),
            (var("discord", 0), "http://127.0.0.1:9/api/webhooks/1/tok"),
        ])
        .unwrap();
        assert_eq!(
            clear_text_warnings(&c),
            [format!(
                "{} is plain http to hooks.example: its token travels in clear text; use https",
                var("slack", 0)
            )]
        );
        let hidden = secrets(&env(&[
            (Var::ScavioApiKey, "sk_live_x"),
            (
                var("slack", 0),
                "https://hooks.example/services/T/B/abcdefghijklmnopqrstuvwx",
            ),
        ]));
        assert!(hidden.contains(&"sk_live_x".to_string()));
        assert!(hidden.contains(&"abcdefghijklmnopqrstuvwx".to_string()));
    }
}
