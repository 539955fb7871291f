//! `tiktok-review check`: the configuration checked without a review, one line per item on
//! stdout (`✓` passed, `✗` failed, `-` skipped, with why), then the most severe exit code of the
//! failed lines. Only `--user` spends a credit (one profile request); each configured channel gets
//! one short test message. The env file, the key and the channels come from [`Checking`]; the
//! checks that touch the disk and the crontab are in `local`, those that send requests in
//! `remote`. No line shows a secret: each passes the same redaction as stderr.

mod local;
mod remote;

use std::io::Write;

use crate::config::Checking;
use crate::error::{self, INTERNAL_EXIT_CODE};

/// The exit codes of failed lines, most severe first: what stops everything (a bug, the
/// configuration, the key), then the folder, then one account, then what a later try may fix.
const SEVERITY: [u8; 7] = [INTERNAL_EXIT_CODE, 78, 77, 73, 67, 65, 75];

/// How an item came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `✓`: it works.
    Pass,
    /// `✗`: it does not; the exit code it calls for, `None` for an informational line.
    Fail(Option<u8>),
    /// `-`: not checked, and the line says why.
    Skip,
}

/// One line of the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    /// How it came out.
    pub(crate) mark: Mark,
    /// What was checked and what came of it.
    pub(crate) text: String,
}

impl Line {
    /// A `✓` line.
    pub(crate) fn pass(text: impl Into<String>) -> Self {
        Self {
            mark: Mark::Pass,
            text: text.into(),
        }
    }

    /// A `✗` line calling for exit code `code`.
    pub(crate) fn fail(code: u8, text: impl Into<String>) -> Self {
        Self {
            mark: Mark::Fail(Some(code)),
            text: text.into(),
        }
    }

    /// A `-` line.
    pub(crate) fn skip(text: impl Into<String>) -> Self {
        Self {
            mark: Mark::Skip,
            text: text.into(),
        }
    }

    /// The line as printed: its mark, then its text on one line, cleaned and with every secret
    /// redacted.
    fn render(&self) -> String {
        let mark = match self.mark {
            Mark::Pass => "✓",
            Mark::Fail(_) => "✗",
            Mark::Skip => "-",
        };
        let text = crate::logging::redact(&crate::text::one_line(&self.text));
        format!("{mark} {text}")
    }
}

/// Runs every check of `checking` in order, printing each line on `out` as it comes; returns the
/// exit code: 0 when no line failed, else the most severe of the failed lines' codes.
pub async fn run(checking: &Checking, out: &mut impl Write) -> anyhow::Result<u8> {
    let mut codes = Vec::new();
    let mut print = |line: Line| {
        if let Mark::Fail(Some(code)) = line.mark {
            codes.push(code);
        }
        error::to_stdout(writeln!(out, "{}", line.render()))
    };
    print(local::env_file(&checking.env_file))?;
    print(remote::key_set(&checking.api, checking.env_file.is_ok()))?;
    print(local::reports_dir(&checking.reports_dir))?;
    print(remote::key_accepted(&checking.api, checking.user.as_ref()).await)?;
    for line in remote::channels(&checking.channels).await {
        print(line)?;
    }
    print(local::crontab().await)?;
    Ok(most_severe(&codes))
}

/// The most severe of `codes` by [`SEVERITY`] (a code not listed comes last), 0 for none.
fn most_severe(codes: &[u8]) -> u8 {
    let rank = |code: &&u8| SEVERITY.iter().position(|c| c == *code);
    let rank = |code: &&u8| rank(code).unwrap_or(SEVERITY.len());
    codes.iter().min_by_key(rank).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_severe_failure_decides_the_exit_code() {
        assert_eq!(most_severe(&[]), 0);
        assert_eq!(most_severe(&[75, 67, 65]), 67);
        assert_eq!(most_severe(&[77, 73, 78]), 78);
        assert_eq!(most_severe(&[75, 77]), 77);
        assert_eq!(most_severe(&[64, 75]), 75);
        assert_eq!(most_severe(&[75, 70, 78]), 70);
    }

    #[test]
    fn a_line_is_its_mark_and_one_line_of_text() {
        assert_eq!(Line::pass("a\nb").render(), "✓ a b");
        assert_eq!(Line::fail(78, "x").render(), "✗ x");
        assert_eq!(Line::skip("why").render(), "- why");
    }
}
