//! A local Scavio stand-in for whole-run benchmarks: every username has a profile (its `sec_uid`
//! is `sec-<username>`) and the bundled fixture feed as its own (each post names it as author), and
//! every answer waits `--latency-ms`. It also accepts any POST to `/hooks/…` at once, as a webhook
//! for the delivery benchmark.
//!
//! `cargo run --release --example standin -- --port 18080 --latency-ms 100 --seconds 600`
//! serves on 127.0.0.1 only and stops by itself after `--seconds`.

use std::time::Duration;

use serde_json::Value;
#[path = "shared/mod.rs"]
mod shared;

use shared::{PAGES, PROFILE};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The fixture profile with the asked-for username and its own `sec_uid`.
struct Profiles {
    body: Value,
    latency: Duration,
}

impl Respond for Profiles {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let asked: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let name = asked["username"].as_str().unwrap_or("unknown");
        let mut body = self.body.clone();
        body["data"]["user"]["unique_id"] = Value::from(name);
        body["data"]["user"]["sec_uid"] = Value::from(format!("sec-{name}"));
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.latency)
    }
}

/// A fixture page as the asking account's: its `sec_user_id` names the account.
struct Page {
    body: Value,
    latency: Duration,
}

impl Respond for Page {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let asked: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let sec_uid = asked["sec_user_id"].as_str().unwrap_or("sec-unknown");
        let name = sec_uid.strip_prefix("sec-").unwrap_or(sec_uid);
        let mut body = self.body.clone();
        if let Some(records) = body["data"]["aweme_list"].as_array_mut() {
            for record in records {
                record["author"]["unique_id"] = Value::from(name);
            }
        }
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.latency)
    }
}

fn flag(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let port = flag("--port", 18080);
    let latency = Duration::from_millis(flag("--latency-ms", 100));
    let lifetime = Duration::from_secs(flag("--seconds", 600));
    let listener = std::net::TcpListener::bind(("127.0.0.1", u16::try_from(port)?))?;
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/tiktok/profile"))
        .respond_with(Profiles {
            body: serde_json::from_str(PROFILE)?,
            latency,
        })
        .mount(&server)
        .await;
    for (cursor, page) in PAGES {
        Mock::given(method("POST"))
            .and(path("/api/v1/tiktok/user/posts"))
            .and(body_partial_json(serde_json::json!({ "cursor": cursor })))
            .respond_with(Page {
                body: serde_json::from_str(page)?,
                latency,
            })
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(wiremock::matchers::path_regex("^/hooks/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    println!(
        "stand-in on {} with {} ms latency for {} s",
        server.uri(),
        latency.as_millis(),
        lifetime.as_secs()
    );
    tokio::time::sleep(lifetime).await;
    Ok(())
}
