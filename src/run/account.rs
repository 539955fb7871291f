//! One account's review: lock → profile (or cached id) → posts → earlier reports → compute →
//! write, and the week's data-quality notes. A signal cuts it only until its posts are in.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

use super::Outcome;
use crate::analysis::{insights, metrics};
use crate::config::Config;
use crate::error::{self, Kind};
use crate::handle::Handle;
use crate::model::Account;
use crate::report::{self, Rival, Role, competitors, fmt, render};
use crate::scavio::{self, Client, Feed};
use crate::stop::{self, Stop};
use crate::store;

/// Which side of the run a review is on: an account, compared with the run's rivals, or a rival
/// (whose report carries no comparison).
#[derive(Debug, Clone, Copy)]
pub(super) struct Side<'a> {
    /// The report's role.
    pub(super) role: Role,
    /// The rivals the report compares with (none for a rival's own).
    pub(super) rivals: &'a [Rival],
}

/// One account (or rival): lock → profile (or cached id) → posts → earlier reports → compute →
/// write. A signal cuts it until its posts are in, with nothing of it written; from then on it is
/// finished.
pub(super) async fn review(
    config: &Config,
    client: &mut Client,
    handle: &Handle,
    stop: &Stop,
    side: Side<'_>,
) -> anyhow::Result<Outcome> {
    let dir = store::user_dir(&config.reports_dir, handle);
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
        // Its target would receive the lock and the reports: refused before a credit is spent.
        return Err(error::Failure::new(
            Kind::CannotWrite,
            format!(
                "the account folder {} is a symbolic link, which tiktok-review never follows; replace it with a folder",
                dir.display()
            ),
        )
        .into());
    }
    let locked_fetch = async {
        let lock = match config.dry_run {
            true => None,
            false => Some(store::Lock::acquire(&dir).await?),
        };
        Ok((lock, fetch(config, client, &dir).await?))
    };
    let (_lock, fetched) = stop.unless_signalled(locked_fetch, stop::not_run).await?;
    let (account, posts) = (&fetched.account, &fetched.feed.posts);
    let mut fetch_notes = data_notes(handle, &fetched.feed, config)?;
    for note in &fetched.profile_notes {
        error::warn(format!("@{handle}: {note}"));
    }
    fetch_notes.extend(fetched.profile_notes.iter().cloned());

    let date = config.window.end.date_naive();
    let weeks = config.history_weeks.max(report::TREND_WEEKS - 1);
    let since = date - chrono::Days::new(7 * u64::from(weeks));
    let earlier = store::load_earlier(&dir, handle, &config.window, since);
    let mut report = report::build(report::Inputs {
        user: handle,
        generated_at: config.now,
        window: config.window,
        account,
        posts,
        fetch_notes: &fetch_notes,
        previous: earlier.previous.as_ref(),
        history: &earlier.history,
        history_weeks: config.history_weeks,
        tz: config.tz,
        industry: config.industry,
        api: client.usage(),
    });
    report.role = side.role;
    report.competitors = competitors::rows(&report, side.rivals);
    if config.dry_run {
        return Ok(Outcome::DryRun {
            output: render::to_bytes(&report, config.dry_run_output),
            report: Arc::new(report),
        });
    }
    let files: Vec<(&str, Vec<u8>)> = (config.outputs.iter())
        .map(|&output| (output.extension(), render::to_bytes(&report, output)))
        .collect();
    // Writing flushes every file to disk: off the runtime's one thread, so that the other
    // accounts' requests go on meanwhile.
    let written = {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || store::write_report(&dir, date, &files)).await
    };
    let path = written
        .map_err(|e| anyhow::anyhow!("the writer stopped: {e}"))
        .and_then(|written| written)
        .with_context(|| format!("saving the report of @{handle}"))?;
    if fetched.from_profile {
        let cached = store::cache_sec_uid(&dir, &fetched.sec_uid);
        // A folder too full for this small file has no room for the next account's report:
        // stop before that account spends its credits.
        stop.after(&cached);
        if let Err(err) = cached {
            error::warn(format!(
                "@{handle}: could not cache the account id: {}",
                error::one_line(&err)
            ));
        }
    }
    let summary = report.summary_line(&path.display().to_string());
    Ok(Outcome::Written {
        path,
        summary,
        report: Arc::new(report),
    })
}

/// What one account's fetch brought.
struct Fetched {
    /// Profile figures (all `None` when the cached id spared the profile request).
    account: Account,
    /// The id the feed was read with.
    sec_uid: String,
    /// The id came from the profile just now (and is worth caching).
    from_profile: bool,
    /// The posts.
    feed: Feed,
    /// Notes on profile figures that could not be read.
    profile_notes: Vec<String>,
}

