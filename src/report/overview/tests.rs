//! The overview's rows, totals, JSON round trip and both readable forms.

use super::render::file_link;
use super::*;
use crate::analysis::metrics::tests::post;
use crate::report::render::tests::report_of;

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 15).unwrap()
}

fn at() -> DateTime<Utc> {
    "2026-11-15T20:00:03Z".parse().unwrap()
}

/// A real report of `@xy` holding `posts`, read back from its JSON.
fn saved(handle: &str, views: &[u64]) -> AccountResult {
    let posts: Vec<_> = (views.iter().enumerate())
        .map(|(i, v)| {
            let mut p = post(
                &format!("75780000000000003{i:02}"),
                1_794_600_000,
                *v,
                10,
                1,
                1,
            );
            p.url = format!("https://www.tiktok.com/@{handle}/video/{}", p.id);
            p
        })
        .collect();
    let mut report = report_of(&posts, &[]);
    report.user = handle.to_string();
    report.api.requests = 3;
    report.api.credits_used = 2;
    AccountResult::Saved {
        handle: handle.parse().unwrap(),
        report: std::sync::Arc::new(serde_json::from_slice(&report.to_json()).unwrap()),
        report_file: format!("{handle}/report_2026-11-15.html"),
    }
}

fn failed(handle: &str, reason: &str) -> AccountResult {
    AccountResult::Failed {
        handle: handle.parse().unwrap(),
        reason: reason.to_string(),
        requests: 1,
        credits_used: 0,
    }
}

#[test]
fn rows_go_by_views_with_failed_accounts_last_and_the_totals_sum_them() {
    let overview = build(
        date(),
        at(),
        &[
            failed("zed", "Scavio rejected the key"),
            saved("small", &[100, 200]),
            failed("ghost", "TikTok user @ghost does not exist"),
            saved("big", &[5_000, 1_000, 50]),
            saved("tie", &[300]),
        ],
    );
    let order: Vec<&str> = overview.rows.iter().map(|r| r.handle.as_str()).collect();
    assert_eq!(order, ["big", "small", "tie", "ghost", "zed"]);
    assert_eq!(
        overview.totals,
        Totals {
            accounts: 5,
            ok: 3,
            failed: 2,
            posts: 6,
            views: 6_650,
            followers: 0,
            requests: 11,
            credits_used: 6,
        }
    );
    let big = &overview.rows[0];
    assert_eq!(big.status, Status::Ok);
    assert_eq!(big.posts, Some(3));
    assert_eq!(big.median_views, Some(1_000.0));
    assert_eq!(
        big.best_post_url.as_deref(),
        Some("https://www.tiktok.com/@big/video/7578000000000000300")
    );
    assert_eq!(
        big.report_file.as_deref(),
        Some("big/report_2026-11-15.html")
    );
    let ghost = &overview.rows[3];
    assert_eq!(ghost.status, Status::Failed);
    assert_eq!(
        ghost.reason.as_deref(),
        Some("TikTok user @ghost does not exist")
    );
    assert_eq!((ghost.views, ghost.report_file.as_deref()), (None, None));
}

#[test]
fn the_json_reads_back_to_the_same_overview_and_the_same_bytes() {
    let overview = build(
        date(),
        at(),
        &[saved("big", &[5_000, 1_000]), failed("ghost", "gone")],
    );
    let json = to_json(&overview);
    let back = read(&json).unwrap();
    assert_eq!(back, overview);
    assert_eq!(to_json(&back), json);
    let failed_rows: Vec<AccountResult> = back
        .rows
        .iter()
        .filter_map(AccountResult::from_failed_row)
        .collect();
    assert_eq!(failed_rows, [failed("ghost", "gone")]);
    let text = String::from_utf8(json).unwrap();
    assert!(text.contains("\"status\": \"failed\""), "{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn an_edited_overview_cannot_smuggle_a_handle_into_a_link() {
    let overview = build(date(), at(), &[failed("ghost", "gone")]);
    let text = String::from_utf8(to_json(&overview)).unwrap();
    for bad in ["../x", "a\"b", "GHOST", "@ghost"] {
        let edited = text.replace("\"ghost\"", &serde_json::to_string(bad).unwrap());
        assert!(read(edited.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn changes_read_with_their_arrow_and_unit() {
    let mut account = saved("big", &[5_000]);
    if let AccountResult::Saved { report, .. } = &mut account {
        let report = std::sync::Arc::make_mut(report);
        use crate::analysis::diff::Delta;
        use crate::analysis::metrics::Metric;
        report.account.followers = Some(48_210);
        let change = |metric: Metric, change, change_pct| {
            let delta = Delta {
                change: Some(change),
                change_pct: Some(change_pct),
                ..Delta::between(None, None, metric.kind())
            };
            (metric, delta)
        };
        report.deltas = [
            change(Metric::TotalViews, -100.0, -1.96),
            change(Metric::EngagementRate, 0.64, 7.0),
            change(Metric::Followers, 1_204.0, 2.5),
        ]
        .into();
    }
    let overview = build(date(), at(), &[account]);
    let md = markdown(&overview);
    assert!(
        md.contains("| 1 | [@big](big/report_2026-11-15.html) | 48,210 (▲ 1,204) | 1 | 5,000 (▼ 1.96%) | 5,000 | 0.24% (▲ 0.6 pts) | 0 | [watch](https://www.tiktok.com/@big/video/7578000000000000300) | ok |"),
        "{md}"
    );
    let page = html(&overview);
    assert!(
        page.contains("48,210<span class=\"change up\">▲ 1,204</span>"),
        "{page}"
    );
    assert!(page.contains("5,000<span class=\"change down\">▼ 1.96%</span>"));
}

#[test]
fn a_failed_row_says_why_in_both_forms_and_outside_text_stays_text() {
    let overview = build(
        date(),
        at(),
        &[
            saved("big", &[5_000]),
            failed("ghost", "nope | [x](javascript:y) <b>\u{1b}[31m\nnext"),
        ],
    );
    let md = markdown(&overview);
    assert!(
        md.contains(
            "| | @ghost | | | | | | | | failed: nope \\| \\[x\\](javascript:y) \\<b\\> next |"
        ),
        "{md}"
    );
    let page = html(&overview);
    assert!(page.contains(
        "<td class=\"text down\" colspan=\"7\">failed: nope | [x](javascript:y) &lt;b&gt; next</td>"
    ), "{page}");
    assert!(!page.contains('\u{1b}') && !md.contains('\u{1b}'));
    assert!(page.contains("<a href=\"big/report_2026-11-15.html\">@big</a>"));
    assert!(page.contains("default-src 'none'"));
    assert!(!page.contains("<script") && !page.contains("src=\"http"));
}

#[test]
fn the_headline_counts_in_the_singular_and_plural() {
    let overview = build(
        date(),
        at(),
        &[saved("big", &[5_000]), failed("ghost", "x")],
    );
    let md = markdown(&overview);
    assert!(md.starts_with(
        "# Overview — week to 2026-11-15\n\n**2 accounts · 1 post · 5,000 views**\n\n1 report, 1 failed · 4 requests, 2 credits used.\n"
    ), "{md}");
}

#[test]
fn only_report_files_of_the_stores_shape_are_linked() {
    assert_eq!(
        file_link("ab/report_2026-11-15.html"),
        "ab/report_2026-11-15.html"
    );
    for bad in [
        "/etc/passwd",
        "../x/report.html",
        "javascript:x",
        "a b",
        "x\"y",
    ] {
        assert_eq!(file_link(bad), "#", "{bad}");
    }
}
