//! The pure parts of a run, timed: parsing a 10-page response set, and metrics, ranking, insights
//! and a whole report over 10,000 posts of history. Run with `cargo bench`.

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tiktok_review::analysis::breakout::Baseline;
use tiktok_review::analysis::{insights, metrics, ranking};
use tiktok_review::handle::Handle;
use tiktok_review::model::{Account, ApiUsage, Format, Post, Window};
use tiktok_review::report::{self, Earlier, PostEntry, PreviousRef, Report};
use tiktok_review::scavio::parse_posts_answer;

const PAGES: [&[u8]; 4] = [
    include_bytes!("../tests/fixtures/posts_page1.json"),
    include_bytes!("../tests/fixtures/posts_page2.json"),
    include_bytes!("../tests/fixtures/posts_page3.json"),
    include_bytes!("../tests/fixtures/posts_page4.json"),
];
/// The same feed as `PAGES`, as Scavio's web leg answers it (`itemList`).
const WEB_PAGES: [&[u8]; 4] = [
    include_bytes!("../tests/fixtures/web_page1.json"),
    include_bytes!("../tests/fixtures/web_page2.json"),
    include_bytes!("../tests/fixtures/web_page3.json"),
    include_bytes!("../tests/fixtures/web_page4.json"),
];

fn as_of() -> DateTime<Utc> {
    DateTime::from_timestamp(1_794_772_800, 0).unwrap()
}

/// `n` posts, one every 30 minutes back from as-of, with varied counts, tags and lengths.
fn posts(n: usize) -> Vec<Post> {
    (0..n)
        .map(|i| {
            let views = (i as u64 * 7_919) % 250_000 + 100;
            Post {
                id: format!("{}", 7_500_000_000_000_000_000u64 + i as u64),
                url: format!("https://www.tiktok.com/@bench/video/{i}"),
                caption: format!("post {i}"),
                posted_at: as_of() - Duration::minutes(30 * (i as i64 + 1)),
                views,
                likes: views / 12,
                comments: views / 300,
                shares: views / 500,
                saves: Some(views / 90),
                has_statistics: true,
                duration_s: Some((i % 200) as f64 + 3.5),
                hashtags: vec![format!("tag{}", i % 40), "coffee".to_string()],
                pinned: false,
                format: if i % 9 == 0 {
                    Format::Photo
                } else {
                    Format::Video
                },
                original_sound: Some(i % 3 == 0),
            }
        })
        .collect()
}

/// The report of an empty week to `end`: the base of an earlier week's report.
fn empty_week(user: &Handle, end: DateTime<Utc>, tz: chrono_tz::Tz) -> Report {
    report::build(report::Inputs {
        user,
        generated_at: end,
        window: Window::week_ending(end),
        account: &Account::default(),
        posts: &[],
        previous: None,
        history: &[],
        history_weeks: 0,
        tz,
        api: ApiUsage::default(),
        fetch_notes: &[],
        industry: Default::default(),
    })
}

fn parsing(c: &mut Criterion) {
    let handle: Handle = "examplecreator".parse().unwrap();
    for (leg, pages) in [("", PAGES), (" of the web leg", WEB_PAGES)] {
        let bodies: Vec<&[u8]> = (0..10).map(|i| pages[i % 4]).collect();
        let bytes: usize = bodies.iter().map(|b| b.len()).sum();
        c.bench_function(
            &format!("parse 10 pages{leg} ({} KiB)", bytes / 1024),
            |b| {
                b.iter(|| {
                    for body in &bodies {
                        black_box(parse_posts_answer(black_box(body), &handle).unwrap());
                    }
                })
            },
        );
    }
}

fn computing(c: &mut Criterion) {
    let history = posts(10_000);
    let window = Window::week_ending(as_of());
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let twice: Vec<Post> = history.iter().chain(&history).cloned().collect();
    let everything = Window {
        start: as_of() - Duration::days(3650),
        end: as_of() + Duration::days(1),
    };
    c.bench_function("select and deduplicate 20000 posts (each id twice)", |b| {
        b.iter(|| black_box(metrics::posts_in_window(black_box(&twice), &everything)))
    });
    c.bench_function("metrics over 10000 posts", |b| {
        b.iter(|| black_box(metrics::of_week(black_box(&history))))
    });
    c.bench_function("ranking over 10000 posts", |b| {
        b.iter(|| black_box(ranking::rank(black_box(&history))))
    });
    let basis: Vec<&Post> = history.iter().collect();
    c.bench_function("insights over 10000 posts", |b| {
        b.iter(|| {
            black_box(insights::compute(
                black_box(&basis),
                30,
                &history[..336],
                tz,
            ))
        })
    });

    // A whole report: this week's 336 posts plus 29 earlier weekly reports holding the rest.
    let handle: Handle = "bench".parse().unwrap();
    let earlier: Vec<Earlier> = history[336..]
        .chunks(336)
        .enumerate()
        .map(|(week, chunk)| {
            let end = as_of() - Duration::weeks(week as i64 + 1);
            Earlier {
                reference: PreviousRef {
                    date: end.date_naive(),
                    file: format!("report_{}.json", end.date_naive()),
                },
                report: Report {
                    schema_version: 2,
                    user: "bench".into(),
                    window: Window::week_ending(end),
                    account: Account::default(),
                    metrics: metrics::of_week(chunk),
                    posts: chunk
                        .iter()
                        .map(|p| PostEntry::new(p.clone(), end, &Baseline::of(chunk)))
                        .collect(),
                    ..empty_week(&handle, end, tz)
                },
            }
        })
        .collect();
    c.bench_function("report over 10000 posts of history", |b| {
        b.iter(|| {
            let r = report::build(report::Inputs {
                user: &handle,
                generated_at: as_of(),
                window,
                account: &Account::default(),
                posts: &history[..336],
                previous: earlier.first(),
                history: &earlier,
                history_weeks: 30,
                tz,
                api: ApiUsage::default(),
                fetch_notes: &[],
                industry: Default::default(),
            });
            black_box(r.to_json())
        })
    });
}

criterion_group!(benches, parsing, computing);
criterion_main!(benches);
