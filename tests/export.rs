//! `tiktok-review export`: the saved weeks of several accounts, one row per post per report, as
//! CSV and JSON Lines, checked field by field against the report files the real runs wrote; a
//! caption that a spreadsheet would run is defused; unknown counts stay empty; no request is sent.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const ACCOUNTS: [&str; 2] = ["alphabakes", "betabrews"];

/// Two weeks of posts of `username`: this week's (to `AS_OF`) and last week's (to `WEEK_BEFORE`),
/// one with a formula for a caption, one without a save count, one without readable statistics.
fn posts_of(username: &str) -> Vec<Value> {
    let mut records = vec![
        record(
            "7570000000000000101",
            1794657600,
            stats(52_000, 4_100, 210, 95, Some(380)),
        ),
        record(
            "7570000000000000102",
            1794508200,
            stats(8_900, 610, 33, 12, None),
        ),
        record("7570000000000000103", 1794301200, json!("not statistics")),
        record(
            "7570000000000000104",
            1793977200,
            stats(21_400, 1_700, 88, 41, Some(150)),
        ),
        record(
            "7570000000000000105",
            1793739600,
            stats(0, 0, 0, 0, Some(0)),
        ),
    ];
    records[0]["desc"] = json!("=HYPERLINK(\"https://evil.example\",\"click\") #coffee");
    records[1]["desc"] = json!("-5 mistakes, \"quoted\" #barista\nsecond line");
    for (n, record) in records.iter_mut().enumerate() {
        record["aweme_id"] = json!(format!("75700000000000{:02}{:03}", username.len(), n));
        record["author"]["unique_id"] = json!(username);
    }
    records
}

fn stats(views: u64, likes: u64, comments: u64, shares: u64, saves: Option<u64>) -> Value {
    let mut stats = json!({ "play_count": views, "digg_count": likes,
                            "comment_count": comments, "share_count": shares });
    if let Some(saves) = saves {
        stats["collect_count"] = json!(saves);
    }
    stats
}

/// Serves `username`'s profile and one feed page holding both weeks, as often as asked.
async fn serve(env: &TestEnv, username: &str) {
    let sec_uid = format!("sec-{username}");
    let mut profile = fixture("profile.json");
    profile["data"]["user"]["sec_uid"] = json!(sec_uid);
    profile["data"]["user"]["unique_id"] = json!(username);
    Mock::given(method("POST"))
        .and(path(PROFILE_PATH))
        .and(body_partial_json(json!({ "username": username })))
        .respond_with(ResponseTemplate::new(200).set_body_json(profile))
        .mount(&env.server)
        .await;
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .and(body_partial_json(json!({ "sec_user_id": sec_uid })))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(
            posts_of(username),
            0,
            "0",
        )))
        .mount(&env.server)
        .await;
}

/// Two weekly runs over both accounts; then a stand-in that fails the test on any request.
async fn two_saved_weeks() -> TestEnv {
    let env = TestEnv::new().await;
    for username in ACCOUNTS {
        serve(&env, username).await;
    }
    for as_of in [WEEK_BEFORE, AS_OF] {
        env.cmd()
            .args(["run", "-q", "--as-of", as_of, "--user", &ACCOUNTS.join(",")])
            .assert()
            .success();
    }
    env.server.reset().await;
    forbid_requests(&env).await;
    env
}

fn export(env: &TestEnv, args: &[&str]) -> String {
    let output = env.bare_cmd().arg("export").args(args).output().unwrap();
    let (stdout, stderr) = texts(&output);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    stdout
}

/// RFC 4180 records: fields split on commas outside quotes, `""` inside quotes a quote, CRLF ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {
                assert_eq!(chars.next(), Some('\n'), "a bare CR ends no record");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(
        row.is_empty() && field.is_empty(),
        "the last record ends with CRLF"
    );
    rows
}

/// Every saved report of every account: (handle, week_end) → its JSON.
fn saved_reports(env: &TestEnv) -> BTreeMap<(String, String), Value> {
    let mut reports = BTreeMap::new();
    for username in ACCOUNTS {
        let dir = env.dir.path().join("tiktok_reports").join(username);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let report: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                let date = report["window"]["end"].as_str().unwrap()[..10].to_string();
                reports.insert((username.to_string(), date), report);
            }
        }
    }
    reports
}

