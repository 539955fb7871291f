//! Where the review is delivered: the webhook URLs and the mail settings, from the environment
//! layered over the env file, checked once so that a run fails before it spends a credit rather
//! than after. The URLs are secrets: a refused value is named by its variable only, never shown.

use std::time::Duration;

use reqwest::Url;

use super::api::plain_http_host;
use super::env::{Env, Var};
use crate::deliver::{Channel, Channels, MailConfig, ReportUrl, Secret};
use crate::error::{Failure, Kind};

/// The channels `env` configures; none when it sets no delivery variable. A value that is not a
/// URL of the right kind, or mail settings that are incomplete, are refused (78).
pub(super) fn channels(env: &Env, timeout: Duration) -> Result<Channels, Failure> {
    Ok(Channels {
        slack: webhook(env, Var::SlackWebhook)?,
        discord: webhook(env, Var::DiscordWebhook)?,
        teams: webhook(env, Var::TeamsWebhook)?,
        webhook: webhook(env, Var::WebhookUrl)?,
        mail: mail(env)?,
        report_url: report_url(env)?,
        ..Channels::none(timeout, chrono::Utc::now)
    })
}

/// Every spelling of every secret `env` holds (the key, the delivery URLs and their tokens), set or
/// not valid, for the log's redaction.
pub fn secrets(env: &Env) -> Vec<String> {
    Var::SECRETS
        .into_iter()
        .filter_map(|var| env.get(var))
        .flat_map(|value| Secret::new(value).hidden_forms())
        .collect()
}

/// The warnings for webhooks reached over plain http off this machine: their tokens (and the
/// reports) travel in clear text.
pub fn clear_text_warnings(channels: &Channels) -> Vec<String> {
    let urls = [
        (Channel::Slack, &channels.slack),
        (Channel::Discord, &channels.discord),
        (Channel::Teams, &channels.teams),
        (Channel::Webhook, &channels.webhook),
    ];
    urls.into_iter()
        .filter_map(|(channel, url)| {
            let url = Url::parse(url.as_ref()?.expose()).ok()?;
            let host = plain_http_host(&url)?;
            Some(format!(
                "{} is plain http to {host}: its token travels in clear text; use https",
                channel.variable()
            ))
        })
        .collect()
}

/// A webhook URL: http(s) with a host; a control character or anything else is refused.
fn webhook(env: &Env, var: Var) -> Result<Option<Secret>, Failure> {
    let Some(value) = env.get(var) else {
        return Ok(None);
    };
    if value.chars().any(char::is_control) {
        return Err(refuse(
            var,
            "contains a control character (such as a line break inside it); copy the URL again",
        ));
    }
    if value.contains(char::REPLACEMENT_CHARACTER) {
        return Err(refuse(var, NOT_UTF8));
    }
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            Ok(Some(Secret::new(value)))
        }
        _ => Err(refuse(
            var,
            "is not an http(s) URL (not shown: it holds a token); copy the webhook URL again",
        )),
    }
}

/// Where the reports folder is served, when `TIKTOK_REVIEW_REPORT_URL` is set; a value that is not
/// an http(s) URL of a folder is refused (78).
fn report_url(env: &Env) -> Result<Option<ReportUrl>, Failure> {
    let var = Var::ReportUrl;
    let Some(value) = env.get(var) else {
        return Ok(None);
    };
    if value.contains(char::REPLACEMENT_CHARACTER) {
        return Err(refuse(var, NOT_UTF8));
    }
    value
        .parse()
        .map(Some)
        .map_err(|why: String| refuse(var, &why))
}

/// The mail settings: all three variables, or none.
fn mail(env: &Env) -> Result<Option<MailConfig>, Failure> {
    let vars = [Var::SmtpUrl, Var::MailFrom, Var::MailTo];
    let (url, from, to) = match vars.map(|var| env.get(var)) {
        [None, None, None] => return Ok(None),
        [Some(url), Some(from), Some(to)] => (url, from, to),
        values => {
            let missing: Vec<&str> = (vars.iter().zip(values))
                .filter(|(_, value)| value.is_none())
                .map(|(var, _)| var.name())
                .collect();
            return Err(Failure::new(
                Kind::Config,
                format!(
                    "mail needs TIKTOK_REVIEW_SMTP_URL, TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO; {} {} not set",
                    missing.join(" and "),
                    if missing.len() == 1 { "is" } else { "are" }
                ),
            ));
        }
    };
    for (var, value) in vars.into_iter().zip([url, from, to]) {
        if value.contains(char::REPLACEMENT_CHARACTER) {
            return Err(refuse(var, NOT_UTF8));
        }
    }
    // The mail channel checks its own settings; its refusal names the variable, never a password.
    MailConfig::new(url, from, to)
        .map(Some)
        .map_err(|why| Failure::new(Kind::Config, why))
}

