//! The stderr of a run: `tracing` events of this crate as `tiktok-review: <level>: @account: …`
//! lines, chosen by `-v` and `RUST_LOG`; the progress bar; and one writer that both the log and
//! the warnings go through, which hides the bar while a line prints so that neither overwrites
//! the other.
//!
//! When stderr is not a terminal, every line starts with its UTC time (see [`line_prefix`]).
//!
//! The filter comes from [`crate::config`] (the subscriber never reads the environment). Events of
//! other crates are never shown (a transport library may log headers), nor is colour.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::sync::{LazyLock, Mutex};

use indicatif::{ProgressBar, ProgressStyle};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{EnvFilter, FilterExt, filter_fn};
use tracing_subscriber::fmt::format::{FormatEvent, FormatFields, Writer, debug_fn};
use tracing_subscriber::fmt::{FmtContext, FormattedFields, MakeWriter};
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The target of the span around one account's review, whose one field, `account`, is `@handle`.
/// It is always enabled, so that every line logged during a review names its account.
pub(crate) const ACCOUNT_TARGET: &str = "tiktok_review::account";

/// The progress bar while it is shown: lines written to stderr hide it for a moment.
static PROGRESS: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Which events the log shows: `EnvFilter` directives that parse, for this crate's events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFilter {
    directives: String,
}

impl LogFilter {
    /// The filter of `RUST_LOG` (`debug`, `tiktok_review=debug`, …), with `tiktok_review=debug`
    /// added for `-v`; without either, warnings only. Also returns the directives of `RUST_LOG`
    /// that do not parse, which are left out.
    pub(crate) fn new(rust_log: Option<&str>, verbose: bool) -> (Self, Vec<String>) {
        let (mut kept, mut ignored) = (Vec::new(), Vec::new());
        for directive in rust_log.unwrap_or_default().split(',').map(str::trim) {
            if directive.is_empty() {
                continue;
            }
            match builder().parse(directive) {
                Ok(_) => kept.push(directive.to_string()),
                Err(_) => ignored.push(directive.to_string()),
            }
        }
        if verbose {
            // Last, so that it wins over a `tiktok_review=…` of RUST_LOG.
            kept.push("tiktok_review=debug".into());
        }
        if kept.is_empty() {
            kept.push("warn".into());
        }
        let directives = kept.join(",");
        (Self { directives }, ignored)
    }

    /// The directives, comma-separated.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.directives
    }

    /// The filter for the subscriber: these directives, plus the account spans always on.
    fn env_filter(&self) -> EnvFilter {
        let all = format!("{},{ACCOUNT_TARGET}=trace", self.directives);
        builder()
            .parse(&all)
            .unwrap_or_else(|_| EnvFilter::new(format!("warn,{ACCOUNT_TARGET}=trace")))
    }
}

impl Default for LogFilter {
    fn default() -> Self {
        Self::new(None, false).0
    }
}

/// EnvFilter parsing without regular expressions (`RUST_LOG` is not trusted input).
fn builder() -> tracing_subscriber::filter::Builder {
    EnvFilter::builder().with_regex(false)
}

/// Installs the log for this process: `filter`'s events of this crate, one line each on stderr.
/// A second call changes nothing.
pub fn init(filter: &LogFilter) {
    let ours = filter_fn(|meta| meta.target().starts_with("tiktok_review"));
    let layer = tracing_subscriber::fmt::layer()
        .event_format(Line)
        .fmt_fields(debug_fn(|writer, field, value| match field.name() {
            "message" | "account" => write!(writer, "{value:?}"),
            name => write!(writer, " {name}={value:?}"),
        }))
        .with_writer(Stderr)
        .with_filter(filter.env_filter().and(ours));
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
}

/// The span around one account's review: lines logged inside it start with `@handle: `.
pub(crate) fn account_span(handle: &crate::handle::Handle) -> tracing::Span {
    tracing::error_span!(target: ACCOUNT_TARGET, "account", account = %format_args!("@{handle}"))
}

/// The secrets no stderr line may show (the API key, the delivery URLs and their tokens), once the
/// configuration is known.
static SECRETS: std::sync::RwLock<Vec<String>> = std::sync::RwLock::new(Vec::new());