/// The profile (or the cached `sec_uid`) and the posts of the week. A cached id that leads to
/// another account's posts, or that the API no longer knows, is dropped and the profile asked once.
async fn fetch(config: &Config, client: &mut Client, dir: &Path) -> anyhow::Result<Fetched> {
    let handle = client.handle().clone();
    let cached = (!config.fetch_profile)
        .then(|| store::cached_sec_uid(dir))
        .flatten();
    if let Some(sec_uid) = cached {
        let why = match client.posts(&sec_uid, &config.window, None).await {
            Ok(feed)
                if feed.foreign_author.is_none()
                    && feed.posts.is_empty()
                    && feed.unreadable_records == 0 =>
            {
                // Without the profile an empty feed could be a private or stale account: only
                // the profile's post count can tell it from a truly empty one.
                "brought an empty feed".to_string()
            }
            Ok(feed) => match &feed.foreign_author {
                None => {
                    return Ok(Fetched {
                        account: Account::default(),
                        sec_uid,
                        from_profile: false,
                        feed,
                        profile_notes: Vec::new(),
                    });
                }
                Some(other) => format!("leads to posts of @{other}"),
            },
            Err(err) if error::exit_code(&err) == Kind::UserNotFound.exit_code() => {
                "is not known to Scavio any more".to_string()
            }
            Err(err) => return Err(err),
        };
        error::warn(format!(
            "@{handle}: the cached account id {why}; asking the profile again"
        ));
        if !config.dry_run {
            store::forget_sec_uid(dir);
        }
    }
    let profile = client.profile().await?;
    let feed = client
        .posts(
            &profile.sec_uid,
            &config.window,
            profile.account.videos_total,
        )
        .await?;
    if let Some(other) = &feed.foreign_author {
        return Err(error::Failure::new(
            Kind::BadResponse,
            format!("Scavio answered @{handle}'s feed with posts of @{other}; no report written: try again later"),
        )
        .into());
    }
    Ok(Fetched {
        account: profile.account,
        sec_uid: profile.sec_uid,
        from_profile: true,
        feed,
        profile_notes: profile.notes,
    })
}

/// The week's data-quality notes from the fetch, each warned about once on stderr; exit 65 when
/// no post of the week came with readable statistics.
fn data_notes(handle: &Handle, feed: &Feed, config: &Config) -> anyhow::Result<Vec<String>> {
    let week = metrics::posts_in_window(&feed.posts, &config.window);
    let unmeasured = week.iter().filter(|p| !p.has_statistics).count();
    if unmeasured > 0 && unmeasured == week.len() {
        return Err(error::Failure::new(
            Kind::BadResponse,
            format!(
                "none of the {unmeasured} posts of @{handle}'s week came with readable statistics; no report written: {}",
                scavio::raw_hint(config.save_raw.as_deref())
            ),
        )
        .into());
    }
    if unmeasured > 0 {
        error::warn(format!(
            "@{handle}: {} of the week came without readable statistics, left out of averages, rankings and insights (see data_quality)",
            fmt::plural(unmeasured as u64, "post")
        ));
    }
    // The week's posts by id: whether each came with statistics.
    let measured: HashMap<&str, bool> = (week.iter())
        .map(|p| (p.id.as_str(), p.has_statistics))
        .collect();
    let mut notes: Vec<String> = Vec::new();
    // Posts whose counts could not all be read, and posts with more engagement than views (the
    // analysis notes those in `data_quality`).
    let mut odd: HashSet<&str> = (week.iter())
        .filter(|p| insights::exceeds_views(p))
        .map(|p| p.id.as_str())
        .collect();
    for note in &feed.notes {
        let Some(&has_statistics) = measured.get(note.post_id.as_str()) else {
            continue;
        };
        if has_statistics {
            odd.insert(note.post_id.as_str());
        }
        if !notes.contains(&note.note) {
            notes.push(note.note.clone());
        }
    }
    if !odd.is_empty() {
        error::warn(format!(
            "@{handle}: {} of the week {} figures that look wrong (see data_quality)",
            fmt::plural(odd.len() as u64, "post"),
            if odd.len() == 1 { "has" } else { "have" }
        ));
    }
    if feed.unreadable_records > 0 {
        let n = feed.unreadable_records;
        let note = format!(
            "{} of the feed could not be read (no numeric aweme_id or usable create_time) and {} left out",
            fmt::plural(n as u64, "record"),
            if n == 1 { "was" } else { "were" }
        );
        error::warn(format!("@{handle}: {note}"));
        notes.push(note);
    }
    Ok(notes)
}
