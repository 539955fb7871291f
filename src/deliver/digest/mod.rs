//! The digest of one date: each account's report files and the overview's, read back from disk, and
//! the few numbers a chat message shows, read from each report's JSON with a private view of it.
//!
//! Reading only: a report is never changed here. Text that came from the API (captions,
//! recommendations) or the overview (failure reasons) is cleaned before it reaches a message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use super::ReportUrl;
use crate::error::{Failure, Kind, warn};
use crate::handle::Handle;
use crate::store;
use crate::text::clean;

/// Everything one date's delivery sends, as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    /// The reports' date.
    pub date: NaiveDate,
    /// The accounts with a report of that date: most views first, then by handle.
    pub accounts: Vec<AccountDigest>,
    /// The run's overview, for several accounts, when it is on disk.
    pub overview: Option<OverviewFiles>,
    /// The accounts the overview records as failed (their reason cleaned).
    pub failed: Vec<FailedAccount>,
    /// The reports folder they were read from, absolute when it can be made so: a mail names the
    /// files it could not attach.
    pub reports_dir: PathBuf,
}

/// One account's report files and its headline.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountDigest {
    /// The account.
    pub handle: Handle,
    /// `report_<date>.json` as saved.
    pub json: Vec<u8>,
    /// `report_<date>.md`; empty when the run wrote none (`--formats`) or no channel needs it.
    pub markdown: String,
    /// `report_<date>.html`; empty when the run wrote none or no channel needs it (only mail does).
    pub html: String,
    /// Where `report_<date>.html` is served, when `TIKTOK_REVIEW_REPORT_URL` is set and the run
    /// wrote it.
    pub report_link: Option<String>,
    /// The numbers a chat message shows.
    pub headline: Headline,
}

/// The overview's files as saved: `overview_<date>.{json,md,html}`.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewFiles {
    /// The JSON.
    pub json: Vec<u8>,
    /// The Markdown, empty when there is none.
    pub markdown: String,
    /// The HTML, empty when there is none.
    pub html: String,
}

/// An account the run could not review, as the overview records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedAccount {
    /// The handle, cleaned.
    pub handle: String,
    /// The one-line reason, cleaned.
    pub reason: String,
}

/// The few numbers of one report a chat message shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    /// Posts of the week.
    pub posts: u64,
    /// Views of the week.
    pub views: u64,
    /// Change of views since the previous report.
    pub views_change: Option<f64>,
    /// The same in percent (null from 0).
    pub views_change_pct: Option<f64>,
    /// Engagement rate, in percent.
    pub engagement_rate: Option<f64>,
    /// Its change, in percentage points.
    pub engagement_rate_change: Option<f64>,
    /// Followers at the time of the run.
    pub followers: Option<u64>,
    /// Their change.
    pub followers_change: Option<f64>,
    /// The report was compared with an earlier one.
    pub compared: bool,
    /// The most viewed post of the week.
    pub best_post: Option<BestPost>,
    /// The message of the report's first actionable recommendation (`best_time`, `double_down` or
    /// `drop`), cleaned.
    pub advice: Option<String>,
}

/// The week's most viewed post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestPost {
    /// Its link (`https://` only).
    pub url: String,
    /// Its caption, cleaned (may be empty).
    pub caption: String,
    /// Its views.
    pub views: u64,
}

/// What a report JSON holds that the headline needs; everything else is skipped.
#[derive(Deserialize)]
struct ReportView {
    #[serde(default)]
    schema_version: u32,
    user: String,
    #[serde(default)]
    account: AccountView,
    metrics: MetricsView,
    #[serde(default)]
    previous: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    deltas: BTreeMap<String, DeltaView>,
    #[serde(default)]
    top_by_views: Vec<RankedView>,
    #[serde(default)]
    posts: Vec<PostView>,
    #[serde(default)]
    recommendations: Vec<RecommendationView>,
}

#[derive(Deserialize, Default)]
struct AccountView {
    #[serde(default)]
    followers: Option<u64>,
}

#[derive(Deserialize)]
struct MetricsView {
    post_count: u64,
    total_views: u64,
    #[serde(default)]
    engagement_rate: Option<f64>,
}

#[derive(Deserialize)]
struct DeltaView {
    #[serde(default)]
    change: Option<f64>,
    #[serde(default)]
    change_pct: Option<f64>,
}

#[derive(Deserialize)]
struct RankedView {
    id: String,
    url: String,
    #[serde(default)]
    views: u64,
}

#[derive(Deserialize)]
struct PostView {
    id: String,
    #[serde(default)]
    caption: Option<String>,
}

#[derive(Deserialize)]
struct RecommendationView {
    #[serde(default)]
    kind: String,
    message: String,
    /// The table row it rests on (schema 4); none for "no clear best time yet".
    #[serde(default)]
    claim: Option<serde::de::IgnoredAny>,
}

