//! The demo's sample weeks (`demo/data/`, read by the demo crate) and a wiremock stand-in that
//! serves a week's answers, each expected exactly once.
#![allow(dead_code)]

use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use tiktok_review_demo::data::*;

/// Mounts `week`'s answers on `server`, each expected exactly once (checked by `verify` or when
/// the server is dropped).
pub async fn serve(server: &MockServer, week: &Week) -> anyhow::Result<()> {
    let json =
        |body: &str| ResponseTemplate::new(200).set_body_raw(body.as_bytes(), "application/json");
    Mock::given(method("POST"))
        .and(path("/api/v1/tiktok/profile"))
        .and(body_partial_json(serde_json::json!({ "username": HANDLE })))
        .respond_with(json(&week.profile))
        .expect(1)
        .named(format!("profile as of {}", week.date))
        .mount(server)
        .await;
    let sec_uid = week.sec_uid()?;
    for (cursor, page) in &week.pages {
        Mock::given(method("POST"))
            .and(path("/api/v1/tiktok/user/posts"))
            .and(body_partial_json(
                serde_json::json!({ "sec_user_id": sec_uid, "cursor": cursor }),
            ))
            .respond_with(json(page))
            .expect(1)
            .named(format!("posts page at cursor {cursor} as of {}", week.date))
            .mount(server)
            .await;
    }
    Ok(())
}