/// What a CSV cell should hold for a report value: empty for null, the text for strings (a formula
/// defused), the number as written.
fn expected_cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(tags) => tags
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    };
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[tokio::test]
async fn every_post_of_every_saved_week_becomes_one_row_matching_its_report() {
    let env = two_saved_weeks().await;
    let reports = saved_reports(&env);
    assert_eq!(reports.len(), 4, "two weeks of two accounts");
    let rows = parse_csv(&export(&env, &[]));
    let header = &rows[0];
    assert_eq!(header.len(), 17);
    let mut seen = 0;
    for ((handle, week_end), report) in &reports {
        let mine: Vec<&Vec<String>> = rows[1..]
            .iter()
            .filter(|row| &row[0] == handle && &row[1] == week_end)
            .collect();
        let posts = report["posts"].as_array().unwrap();
        assert_eq!(mine.len(), posts.len(), "{handle} {week_end}");
        for (row, post) in mine.iter().zip(posts) {
            let has_statistics = post.get("has_statistics") != Some(&json!(false));
            for (column, cell) in header.iter().zip(row.iter()).skip(2) {
                let counted = [
                    "views",
                    "likes",
                    "comments",
                    "shares",
                    "saves",
                    "engagement_rate",
                ];
                let want = if !has_statistics && counted.contains(&column.as_str()) {
                    String::new()
                } else {
                    expected_cell(&post[column.as_str()])
                };
                assert_eq!(cell, &want, "{handle} {week_end} {column}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, rows.len() - 1, "no row that is not a saved post");
    assert_eq!(seen, 10, "3 posts this week and 2 last week, of 2 accounts");
}

#[tokio::test]
async fn a_formula_caption_is_defused_and_unknown_counts_stay_empty() {
    let env = two_saved_weeks().await;
    let csv = export(&env, &["--user", "alphabakes", "--since", "2026-11-15"]);
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 4, "header and this week's 3 posts: {csv}");
    let caption = |id_end: &str| {
        rows.iter()
            .find(|row| row[2].ends_with(id_end))
            .unwrap_or_else(|| panic!("{id_end}: {csv}"))
            .clone()
    };
    let formula = caption("000");
    assert_eq!(
        formula[5],
        "'=HYPERLINK(\"https://evil.example\",\"click\") #coffee"
    );
    assert!(csv.contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\") #coffee\""));
    let no_saves = caption("001");
    assert_eq!(no_saves[5], "'-5 mistakes, \"quoted\" #barista second line");
    assert_eq!((no_saves[6].as_str(), no_saves[10].as_str()), ("8900", ""));
    let unreadable = caption("002");
    assert_eq!(
        unreadable[6..12],
        ["", "", "", "", "", ""],
        "{unreadable:?}"
    );

    let jsonl = export(
        &env,
        &[
            "--user",
            "alphabakes",
            "--since",
            "2026-11-15",
            "--format",
            "jsonl",
        ],
    );
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0]["caption"],
        json!("=HYPERLINK(\"https://evil.example\",\"click\") #coffee")
    );
    assert_eq!(lines[1]["saves"], Value::Null);
    assert_eq!(lines[2]["views"], Value::Null);
    assert_eq!(lines[0]["hashtags"], json!(["coffee"]));
}

#[tokio::test]
async fn weeks_outside_since_and_until_are_left_out_and_a_reversed_range_is_refused() {
    let env = two_saved_weeks().await;
    let last_week = parse_csv(&export(&env, &["--until", "2026-11-08"]));
    assert!(
        last_week[1..].iter().all(|row| row[1] == "2026-11-08"),
        "{last_week:?}"
    );
    assert_eq!(last_week.len(), 1 + 2 * 2);
    let none = export(&env, &["--since", "2026-11-16"]);
    assert_eq!(parse_csv(&none).len(), 1, "only the header: {none}");
    let line = fails_with(
        env.bare_cmd()
            .args(["export", "--since", "2026-11-15", "--until", "2026-11-08"]),
        64,
    );
    assert!(
        line.contains("--since 2026-11-15 is after --until 2026-11-08"),
        "{line}"
    );
}
