//! Which accounts, and where their reports live, by one rule for `run`, `history` and `cron`:
//! `--user` (repeated or comma-separated; for `run` also a users file), else `TIKTOK_USERNAME`;
//! `--reports-dir`, else `TIKTOK_REVIEW_REPORTS_DIR`, else `tiktok_reports`.

use std::path::{Path, PathBuf};

use super::env::{Env, Var};
use crate::cli::AccountArgs;
use crate::error::{Failure, Kind};
use crate::handle::Handle;

/// The reports folder when neither `--reports-dir` nor `TIKTOK_REVIEW_REPORTS_DIR` names one.
pub const DEFAULT_REPORTS_DIR: &str = "tiktok_reports";

/// What `history` and `cron` work on: accounts and reports folder from their flags and the process
/// environment (never an env file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// The accounts named, each once, in order; empty when none is.
    pub(crate) accounts: Vec<Handle>,
    /// The folder holding one sub-folder per account.
    pub(crate) reports_dir: PathBuf,
}

impl Local {
    /// From `args` and the process environment.
    pub fn load(args: &AccountArgs) -> anyhow::Result<Self> {
        Self::resolve(args, &Env::process())
    }

    /// From `args` and `env`.
    pub(crate) fn resolve(args: &AccountArgs, env: &Env) -> anyhow::Result<Self> {
        Ok(Self {
            accounts: accounts(args.user.iter().flatten().cloned(), false, env)?,
            reports_dir: reports_dir(args, env),
        })
    }
}

/// The accounts: those `given` by flags (and a users file), else `TIKTOK_USERNAME` when no users
/// file was given either; each once, in order. Empty when nothing names one: the caller says what
/// to pass.
pub(super) fn accounts(
    given: impl IntoIterator<Item = Handle>,
    users_file: bool,
    env: &Env,
) -> Result<Vec<Handle>, Failure> {
    let mut given: Vec<Handle> = given.into_iter().collect();
    if given.is_empty()
        && !users_file
        && let Some(list) = env.get(Var::TiktokUsername)
    {
        given = handle_list(list)
            .map_err(|why| Failure::new(Kind::Usage, format!("{}: {why}", Var::TiktokUsername)))?;
    }
    let mut accounts: Vec<Handle> = Vec::with_capacity(given.len());
    for handle in given {
        if !accounts.contains(&handle) {
            accounts.push(handle);
        }
    }
    Ok(accounts)
}

/// `--reports-dir`, else `TIKTOK_REVIEW_REPORTS_DIR`, else [`DEFAULT_REPORTS_DIR`].
pub(super) fn reports_dir(args: &AccountArgs, env: &Env) -> PathBuf {
    args.reports_dir
        .clone()
        .or_else(|| env.get(Var::ReportsDir).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(DEFAULT_REPORTS_DIR))
}

/// The competitors of `run`: `--compare` (`given`), else `TIKTOK_REVIEW_COMPARE`; each once, in
/// order. One that is also among `accounts` is a usage error (64), before any request.
pub(super) fn competitors(
    given: impl IntoIterator<Item = Handle>,
    accounts: &[Handle],
    env: &Env,
) -> Result<Vec<Handle>, Failure> {
    let mut given: Vec<Handle> = given.into_iter().collect();
    if given.is_empty()
        && let Some(list) = env.get(Var::Compare)
    {
        given = handle_list(list)
            .map_err(|why| Failure::new(Kind::Usage, format!("{}: {why}", Var::Compare)))?;
    }
    let mut rivals: Vec<Handle> = Vec::with_capacity(given.len());
    for handle in given {
        if accounts.contains(&handle) {
            return Err(Failure::new(
                Kind::Usage,
                format!(
                    "@{handle} is both an account and a competitor (--compare or TIKTOK_REVIEW_COMPARE): name it once"
                ),
            ));
        }
        if !rivals.contains(&handle) {
            rivals.push(handle);
        }
    }
    Ok(rivals)
}

/// The handles of a comma-separated list such as `TIKTOK_USERNAME`; empty entries are skipped.
fn handle_list(list: &str) -> Result<Vec<Handle>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(str::parse)
        .collect()
}

