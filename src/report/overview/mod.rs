//! The overview of a run over several accounts: one row per account (its headline figures, read
//! from its saved report, or why it failed), totals at the top, as JSON, Markdown and a
//! self-contained HTML page that links to each account's report. Pure: reports (each row its
//! [`Headline`]) and failures in, an [`Overview`] and its bytes out; the store reads and writes
//! the files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::handle::Handle;
use crate::report::Output;

use crate::report::render::post_link;
use crate::report::{Headline, Report};

/// The version of the overview's JSON schema.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The overview of one date, as written to `<reports-dir>/overview_<date>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Overview {
    /// Always [`SCHEMA_VERSION`].
    pub(crate) schema_version: u32,
    /// The date of the reports it sums up (the run's as-of, in UTC).
    pub(crate) date: NaiveDate,
    /// When the run made it (a rebuild keeps the run's time, so that it gives the same bytes).
    pub(crate) generated_at: DateTime<Utc>,
    /// The sums over the rows.
    pub(crate) totals: Totals,
    /// One row per account: those with a report by views, most first; failed ones last.
    pub(crate) rows: Vec<Row>,
}

/// The sums over an overview's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Totals {
    /// Rows.
    pub(crate) accounts: u64,
    /// Rows with a report.
    pub(crate) ok: u64,
    /// Rows of accounts that failed.
    pub(crate) failed: u64,
    /// Posts of the week over all reports.
    pub(crate) posts: u64,
    /// Views of the week over all reports.
    pub(crate) views: u64,
    /// Followers over the reports that know them.
    pub(crate) followers: u64,
    /// Requests sent for all accounts, failed ones included.
    pub(crate) requests: u64,
    /// Credits the API charged for all accounts, failed ones included.
    pub(crate) credits_used: u64,
}

/// Whether an account's review produced a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// Its report of the date is saved.
    Ok,
    /// Its review failed; the row says why.
    Failed,
}

/// One account's row. Figures are `null` for a failed account, and wherever its report has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Row {
    /// The account, without `@`.
    #[serde(with = "handle_text")]
    pub(crate) handle: Handle,
    /// `ok` or `failed`.
    pub(crate) status: Status,
    /// Why it failed: the one line the run printed for it (cleaned, the key redacted).
    pub(crate) reason: Option<String>,
    /// Followers at the time of the run.
    pub(crate) followers: Option<u64>,
    /// Change of followers since the account's previous report.
    pub(crate) followers_change: Option<i64>,
    /// Posts of the week.
    pub(crate) posts: Option<u64>,
    /// Views of the week.
    pub(crate) views: Option<u64>,
    /// Change of views since the previous report, in percent.
    pub(crate) views_change_pct: Option<f64>,
    /// The median views of the week's posts that have views.
    pub(crate) median_views: Option<f64>,
    /// The week's engagement rate, in percent.
    pub(crate) engagement_rate: Option<f64>,
    /// Change of the engagement rate since the previous report, in percentage points.
    pub(crate) engagement_rate_change_pts: Option<f64>,
    /// Posts of the week that broke out (at least 3× the account's median).
    pub(crate) breakouts: Option<u64>,
    /// The link of the week's most viewed post.
    pub(crate) best_post_url: Option<String>,
    /// The account's report, relative to the overview's folder (`<handle>/report_<date>.html`).
    pub(crate) report_file: Option<String>,
    /// Requests sent for this account.
    pub(crate) requests: u64,
    /// Credits the API charged for this account.
    pub(crate) credits_used: u64,
    /// The account against the competitors its report compares with, on one line (`vs @rival:
    /// median views 2.1×`); left out without any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) competitors: Option<String>,
}

impl Row {
    /// The row of an account whose review failed: why (on one line), what it cost, no figures.
    pub(crate) fn failed(handle: Handle, reason: &str, requests: u64, credits_used: u64) -> Self {
        Self {
            handle,
            status: Status::Failed,
            reason: Some(reason_line(reason)),
            followers: None,
            followers_change: None,
            posts: None,
            views: None,
            views_change_pct: None,
            median_views: None,
            engagement_rate: None,
            engagement_rate_change_pts: None,
            breakouts: None,
            best_post_url: None,
            report_file: None,
            requests,
            credits_used,
            competitors: None,
        }
    }
}

/// A handle written as its text and read back only when it is a valid handle, so that no edited
/// overview can put anything else into a link.
mod handle_text {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::handle::Handle;

    pub(crate) fn serialize<S: Serializer>(
        handle: &Handle,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(handle.as_str())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Handle, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.parse::<Handle>() {
            Ok(handle) if handle.as_str() == text => Ok(handle),
            _ => Err(D::Error::custom(format!("{text:?} is not a TikTok handle"))),
        }
    }
}

/// Reads an overview's JSON.
pub(crate) fn read(json: &[u8]) -> Result<Overview, serde_json::Error> {
    serde_json::from_slice(json)
}

