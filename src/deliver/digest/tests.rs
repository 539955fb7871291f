//! The digest read back from saved report files.

use super::*;

fn handle(name: &str) -> Handle {
    name.parse().unwrap()
}

#[test]
fn the_headline_reads_the_numbers_the_best_post_and_the_first_actionable_recommendation() {
    let json = serde_json::json!({
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
        "posts": [{"id": "7", "caption": "why I bake\u{1b}[31m at 5am\n"}],
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "…"},
            {"kind": "consistency", "message": "Keep your rhythm.", "evidence": "…"},
            {"kind": "double_down", "message": "Double down on\u{1b}[31m #bread posts.", "evidence": "…"},
            {"kind": "drop", "message": "Make fewer photo posts.", "evidence": "…"}
        ]
    });
    let h = Headline::read(json.to_string().as_bytes(), &handle("alpha")).unwrap();
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
        Headline::read(json.to_string().as_bytes(), &handle("beta"))
            .unwrap_err()
            .contains("belongs to @alpha")
    );
    assert!(Headline::read(b"{}", &handle("alpha")).is_err());
}

#[test]
fn a_first_report_has_no_changes_and_a_link_must_be_https() {
    let json = serde_json::json!({
        "user": "alpha", "metrics": {"post_count": 0, "total_views": 0, "engagement_rate": null},
        "previous": null, "deltas": {},
        "top_by_views": [{"id": "1", "url": "javascript:alert(1)", "views": 0}]
    });
    let h = Headline::read(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert!(!h.compared);
    assert_eq!((h.views_change, h.best_post, h.advice), (None, None, None));
}

#[test]
fn a_report_without_actionable_advice_has_none_to_carry() {
    let json = serde_json::json!({
        "user": "alpha", "metrics": {"post_count": 3, "total_views": 10},
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "…"},
            {"kind": "best_time", "message": " ", "evidence": "…"},
            {"kind": "consistency", "message": "Keep your rhythm.", "evidence": "…"}
        ]
    });
    let h = Headline::read(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert_eq!(h.advice, None);
}

#[test]
fn an_account_links_to_its_html_report_only_when_that_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let json = |user: &str| {
        serde_json::json!({"user": user, "metrics": {"post_count": 1, "total_views": 5}})
            .to_string()
    };
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
    let digest = load_digest(dir.path(), date, Some(&handles), false, false, Some(&base)).unwrap();
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
    let unset = load_digest(dir.path(), date, Some(&handles), false, false, None).unwrap();
    assert!(unset.accounts.iter().all(|a| a.report_link.is_none()));
}

#[test]
fn chat_advice_rests_on_a_claim_from_schema_4_on() {
    let json = serde_json::json!({
        "schema_version": 4, "user": "alpha",
        "metrics": {"post_count": 3, "total_views": 300},
        "recommendations": [
            {"kind": "momentum", "message": "Views rose.", "evidence": "", "claim": null},
            {"kind": "best_time", "message": "No clear best time yet.", "evidence": "", "claim": null},
            {"kind": "double_down", "message": "Double down on #bread posts.", "evidence": "",
             "claim": {"dimension": "hashtag", "group": "bread", "measure": "median_views",
                       "value": 2.0, "baseline": 1.0, "posts": ["1"], "cited_post": null}}
        ]
    });
    let h = Headline::read(json.to_string().as_bytes(), &handle("alpha")).unwrap();
    assert_eq!(h.advice.as_deref(), Some("Double down on #bread posts."));
}
