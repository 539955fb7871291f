//! tiktok-review: a weekly TikTok performance review that a creator owns.
//!
//! The pipeline, one module per stage:
//! 1. [`config`] resolves flags, environment and clock into a [`Config`];
//! 2. [`scavio`] fetches the profile and the posts of the week, page by page, spending no credit more
//!    than the data needs;
//! 3. [`metrics`], [`ranking`], [`diff`], [`insights`] and [`recommend`] compute the review (pure);
//! 4. [`store`] reads earlier reports and writes the new one atomically under a lock;
//! 5. [`report`] defines the JSON schema that ties the weeks together.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![warn(missing_docs)]

pub mod cli;
pub mod config;
pub mod diff;
pub mod error;
pub mod handle;
pub mod insights;
pub mod metrics;
pub mod model;
pub mod ranking;
pub mod recommend;
pub mod report;
pub mod scavio;
pub mod store;

use std::path::PathBuf;

use anyhow::Context;

pub use config::Config;

/// What a successful run produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The report was written.
    Written {
        /// Where.
        path: PathBuf,
        /// The one-line summary for stdout.
        summary: String,
    },
    /// `--dry-run`: the report, not written anywhere.
    DryRun {
        /// The report's JSON bytes.
        json: Vec<u8>,
    },
}

/// Runs the weekly review for one account: lock → fetch → compare → compute → write.
pub async fn run(config: &Config) -> anyhow::Result<Outcome> {
    let dir = store::user_dir(&config.reports_dir, &config.handle);
    let _lock = if config.dry_run {
        None
    } else {
        Some(store::Lock::acquire(&dir)?)
    };

    let mut client = scavio::Client::new(&config.api, config.verbose)?;
    let fetched = client.fetch_week(&config.handle, &config.window).await;
    let fetched = match fetched {
        Ok(fetched) => fetched,
        Err(err) => {
            client.retry_log().iter().for_each(error::warn);
            return Err(err);
        }
    };

    let date = config.window.end.date_naive();
    let since = date - chrono::Days::new(7 * u64::from(config.history_weeks));
    let earlier = store::load_earlier(&dir, &config.handle, date, since);
    let report = report::build(report::Inputs {
        user: &config.handle,
        generated_at: config.now,
        window: config.window,
        account: &fetched.account,
        posts: &fetched.posts,
        previous: earlier.previous.as_ref(),
        history: &earlier.history,
        tz: config.tz,
        api: client.usage(),
    });
    let json = report.to_json();
    if config.dry_run {
        return Ok(Outcome::DryRun { json });
    }
    let path = store::write_atomic(&dir, &store::report_file_name(date), &json)
        .with_context(|| format!("saving the report of @{}", config.handle))?;
    let summary = report.summary_line(&path.display().to_string());
    Ok(Outcome::Written { path, summary })
}
