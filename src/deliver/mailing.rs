//! The one mail of a digest: the Markdown as text and the HTML report (one account) or overview
//! (several) as HTML, each account's HTML report attached, the most viewed first. The overview in
//! a mail links each account to its report by the name it is attached under
//! (`<handle>_report_<date>.html`), and no account whose report is not attached.
//!
//! Never an empty body: a form the run did not write (`--formats json`) is built from the reports'
//! headlines instead. Never more than [`MAX_MAIL_BYTES`] on the wire: the reports that do not fit
//! are left out, and the mail says so at the top and names them at the end, with where they are on
//! disk and the `send` that mails one. Pure, but for measuring the mail as lettre encodes it.

use std::path::Path;

use chrono::NaiveDate;

use super::channel::{
    Channel, ChannelVar, Lookup, NOT_UTF8, Payload, TEST_MESSAGE, Target, refuse,
};
use super::lines::{self, escape};
use super::mail::{self, MAIL_FROM, MAIL_TO, MAX_MAIL_BYTES, SMTP_URL};
use super::{AccountDigest, Digest, MailConfig, MailMessage};
use crate::error::{Failure, Kind};
use crate::handle::Handle;
use crate::report::fmt::plural;
use crate::report::overview::{self, Overview};
use crate::store::report_file_name;

/// Mail over SMTP: the run's one mail, through the user's server.
pub(super) struct Mail;

/// The mail channel.
pub(super) static MAIL: Mail = Mail;

/// Its variables: the server (a secret: it holds the password), the sender, the recipients.
static VARS: [ChannelVar; 3] = [
    ChannelVar {
        name: SMTP_URL,
        help: "mail server, smtps://user:password@host (with the two below)",
        secret: true,
    },
    ChannelVar {
        name: MAIL_FROM,
        help: "mail sender",
        secret: false,
    },
    ChannelVar {
        name: MAIL_TO,
        help: "mail recipients, comma-separated",
        secret: false,
    },
];

impl Channel for Mail {
    fn name(&self) -> &'static str {
        "mail"
    }

    fn option_name(&self) -> &'static str {
        "mail"
    }

    fn log_name(&self) -> &'static str {
        "mail"
    }

    fn listed(&self) -> &'static str {
        "by mail"
    }

    fn to(&self) -> String {
        "by mail".to_string()
    }

    fn seen_in(&self) -> String {
        "in the mailbox".to_string()
    }

    fn vars(&self) -> &[ChannelVar] {
        &VARS
    }

    fn configure(&self, env: &dyn Lookup) -> Result<Option<Target>, Failure> {
        settings(env).map(|config| config.map(Target::Mail))
    }

    fn render<'a>(&self, digest: &Digest, target: &'a Target) -> Option<Payload<'a>> {
        match target {
            Target::Mail(config) => Some(Payload::Mail {
                config,
                mail: mail::prepare(config, &mail_message(digest, config)),
            }),
            Target::Url(_) => None,
        }
    }

    fn test_message<'a>(&self, target: &'a Target) -> Option<Payload<'a>> {
        match target {
            Target::Mail(config) => Some(Payload::Mail {
                config,
                mail: mail::prepare(config, &test_mail()),
            }),
            Target::Url(_) => None,
        }
    }
}

/// The test mail: [`TEST_MESSAGE`] as its subject, its text and its HTML, nothing attached.
fn test_mail() -> MailMessage {
    MailMessage {
        subject: TEST_MESSAGE.to_string(),
        text: format!("{TEST_MESSAGE}\n"),
        html: format!("<p>{}</p>\n", escape(TEST_MESSAGE)),
        attachments: Vec::new(),
    }
}

/// The mail settings: all three variables, or none.
fn settings(env: &dyn Lookup) -> Result<Option<MailConfig>, Failure> {
    let (url, from, to) = match VARS.each_ref().map(|var| env.value(var)) {
        [None, None, None] => return Ok(None),
        [Some(url), Some(from), Some(to)] => (url, from, to),
        values => {
            let missing: Vec<&str> = (VARS.iter().zip(values))
                .filter(|(_, value)| value.is_none())
                .map(|(var, _)| var.name)
                .collect();
            return Err(Failure::new(
                Kind::Config,
                format!(
                    "mail needs {SMTP_URL}, {MAIL_FROM} and {MAIL_TO}; {} {} not set",
                    missing.join(" and "),
                    if missing.len() == 1 { "is" } else { "are" }
                ),
            ));
        }
    };
    for (var, value) in VARS.iter().zip([url, from, to]) {
        if value.contains(char::REPLACEMENT_CHARACTER) {
            return Err(refuse(var.name, NOT_UTF8));
        }
    }
    // The mail channel checks its own settings; its refusal names the variable, never a password.
    MailConfig::new(url, from, to)
        .map(Some)
        .map_err(|why| Failure::new(Kind::Config, why))
}

/// Room for what wrapping the body in `multipart/mixed` adds (its header and boundaries): the final
/// measure checks it.
const MIXED_WRAPPER: usize = 1024;