/// The overview's rows, as far as failures go; anything else in it is skipped.
#[derive(Deserialize)]
struct OverviewView {
    #[serde(default)]
    rows: Vec<RowView>,
}

#[derive(Deserialize)]
struct RowView {
    handle: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: Option<String>,
}

impl Headline {
    /// The headline of a report's JSON, or why it cannot be read.
    fn read(bytes: &[u8], handle: &Handle) -> Result<Self, String> {
        let report: ReportView =
            serde_json::from_slice(bytes).map_err(|e| format!("it is not a report ({e})"))?;
        if report.user != handle.as_str() {
            return Err(format!("it belongs to @{}", clean(&report.user)));
        }
        let delta = |name: &str| report.deltas.get(name);
        let best_post = report.top_by_views.first().and_then(|best| {
            let url = clean(&best.url);
            url.starts_with("https://").then(|| BestPost {
                caption: (report.posts.iter())
                    .find(|p| p.id == best.id)
                    .and_then(|p| p.caption.as_deref())
                    .map(|c| clean(c).trim().to_string())
                    .unwrap_or_default(),
                url,
                views: best.views,
            })
        });
        Ok(Self {
            posts: report.metrics.post_count,
            views: report.metrics.total_views,
            views_change: delta("total_views").and_then(|d| d.change),
            views_change_pct: delta("total_views").and_then(|d| d.change_pct),
            engagement_rate: report.metrics.engagement_rate,
            engagement_rate_change: delta("engagement_rate").and_then(|d| d.change),
            followers: report.account.followers,
            followers_change: delta("followers").and_then(|d| d.change),
            compared: report.previous.is_some(),
            best_post,
            // From schema 4 on, advice rests on a claim: "no clear best time yet" is none.
            advice: (report.recommendations.iter())
                .filter(|r| {
                    crate::analysis::recommend::RecommendationKind::from_name(&r.kind)
                        .is_some_and(|k| k.is_actionable())
                })
                .filter(|r| report.schema_version < 4 || r.claim.is_some())
                .map(|r| clean(&r.message).trim().to_string())
                .find(|m| !m.is_empty()),
        })
    }
}

/// The digest of `date` in `reports_dir`: the reports of `accounts` (each must have one), or,
/// without, of every account folder holding a report of that date; plus, `with_overview`, the
/// overview's files when there are several accounts and it is on disk (a run passes it only when
/// it wrote the overview itself); with `report_url`, each account's link to its HTML report when
/// that is on disk. Every file is read as [`store::read_regular`] reads: never
/// through a symbolic link, never from a FIFO. A report that cannot be read is skipped with a
/// warning and named among the failed accounts; only when none is left is it an error (65).
pub fn load_digest(
    reports_dir: &Path,
    date: NaiveDate,
    accounts: Option<&[Handle]>,
    with_texts: bool,
    with_overview: bool,
    report_url: Option<&ReportUrl>,
) -> anyhow::Result<Digest> {
    let handles = match accounts {
        Some(given) => given.to_vec(),
        None => store::accounts_with_report(reports_dir, date),
    };
    if handles.is_empty() {
        return Err(Failure::new(
            Kind::Usage,
            format!(
                "no account has a report dated {date} in {}: pick another --date, or run `tiktok-review run` first",
                reports_dir.display()
            ),
        )
        .into());
    }
    let (mut digests, mut skipped) = (Vec::new(), Vec::new());
    for handle in &handles {
        match account(reports_dir, handle, date, with_texts, report_url)? {
            Ok(digest) => digests.push(digest),
            Err(reason) => skipped.push(FailedAccount {
                handle: handle.to_string(),
                reason,
            }),
        }
    }
    if digests.is_empty() {
        return Err(Failure::new(
            Kind::BadResponse,
            format!(
                "no report dated {date} in {} can be read (see the warnings); nothing delivered",
                reports_dir.display()
            ),
        )
        .into());
    }
    digests.sort_by(|a, b| {
        (b.headline.views.cmp(&a.headline.views)).then_with(|| a.handle.cmp(&b.handle))
    });
    let overview = match digests.len() {
        0 | 1 => None,
        _ if !with_overview => None,
        _ => overview(reports_dir, date),
    };
    let mut failed = overview.as_ref().map(failed_rows).unwrap_or_default();
    failed.retain(|f| !skipped.iter().any(|s| s.handle == f.handle));
    failed.extend(skipped);
    Ok(Digest {
        date,
        accounts: digests,
        overview,
        failed,
        reports_dir: std::path::absolute(reports_dir).unwrap_or_else(|_| reports_dir.to_path_buf()),
    })
}

