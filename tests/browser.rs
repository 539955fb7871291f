//! A real browser opens the HTML report and tells what the HTML text cannot: how large each chart
//! and its text are drawn, whether the page fits a phone (390 px) and a desktop (1200 px) without
//! sideways scrolling (also with a 300-character unbroken caption and a long hashtag), whether
//! each table's key column is in view at 412 px, whether the heatmap's legend sits beside it and
//! its cells' tooltips hold their counts, and whether the browser logs a console error or a
//! Content-Security-Policy violation (the driver is in `chromium/`).
//!
//! Headless Chromium (Debian's `chromium`, which `.ci/run` installs) is driven over the DevTools
//! protocol on a pipe (`--remote-debugging-pipe`): the browser opens no port, and the measuring
//! JavaScript runs through `Runtime.evaluate`, which the page's CSP (no script at all) does not
//! govern, so the report is measured exactly as it ships. Chromium resolves no host but 127.0.0.1
//! and only ever opens `file://` pages here. Without Chromium each test is reported `ignored`
//! with the reason (the summary counts them), except under CI (`CI` set), where each fails.
//!
//! The file is its own harness (`harness = false`, libtest-mimic), because only at run time does
//! it know whether Chromium is there, and libtest can mark a test ignored only when compiling.

mod chromium;
mod common;
// The demo's weeks, to measure a report of realistic numbers; what each costs is tests/demo.rs's.
mod demo_data;

use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use chromium::Browser;
use common::*;
use libtest_mimic::{Arguments, Completion, Trial};
use serde_json::json;

/// One browser test: given Chromium's path, it measures and asserts (a failed assertion panics,
/// which the harness reports as a failure).
type Test = fn(PathBuf) -> Pin<Box<dyn Future<Output = ()>>>;