/// The mail of `digest` for `config`'s recipients, within [`MAX_MAIL_BYTES`].
pub(crate) fn mail_message(digest: &Digest, config: &MailConfig) -> MailMessage {
    let attached: Vec<&AccountDigest> = (digest.accounts.iter())
        .filter(|a| !a.html.is_empty())
        .collect();
    let (text, html) = body(digest, &attached);
    let message = MailMessage {
        subject: lines::subject(digest),
        text,
        html,
        attachments: attached.iter().map(|a| attachment(digest, a)).collect(),
    };
    fit(message, &attached, digest, config)
}

/// The text and HTML parts of a mail with the reports of `attached` attached.
fn body(digest: &Digest, attached: &[&AccountDigest]) -> (String, String) {
    let overview = linked_overview(digest, attached);
    (
        text(digest, overview.as_ref()),
        html(digest, overview.as_ref()),
    )
}

/// The overview of several accounts as its JSON has it, each row linked to its account's report as
/// attached (`attached`), a row whose report is not attached unlinked; `None` for one account, or
/// when the overview's JSON is missing or does not read.
fn linked_overview(digest: &Digest, attached: &[&AccountDigest]) -> Option<Overview> {
    if digest.accounts.len() < 2 {
        return None;
    }
    let mut overview = overview::read(&digest.overview.as_ref()?.json).ok()?;
    for row in &mut overview.rows {
        row.report_file = (attached.iter())
            .any(|a| a.handle == row.handle)
            .then(|| attachment_name(digest.date, &row.handle));
    }
    Some(overview)
}

/// The text part: the Markdown report (one account) or `overview` (several, with links to the
/// attachments); built from the headlines when it was not written, when there is no overview, or
/// when the overview's JSON does not read.
fn text(digest: &Digest, linked: Option<&Overview>) -> String {
    let written = match (digest.accounts.as_slice(), &digest.overview) {
        ([one], _) => one.markdown.clone(),
        (_, Some(files)) if files.markdown.trim().is_empty() => String::new(),
        (_, Some(_)) => linked.map(overview::markdown).unwrap_or_default(),
        // Several accounts without an overview: their headlines, as the HTML part has them (each
        // whole report is attached; a thousand of them joined would be tens of megabytes).
        (_, None) => String::new(),
    };
    match written.trim().is_empty() {
        true => lines::text_list(digest, &saved_as(digest)),
        false => written,
    }
}

/// The HTML part: the HTML report (one account) or `overview` (several, with links to the
/// attachments); built from the headlines when it was not written, or the overview's JSON does not
/// read.
fn html(digest: &Digest, linked: Option<&Overview>) -> String {
    let written = match (digest.accounts.as_slice(), &digest.overview) {
        ([one], _) => one.html.clone(),
        (_, Some(files)) if files.html.trim().is_empty() => String::new(),
        (_, Some(_)) => linked.map(overview::html).unwrap_or_default(),
        (_, None) => String::new(),
    };
    match written.trim().is_empty() {
        true => lines::html_list(digest, &saved_as(digest)),
        false => written,
    }
}

/// Where the report JSON is, for a body built without the other forms: `Full report: …`.
fn saved_as(digest: &Digest) -> String {
    match digest.accounts.as_slice() {
        [one] => format!(
            "Full report: {}",
            report_path(digest, one.handle.as_str(), "json")
        ),
        _ => format!("Full reports: {}", report_path(digest, "<handle>", "json")),
    }
}

/// `<reports-dir>/<handle>/report_<date>.<extension>`.
fn report_path(digest: &Digest, handle: &str, extension: &str) -> String {
    (digest.reports_dir.join(handle))
        .join(report_file_name(digest.date, extension))
        .display()
        .to_string()
}

/// An account's HTML report as attached.
fn attachment(digest: &Digest, account: &AccountDigest) -> (String, Vec<u8>) {
    let name = attachment_name(digest.date, &account.handle);
    (name, account.html.clone().into_bytes())
}

/// The name `handle`'s HTML report of `date` is attached under: `<handle>_report_<date>.html`.
fn attachment_name(date: NaiveDate, handle: &Handle) -> String {
    format!("{handle}_{}", report_file_name(date, "html"))
}

