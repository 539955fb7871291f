//! Assembles one week's [`Report`] from the fetched posts, the window and the earlier reports:
//! every analysis runs once here, in pipeline order. Pure.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    Earlier, Headline, PostEntry, Ranked, Report, SCHEMA_VERSION, TREND_WEEKS, TrendPoint,
};
use crate::analysis::benchmark::{self, Industry};
use crate::analysis::breakout::Baseline;
use crate::analysis::diff::{self, Snapshot};
use crate::analysis::{followup, insights, metrics, ranking, recommend};
use crate::handle::Handle;
use crate::model::{Account, ApiUsage, Post, Window, weeks_apart};

/// Everything a report is made of, gathered by the run.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// Whose report.
    pub user: &'a Handle,
    /// When the run happens.
    pub generated_at: DateTime<Utc>,
    /// The week.
    pub window: Window,
    /// Profile figures.
    pub account: &'a Account,
    /// Every post fetched (the week is selected from them).
    pub posts: &'a [Post],
    /// The most recent earlier week's report (see `Weeks`), if any: what the deltas compare with.
    pub previous: Option<&'a Earlier>,
    /// Earlier reports, one per week (see `Weeks`), newest first, at least as far back as
    /// `history_weeks` and the trend need.
    pub history: &'a [Earlier],
    /// Weeks of earlier reports the insights draw on.
    pub history_weeks: u32,
    /// The creator's time zone.
    pub tz: Tz,
    /// What the run spent.
    pub api: ApiUsage,
    /// Data-quality notes from the fetch (unreadable counts and records), for `data_quality`.
    pub fetch_notes: &'a [String],
    /// The benchmark row the week's engagement rate is compared with.
    pub industry: Industry,
}

