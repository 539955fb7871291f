//! The digest read back from saved report files.

use super::*;

fn handle(name: &str) -> Handle {
    name.parse().unwrap()
}

/// Neither texts nor the overview; links on `report_url`.
fn texts(report_url: Option<&ReportUrl>) -> Texts<'_> {
    Texts {
        with_texts: false,
        with_overview: false,
        report_url,
    }
}

/// The JSON of a whole report of an empty week, with `fields` in place of its own (the fields of
/// an object merged into its own).
fn report(fields: serde_json::Value) -> serde_json::Value {
    let window = crate::model::Window::week_ending("2026-11-22T20:00:00Z".parse().unwrap());
    let empty = crate::report::build(crate::report::Inputs {
        user: &handle("alpha"),
        generated_at: window.end,
        window,
        account: &Default::default(),
        posts: &[],
        previous: None,
        history: &[],
        history_weeks: 0,
        tz: chrono_tz::Tz::UTC,
        api: Default::default(),
        fetch_notes: &[],
        industry: Default::default(),
    });
    let mut json: serde_json::Value = serde_json::from_slice(&empty.to_json()).unwrap();
    for (key, value) in fields.as_object().unwrap() {
        match (json[key].as_object_mut(), value.as_object()) {
            (Some(own), Some(given)) => own.extend(given.clone()),
            _ => json[key] = value.clone(),
        }
    }
    json
}

/// A post of the week as a report holds it.
fn post(id: &str, caption: &str, views: u64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "url": format!("https://www.tiktok.com/@alpha/video/{id}"), "caption": caption,
        "posted_at": "2026-11-20T18:00:00Z", "views": views, "likes": 0, "comments": 0,
        "shares": 0, "saves": null, "duration_s": null, "hashtags": [], "pinned": false,
        "format": "video", "original_sound": null, "engagement_rate": null
    })
}

#[test]
fn the_headline_reads_the_numbers_the_best_post_and_the_first_actionable_recommendation() {
    let json = report(serde_json::json!({
        "schema_version": 3, "user": "alpha",
        "account": {"followers": 43079},
        "metrics": {"post_count": 5, "total_views": 211893, "engagement_rate": 9.62},
        "previous": {"date": "2026-11-15", "file": "report_2026-11-15.json"},
        "deltas": {
            "total_views": {"previous": 61159, "current": 211893, "change": 150734, "change_pct": 246.46},
            "engagement_rate": {"change": 0.32, "change_pct": 3.44},
            "followers": {"change": 774, "change_pct": 1.83}
        },
        "top_by_views": [{"rank": 1, "id": "7", "url": "https://www.tiktok.com/@alpha/video/7", "views": 137051}],
        "posts": [post("7", "why I bake\u{1b}[31m at 5am\n", 137_051)],
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "…"},
            {"kind": "consistency", "message": "Keep your rhythm.", "evidence": "…"},
            {"kind": "double_down", "message": "Double down on\u{1b}[31m #bread posts.", "evidence": "…"},
            {"kind": "drop", "message": "Make fewer photo posts.", "evidence": "…"}
        ]
    }));
    let h = read_headline(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert_eq!((h.posts, h.views, h.followers), (5, 211_893, Some(43_079)));
    assert_eq!(h.views_change_pct, Some(246.46));
    assert_eq!(h.engagement_rate_change, Some(0.32));
    assert_eq!(h.followers_change, Some(774.0));
    assert!(h.compared);
    let best = h.best_post.unwrap();
    assert_eq!(best.caption, "why I bake at 5am");
    assert_eq!(best.views, 137_051);
    assert_eq!(h.advice.as_deref(), Some("Double down on #bread posts."));
    assert!(
        read_headline(json.to_string().as_bytes(), &handle("beta"))
            .unwrap_err()
            .contains("belongs to @alpha")
    );
    assert!(read_headline(b"{}", &handle("alpha")).is_err());
}

#[test]
fn a_first_report_has_no_changes_and_a_link_must_be_https() {
    let mut javascript = post("1", "", 0);
    javascript["url"] = "javascript:alert(1)".into();
    let json = report(serde_json::json!({
        "user": "alpha", "previous": null, "deltas": {}, "posts": [javascript],
        "top_by_views": [{"id": "1", "url": "javascript:alert(1)", "views": 0}]
    }));
    let h = read_headline(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert!(!h.compared);
    assert_eq!((h.views_change, h.best_post, h.advice), (None, None, None));
}

#[test]
fn a_report_without_actionable_advice_has_none_to_carry() {
    let json = report(serde_json::json!({
        "user": "alpha",
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "…"},
            {"kind": "best_time", "message": " ", "evidence": "…"},
            {"kind": "consistency", "message": "Keep your rhythm.", "evidence": "…"}
        ]
    }));
    let h = read_headline(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert_eq!(h.advice, None);
}

#[test]
fn an_account_links_to_its_html_report_only_when_that_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let json = |user: &str| report(serde_json::json!({"user": user})).to_string();
    for user in ["alpha", "beta"] {
        std::fs::create_dir(dir.path().join(user)).unwrap();
        std::fs::write(
            dir.path().join(user).join("report_2026-11-22.json"),
            json(user),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("alpha/report_2026-11-22.html"), "<html>").unwrap();
    let base: ReportUrl = "https://r.example/my reports/".parse().unwrap();
    let handles = [handle("alpha"), handle("beta")];
    let digest = load_digest(dir.path(), date, Some(&handles), texts(Some(&base))).unwrap();
    let links: Vec<(&str, Option<&str>)> = (digest.accounts.iter())
        .map(|a| (a.handle.as_str(), a.report_link.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "alpha",
                Some("https://r.example/my%20reports/alpha/report_2026-11-22.html")
            ),
            ("beta", None)
        ]
    );
    let unset = load_digest(dir.path(), date, Some(&handles), texts(None)).unwrap();
    assert!(unset.accounts.iter().all(|a| a.report_link.is_none()));
}

#[test]
fn chat_advice_rests_on_a_claim_from_schema_4_on() {
    let json = report(serde_json::json!({
        "schema_version": 4, "user": "alpha",
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "", "claim": null},
            {"kind": "best_time", "message": "No clear best time yet.", "evidence": "", "claim": null},
            {"kind": "double_down", "message": "Double down on #bread posts.", "evidence": "",
             "claim": {"dimension": "hashtag", "group": "bread", "measure": "median_views",
                       "value": 2.0, "baseline": 1.0, "posts": ["1"], "cited_post": null}}
        ]
    }));
    let h = read_headline(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert_eq!(h.advice.as_deref(), Some("Double down on #bread posts."));
}
