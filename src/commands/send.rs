//! `tiktok-review send`: the saved reports of a date delivered again, as the run would have
//! delivered them, without a single API request: a failed delivery is fixed without credits.

use std::io::Write;

use crate::config::Sending;
use crate::deliver;
use crate::error::{Failure, Kind};
use crate::stop::{self, Stop};

/// Delivers the digest `sending` names (default: the latest date with a report, every account with
/// a report of it) to every configured channel; prints the outcome and returns the exit code: 0
/// when every channel took the message, else the most severe of the failures.
/// A signal (`stop`) cuts the delivery: 75, saying a channel may already have its message.
pub async fn run(sending: &Sending, stop: &Stop, out: &mut impl Write) -> anyhow::Result<u8> {
    let accounts = sending.accounts.as_deref();
    let date = match sending.date {
        Some(date) => date,
        None => deliver::latest_date(&sending.reports_dir, accounts).ok_or_else(|| {
            let whose = match accounts {
                Some(handles) => handles
                    .iter()
                    .map(|h| format!("@{h}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => "any account".to_string(),
            };
            Failure::new(
                Kind::Usage,
                format!(
                    "no saved report of {whose} in {}: run `tiktok-review run` first, or pass --reports-dir",
                    sending.reports_dir.display()
                ),
            )
        })?,
    };
    let texts = deliver::Texts {
        with_texts: sending.channels.mails(),
        with_overview: true,
        report_url: sending.channels.report_url.as_ref(),
    };
    let digest = deliver::load_digest(&sending.reports_dir, date, accounts, texts)?;
    let delivery =
        async { Ok(deliver::deliver(&sending.channels, &digest, deliver::retry_policy()).await) };
    let flags = sending.send_flags();
    let stopped = |reason| stop::delivery_stopped(reason, date, &flags);
    let outcomes = stop.unless_signalled(delivery, stopped).await?;
    crate::error::to_stdout(deliver::print_outcomes(
        &outcomes,
        sending.quiet,
        &flags,
        out,
    ))?;
    Ok(deliver::exit_code(&outcomes).unwrap_or(0))
}
