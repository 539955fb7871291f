//! The whole weekly job against an in-process Scavio stand-in: no key, no network.
//!
//! `cargo run --example demo` serves the bundled sample feed (`tests/fixtures/`) on a local port,
//! runs two consecutive weekly reviews of @examplecreator through the library, writes them into
//! `./demo-reports`, and prints each run's summary line.

use std::time::Duration;

use serde_json::{Value, json};
use tiktok_review::Config;
use tiktok_review::cli::Output;
use tiktok_review::run::Outcome;
use tiktok_review::scavio::{ApiConfig, ApiKey, RetryPolicy};
#[path = "shared/mod.rs"]
mod shared;

use shared::{PAGES, PROFILE};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let server = MockServer::start().await;
    println!("Scavio stand-in listening on {}\n", server.uri());

    let weeks = [
        ("2026-11-08T20:00:00Z", shared::PROFILE_WEEK_BEFORE),
        ("2026-11-15T20:00:00Z", PROFILE),
    ];
    for (as_of, profile) in weeks {
        serve(&server, profile).await?;
        let as_of = as_of.parse()?;
        let config = Config {
            accounts: vec!["examplecreator".parse().map_err(anyhow::Error::msg)?],
            reports_dir: "demo-reports".into(),
            window: tiktok_review::model::Window::week_ending(as_of),
            now: as_of,
            tz: chrono_tz::Europe::Berlin,
            industry: Default::default(),
            history_weeks: 8,
            dry_run: false,
            outputs: vec![Output::Json, Output::Md, Output::Html],
            dry_run_output: Output::Json,
            quiet: false,
            verbose: false,
            concurrency: 1,
            fetch_profile: true,
            progress: false,
            save_raw: None,
            api: ApiConfig {
                base_url: server.uri().parse()?,
                key: ApiKey::new("sk_demo_not_a_real_key"),
                timeout: Duration::from_secs(5),
                retry: RetryPolicy::default(),
                clock: chrono::Utc::now,
            },
        };
        println!(
            "$ tiktok-review run --user examplecreator --as-of {}",
            as_of.to_rfc3339()
        );
        for run in tiktok_review::run::run(&config).await? {
            if let Outcome::Written { summary, .. } = run.result? {
                println!("{summary}");
            }
        }
        let requests = server.received_requests().await.unwrap_or_default().len();
        println!("  ({requests} requests to the stand-in, one credit each)\n");
    }
    println!("Open demo-reports/examplecreator/report_2026-11-15.html in a browser, or read the");
    println!(".md and .json beside it: the second week compares with the first.");
    Ok(())
}

/// Mounts the profile answer and the feed's pages, forgetting the previous week's mocks.
async fn serve(server: &MockServer, profile: &str) -> anyhow::Result<()> {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/tiktok/profile"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::from_str::<Value>(profile)?),
        )
        .mount(server)
        .await;
    for (cursor, page) in PAGES {
        Mock::given(method("POST"))
            .and(path("/api/v1/tiktok/user/posts"))
            .and(body_partial_json(json!({ "cursor": cursor })))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::from_str::<Value>(page)?),
            )
            .mount(server)
            .await;
    }
    Ok(())
}