/// One account of the overview: its saved report, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AccountResult {
    /// Its report of the date is saved.
    Saved {
        /// The account.
        handle: Handle,
        /// Its report.
        report: std::sync::Arc<Report>,
        /// Its readable report, relative to the overview's folder.
        report_file: String,
    },
    /// Its review failed.
    Failed {
        /// The account.
        handle: Handle,
        /// The one line the run printed for it.
        reason: String,
        /// Requests sent for it.
        requests: u64,
        /// Credits charged for it.
        credits_used: u64,
    },
}

impl AccountResult {
    /// The account.
    pub(crate) fn handle(&self) -> &Handle {
        match self {
            AccountResult::Saved { handle, .. } | AccountResult::Failed { handle, .. } => handle,
        }
    }

    /// The failed account of an overview's `failed` row; `None` for a row with a report.
    pub(crate) fn from_failed_row(row: &Row) -> Option<Self> {
        (row.status == Status::Failed).then(|| AccountResult::Failed {
            handle: row.handle.clone(),
            reason: row.reason.clone().unwrap_or_default(),
            requests: row.requests,
            credits_used: row.credits_used,
        })
    }
}

/// The overview of `date` over `accounts`: one row each, by views (most first, ties by handle),
/// failed accounts last (by handle), and the totals.
pub(crate) fn build(
    date: NaiveDate,
    generated_at: DateTime<Utc>,
    accounts: &[AccountResult],
) -> Overview {
    let mut rows: Vec<Row> = accounts.iter().map(row).collect();
    rows.sort_by(|a, b| {
        (a.status == Status::Failed)
            .cmp(&(b.status == Status::Failed))
            .then_with(|| b.views.unwrap_or(0).cmp(&a.views.unwrap_or(0)))
            .then_with(|| a.handle.cmp(&b.handle))
    });
    let ok: Vec<&Row> = rows.iter().filter(|r| r.status == Status::Ok).collect();
    let totals = Totals {
        accounts: rows.len() as u64,
        ok: ok.len() as u64,
        failed: (rows.len() - ok.len()) as u64,
        posts: ok
            .iter()
            .filter_map(|r| r.posts)
            .fold(0, u64::saturating_add),
        views: ok
            .iter()
            .filter_map(|r| r.views)
            .fold(0, u64::saturating_add),
        followers: (ok.iter().filter_map(|r| r.followers)).fold(0, u64::saturating_add),
        requests: rows.iter().map(|r| r.requests).fold(0, u64::saturating_add),
        credits_used: rows
            .iter()
            .map(|r| r.credits_used)
            .fold(0, u64::saturating_add),
    };
    Overview {
        schema_version: SCHEMA_VERSION,
        date,
        generated_at,
        totals,
        rows,
    }
}

fn row(account: &AccountResult) -> Row {
    match account {
        AccountResult::Saved {
            handle,
            report,
            report_file,
        } => saved_row(handle, report, report_file),
        AccountResult::Failed {
            handle,
            reason,
            requests,
            credits_used,
        } => Row::failed(handle.clone(), reason, *requests, *credits_used),
    }
}

/// The row of `handle`'s saved `report`: its headline, median views and breakouts.
fn saved_row(handle: &Handle, report: &Report, report_file: &str) -> Row {
    let h = Headline::of(report);
    Row {
        handle: handle.clone(),
        status: Status::Ok,
        reason: None,
        followers: h.followers,
        followers_change: h.followers_change.map(|c| c.round() as i64),
        posts: Some(h.posts),
        views: Some(h.views),
        views_change_pct: h.views_change_pct,
        median_views: report.metrics.median_views,
        engagement_rate: h.engagement_rate,
        engagement_rate_change_pts: h.engagement_rate_change,
        breakouts: Some(report.posts.iter().filter(|p| p.breakout).count() as u64),
        best_post_url: (report.top_by_views.first())
            .and_then(|p| post_link(&p.entry.post.url, handle.as_str()))
            .map(str::to_string),
        report_file: Some(report_file.to_string()),
        requests: report.api.requests.into(),
        credits_used: report.api.credits_used,
        competitors: h.rivals,
    }
}

/// A failure's reason on one line, cleaned (it may come from an edited overview file).
pub(super) fn reason_line(reason: &str) -> String {
    let line = crate::text::one_line(reason);
    if line.is_empty() {
        "no reason recorded".to_string()
    } else {
        line
    }
}

/// Pretty JSON with a trailing newline: the bytes of `overview_<date>.json`.
pub(crate) fn to_json(overview: &Overview) -> Vec<u8> {
    // Plain structs with string keys cannot fail to serialize; an empty object rather than a panic.
    let mut bytes = serde_json::to_vec_pretty(overview).unwrap_or_else(|_| b"{}".to_vec());
    bytes.push(b'\n');
    bytes
}

/// The bytes of `overview` in the form `output`.
pub(crate) fn to_bytes(overview: &Overview, output: Output) -> Vec<u8> {
    match output {
        Output::Json => to_json(overview),
        Output::Md => markdown(overview).into_bytes(),
        Output::Html => html(overview).into_bytes(),
    }
}

mod render;
#[cfg(test)]
mod tests;

pub(crate) use render::{html, markdown};