/// Every test of this file, by name.
fn tests() -> [(&'static str, Test); 6] {
    [
        (
            "the_html_report_fits_a_phone_and_a_desktop_with_every_chart_drawn_and_no_console_error",
            |b| {
                Box::pin(the_html_report_fits_a_phone_and_a_desktop_with_every_chart_drawn_and_no_console_error(b))
            },
        ),
        (
            "the_demos_report_reads_on_a_412_px_phone_and_its_heatmap_explains_itself",
            |b| {
                Box::pin(
                    the_demos_report_reads_on_a_412_px_phone_and_its_heatmap_explains_itself(b),
                )
            },
        ),
        (
            "the_overview_keeps_its_views_column_in_view_on_a_412_px_phone",
            |b| Box::pin(the_overview_keeps_its_views_column_in_view_on_a_412_px_phone(b)),
        ),
        (
            "the_competitors_section_keeps_its_median_column_in_view_on_a_412_px_phone",
            |b| {
                Box::pin(
                    the_competitors_section_keeps_its_median_column_in_view_on_a_412_px_phone(b),
                )
            },
        ),
        (
            "the_browser_check_catches_overflow_a_hidden_chart_and_csp_violations",
            |b| Box::pin(the_browser_check_catches_overflow_a_hidden_chart_and_csp_violations(b)),
        ),
        (
            "a_300_character_unbroken_caption_and_a_long_hashtag_still_fit_a_phone",
            |b| Box::pin(a_300_character_unbroken_caption_and_a_long_hashtag_still_fit_a_phone(b)),
        ),
    ]
}

/// Runs each test on its own single-threaded Tokio runtime (as `#[tokio::test]` would) where
/// Chromium is found; without it, each is `ignored` with the reason, or fails under CI.
fn main() {
    let args = Arguments::from_args();
    let browser = chromium::chromium();
    let in_ci = chromium::in_ci();
    let trials = tests()
        .into_iter()
        .map(|(name, test)| {
            let browser = browser.clone();
            Trial::ignorable_test(name, move || match browser {
                Some(browser) => {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| format!("a Tokio runtime: {e}"))?;
                    runtime.block_on(test(browser));
                    Ok(Completion::Completed)
                }
                None if in_ci => Err(chromium::MISSING_UNDER_CI.into()),
                None => Ok(Completion::ignored_with(chromium::MISSING)),
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The viewports the report must fit: a phone's and a desktop's.
const VIEWPORTS: [(u32, u32); 2] = [(390, 844), (1200, 900)];

async fn the_html_report_fits_a_phone_and_a_desktop_with_every_chart_drawn_and_no_console_error(
    browser: PathBuf,
) {
    let env = TestEnv::new().await;
    env.with_last_week(&[]).await;
    env.run(AS_OF, &["-q", "--tz", "Europe/Berlin"])
        .assert()
        .success();
    let page = env.user_dir().join("report_2026-11-15.html");

    let mut chromium = Browser::launch(&browser);
    for (width, height) in VIEWPORTS.into_iter().chain([PHONE]) {
        let layout = chromium.open(&page, width, height);
        assert!(!layout.charts.is_empty(), "no chart measured: {layout:#?}");
        assert_eq!(
            layout.problems(),
            Vec::<String>::new(),
            "at {width} px: {layout:#?}"
        );
        // Even in a 5-billion-view week, whose metrics table scrolls on a phone, each table's key
        // column is in view as the page opens.
        assert_key_columns_in_view(&mut chromium, width, &KEYS);
    }
}

/// A common Android phone's viewport, where each table's key column must be in view.
const PHONE: (u32, u32) = (412, 915);

/// Where the heatmap's legend is drawn, measured in the page: in the heatmap's card, under it.
const LEGEND: &str = "(() => {
  const legend = document.querySelector('.legend');
  const map = document.querySelector('svg.heatmap');
  const l = legend.getBoundingClientRect(), m = map.getBoundingClientRect();
  return { text: legend.textContent, items: legend.querySelectorAll('li').length,
    left: l.left, right: l.right, height: l.height, gap: l.top - m.bottom,
    same_card: legend.closest('.card') === map.closest('.card') };
})()";

/// Runs the demo's twelve weeks through the binary, as its cron would; returns the last week's
/// HTML report and its JSON.
async fn demo_reports(env: &TestEnv) -> (PathBuf, serde_json::Value) {
    let weeks = demo_data::weeks().unwrap();
    for week in &weeks {
        demo_data::serve(&env.server, week).await.unwrap();
        env.cmd()
            .args([
                "run",
                "-q",
                "--user",
                demo_data::HANDLE,
                "--tz",
                demo_data::TZ,
            ])
            .args(["--as-of", &week.as_of()])
            .assert()
            .success();
        env.verify_and_reset().await;
    }
    let dir = env
        .dir
        .path()
        .join("tiktok_reports")
        .join(demo_data::HANDLE);
    let last = &weeks[weeks.len() - 1].date;
    let json = std::fs::read(dir.join(format!("report_{last}.json"))).unwrap();
    (
        dir.join(format!("report_{last}.html")),
        serde_json::from_slice(&json).unwrap(),
    )
}

/// Each table of the page last opened, its key column checked to be the one expected (by the
/// table's title) and in view at `width` px.
fn assert_key_columns_in_view(chromium: &mut Browser, width: u32, expected: &[(&str, &str)]) {
    let tables = chromium.key_columns(width);
    for (title, key) in expected {
        let table = tables.iter().find(|t| t.title == *title);
        assert_eq!(
            table.map(|t| t.key.as_str()),
            Some(*key),
            "{title}: {tables:#?}"
        );
    }
    for table in &tables {
        assert_eq!(table.keys, 1, "one key column: {table:?}");
        assert!(table.cells > 1, "{table:?}");
        assert_eq!(
            table.outside,
            Vec::<String>::new(),
            "in view at {width} px: {table:?}"
        );
    }
}

/// `page` at each viewport and a phone's: no layout problem, and every table's key column (those of
/// `keys` by title) in view.
fn assert_fits_and_keys_in_view(browser: &Path, page: &Path, keys: &[(&str, &str)]) {
    let mut chromium = Browser::launch(browser);
    for (width, height) in VIEWPORTS.into_iter().chain([PHONE]) {
        let layout = chromium.open(page, width, height);
        assert_eq!(
            layout.problems(),
            Vec::<String>::new(),
            "at {width} px: {layout:#?}"
        );
        assert_key_columns_in_view(&mut chromium, width, keys);
    }
}

/// The tables of a report with a previous one, and their key columns.
const KEYS: [(&str, &str); 7] = [
    ("This week", "this week"),
    ("Top posts by engagement", "engagement"),
    ("Bottom posts by engagement", "engagement"),
    ("Last week's posts, a week later", "growth"),
    ("By weekday", "median views"),
    ("Hashtags (most viewed)", "views"),
    ("Length and format", "median views"),
];

async fn the_demos_report_reads_on_a_412_px_phone_and_its_heatmap_explains_itself(
    browser: PathBuf,
) {
    let env = TestEnv::new().await;
    let (page, report) = demo_reports(&env).await;

    let mut chromium = Browser::launch(&browser);
    let (width, height) = PHONE;
    let layout = chromium.open(&page, width, height);
    assert_eq!(layout.problems(), Vec::<String>::new(), "{layout:#?}");
    assert_eq!(
        layout.scrolling,
        Vec::<String>::new(),
        "no table scrolls sideways: {layout:#?}"
    );
    let mut keys = KEYS.to_vec();
    keys.extend([
        ("Breakouts", "× your median"),
        ("Best slots (at least 2 posts)", "median views"),
    ]);
    assert_key_columns_in_view(&mut chromium, width, &keys);

    let legend = chromium.evaluate(LEGEND);
    assert_eq!(legend["same_card"], true, "{legend}");
    let (left, right) = (
        legend["left"].as_f64().unwrap(),
        legend["right"].as_f64().unwrap(),
    );
    assert!(left >= 0.0 && right <= f64::from(width), "{legend}");
    assert!(legend["height"].as_f64().unwrap() > 0.0, "{legend}");
    assert!(
        (0.0..40.0).contains(&legend["gap"].as_f64().unwrap()),
        "right under the heatmap: {legend}"
    );
    let words = legend["text"].as_str().unwrap();
    for phrase in [
        "2× your median views or more",
        "about your median",
        "half your median or less",
        "a single post",
        "no posts",
    ] {
        assert!(words.contains(phrase), "{phrase:?} in {words}");
    }

    // Each hour's tooltip holds its count of posts, as the report's JSON has it.
    let titles = chromium.evaluate(
        "[...document.querySelectorAll('svg.heatmap g.cell > title')].map(t => t.textContent)",
    );
    let titles: Vec<&str> = titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 7 * 24);
    let cells = report["insights"]["posting_times"]["heatmap"]
        .as_array()
        .unwrap();
    assert!(!cells.is_empty());
    for cell in cells {
        let when = format!(
            "{} {:02}:00–",
            cell["weekday"].as_str().unwrap(),
            cell["hour"].as_u64().unwrap()
        );
        let title = titles.iter().find(|t| t.starts_with(&when)).unwrap();
        let posts = cell["posts"].as_u64().unwrap();
        let count = match posts {
            1 => "1 post".to_string(),
            n => format!("{n} posts"),
        };
        assert!(
            title.contains(&format!(": {count}")),
            "{title:?} for {cell}"
        );
    }
    let with_posts = titles.iter().filter(|t| !t.ends_with(": no posts")).count();
    assert_eq!(with_posts, cells.len());

    // The check bites: a key column pushed past the phone's edge is reported.
    chromium.evaluate("document.querySelector('th.key').style.paddingLeft = '600px'");
    let spoiled = chromium.key_columns(width);
    assert!(!spoiled[0].outside.is_empty(), "{spoiled:#?}");
}

async fn the_overview_keeps_its_views_column_in_view_on_a_412_px_phone(browser: PathBuf) {
    let env = TestEnv::new().await;
    // Handles as long as TikTok allows (24 characters), which a phone must wrap.
    let names = ["bakery_of_the_long_names", "second.account.longnames", "ab"];
    for name in names {
        serve_account_pages(&env, name, 1, std::time::Duration::ZERO).await;
    }
    env.cmd()
        .args(["run", "-q", "--user", &names.join(","), "--as-of", AS_OF])
        .assert()
        .success();
    let page = env
        .dir
        .path()
        .join("tiktok_reports/overview_2026-11-15.html");

    assert_fits_and_keys_in_view(&browser, &page, &[("(untitled)", "views")]);
}

async fn the_competitors_section_keeps_its_median_column_in_view_on_a_412_px_phone(
    browser: PathBuf,
) {
    let env = TestEnv::new().await;
    // Competitors with handles as long as TikTok allows, which a phone must wrap.
    let rivals = ["bakery_of_the_long_names", "second.account.longnames"];
    for name in rivals.iter().chain(&["ab"]) {
        serve_account_pages(&env, name, 1, std::time::Duration::ZERO).await;
    }
    env.cmd()
        .args(["run", "-q", "--user", "ab", "--compare", &rivals.join(",")])
        .args(["--as-of", AS_OF])
        .assert()
        .success();
    let page = env
        .dir
        .path()
        .join("tiktok_reports/ab/report_2026-11-15.html");

    assert_fits_and_keys_in_view(&browser, &page, &[("Competitors", "median views")]);
}

async fn the_browser_check_catches_overflow_a_hidden_chart_and_csp_violations(browser: PathBuf) {
    let env = TestEnv::new().await;
    env.serve_feed("profile.json", [1, 1, 0, 0]).await;
    env.run(AS_OF, &["-q"]).assert().success();
    let html = std::fs::read_to_string(env.user_dir().join("report_2026-11-15.html")).unwrap();
    // The report spoiled in each way the check looks for: a box wider than a phone, a chart drawn
    // at no size, an image and a script the CSP blocks.
    let spoiled = html.replacen(
        "</main>",
        "<div style=\"width: 700px\">wide</div>\
         <svg class=\"chart\" style=\"display: none\"></svg>\
         <svg class=\"chart\" viewBox=\"0 0 2000 100\"><text x=\"1990\" y=\"50\">tiny and cut</text></svg>\
         <img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\">\
         <script>console.error('the blocked script ran')</script></main>",
        1,
    );
    let page = env.dir.path().join("spoiled.html");
    std::fs::write(&page, spoiled).unwrap();

    let mut chromium = Browser::launch(&browser);
    let phone = chromium.open(&page, 390, 844);
    let problems = phone.problems().join("\n");
    for expected in [
        "the page scrolls sideways: 7",
        "wider than the viewport: div spans",
        "is not drawn: 0 x 0 px",
        "px: tiny and cut",
        "chart text runs past its chart: tiny and cut",
        "CSP violation: img-src blocked http://127.0.0.1:9/pixel.png",
        "CSP violation: script-src-elem blocked inline",
        "console: \"security\"",
    ] {
        assert!(
            problems.contains(expected),
            "{expected:?} not in:\n{problems}"
        );
    }
    assert!(
        !problems.contains("script ran"),
        "the blocked script ran:\n{problems}"
    );
    let desktop = chromium.open(&page, 1200, 900).problems().join("\n");
    assert!(
        !desktop.contains("wider than the viewport"),
        "700 px fit a desktop:\n{desktop}"
    );
}

/// A 300-character caption without a space, whose hashtag is 120 characters long.
fn unbroken_caption() -> String {
    format!("{} #{}", "W".repeat(300), "verylonghashtag".repeat(8))
}

/// Serves a week of seven posts with captions a layout must survive: the unbroken caption (on the
/// three most viewed, so that its hashtag also reaches a recommendation), a bare URL, emoji and
/// CJK text, five posts on one Saturday.
async fn serve_hostile_week(env: &TestEnv) {
    env.serve_profile(
        ResponseTemplate::new(200).set_body_json(fixture("profile.json")),
        1,
    )
    .await;
    let url = format!("https://example.com/{}", "path/".repeat(40));
    let captions = [
        unbroken_caption(),
        unbroken_caption(),
        unbroken_caption(),
        url,
        "☕️ 咖啡 ".repeat(20),
        "morning latte".to_string(),
        String::new(),
    ];
    // Saturday 2026-11-14 from 09:00 UTC, two hours apart; the last on Friday.
    let records = captions
        .iter()
        .enumerate()
        .map(|(i, caption)| {
            let at = if i == 6 {
                1_794_560_400
            } else {
                1_794_646_800 + i as i64 * 7_200
            };
            let views = if i < 3 {
                50_000 + i as u64
            } else {
                2_000 + i as u64
            };
            let mut r = record(
                &format!("75790000000000001{i:02}"),
                at,
                json!({ "play_count": views, "digg_count": views / 20, "comment_count": 5,
                        "share_count": 2, "collect_count": 1 }),
            );
            r["desc"] = json!(caption);
            r
        })
        .collect();
    Mock::given(method("POST"))
        .and(path(POSTS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(posts_answer(records, 0, "0")))
        .expect(1)
        .mount(&env.server)
        .await;
}

async fn a_300_character_unbroken_caption_and_a_long_hashtag_still_fit_a_phone(browser: PathBuf) {
    let env = TestEnv::new().await;
    serve_hostile_week(&env).await;
    env.run(AS_OF, &["-q"]).assert().success();
    let page = env.user_dir().join("report_2026-11-15.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let tag = "verylonghashtag".repeat(8);
    assert!(html.contains(&format!("#{tag}</td>")), "the hashtag table");
    assert!(
        html.contains(&format!("Double down on #{tag} posts")),
        "a recommendation"
    );
    assert!(html.contains("Sat 14 Nov 09:00 · WWW"), "a chart label");

    let mut chromium = Browser::launch(&browser);
    for (width, height) in VIEWPORTS.into_iter().chain([PHONE]) {
        let layout = chromium.open(&page, width, height);
        assert_eq!(
            layout.problems(),
            Vec::<String>::new(),
            "at {width} px: {layout:#?}"
        );
        let keys = [
            ("Hashtags (most viewed)", "views"),
            ("Top posts by engagement", "engagement"),
        ];
        assert_key_columns_in_view(&mut chromium, width, &keys);
        // Wide tables of numbers may scroll in their card on a phone; what holds a caption or a
        // hashtag wraps instead, and on a desktop nothing scrolls.
        let caused_by_text: Vec<&String> = (layout.scrolling.iter())
            .filter(|s| width > 600 || s.contains("(hashtag)") || s.contains("(Hashtags"))
            .collect();
        assert!(caused_by_text.is_empty(), "at {width} px: {layout:#?}");
    }
}
