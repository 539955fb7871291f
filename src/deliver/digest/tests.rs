//! The digest read back from saved report files.

use super::*;

fn handle(name: &str) -> Handle {
    name.parse().unwrap()
}

#[test]
fn the_headline_reads_the_numbers_the_best_post_and_the_first_recommendation() {
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
        "recommendations": [{"kind": "momentum", "message": "Views rose.", "evidence": "…"}]
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
    assert_eq!(h.recommendation.as_deref(), Some("Views rose."));
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
    assert_eq!(
        (h.views_change, h.best_post, h.recommendation),
        (None, None, None)
    );
}
