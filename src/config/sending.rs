//! What `tiktok-review send` needs: which saved reports (accounts, date, folder) and where they go.
//! The channels come from the environment layered over the env file, as for `run`: that is where
//! the webhook secrets live. No key is needed: `send` never asks the API.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::delivery::{self, clear_text_warnings, secrets};
use super::env::{Env, Var};
use crate::cli::SendArgs;
use crate::deliver::{Channels, DEFAULT_TIMEOUT, listing};
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::logging::LogFilter;
use crate::text;

/// `send`'s configuration, validated.
#[derive(Debug, Clone)]
pub struct Sending {
    /// The accounts named with `--user`, each once; `None`: every account with a report of the date.
    pub(crate) accounts: Option<Vec<Handle>>,
    /// The folder holding one sub-folder per account.
    pub(crate) reports_dir: PathBuf,
    /// `--date`; `None`: the latest date with a report.
    pub(crate) date: Option<NaiveDate>,
    /// Where to deliver (at least one channel).
    pub(crate) channels: Channels,
    /// Print nothing on success.
    pub(crate) quiet: bool,
    /// `--env-file`, when given: a `send` this one suggests repeats it.
    pub(crate) env_file: Option<PathBuf>,
}

impl Sending {
    /// The flags a `send` this one suggests repeats: its folder and its env file.
    pub(crate) fn send_flags(&self) -> String {
        super::again(&self.reports_dir, self.env_file.as_deref()).send()
    }

    /// From `args`, the environment layered over the env file; also the log filter from `-v` and
    /// `RUST_LOG`. Hides every secret from stderr and prints the warnings about plain http.
    pub fn load(args: &SendArgs) -> anyhow::Result<(Self, LogFilter)> {
        let env = Env::with_env_file(args.env_file.as_deref())?;
        crate::logging::hide_secrets(secrets(&env).iter().map(String::as_str));
        let (log, ignored) = LogFilter::new(env.get(Var::RustLog), args.verbose);
        let sending = Self::resolve(args, &env)?;
        super::refuse_secret_handles(
            sending.accounts.as_deref().unwrap_or_default(),
            super::ACCOUNTS_GIVEN,
        )?;
        for warning in clear_text_warnings(&sending.channels) {
            crate::error::warn(warning);
        }
        for directive in ignored {
            crate::error::warn(format!(
                "RUST_LOG: ignoring {:?}, which is not a log filter such as debug or tiktok_review=debug",
                text::clean(&directive)
            ));
        }
        Ok((sending, log))
    }

    /// From `args` and `env`: `--reports-dir`, else `TIKTOK_REVIEW_REPORTS_DIR`, else the default;
    /// no channel configured is a configuration error (78).
    pub(crate) fn resolve(args: &SendArgs, env: &Env) -> anyhow::Result<Self> {
        let channels = delivery::channels(env, DEFAULT_TIMEOUT)?;
        if channels.is_empty() {
            return Err(Failure::new(
                Kind::Config,
                format!(
                    "no delivery channel is configured: set {}, in the environment or the env file \
                     (see .env.example)",
                    listing::settings()
                ),
            )
            .into());
        }
        let channels = channels.only(&args.channel).map_err(|missing| {
            Failure::new(
                Kind::Config,
                format!(
                    "--channel {} is not configured: set {} in the environment or the env file",
                    missing.option_name(),
                    missing.variable()
                ),
            )
        })?;
        let mut accounts: Vec<Handle> = Vec::new();
        for handle in args.user.iter().flatten() {
            if !accounts.contains(handle) {
                accounts.push(handle.clone());
            }
        }
        Ok(Self {
            accounts: (!accounts.is_empty()).then_some(accounts),
            reports_dir: (args.reports_dir.clone())
                .or_else(|| env.get(Var::ReportsDir).map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from(super::DEFAULT_REPORTS_DIR)),
            date: args.date,
            channels,
            quiet: args.quiet,
            env_file: args.env_file.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn args(flags: &[&str]) -> SendArgs {
        let argv = ["tiktok-review", "send"].iter().chain(flags);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Send(args) => args,
            other => panic!("not send: {other:?}"),
        }
    }

    fn env(pairs: &[(Var, &str)]) -> Env {
        pairs.iter().map(|(var, v)| (*var, v.to_string())).collect()
    }

    #[test]
    fn send_takes_its_accounts_from_user_only_and_its_folder_as_run_does() {
        let webhook = crate::deliver::channel_named("webhook").unwrap();
        let hook = (Var::Channel(&webhook.vars()[0]), "https://x.example/hook");
        let all = Sending::resolve(&args(&[]), &env(&[hook, (Var::TiktokUsername, "a1")])).unwrap();
        assert_eq!(all.accounts, None, "TIKTOK_USERNAME does not narrow it");
        assert_eq!(all.reports_dir, PathBuf::from("tiktok_reports"));
        assert_eq!(all.date, None);
        let some = Sending::resolve(
            &args(&[
                "--user",
                "b2,@A1",
                "--user",
                "b2",
                "--date",
                "2026-11-15",
                "-q",
            ]),
            &env(&[hook, (Var::ReportsDir, "/srv/r")]),
        )
        .unwrap();
        let names: Vec<&str> = some.accounts.iter().flatten().map(Handle::as_str).collect();
        assert_eq!(names, ["b2", "a1"]);
        assert_eq!(some.reports_dir, PathBuf::from("/srv/r"));
        assert_eq!(some.date, NaiveDate::from_ymd_opt(2026, 11, 15));
        assert!(some.quiet);
    }

    #[test]
    fn send_without_a_channel_is_a_configuration_error() {
        let err = Sending::resolve(&args(&[]), &env(&[])).unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert_eq!(failure.kind, Kind::Config);
        assert!(
            failure
                .to_string()
                .starts_with("no delivery channel is configured")
        );
    }
}
