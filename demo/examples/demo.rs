//! The whole weekly job against an in-process Scavio stand-in: no key, no network.
//!
//! `cargo run --example demo` replays twelve Sunday runs of @crumbandcrust, a home baker in New York
//! with about 40,000 followers, from the sample answers in `demo/data/` (written by
//! `scripts/gen_demo_data.py`). Each week is one `tiktok-review run` through the library, with the
//! same flags cron would pass, into `./demo-reports/crumbandcrust/` (emptied first, so a rerun
//! writes the same bytes); it prints each week's summary line and what the week cost.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Parser;
use tiktok_review::Config;
use tiktok_review::cli::{Cli, Command};
use tiktok_review::config::{Env, Var};
use tiktok_review::run::Outcome;
use tiktok_review_demo::data::{self as demo_data, HANDLE, TZ};
use tiktok_review_demo::standin::StandIn;

const REPORTS_DIR: &str = "demo-reports";

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let weeks = demo_data::weeks()?;
    let account_dir = PathBuf::from(REPORTS_DIR).join(HANDLE);
    match std::fs::remove_dir_all(&account_dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(e).with_context(|| format!("emptying {}", account_dir.display()));
        }
        _ => {}
    }
    let server = StandIn::start()?;
    println!(
        "Scavio stand-in on {}; {} Sunday runs of\n  tiktok-review run --user {HANDLE} --tz {TZ} --reports-dir {REPORTS_DIR} --as-of <Sunday>T20:00:00Z\n",
        server.uri(),
        weeks.len()
    );
    let mut last = None;
    for week in &weeks {
        server.serve(HANDLE, week)?;
        let config = config(&week.as_of(), server.uri())?;
        let reviews =
            tiktok_review::run::run(&config, &tiktok_review::stop::Stop::default()).await?;
        for run in reviews.accounts {
            if let Outcome::Written { path, summary, .. } = run.result? {
                let requests = server.requests()?;
                if requests != week.requests() {
                    bail!(
                        "the week to {} cost {requests} requests, but its data holds {}",
                        week.date,
                        week.requests()
                    );
                }
                println!("{summary} ({requests} requests, one credit each)");
                last = Some((path, summary));
            }
        }
    }
    let Some((path, summary)) = last else {
        bail!("no week in {}", demo_data::folder().display());
    };
    println!("\nThe last week:\n{summary}");
    println!(
        "Open {} in a browser, or read the .md and .json beside it.",
        path.with_extension("html").display()
    );
    Ok(())
}

/// The configuration `tiktok-review run` builds from these flags, with the stand-in as the API and
/// the run's own time as the clock.
fn config(as_of: &str, base_url: &str) -> anyhow::Result<Config> {
    let argv = [
        "tiktok-review",
        "run",
        "--user",
        HANDLE,
        "--tz",
        TZ,
        "--reports-dir",
        REPORTS_DIR,
        "--as-of",
        as_of,
    ];
    let Command::Run(args) = Cli::try_parse_from(argv)?.command else {
        bail!("not a run command");
    };
    let env: Env = [
        (Var::ScavioApiKey, "sk_demo_not_a_real_key".to_string()),
        (Var::ScavioBaseUrl, base_url.to_string()),
    ]
    .into_iter()
    .collect();
    Config::resolve(args, &env, as_of.parse()?)
}