/// The handles of a users file: one a line, `#` starts a comment, blank lines and a leading UTF-8
/// byte order mark are ignored. A line that is not a handle is named by its number only, as the
/// env file's are: the file given may be the wrong one, and its lines may hold a secret.
pub(super) fn users_file(text: &str, path: &Path) -> anyhow::Result<Vec<Handle>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.split('#').next().unwrap_or("").trim()))
        .filter(|(_, line)| !line.is_empty())
        .map(|(number, line)| {
            line.parse::<Handle>().map_err(|_| {
                Failure::new(
                    Kind::Usage,
                    format!(
                        "{} line {number} is not a TikTok handle (its text is not shown: it may hold a secret); write one handle a line, such as examplecreator or @examplecreator",
                        crate::text::clean(&path.display().to_string())
                    ),
                )
                .into()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn names(handles: &[Handle]) -> Vec<&str> {
        handles.iter().map(Handle::as_str).collect()
    }

    fn env(pairs: &[(Var, &str)]) -> Env {
        pairs.iter().map(|(var, v)| (*var, v.to_string())).collect()
    }

    fn history_args(flags: &[&str]) -> AccountArgs {
        let argv = ["tiktok-review", "history"].iter().chain(flags);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::History(args) => args.accounts,
            other => panic!("not history: {other:?}"),
        }
    }

    #[test]
    fn a_users_file_skips_comments_and_blank_lines_and_names_a_bad_line() {
        let text =
            "# agency accounts\nalpha\n\n  @beta  # the second\nhttps://www.tiktok.com/@gamma\n";
        let handles = users_file(text, Path::new("users.txt")).unwrap();
        assert_eq!(names(&handles), ["alpha", "beta", "gamma"]);
        let err =
            users_file("alpha\nSCAVIO_API_KEY=sk_live_x\n", Path::new("users.txt")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("users.txt line 2 is not a TikTok handle (its text is not shown"),
            "{err}"
        );
        assert!(!err.to_string().contains("sk_live_x"), "{err}");
    }

    #[test]
    fn a_users_file_may_begin_with_a_byte_order_mark() {
        let handles = users_file("\u{feff}alpha\nbeta\n", Path::new("u.txt")).unwrap();
        assert_eq!(names(&handles), ["alpha", "beta"]);
    }

    #[test]
    fn history_and_cron_read_comma_lists_and_the_environment_like_run() {
        let from_env = env(&[
            (Var::TiktokUsername, "alpha, @Beta,,alpha"),
            (Var::ReportsDir, "/srv/reports"),
        ]);
        let local = Local::resolve(&history_args(&[]), &from_env).unwrap();
        assert_eq!(names(&local.accounts), ["alpha", "beta"]);
        assert_eq!(local.reports_dir, Path::new("/srv/reports"));

        let flags = history_args(&["--user", "gamma,delta", "--reports-dir", "here"]);
        let local = Local::resolve(&flags, &from_env).unwrap();
        assert_eq!(names(&local.accounts), ["gamma", "delta"], "flags win");
        assert_eq!(local.reports_dir, Path::new("here"));

        let local = Local::resolve(&history_args(&[]), &Env::default()).unwrap();
        assert!(local.accounts.is_empty());
        assert_eq!(local.reports_dir, Path::new(DEFAULT_REPORTS_DIR));

        let bad = env(&[(Var::TiktokUsername, "alpha,../x")]);
        let err = Local::resolve(&history_args(&[]), &bad).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("TIKTOK_USERNAME: invalid TikTok handle \"../x\""),
            "{err}"
        );
    }

    #[test]
    fn empty_entries_of_a_user_list_are_skipped() {
        let from_env = |list: &str| accounts([], false, &env(&[(Var::TiktokUsername, list)]));
        assert_eq!(names(&from_env(" aa,,bb , ,").unwrap()), ["aa", "bb"]);
        let flags = history_args(&["--user", "aa,,bb,", "--user", " "]);
        let local = Local::resolve(&flags, &Env::default()).unwrap();
        assert_eq!(names(&local.accounts), ["aa", "bb"]);
        let err = from_env("aa,../x").unwrap_err();
        assert_eq!(err.kind, Kind::Usage);
        assert!(
            err.to_string()
                .starts_with("TIKTOK_USERNAME: invalid TikTok handle \"../x\""),
            "{err}"
        );
        assert!(
            from_env(" , ").unwrap().is_empty(),
            "empty entries name no account"
        );
    }

    #[test]
    fn tiktok_username_counts_only_without_user_flags_and_users_file() {
        let env = env(&[(Var::TiktokUsername, "fromenv")]);
        let flagged: Handle = "flagged".parse().unwrap();
        assert_eq!(names(&accounts([], false, &env).unwrap()), ["fromenv"]);
        let given = accounts([flagged.clone()], false, &env).unwrap();
        assert_eq!(names(&given), ["flagged"]);
        let given = accounts([flagged], true, &env).unwrap();
        assert_eq!(names(&given), ["flagged"]);
        let empty_file = accounts([], true, &env).unwrap();
        assert!(
            empty_file.is_empty(),
            "an empty users file names no account"
        );
    }
}
