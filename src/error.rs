//! Error kinds whose exit code matters, and the one mapping from any error to the README's exit code.
//!
//! Lower layers return `anyhow::Error`s that wrap a `Failure` where the kind decides the exit code;
//! [`exit_code`] walks the chain to find it. Nothing here exits (`main` does); `warn` prints the
//! one kind of line that is not an error.

use std::fmt::Display;
use std::io::Write;

/// What went wrong, as far as the exit code is concerned (sysexits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 64: the command line or an environment value is wrong.
    Usage,
    /// 65: the API answered something this version cannot understand.
    BadResponse,
    /// 67: the TikTok user does not exist.
    UserNotFound,
    /// 73: the report (or the reports folder) cannot be written.
    CannotWrite,
    /// 75: a temporary failure: the API stayed unavailable, or another run holds the lock.
    TempFail,
    /// 77: the API key was rejected, or the credits are exhausted.
    Denied,
    /// 78: configuration is missing or unusable (no API key, no env file).
    Config,
}

impl Kind {
    /// The process exit code for this kind, as documented in the README.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Usage => 64,
            Kind::BadResponse => 65,
            Kind::UserNotFound => 67,
            Kind::CannotWrite => 73,
            Kind::TempFail => 75,
            Kind::Denied => 77,
            Kind::Config => 78,
        }
    }
}

/// An error whose [`Kind`] decides the exit code; its message is one line for stderr.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Failure {
    /// What kind of failure this is.
    pub(crate) kind: Kind,
    message: String,
    /// The kind of the I/O error behind it, when one is (its text is already in the message).
    io: Option<std::io::ErrorKind>,
}

impl Failure {
    /// A failure of `kind` with a one-line `message` (what happened and what to do).
    pub(crate) fn new(kind: Kind, message: impl Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
            io: None,
        }
    }

    /// The same failure, remembering the kind of the I/O error `cause` that led to it (a full
    /// disk, a read-only folder), for [`io_kind`].
    pub(crate) fn caused_by(mut self, cause: &std::io::Error) -> Self {
        self.io = Some(cause.kind());
        self
    }
}

/// The kind of the I/O error behind the outermost [`Failure`] in `err`'s chain that names one.
pub(crate) fn io_kind(err: &anyhow::Error) -> Option<std::io::ErrorKind> {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<Failure>())
        .find_map(|failure| failure.io)
}

/// Exit code for an error that is not a `Failure`: an internal error (EX_SOFTWARE).
pub const INTERNAL_EXIT_CODE: u8 = 70;

/// The exit code for `err`: the kind of the outermost `Failure` in its chain, else 70.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map_or(INTERNAL_EXIT_CODE, |failure| failure.kind.exit_code())
}

/// Exit codes from most to least severe, for a run over several accounts: what needs a human for
/// every account first (a bug, the key, the configuration), then one account's lasting problem,
/// then what a later run may fix by itself.
pub(crate) const SEVERITY: [u8; 8] = [INTERNAL_EXIT_CODE, 77, 78, 73, 65, 67, 64, 75];

/// The most severe of some exit codes, `None` when there are none.
pub(crate) fn most_severe(codes: impl IntoIterator<Item = u8>) -> Option<u8> {
    codes
        .into_iter()
        .min_by_key(|code| SEVERITY.iter().position(|c| c == code).unwrap_or(0))
}

/// `text` cleaned of control characters and with the secret redacted.
fn safe(text: &str) -> String {
    crate::logging::redact(&crate::text::clean(text))
}

/// Renders `err` as the single stderr line `main` prints: contexts joined by `: `, no newlines,
/// no control characters, no secret.
pub(crate) fn one_line(err: &anyhow::Error) -> String {
    let line = format!("{err:#}")
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    safe(&line)
}

/// Set by the panic hook: some thread panicked, so the run failed whatever else it returns.
static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes any panic print one line, `tiktok-review: error: internal error: … (please report this
/// bug)`, the secret redacted, and no backtrace; [`panicked`] then tells `main` to exit 70.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if !PANICKED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let line = crate::logging::redact(&panic_line(info.payload()));
            // Not eprintln!: a closed stderr must not panic inside the hook.
            let line = crate::logging::stamped(
                &format!("tiktok-review: error: {line}\n"),
                chrono::Utc::now(),
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
    }));
}