/// `message` within [`MAX_MAIL_BYTES`] on the wire: as it is when it fits; else with as many of
/// its attachments (the reports of `attached`, in order) as fit beside the body and the notice of
/// those left out; its body built from the headlines (a few hundred bytes an account) when the
/// written one alone is too large.
fn fit(
    message: MailMessage,
    attached: &[&AccountDigest],
    digest: &Digest,
    config: &MailConfig,
) -> MailMessage {
    let size = |m: &MailMessage| mail::wire_size(config, m).unwrap_or(usize::MAX);
    let sizes: Vec<usize> = (message.attachments.iter())
        .map(|(name, bytes)| mail::attachment_size(name, bytes))
        .collect();
    let bare = MailMessage {
        attachments: Vec::new(),
        ..message.clone()
    };
    // Encoding only adds: a body whose raw text is past the cap is not worth encoding to see.
    let bare_size = match message.text.len().saturating_add(message.html.len()) {
        raw if raw > MAX_MAIL_BYTES => usize::MAX,
        _ => size(&bare).saturating_add(MIXED_WRAPPER),
    };
    let whole = (sizes.iter()).fold(bare_size, |sum, s| sum.saturating_add(*s));
    if whole <= MAX_MAIL_BYTES {
        return message;
    }
    let headlines = bare_size > MAX_MAIL_BYTES;
    // The notice is longest when every report is left out: room for it then leaves room for any
    // notice. The overview's links to the reports kept add a little, which the loop below takes
    // back if need be.
    let all_out = vec![false; attached.len()];
    let mut room = MAX_MAIL_BYTES.saturating_sub(
        size(&noticed(&message, &all_out, attached, digest, headlines))
            .saturating_add(MIXED_WRAPPER),
    );
    let mut keep: Vec<bool> = (sizes.iter())
        .map(|&s| {
            let fits = s <= room;
            room = room.saturating_sub(if fits { s } else { 0 });
            fits
        })
        .collect();
    loop {
        let candidate = noticed(&message, &keep, attached, digest, headlines);
        match keep.iter().rposition(|&k| k) {
            Some(last) if size(&candidate) > MAX_MAIL_BYTES => keep[last] = false,
            _ => return candidate,
        }
    }
}

/// `message` with only the attachments `keep` marks, and a notice of those left out: a line at
/// the top of the text and HTML, their list at the end; its body built from the `headlines` when
/// the written one alone is too large.
fn noticed(
    message: &MailMessage,
    keep: &[bool],
    attached: &[&AccountDigest],
    digest: &Digest,
    headlines: bool,
) -> MailMessage {
    let left_out: Vec<&str> = (attached.iter().zip(keep))
        .filter(|(_, kept)| !**kept)
        .map(|(a, _)| a.handle.as_str())
        .collect();
    let attachments = (message.attachments.iter().zip(keep))
        .filter(|(_, kept)| **kept)
        .map(|(attachment, _)| attachment.clone())
        .collect();
    let kept: Vec<&AccountDigest> = (attached.iter().zip(keep))
        .filter(|(_, kept)| **kept)
        .map(|(a, _)| *a)
        .collect();
    // The overview links only the reports still attached.
    let (text, html) = match headlines {
        false => body(digest, &kept),
        true => (
            lines::text_list(digest, &saved_as(digest)),
            lines::html_list(digest, &saved_as(digest)),
        ),
    };
    let (top, list, how) = notice(&left_out, attached.len(), digest);
    MailMessage {
        subject: message.subject.clone(),
        text: format!("{top}\n\n{}\n\n---\n\n{list}\n\n{how}\n", text.trim_end()),
        html: framed(
            &html,
            &format!("<p><strong>{}</strong></p>\n", escape(&top)),
            &format!(
                "<hr>\n<p>{}</p>\n<p>{}</p>\n",
                escape(&list),
                code_spans(&escape(&how))
            ),
        ),
        attachments,
    }
}

/// The notice of `left_out` (of `total` reports): the line for the top, the list, and where the
/// reports are and how to mail one.
fn notice(left_out: &[&str], total: usize, digest: &Digest) -> (String, String, String) {
    let n = left_out.len() as u64;
    let verb = if n == 1 { "is" } else { "are" };
    let top = format!(
        "{n} of {} {verb} not attached, to keep this mail under {} MB: see the list at the end.",
        plural(total as u64, "account report"),
        MAX_MAIL_BYTES / 1_000_000
    );
    let names: Vec<String> = left_out.iter().map(|h| format!("@{h}")).collect();
    let list = format!("Not attached ({n}): {}.", names.join(", "));
    let dir = shell_word(&digest.reports_dir);
    let how = format!(
        "Each is on disk as {}; `tiktok-review send --reports-dir {dir} --date {} --user <handle>` \
         mails one with its report attached.",
        report_path(digest, "<handle>", "html"),
        digest.date
    );
    (top, list, how)
}

/// `html` with `top` just inside its `<body>` and `bottom` just before `</body>` (at its start
/// and end when it has none).
fn framed(html: &str, top: &str, bottom: &str) -> String {
    let start = (html.find("<body"))
        .and_then(|at| html[at..].find('>').map(|end| at + end + 1))
        .unwrap_or(0);
    let end = html.rfind("</body>").unwrap_or(html.len()).max(start);
    format!(
        "{}{top}{}{bottom}{}",
        &html[..start],
        &html[start..end],
        &html[end..]
    )
}

/// `text` with each `` `…` `` span as `<code>…</code>`.
fn code_spans(text: &str) -> String {
    (text.split('`').enumerate())
        .map(|(i, part)| match i % 2 {
            1 => format!("<code>{part}</code>"),
            _ => part.to_string(),
        })
        .collect()
}

/// `path` as one shell word: as it is when it is made of safe characters, else in single quotes.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    match text.chars().all(safe) && !text.is_empty() {
        true => text,
        false => format!("'{}'", text.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests;