/// The latest date of which `accounts` (or, without, any account) have a report that reads, if
/// any: a folder, a link or garbage named like a later report does not count.
pub fn latest_date(reports_dir: &Path, accounts: Option<&[Handle]>) -> Option<NaiveDate> {
    store::latest_readable_date(reports_dir, accounts, |handle, path| {
        let bytes = read(path)?.ok_or("it is gone")?;
        Headline::read(&bytes, handle).map(|_| ())
    })
}

/// One account's digest of `date`, or (inner `Err`) why its report is skipped, after a warning
/// naming it. Its Markdown and HTML only `with_texts` (the mail needs them, the chat channels do
/// not: a thousand accounts' pages need not sit in memory for a webhook); its link on `report_url`
/// when its HTML is on disk (a file, not a link to one). An account named with `--user` that has
/// no report of that date at all is an error (64).
fn account(
    reports_dir: &Path,
    handle: &Handle,
    date: NaiveDate,
    with_texts: bool,
    report_url: Option<&ReportUrl>,
) -> anyhow::Result<Result<AccountDigest, String>> {
    let path = store::user_dir(reports_dir, handle).join(store::report_file_name(date, "json"));
    let Some(dir) = store::account_dir(reports_dir, handle) else {
        if std::fs::symlink_metadata(store::user_dir(reports_dir, handle)).is_ok() {
            // A symbolic link: warned about and skipped.
            return Ok(Err("its folder is a symbolic link".into()));
        }
        return Err(no_report(handle, date, &path));
    };
    let bytes = match read(&path) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(no_report(handle, date, &path)),
        Err(why) => return Ok(Err(skip(&path, &why))),
    };
    let headline = match Headline::read(&bytes, handle) {
        Ok(headline) => headline,
        Err(why) => return Ok(Err(skip(&path, &why))),
    };
    let text = |extension: &str| match with_texts {
        true => read_text(&dir.join(store::report_file_name(date, extension))),
        false => String::new(),
    };
    let html_written = std::fs::symlink_metadata(dir.join(store::report_file_name(date, "html")))
        .is_ok_and(|m| m.is_file());
    Ok(Ok(AccountDigest {
        handle: handle.clone(),
        markdown: text("md"),
        html: text("html"),
        report_link: report_url
            .filter(|_| html_written)
            .map(|url| url.link(handle, date)),
        json: bytes,
        headline,
    }))
}

/// The error for an account named with `--user` that has no report of `date` (64).
fn no_report(handle: &Handle, date: NaiveDate, path: &Path) -> anyhow::Error {
    Failure::new(
        Kind::Usage,
        format!(
            "no report of @{handle} dated {date} ({} does not exist): pick another --date, or run `tiktok-review run` first",
            path.display()
        ),
    )
    .into()
}

/// Warns that the report at `path` is skipped and why; returns the reason the message gives.
fn skip(path: &Path, why: &str) -> String {
    warn(format!(
        "skipping the report {}: {why}; it is left untouched",
        path.display()
    ));
    format!("its saved report cannot be read ({why})")
}

/// The overview's files of `date`, when its JSON is there and reads; a form that does not read is
/// left out with a warning.
fn overview(reports_dir: &Path, date: NaiveDate) -> Option<OverviewFiles> {
    let path = |extension: &str| reports_dir.join(store::overview_file_name(date, extension));
    let json = match read(&path("json")) {
        Ok(json) => json?,
        Err(why) => {
            warn(format!(
                "not sending the overview {}: {why}",
                path("json").display()
            ));
            return None;
        }
    };
    Some(OverviewFiles {
        json,
        markdown: read_text(&path("md")),
        html: read_text(&path("html")),
    })
}

/// The overview's failed rows; none when its JSON cannot be read that far.
fn failed_rows(overview: &OverviewFiles) -> Vec<FailedAccount> {
    let Ok(view) = serde_json::from_slice::<OverviewView>(&overview.json) else {
        return Vec::new();
    };
    (view.rows.into_iter())
        .filter(|row| row.status == "failed")
        .map(|row| FailedAccount {
            handle: clean(&row.handle),
            reason: clean(row.reason.as_deref().unwrap_or_default()),
        })
        .collect()
}

/// A file's text; empty when there is no such file, and, with a warning, when it cannot be read.
fn read_text(path: &Path) -> String {
    match read(path) {
        Ok(bytes) => bytes
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default(),
        Err(why) => {
            warn(format!("not sending {}: {why}", path.display()));
            String::new()
        }
    }
}

/// A file's bytes (at most [`store::MAX_REPORT_BYTES`]), `None` when there is none; why not when
/// it cannot be read (a link, a FIFO, a folder, too large).
fn read(path: &Path) -> Result<Option<Vec<u8>>, String> {
    store::read_regular(path, store::MAX_REPORT_BYTES).map_err(|e| format!("{e:#}"))
}

#[cfg(test)]
mod tests;