/// Whether any thread has panicked since [`install_panic_hook`].
pub fn panicked() -> bool {
    PANICKED.load(std::sync::atomic::Ordering::SeqCst)
}

/// The one line (without the `tiktok-review: error: ` prefix) a panic with `payload` prints: its
/// message on one line, control characters and escapes removed, no backtrace.
pub(crate) fn panic_line(payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    let message = crate::text::one_line(message);
    format!("internal error: {message} (please report this bug)")
}

/// Prints `err` as the one stderr line of a failure, `tiktok-review: error: [@account: ]…`, through
/// the log's writer (the secret redacted, the progress bar kept).
pub fn print(account: Option<&crate::handle::Handle>, err: &anyhow::Error) {
    let account = account.map(|a| format!("@{a}: ")).unwrap_or_default();
    let line = format!("tiktok-review: error: {account}{}\n", one_line(err));
    crate::logging::write_stderr(line.as_bytes());
}

/// The outcome of writing to standard output: a reader that went away (a closed pipe, as in
/// `| head`) is no failure; any other error is one the user must fix (73), never a bug.
pub fn to_stdout(written: std::io::Result<()>) -> anyhow::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(
            Kind::CannotWrite,
            format!("writing to standard output: {e}"),
        )
        .into()),
        Ok(()) => Ok(()),
    }
}

/// Prints a warning line to stderr, whatever the log filter: something was skipped, the run goes
/// on. It goes through the log's writer, so that it never overwrites the progress bar; it is
/// cleaned and has the secret redacted.
pub(crate) fn warn(message: impl Display) {
    warn_at(chrono::Utc::now(), message);
}

/// [`warn`], stamped with `at` instead of now: a line kept for later says when it happened.
pub(crate) fn warn_at(at: chrono::DateTime<chrono::Utc>, message: impl Display) {
    let line = format!("tiktok-review: warning: {}\n", safe(&message.to_string()));
    crate::logging::write_stderr_at(line.as_bytes(), at);
}

/// A clap error as one line: its message without the usage block and the `--help` tip.
pub(crate) fn clap_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let line = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more information")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    format!("{line} (see --help)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn exit_code_comes_from_the_failure_under_any_context() {
        let err = Err::<(), _>(Failure::new(Kind::Denied, "key rejected"))
            .context("fetching profile")
            .unwrap_err();
        assert_eq!(exit_code(&err), 77);
        assert_eq!(one_line(&err), "fetching profile: key rejected");
    }

    #[test]
    fn the_io_error_kind_is_kept_under_any_context() {
        let full = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let err =
            Err::<(), _>(Failure::new(Kind::CannotWrite, "writing x: disk full").caused_by(&full))
                .context("saving the report of @x")
                .unwrap_err();
        assert_eq!(io_kind(&err), Some(std::io::ErrorKind::StorageFull));
        assert_eq!(exit_code(&err), 73);
        assert_eq!(io_kind(&anyhow::anyhow!("boom")), None);
    }

    #[test]
    fn an_unclassified_error_is_internal() {
        assert_eq!(exit_code(&anyhow::anyhow!("boom")), 70);
    }

    #[test]
    fn the_most_severe_code_wins() {
        assert_eq!(most_severe([75, 67, 75]), Some(67));
        assert_eq!(most_severe([75, 77, 73]), Some(77));
        assert_eq!(most_severe([65, 70]), Some(70));
        assert_eq!(most_severe([]), None);
    }

    #[test]
    fn a_panic_becomes_one_clean_line_whatever_its_payload() {
        let text: Box<dyn std::any::Any + Send> =
            Box::new("index out of bounds:\n  len is 0\x1b[31m");
        assert_eq!(
            panic_line(text.as_ref()),
            "internal error: index out of bounds: len is 0 (please report this bug)"
        );
        let formatted: Box<dyn std::any::Any + Send> = Box::new(format!("bad {}\r\n", 7));
        assert_eq!(
            panic_line(formatted.as_ref()),
            "internal error: bad 7 (please report this bug)"
        );
        let other: Box<dyn std::any::Any + Send> = Box::new(42_u8);
        assert_eq!(
            panic_line(other.as_ref()),
            "internal error: a panic without a message (please report this bug)"
        );
    }

    #[test]
    fn one_line_folds_newlines() {
        assert_eq!(one_line(&anyhow::anyhow!("a\nb\r\n c")), "a b c");
    }
}
