//! The forms a report (and the overview) is written in: what `--formats` and `--dry-run-format`
//! take, and the file extension of each.

use clap::ValueEnum;

/// A readable form of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// The JSON report (always written: next week's run reads it).
    Json,
    /// Markdown, for Slack, mail or an issue.
    Md,
    /// A self-contained HTML page with charts.
    Html,
}

impl Output {
    /// Every form, JSON first: what a run writes without `--formats`, and what `overview` writes.
    pub(crate) const ALL: [Output; 3] = [Output::Json, Output::Md, Output::Html];

    /// The file extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Output::Json => "json",
            Output::Md => "md",
            Output::Html => "html",
        }
    }
}