/// Assembles the week's report from its inputs.
pub fn build(inputs: Inputs<'_>) -> Report {
    let as_of = inputs.window.end;
    let week = metrics::posts_in_window(inputs.posts, &inputs.window);
    let metrics = metrics::of_week(&week);
    let date = as_of.date_naive();
    let within = |weeks: u32| {
        let since = date - chrono::Days::new(7 * u64::from(weeks));
        move |e: &&Earlier| e.reference.date >= since
    };
    let history: Vec<&Earlier> = inputs
        .history
        .iter()
        .filter(within(inputs.history_weeks))
        .collect();
    // An earlier week's post that this run's pages hold again counts with its newest figures.
    let fetched: HashMap<&str, &Post> = (inputs.posts.iter())
        .filter(|p| p.has_statistics)
        .map(|p| (p.id.as_str(), p))
        .collect();
    let earlier_posts = (history.iter().flat_map(|e| &e.report.posts))
        .map(|e| fetched.get(e.post.id.as_str()).copied().unwrap_or(&e.post));
    let basis = insights::basis(week.iter().chain(earlier_posts));
    let baseline = Baseline::of(basis.iter().copied());
    let posts: Vec<PostEntry> = (week.iter())
        .map(|p| PostEntry::new(p.clone(), as_of, &baseline))
        .collect();
    let rankings = ranking::rank(&posts);
    let ranked = |list: &[&PostEntry]| -> Vec<Ranked> {
        (list.iter().enumerate())
            .map(|(i, entry)| Ranked {
                rank: i + 1,
                entry: (*entry).clone(),
            })
            .collect()
    };
    let engagement_band = ranking::band(&posts);
    let (top, bottom, top_by_views) = (
        ranked(&rankings.top),
        ranked(&rankings.bottom),
        ranked(&rankings.top_by_views),
    );
    // How far back the report compared with is: 1 for last week's.
    let weeks_since_previous =
        (inputs.previous).map(|e| weeks_apart(inputs.window.end.date_naive(), e.reference.date));
    let deltas = diff::deltas(
        inputs.previous.map(|earlier| Snapshot {
            metrics: &earlier.report.metrics,
            account: &earlier.report.account,
        }),
        Snapshot {
            metrics: &metrics,
            account: inputs.account,
        },
    );
    let mut insights = insights::compute(&basis, history.len() + 1, &week, inputs.tz);
    insights
        .data_quality
        .extend(inputs.fetch_notes.iter().cloned());
    if let Some(note) = (inputs.previous.zip(weeks_since_previous))
        .and_then(|(e, weeks)| insights::earlier_saves_note(&metrics, &e.report.metrics, weeks))
    {
        insights.data_quality.push(note);
    }
    let earlier_post_counts: Vec<u64> = history
        .iter()
        .map(|e| e.report.metrics.post_count)
        .collect();
    let mut trend: Vec<TrendPoint> = inputs
        .history
        .iter()
        .filter(within(TREND_WEEKS - 1))
        .map(|e| TrendPoint::new(e.reference.date, &Headline::of(&e.report)))
        .collect();
    trend.reverse();
    let week_posts: Vec<recommend::WeekPost> = (posts.iter())
        .map(|e| recommend::WeekPost {
            post: &e.post,
            too_new: e.too_new,
            breakout: e.breakout.then_some(e.vs_median).flatten(),
        })
        .collect();
    // No advice rests on a post this report or an earlier one called views without engagement.
    let unengaged: Vec<&str> = (posts.iter())
        .chain(history.iter().flat_map(|e| &e.report.posts))
        .filter(|e| e.views_without_engagement)
        .map(|e| e.post.id.as_str())
        .collect();
    // Nor a claim on engagement on a post with more likes, comments or shares than views.
    let inflated: Vec<&str> = (basis.iter().filter(|p| insights::exceeds_views(p)))
        .map(|p| p.id.as_str())
        .collect();
    let notes = (posts.iter().filter(|e| e.views_without_engagement)).filter_map(|e| {
        Some(recommend::unengaged_note(
            &e.post,
            e.vs_median?,
            baseline.median_rate()?,
        ))
    });
    insights.data_quality.extend(notes);
    let recommendations = recommend::recommend(&recommend::Evidence {
        metrics: &metrics,
        deltas: &deltas,
        weeks_since_previous,
        insights: &insights,
        earlier_post_counts: &earlier_post_counts,
        week: &week_posts,
        unengaged: &unengaged,
        inflated: &inflated,
    });
    let followup = inputs
        .previous
        .map(|e| {
            let then = e.report.posts.iter().map(|p| &p.post);
            followup::followup(then, e.report.window.end, inputs.posts, as_of)
        })
        .unwrap_or_default();
    let benchmark = benchmark::of_week(inputs.industry, &week);
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        user: inputs.user.to_string(),
        role: super::Role::Account,
        generated_at: inputs.generated_at,
        window: inputs.window,
        account: inputs.account.clone(),
        posts,
        metrics,
        top,
        bottom,
        top_by_views,
        engagement_band,
        previous: inputs.previous.map(|earlier| earlier.reference.clone()),
        deltas,
        followup,
        insights: Some(insights),
        trend,
        benchmark: Some(benchmark),
        recommendations,
        competitors: Vec::new(),
        api: inputs.api,
    };
    let this_week = TrendPoint::new(date, &Headline::of(&report));
    report.trend.push(this_week);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics::Metrics;
    use crate::report::PreviousRef;
    use chrono::NaiveDate;

    /// The report of an empty `window`, as a base for earlier reports.
    pub(crate) fn empty(window: Window) -> Report {
        build(Inputs {
            user: &"examplecreator".parse().unwrap(),
            generated_at: window.end,
            window,
            account: &Account::default(),
            posts: &[],
            previous: None,
            history: &[],
            history_weeks: 0,
            tz: chrono_tz::Tz::UTC,
            api: ApiUsage::default(),
            fetch_notes: &[],
            industry: Industry::default(),
        })
    }

    /// A small week: a video with a hashtag, a photo with 0 views, and a pinned post from before the
    /// window; compared with a previous report of 3 posts.
    fn small_week() -> Report {
        use crate::analysis::metrics::tests::post;
        use crate::model::Format;
        let end: DateTime<Utc> = "2026-11-15T20:00:00Z".parse().unwrap();
        let mut video = post(
            "7579000000000000002",
            end.timestamp() - 30 * 3600,
            12_000,
            900,
            40,
            20,
        );
        video.hashtags = vec!["coffee".into()];
        video.caption = "the espresso ratio #coffee".into();
        video.saves = Some(15);
        let mut photo = post(
            "7579000000000000001",
            end.timestamp() - 5 * 3600,
            0,
            40,
            2,
            1,
        );
        photo.format = Format::Photo;
        photo.duration_s = None;
        let mut pinned = post(
            "7550000000000000001",
            end.timestamp() - 90 * 86_400,
            99,
            9,
            0,
            0,
        );
        pinned.pinned = true;
        // Last week's post, seen again on this week's pages with more views.
        let last_week = |views| {
            post(
                "7578000000000000001",
                end.timestamp() - 9 * 86_400,
                views,
                40,
                2,
                1,
            )
        };
        let previous = Earlier {
            reference: PreviousRef {
                date: NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(),
                file: "report_2026-11-08.json".into(),
            },
            report: Report {
                schema_version: 2,
                user: "examplecreator".into(),
                window: Window::week_ending("2026-11-08T20:00:00Z".parse().unwrap()),
                account: Account {
                    followers: Some(40_000),
                    ..Account::default()
                },
                metrics: Metrics {
                    post_count: 3,
                    total_views: 9_000,
                    total_likes: 600,
                    engagement_rate: Some(7.0),
                    ..metrics::of_week(&[])
                },
                posts: vec![crate::report::PostEntry::new(
                    last_week(800),
                    "2026-11-08T20:00:00Z".parse().unwrap(),
                    &crate::analysis::breakout::Baseline::of([]),
                )],
                ..empty(Window::week_ending("2026-11-08T20:00:00Z".parse().unwrap()))
            },
        };
        build(Inputs {
            user: &"examplecreator".parse().unwrap(),
            generated_at: end,
            window: Window::week_ending(end),
            account: &Account {
                followers: Some(40_500),
                following: Some(12),
                likes_total: Some(900_000),
                videos_total: Some(311),
            },
            posts: &[pinned, video, photo, last_week(1_000)],
            previous: Some(&previous),
            history: std::slice::from_ref(&previous),
            history_weeks: 8,
            tz: "Europe/Berlin".parse().unwrap(),
            api: ApiUsage {
                requests: 3,
                credits_used: 3,
                credits_remaining: Some(6_542),
                leg: Some(crate::model::Leg::App),
            },
            fetch_notes: &[],
            industry: Industry::default(),
        })
    }

    /// `value` as `path = compact JSON` lines, objects and arrays opened two levels deep.
    fn lines(value: &serde_json::Value, path: &str, depth: usize, out: &mut String) {
        use serde_json::Value;
        match value {
            Value::Object(map) if depth < 2 && !map.is_empty() => {
                for (k, v) in map {
                    let sep = if path.is_empty() { "" } else { "." };
                    lines(v, &format!("{path}{sep}{k}"), depth + 1, out);
                }
            }
            Value::Array(items) if depth < 2 && !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    lines(v, &format!("{path}[{i}]"), depth + 1, out);
                }
            }
            other => out.push_str(&format!("{path} = {other}\n")),
        }
    }

    /// The whole report of a small week, pinned: every figure the model derives, in the bytes the
    /// store writes (read back, so keys come sorted).
    #[test]
    fn a_report_read_back_is_the_report_written() {
        let report = small_week();
        let read: Report = serde_json::from_slice(&report.to_json()).unwrap();
        assert_eq!(read.to_json(), report.to_json());
        assert_eq!(read.top_by_views, report.top_by_views, "whole entries");
        assert_eq!(read.deltas, report.deltas);
        assert!(read.insights.is_some() && read.benchmark.is_some());
    }

    #[test]
    fn a_small_week_builds_this_report() {
        let json: serde_json::Value = serde_json::from_slice(&small_week().to_json()).unwrap();
        let mut out = String::new();
        lines(&json, "", 0, &mut out);
        insta::assert_snapshot!(out, @r##"
account.followers = 40500
account.following = 12
account.likes_total = 900000
account.videos_total = 311
api.credits_remaining = 6542
api.credits_used = 3
api.leg = "app"
api.requests = 3
benchmark.account_rate = 8.36
benchmark.definition = "engagement per view on TikTok, (likes + comments + shares) / views × 100: rate is the median of brands' accounts, account_rate this account's over the week's posts but excluded_posts, which have more likes, comments or shares than views"
benchmark.excluded_posts = []
benchmark.industry = "all"
benchmark.rate = 3.4
benchmark.ratio = 2.46
benchmark.source = "Rival IQ, 2024 TikTok Benchmark Report"
benchmark.year = 2024
bottom = []
competitors = []
deltas.avg_comments = {"change":null,"change_pct":null,"current":21.0,"previous":null}
deltas.avg_likes = {"change":null,"change_pct":null,"current":470.0,"previous":null}
deltas.avg_saves = {"change":null,"change_pct":null,"current":7.5,"previous":null}
deltas.avg_shares = {"change":null,"change_pct":null,"current":10.5,"previous":null}
deltas.avg_views = {"change":null,"change_pct":null,"current":6000.0,"previous":null}
deltas.engagement_rate = {"change":1.36,"change_pct":19.43,"current":8.36,"previous":7.0}
deltas.followers = {"change":500,"change_pct":1.25,"current":40500,"previous":40000}
deltas.mean_post_engagement_rate = {"change":null,"change_pct":null,"current":8.0,"previous":null}
deltas.median_views = {"change":null,"change_pct":null,"current":12000.0,"previous":null}
deltas.post_count = {"change":-1,"change_pct":-33.33,"current":2,"previous":3}
deltas.top_post_share_pct = {"change":null,"change_pct":null,"current":100.0,"previous":null}
deltas.total_comments = {"change":42,"change_pct":null,"current":42,"previous":0}
deltas.total_likes = {"change":340,"change_pct":56.67,"current":940,"previous":600}
deltas.total_saves = {"change":15,"change_pct":null,"current":15,"previous":0}
deltas.total_shares = {"change":21,"change_pct":null,"current":21,"previous":0}
deltas.total_views = {"change":3000,"change_pct":33.33,"current":12000,"previous":9000}
engagement_band = null
followup[0] = {"age_now_hours":216.0,"age_then_hours":48.0,"caption":"","growth_pct":25.0,"id":"7578000000000000001","posted_at":"2026-11-06T20:00:00Z","url":"https://www.tiktok.com/@x/video/7578000000000000001","views_now":1000,"views_then":800}
generated_at = "2026-11-15T20:00:00Z"
insights.basis = {"engagement_rate":8.05,"first_posted_at":"2026-11-06T20:00:00Z","last_posted_at":"2026-11-15T15:00:00Z","median_views":6500.0,"posts":3,"small_sample":true,"weeks":2}
insights.data_quality = ["1 post reports 0 views (photo posts often do), so it has no engagement rate: 7579000000000000001"]
insights.durations = [{"avg_views":null,"bucket":"0-15s","engagement_rate":null,"median_views":null,"posts":0},{"avg_views":6500.0,"bucket":"15-30s","engagement_rate":7.72,"median_views":6500.0,"posts":2},{"avg_views":null,"bucket":"30-60s","engagement_rate":null,"median_views":null,"posts":0},{"avg_views":null,"bucket":"60-180s","engagement_rate":null,"median_views":null,"posts":0},{"avg_views":null,"bucket":"180s+","engagement_rate":null,"median_views":null,"posts":0}]
insights.formats = {"by_format":[{"avg_views":6500.0,"engagement_rate":7.72,"kind":"video","median_views":6500.0,"posts":2},{"avg_views":0.0,"engagement_rate":null,"kind":"photo","median_views":null,"posts":1}],"by_sound":[{"avg_views":null,"engagement_rate":null,"kind":"original","median_views":null,"posts":0},{"avg_views":null,"engagement_rate":null,"kind":"borrowed","median_views":null,"posts":0}]}
insights.hashtags = {"tags":[{"avg_views":12000.0,"engagement_rate":8.0,"median_views":12000.0,"posts":1,"tag":"coffee","views":12000}],"without_hashtags":{"avg_views":500.0,"engagement_rate":8.6,"median_views":1000.0,"posts":2,"share_pct":66.67}}
insights.posting_times = {"best_slots":[],"by_hour":[{"avg_views":12000.0,"engagement_rate":8.0,"hour":15,"median_views":12000.0,"posts":1},{"avg_views":0.0,"engagement_rate":null,"hour":16,"median_views":null,"posts":1},{"avg_views":1000.0,"engagement_rate":4.3,"hour":21,"median_views":1000.0,"posts":1}],"by_weekday":[{"avg_views":1000.0,"engagement_rate":4.3,"median_views":1000.0,"posts":1,"weekday":"Fri"},{"avg_views":12000.0,"engagement_rate":8.0,"median_views":12000.0,"posts":1,"weekday":"Sat"},{"avg_views":0.0,"engagement_rate":null,"median_views":null,"posts":1,"weekday":"Sun"}],"heatmap":[{"hour":21,"median_views":1000.0,"posts":1,"weekday":"Fri"},{"hour":15,"median_views":12000.0,"posts":1,"weekday":"Sat"},{"hour":16,"median_views":null,"posts":1,"weekday":"Sun"}]}
insights.timezone = "Europe/Berlin"
metrics.avg_comments = 21.0
metrics.avg_likes = 470.0
metrics.avg_saves = 7.5
metrics.avg_shares = 10.5
metrics.avg_views = 6000.0
metrics.engagement_rate = 8.36
metrics.mean_post_engagement_rate = 8.0
metrics.median_views = 12000.0
metrics.post_count = 2
metrics.posts_without_saves = 0
metrics.top_post_share_pct = 100.0
metrics.total_comments = 42
metrics.total_likes = 940
metrics.total_saves = 15
metrics.total_shares = 21
metrics.total_views = 12000
posts[0] = {"age_hours":5.0,"breakout":false,"caption":"","comments":2,"duration_s":null,"engagement_rate":null,"format":"photo","hashtags":[],"id":"7579000000000000001","likes":40,"original_sound":null,"pinned":false,"posted_at":"2026-11-15T15:00:00Z","saves":0,"shares":1,"too_new":true,"url":"https://www.tiktok.com/@x/video/7579000000000000001","views":0,"views_per_hour":0.0,"views_without_engagement":false,"vs_median":null}
posts[1] = {"age_hours":30.0,"breakout":false,"caption":"the espresso ratio #coffee","comments":40,"duration_s":20.0,"engagement_rate":8.0,"format":"video","hashtags":["coffee"],"id":"7579000000000000002","likes":900,"original_sound":null,"pinned":false,"posted_at":"2026-11-14T14:00:00Z","saves":15,"shares":20,"too_new":false,"url":"https://www.tiktok.com/@x/video/7579000000000000002","views":12000,"views_per_hour":400.0,"views_without_engagement":false,"vs_median":null}
previous.date = "2026-11-08"
previous.file = "report_2026-11-08.json"
recommendations[0] = {"claim":null,"evidence":"views 12,000 vs 9,000; engagement rate 8.4% vs 7.0%","kind":"momentum","message":"Views rose 33.3% week over week, but one post made 100% of them: repeat what this week's top posts did."}
recommendations[1] = {"claim":null,"evidence":"No slot with 3 or more posts on 2 or more different days has a median of at least 1.25× yours (6,500 views)","kind":"best_time","message":"No clear best time yet: no slot stands out over enough posts and days."}
schema_version = 6
top[0] = {"comments":40,"engagement_rate":8.0,"id":"7579000000000000002","likes":900,"rank":1,"saves":15,"shares":20,"too_new":false,"url":"https://www.tiktok.com/@x/video/7579000000000000002","views":12000}
top_by_views[0] = {"comments":40,"engagement_rate":8.0,"id":"7579000000000000002","likes":900,"rank":1,"saves":15,"shares":20,"too_new":false,"url":"https://www.tiktok.com/@x/video/7579000000000000002","views":12000}
trend[0] = {"date":"2026-11-08","engagement_rate":7.0,"followers":40000,"posts":3,"views":9000}
trend[1] = {"date":"2026-11-15","engagement_rate":8.36,"followers":40500,"posts":2,"views":12000}
user = "examplecreator"
window.end = "2026-11-15T20:00:00Z"
window.start = "2026-11-08T20:00:00Z"
"##);
    }

    fn with_views_change(previous: u64, current: u64) -> Report {
        let end = "2026-11-15T20:00:00Z".parse().unwrap();
        let before = metrics::of_week(&[]);
        let mut report = build(Inputs {
            user: &"examplecreator".parse().unwrap(),
            generated_at: end,
            window: Window::week_ending(end),
            account: &Account::default(),
            posts: &[],
            previous: None,
            history: &[],
            history_weeks: 4,
            tz: Tz::UTC,
            api: ApiUsage::default(),
            fetch_notes: &[],
            industry: Industry::default(),
        });
        let then = Metrics {
            total_views: previous,
            ..before.clone()
        };
        let now = Metrics {
            total_views: current,
            ..before
        };
        let snapshot = |metrics| Snapshot {
            metrics,
            account: &report.account,
        };
        report.deltas = diff::deltas(Some(snapshot(&then)), snapshot(&now));
        report.previous = Some(PreviousRef {
            date: NaiveDate::from_ymd_opt(2026, 11, 8).unwrap(),
            file: "report_2026-11-08.json".into(),
        });
        report
    }
    #[test]
    fn the_summary_line_signs_a_change_once() {
        let line = |p, c| with_views_change(p, c).summary_line("r.json");
        assert!(
            line(1_000, 0).contains("views -100.0% vs 2026-11-08"),
            "{}",
            line(1_000, 0)
        );
        assert!(line(1_000, 1_500).contains("views +50.0% vs"));
        assert!(line(0, 1_500).contains("views +1,500 vs"));
        assert!(line(1_000, 1_000).contains("views unchanged vs"));
    }
}