/// From now on, every line written to stderr (log lines, warnings, errors) has each of `secrets`
/// redacted in any spelling (empty ones are ignored): a last line of defence behind the redaction
/// where API text is read. The longest are redacted first, so that a token inside a hidden URL
/// never leaves the rest of the URL showing.
pub(crate) fn hide_secrets<'a>(secrets: impl IntoIterator<Item = &'a str>) {
    // A poisoned lock still holds the list: redaction never fails open.
    let mut hidden = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    for secret in secrets {
        if !secret.is_empty() && !hidden.iter().any(|s| s == secret) {
            hidden.push(secret.to_string());
        }
    }
    hidden.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// `text` with every secret known so far redacted.
pub(crate) fn redact(text: &str) -> String {
    let hidden = SECRETS.read().unwrap_or_else(|e| e.into_inner());
    hidden.iter().fold(text.to_string(), |text, secret| {
        crate::text::redact(&text, secret)
    })
}

/// What starts each stderr line: the UTC time `now` in RFC 3339 to the second and a space when
/// stderr is not a terminal (a cron log, a pipe, a file), so that a log appended every week tells
/// when each line was written; nothing on a terminal.
pub fn line_prefix(is_terminal: bool, now: chrono::DateTime<chrono::Utc>) -> String {
    match is_terminal {
        true => String::new(),
        false => format!("{} ", now.format("%Y-%m-%dT%H:%M:%SZ")),
    }
}

/// Whether stderr is a terminal, asked once.
static STDERR_IS_TERMINAL: LazyLock<bool> = LazyLock::new(|| std::io::stderr().is_terminal());

/// `text` (lines ending in a newline) with [`line_prefix`] of this process at `at` before each
/// line.
pub(crate) fn stamped(text: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let prefix = line_prefix(*STDERR_IS_TERMINAL, at);
    match prefix.is_empty() {
        true => text.to_string(),
        false => (text.split_inclusive('\n'))
            .map(|line| format!("{prefix}{line}"))
            .collect(),
    }
}

/// Writes `line` (ending in a newline) to stderr, the secret redacted, each line stamped with its
/// time when stderr is not a terminal (see [`line_prefix`]), hiding the progress bar meanwhile. A
/// failed write is ignored: there is nowhere left to report it.
pub(crate) fn write_stderr(line: &[u8]) {
    write_stderr_at(line, chrono::Utc::now());
}

/// [`write_stderr`], the line stamped with `at` instead of now.
pub(crate) fn write_stderr_at(line: &[u8], at: chrono::DateTime<chrono::Utc>) {
    let bar = PROGRESS.lock().ok().and_then(|bar| bar.clone());
    let line = stamped(&redact(&String::from_utf8_lossy(line)), at);
    let write = || {
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    };
    match bar {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// `tiktok-review: <level>: @account: <message>`: the house style of stderr, without colour.
struct Line;

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let level = match *event.metadata().level() {
            Level::ERROR => "error",
            Level::WARN => "warning",
            Level::INFO => "info",
            Level::DEBUG => "debug",
            Level::TRACE => "trace",
        };
        write!(writer, "tiktok-review: {level}: ")?;
        for span in ctx
            .event_scope()
            .into_iter()
            .flat_map(|scope| scope.from_root())
        {
            if let Some(fields) = span.extensions().get::<FormattedFields<N>>()
                && !fields.is_empty()
            {
                write!(writer, "{fields}: ")?;
            }
        }
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// The log's writer: each formatted line goes to [`write_stderr`] whole.
#[derive(Debug, Clone, Copy)]
struct Stderr;

impl<'a> MakeWriter<'a> for Stderr {
    type Writer = Stderr;

    fn make_writer(&'a self) -> Self::Writer {
        Stderr
    }
}

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        write_stderr(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The progress bar of a run over several accounts, drawn on stderr when `show` (stderr a
/// terminal); hidden otherwise. Cleared when dropped.
pub(crate) struct Progress(ProgressBar);

impl Progress {
    /// A bar of `accounts` steps, shown when `show`.
    pub(crate) fn new(show: bool, accounts: usize) -> Self {
        if !show {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(accounts as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} accounts {wide_msg}")
        {
            bar.set_style(style);
        }
        if let Ok(mut shown) = PROGRESS.lock() {
            *shown = Some(bar.clone());
        }
        Self(bar)
    }

    /// Says which account is being fetched.
    pub(crate) fn fetching(&self, handle: &crate::handle::Handle) {
        self.0.set_message(format!("fetching @{handle}"));
    }

    /// One more account done.
    pub(crate) fn done_one(&self) {
        self.0.inc(1);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Ok(mut shown) = PROGRESS.lock() {
            *shown = None;
        }
        self.0.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(rust_log: Option<&str>, verbose: bool) -> (String, Vec<String>) {
        let (filter, ignored) = LogFilter::new(rust_log, verbose);
        (filter.as_str().to_string(), ignored)
    }

    #[test]
    fn verbose_means_debug_for_this_crate_and_rust_log_is_an_env_filter() {
        assert_eq!(filter(None, false).0, "warn");
        assert_eq!(filter(None, true).0, "tiktok_review=debug");
        assert_eq!(filter(Some("debug"), false).0, "debug");
        assert_eq!(
            filter(Some(" info , tiktok_review::scavio=trace "), true).0,
            "info,tiktok_review::scavio=trace,tiktok_review=debug"
        );
        assert_eq!(filter(Some(""), false).0, "warn");
    }

    #[test]
    fn directives_that_do_not_parse_are_left_out_and_named() {
        let (kept, ignored) = filter(Some("tiktok_review=loud,debug,=x=y"), false);
        assert_eq!(kept, "debug");
        assert_eq!(ignored, ["tiktok_review=loud", "=x=y"]);
        let (kept, ignored) = filter(Some("tiktok_review=loud"), false);
        assert_eq!((kept.as_str(), ignored.len()), ("warn", 1));
    }

    #[test]
    fn lines_start_with_the_utc_time_to_the_second_unless_on_a_terminal() {
        let now: chrono::DateTime<chrono::Utc> = "2026-11-29T20:00:03.75Z".parse().unwrap();
        assert_eq!(line_prefix(false, now), "2026-11-29T20:00:03Z ");
        assert_eq!(line_prefix(true, now), "");
        let offset: chrono::DateTime<chrono::Utc> = "2026-11-29T21:00:03+01:00".parse().unwrap();
        assert_eq!(line_prefix(false, offset), "2026-11-29T20:00:03Z ");
    }

    #[test]
    fn every_filter_keeps_the_account_spans_on() {
        for rust_log in [None, Some("tiktok_review::scavio=debug"), Some("off")] {
            let env_filter = LogFilter::new(rust_log, false).0.env_filter().to_string();
            assert!(
                env_filter.contains(&format!("{ACCOUNT_TARGET}=trace")),
                "{env_filter}"
            );
        }
    }
}
