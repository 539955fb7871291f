//! What `tiktok-review check` needs: each piece of the configuration `run` and `send` would read,
//! kept with why it is unusable rather than stopping at the first problem, so that `check` can say
//! so line by line. Every secret it finds is hidden from output before anything is printed.

use std::path::PathBuf;

use super::delivery::{self, clear_text_warnings, secrets};
use super::env::{Env, Var};
use super::{DEFAULT_REPORTS_DIR, api};
use crate::cli::CheckArgs;
use crate::deliver::Channels;
use crate::error::Failure;
use crate::handle::Handle;
use crate::logging::LogFilter;
use crate::scavio::ApiConfig;

/// `check`'s configuration: each part read as `run` reads it, or why it cannot be.
#[derive(Debug)]
pub struct Checking {
    /// The env file read (`None`: there is none), or why it could not be (then the environment
    /// alone is used).
    pub(crate) env_file: Result<Option<PathBuf>, Failure>,
    /// The key and the API's address, or why they are unusable.
    pub(crate) api: Result<ApiConfig, Failure>,
    /// `--user`: the account whose profile tests the key (1 credit); `None`: the key is not sent.
    pub(crate) user: Option<Handle>,
    /// The reports folder, as `run` resolves it.
    pub(crate) reports_dir: PathBuf,
    /// The configured delivery channels, or why their variables are unusable.
    pub(crate) channels: Result<Channels, Failure>,
}

impl Checking {
    /// From `args`, the environment layered over the env file (when it parses); also the log
    /// filter from `-v` and `RUST_LOG`. Hides every secret from output and prints the warnings
    /// `run` would print. Only a `--user` that is itself a secret is an error (64).
    pub fn load(args: &CheckArgs) -> anyhow::Result<(Self, LogFilter)> {
        let (env, env_file) = Env::checked(args.env_file.as_deref());
        crate::logging::hide_secrets(secrets(&env).iter().map(String::as_str));
        let (log, ignored) = LogFilter::new(env.get(Var::RustLog), args.verbose);
        super::refuse_secret_handles(args.user.as_slice(), "the account given with --user")?;
        let api = api::api(&env, args.timeout);
        let mut warnings = Vec::new();
        if let Ok(api) = &api {
            crate::logging::hide_secrets(api.key.hidden_forms().iter().map(String::as_str));
            warnings.extend(super::clear_text_warning(&api.base_url));
        }
        let channels = delivery::channels(&env, args.timeout);
        if let Ok(channels) = &channels {
            warnings.extend(clear_text_warnings(channels));
        }
        for warning in warnings {
            crate::error::warn(warning);
        }
        super::warn_ignored_directives(ignored);
        let reports_dir = (args.reports_dir.clone())
            .or_else(|| env.get(Var::ReportsDir).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(DEFAULT_REPORTS_DIR));
        let checking = Self {
            env_file,
            api,
            user: args.user.clone(),
            reports_dir,
            channels,
        };
        Ok((checking, log))
    }
}