/// Why a value read with bytes that are not UTF-8 is refused (they arrive as U+FFFD).
const NOT_UTF8: &str = "holds bytes that are not UTF-8 text; set it again";

fn refuse(var: Var, why: &str) -> Failure {
    Failure::new(Kind::Config, format!("{var} {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(Var, &str)]) -> Env {
        pairs.iter().map(|(var, v)| (*var, v.to_string())).collect()
    }

    fn resolve(pairs: &[(Var, &str)]) -> Result<Channels, Failure> {
        channels(&env(pairs), Duration::from_secs(30))
    }

    #[test]
    fn each_channel_comes_from_its_variable_and_none_from_none() {
        assert!(resolve(&[]).unwrap().is_empty());
        let c = resolve(&[
            (Var::SlackWebhook, "https://hooks.example/services/T/B/xyz"),
            (Var::TeamsWebhook, " https://x.example/workflows/1?sig=abc "),
            (Var::SmtpUrl, "smtps://me:pw@mail.example:465"),
            (Var::MailFrom, "Reviews <reviews@example.com>"),
            (Var::MailTo, "a@example.com, b@example.com,"),
        ])
        .unwrap();
        assert_eq!(
            c.configured(),
            [Channel::Slack, Channel::Teams, Channel::Mail]
        );
        assert_eq!(
            c.teams.as_ref().unwrap().expose(),
            "https://x.example/workflows/1?sig=abc"
        );
        let dump = format!("{c:?}");
        assert!(
            !dump.contains("xyz") && !dump.contains("sig=") && !dump.contains("pw@"),
            "{dump}"
        );
    }

    #[test]
    fn the_variable_names_agree_with_the_channels() {
        for (channel, var) in [
            (Channel::Slack, Var::SlackWebhook),
            (Channel::Discord, Var::DiscordWebhook),
            (Channel::Teams, Var::TeamsWebhook),
            (Channel::Webhook, Var::WebhookUrl),
            (Channel::Mail, Var::SmtpUrl),
        ] {
            assert_eq!(channel.variable(), var.name());
        }
    }

    #[test]
    fn a_bad_url_is_refused_by_its_variable_without_showing_it() {
        for (var, value) in [
            (Var::SlackWebhook, "hooks.example/services/T/B/hunter2"),
            (Var::DiscordWebhook, "ftp://x.example/hunter2"),
            (Var::WebhookUrl, "https://x.example/hun\rter2"),
            (Var::SmtpUrl, "https://mail.example/hunter2"),
        ] {
            let mut pairs = vec![(var, value)];
            if var == Var::SmtpUrl {
                pairs.extend([
                    (Var::MailFrom, "a@example.com"),
                    (Var::MailTo, "b@example.com"),
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
        let failure = resolve(&[(Var::MailTo, "b@example.com")]).unwrap_err();
        assert_eq!(failure.kind, Kind::Config);
        assert_eq!(
            failure.to_string(),
            "mail needs TIKTOK_REVIEW_SMTP_URL, TIKTOK_REVIEW_MAIL_FROM and TIKTOK_REVIEW_MAIL_TO; \
             TIKTOK_REVIEW_SMTP_URL and TIKTOK_REVIEW_MAIL_FROM are not set"
        );
        let no_one = resolve(&[
            (Var::SmtpUrl, "smtp://mail.example"),
            (Var::MailFrom, "a@example.com"),
            (Var::MailTo, " , "),
        ]);
        let failure = no_one.unwrap_err();
        assert_eq!(failure.kind, Kind::Config);
        assert!(
            failure.to_string().starts_with("TIKTOK_REVIEW_MAIL_TO "),
            "{failure}"
        );
    }

    #[test]
    fn plain_http_off_this_machine_warns_and_secrets_list_every_token() {
        let c = resolve(&[
            (
                Var::SlackWebhook,
                "http://hooks.example/services/T/B/abcdefghijklmnopqrstuvwx",
            ),
            (Var::DiscordWebhook, "http://127.0.0.1:9/api/webhooks/1/tok"),
        ])
        .unwrap();
        assert_eq!(
            clear_text_warnings(&c),
            [
                "TIKTOK_REVIEW_SLACK_WEBHOOK is plain http to hooks.example: its token travels in clear text; use https"
            ]
        );
        let hidden = secrets(&env(&[
            (Var::ScavioApiKey, "sk_live_x"),
            (
                Var::SlackWebhook,
                "https://hooks.example/services/T/B/abcdefghijklmnopqrstuvwx",
            ),
        ]));
        assert!(hidden.contains(&"sk_live_x".to_string()));
        assert!(hidden.contains(&"abcdefghijklmnopqrstuvwx".to_string()));
    }
}
