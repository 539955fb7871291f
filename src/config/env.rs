//! The environment as one map, read once: the process environment layered over an env file.
//!
//! Every variable the program reads is a [`Var`], so the list of variables (and `.env.example`)
//! cannot drift from the code. Only `run`, `send` and `check` read an env file: `./.env`, or the
//! `--env-file` that must exist. A line of it that does not parse is named by its number only: its
//! text may hold the key. Nothing here writes to the process environment.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::deliver::{CHANNELS, ChannelVar, Lookup};
use crate::error::{Failure, Kind};

/// An environment variable the program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Var {
    /// `SCAVIO_API_KEY`: the key (required for `run`).
    ScavioApiKey,
    /// `SCAVIO_BASE_URL`: the API's address.
    ScavioBaseUrl,
    /// `TIKTOK_USERNAME`: the accounts, comma-separated, when no flag names them.
    TiktokUsername,
    /// `SCAVIO_CONCURRENCY`: requests in flight, as `--concurrency`.
    ScavioConcurrency,
    /// `TIKTOK_REVIEW_REPORTS_DIR`: the reports folder, as `--reports-dir`.
    ReportsDir,
    /// `TIKTOK_REVIEW_TZ`: the creator's time zone, as `--tz`.
    Tz,
    /// `RUST_LOG`: a log filter, as `--verbose`.
    RustLog,
    /// `TIKTOK_REVIEW_INDUSTRY`: the benchmark's industry, as `--industry`.
    Industry,
    /// `TIKTOK_REVIEW_WEEK_END`: the weekly end of the reported week, as `--week-end`.
    WeekEnd,
    /// `TIKTOK_REVIEW_COMPARE`: the competitors, comma-separated, as `--compare`.
    Compare,
    /// A delivery channel's variable (see `crate::deliver::CHANNELS`).
    Channel(&'static ChannelVar),
    /// `TIKTOK_REVIEW_REPORT_URL`: where the reports folder is served, for links in chat.
    ReportUrl,
}

impl Var {
    /// The variables of the program's own, before the channels'.
    const OWN: [Var; 10] = [
        Var::ScavioApiKey,
        Var::ScavioBaseUrl,
        Var::TiktokUsername,
        Var::ScavioConcurrency,
        Var::ReportsDir,
        Var::Tz,
        Var::RustLog,
        Var::Industry,
        Var::WeekEnd,
        Var::Compare,
    ];

    /// Every variable the program reads (debug builds also read `TIKTOK_REVIEW_TEST_PANIC`): its
    /// own, then each channel's, then `TIKTOK_REVIEW_REPORT_URL`.
    pub fn all() -> Vec<Var> {
        let channels =
            (CHANNELS.iter()).flat_map(|channel| channel.vars().iter().map(Var::Channel));
        (Self::OWN.into_iter())
            .chain(channels)
            .chain([Var::ReportUrl])
            .collect()
    }

    /// Whether its value is a secret: the key, and each channel's secrets (its URL).
    pub(crate) fn is_secret(self) -> bool {
        match self {
            Var::ScavioApiKey => true,
            Var::Channel(var) => var.secret,
            _ => false,
        }
    }

    /// The variable's name.
    pub fn name(self) -> &'static str {
        match self {
            Var::ScavioApiKey => "SCAVIO_API_KEY",
            Var::ScavioBaseUrl => "SCAVIO_BASE_URL",
            Var::TiktokUsername => "TIKTOK_USERNAME",
            Var::ScavioConcurrency => "SCAVIO_CONCURRENCY",
            Var::ReportsDir => "TIKTOK_REVIEW_REPORTS_DIR",
            Var::Tz => "TIKTOK_REVIEW_TZ",
            Var::RustLog => "RUST_LOG",
            Var::Industry => "TIKTOK_REVIEW_INDUSTRY",
            Var::WeekEnd => "TIKTOK_REVIEW_WEEK_END",
            Var::Compare => "TIKTOK_REVIEW_COMPARE",
            Var::Channel(var) => var.name,
            Var::ReportUrl => "TIKTOK_REVIEW_REPORT_URL",
        }
    }

    /// The variable called `name`, when the program reads it.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::all().into_iter().find(|var| var.name() == name)
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Debug builds only: `TIKTOK_REVIEW_TEST_PANIC=<text>` makes `run` panic with `<text>`, for the
/// end-to-end test of the panic hook.
#[cfg(debug_assertions)]
const TEST_PANIC: &str = "TIKTOK_REVIEW_TEST_PANIC";

/// The values of the variables the program reads. A value that is empty (or only whitespace)
/// counts as unset. `Debug` shows the names only: a value may be the key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<Var, String>,
    #[cfg(debug_assertions)]
    test_panic: Option<String>,
}

impl Env {
    /// The process environment alone (`history` and `cron`, which never read an env file).
    pub(crate) fn process() -> Self {
        let mut env: Env = Var::all()
            .into_iter()
            // A value that is not UTF-8 is kept (its bad bytes as U+FFFD) so that its check
            // refuses it by name, rather than it passing for unset.
            .filter_map(|var| {
                let value = std::env::var_os(var.name())?;
                Some((var, value.to_string_lossy().into_owned()))
            })
            .collect();
        #[cfg(debug_assertions)]
        {
            env.test_panic = std::env::var(TEST_PANIC).ok();
        }
        env.vars.retain(|_, value| !value.trim().is_empty());
        env
    }

    /// The process environment layered over an env file: `explicit` (which must exist), else
    /// `./.env` when there is one. A variable set in the process environment wins over the file.
    pub(crate) fn with_env_file(explicit: Option<&Path>) -> anyhow::Result<Self> {
        let mut env = Self::process();
        for (var, value) in env_file(explicit)? {
            env.vars.entry(var).or_insert(value);
        }
        Ok(env)
    }

    /// As [`Env::with_env_file`], for `check`, which reports rather than stops: beside the
    /// environment, which env file was read (`None`: there is none), or why it could not be (the
    /// process environment alone then).
    pub(crate) fn checked(explicit: Option<&Path>) -> (Self, Result<Option<PathBuf>, Failure>) {
        let mut env = Self::process();
        let read = env_file_path(explicit).and_then(|path| match path {
            Some(path) => read_env_file(&path).map(|vars| (Some(path), vars)),
            None => Ok((None, Vec::new())),
        });
        match read {
            Ok((path, vars)) => {
                for (var, value) in vars {
                    env.vars.entry(var).or_insert(value);
                }
                (env, Ok(path))
            }
            Err(failure) => (env, Err(failure)),
        }
    }

    /// The value of `var`, trimmed; `None` when it is unset or empty.
    pub(crate) fn get(&self, var: Var) -> Option<&str> {
        self.vars.get(&var).map(|value| value.trim())
    }

    /// Debug builds only: the text `TIKTOK_REVIEW_TEST_PANIC` asks `run` to panic with.
    #[cfg(debug_assertions)]
    pub(crate) fn test_panic(&self) -> Option<&str> {
        self.test_panic.as_deref()
    }
}

impl Lookup for Env {
    fn value(&self, var: &ChannelVar) -> Option<&str> {
        self.get(Var::from_name(var.name)?)
    }
}

impl FromIterator<(Var, String)> for Env {
    /// An environment of exactly these values (the tests' way to make one); empty values count as
    /// unset.
    fn from_iter<I: IntoIterator<Item = (Var, String)>>(pairs: I) -> Self {
        let vars = pairs
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        Self {
            vars,
            ..Self::default()
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.vars.keys().map(|var| var.name()))
            .finish()
    }
}

/// The known variables of the env file `explicit`, or of `./.env` when it exists (none otherwise).
fn env_file(explicit: Option<&Path>) -> Result<Vec<(Var, String)>, Failure> {
    match env_file_path(explicit)? {
        Some(path) => read_env_file(&path),
        None => Ok(Vec::new()),
    }
}

/// The env file to read: `explicit` (refused when it is not a file), else `./.env` when it exists.
fn env_file_path(explicit: Option<&Path>) -> Result<Option<PathBuf>, Failure> {
    match explicit {
        Some(path) if !path.exists() => Err(Failure::new(
            Kind::Config,
            format!("env file {} not found; check --env-file", path.display()),
        )),
        Some(path) if !path.is_file() => Err(Failure::new(
            Kind::Config,
            format!(
                "reading env file {}: it is not a regular file; check --env-file",
                path.display()
            ),
        )),
        Some(path) => Ok(Some(path.to_path_buf())),
        None if Path::new(".env").is_file() => Ok(Some(PathBuf::from(".env"))),
        None => Ok(None),
    }
}

/// The known variables of the env file at `path`; a file that cannot be read or parsed is a
/// configuration failure (78) naming the line, never its text.
fn read_env_file(path: &Path) -> Result<Vec<(Var, String)>, Failure> {
    let failure = |why: String| {
        Failure::new(
            Kind::Config,
            format!("reading env file {}: {why}", path.display()),
        )
    };
    let bytes = read_small_file(path).map_err(&failure)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = line_number(e.as_bytes(), valid);
        failure(format!(
            "line {line} is not UTF-8 text; save the file as UTF-8"
        ))
    })?;
    parse_env_text(&text).map_err(failure)
}

/// The known variables of an env file's `text` (a BOM is skipped), or why it does not parse.
pub(super) fn parse_env_text(text: &str) -> Result<Vec<(Var, String)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = syntax_error_line(text) {
        return Err(format!(
            "syntax error on line {line}; fix that line (its text is not shown: it may hold a secret)"
        ));
    }
    let mut vars = Vec::new();
    for item in dotenvy::from_read_iter(text.as_bytes()) {
        let (name, value) = item.map_err(|e| match e {
            // Checked above, so not expected; its text would be the line itself.
            dotenvy::Error::LineParse(..) => {
                "syntax error; fix the file (its text is not shown: it may hold a secret)".into()
            }
            other => other.to_string(),
        })?;
        if let Some(var) = Var::from_name(&name)
            && !value.trim().is_empty()
        {
            vars.push((var, value));
        }
    }
    Ok(vars)
}

/// The most an env file or a users file may hold: far more than any real one.
const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// The text of a small configuration file (an env file, a users file): a regular file (a link to
/// one is fine) of at most 1 MiB, opened without waiting on a FIFO; why not otherwise. Not UTF-8
/// is left to the caller, which says which line.
pub(super) fn read_small_file(path: &Path) -> Result<Vec<u8>, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if !metadata.is_file() {
        return Err("it is not a regular file".into());
    }
    let too_large = || "it is larger than 1 MiB, which no such file is".to_string();
    if metadata.len() > MAX_CONFIG_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    match bytes.len() as u64 > MAX_CONFIG_FILE_BYTES {
        true => Err(too_large()),
        false => Ok(bytes),
    }
}

/// The number of the first line of the first statement of an env file (without BOM) that dotenvy
/// cannot parse, or `None` when it all parses. dotenvy's own error carries the offending text but
/// not its line, so its reader is fed one line at a time and the bytes it has taken are counted.
fn syntax_error_line(text: &str) -> Option<usize> {
    let reader = LineByLine {
        text: text.as_bytes(),
        taken: Cell::new(0),
    };
    let mut statements = dotenvy::from_read_iter(&reader);
    loop {
        // Each statement (with the comments and blank lines before it) is read whole, up to and
        // including its last newline, so this is where the next one, or its comments, begins.
        let start = reader.taken.get();
        match statements.next()? {
            Ok(_) => {}
            Err(_) => {
                let skipped = text
                    .get(start..)
                    .unwrap_or_default()
                    .split_inclusive('\n')
                    .take_while(|line| {
                        let line = line.trim_start();
                        line.is_empty() || line.starts_with('#')
                    })
                    .count();
                return Some(line_number(text.as_bytes(), start) + skipped);
            }
        }
    }
}

/// The 1-based number of the line holding byte `offset` of `text`.
fn line_number(text: &[u8], offset: usize) -> usize {
    1 + text.iter().take(offset).filter(|&&b| b == b'\n').count()
}

/// A reader that hands out at most one line per `read`, and counts what it handed out.
struct LineByLine<'a> {
    text: &'a [u8],
    taken: Cell<usize>,
}

impl Read for &LineByLine<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = self.text.get(self.taken.get()..).unwrap_or_default();
        let line = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |newline| newline + 1);
        let n = line.min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn an_env_file_syntax_error_is_found_by_its_first_line_number() {
        assert_eq!(syntax_error_line(""), None);
        assert_eq!(
            syntax_error_line("# c\nA=1\nexport B='x y'\nC=\"multi\nline\"\n\nD=$A\n"),
            None
        );
        assert_eq!(syntax_error_line("A=1\n# c\nKEY=a b\nB=2\n"), Some(3));
        assert_eq!(
            syntax_error_line("A=1\r\n\r\n  # c\r\nKEY=a b\r\n"),
            Some(4)
        );
        assert_eq!(
            syntax_error_line("A=\"two\nlines\"\nB=\"open\nC=1\n"),
            Some(3)
        );
        assert_eq!(syntax_error_line("A=1\nKEY='unclosed"), Some(2));
        assert_eq!(syntax_error_line("A=1\n\n\n=nokey\n"), Some(4));
        assert_eq!(syntax_error_line("A=1\nB=\\q\n"), Some(2), "unknown escape");
        assert_eq!(line_number(b"a\nb\nc", 4), 3);
    }

    /// `.env.example` with every commented `# NAME=value` line uncommented.
    pub(crate) fn uncommented_example() -> String {
        let example = include_str!("../../.env.example");
        let assignment = |line: &str| {
            line.split_once('=').is_some_and(|(name, _)| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
            })
        };
        (example.lines())
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if assignment(rest) => rest,
                _ => line,
            })
            .map(|line| format!("{line}\n"))
            .collect()
    }

    #[test]
    fn env_example_parses_with_every_commented_line_uncommented() {
        let text = uncommented_example();
        let vars = parse_env_text(&text).unwrap();
        let mut names: Vec<&str> = vars.iter().map(|(var, _)| var.name()).collect();
        names.sort_unstable();
        let mut all: Vec<&str> = Var::all().into_iter().map(Var::name).collect();
        all.sort_unstable();
        assert_eq!(names, all, "every variable, each once");
        let value = |name: &str| {
            let found = vars.iter().find(|(var, _)| var.name() == name);
            found.map(|(_, value)| value.as_str()).unwrap()
        };
        assert_eq!(
            value("TIKTOK_REVIEW_MAIL_FROM"),
            "TikTok review <reviews@example.com>"
        );
        assert_eq!(value("TIKTOK_USERNAME"), "examplecreator,anothercreator");
    }

    #[test]
    fn empty_values_count_as_unset_and_values_are_trimmed() {
        let env: Env = [
            (Var::TiktokUsername, " alpha ".to_string()),
            (Var::RustLog, "  ".to_string()),
        ]
        .into_iter()
        .collect();
        assert_eq!(env.get(Var::TiktokUsername), Some("alpha"));
        assert_eq!(env.get(Var::RustLog), None);
        assert_eq!(env.get(Var::ScavioApiKey), None);
    }

    #[test]
    fn debug_output_names_the_variables_but_never_their_values() {
        let env: Env = [(Var::ScavioApiKey, "sk_live_secret".to_string())]
            .into_iter()
            .collect();
        assert_eq!(format!("{env:?}"), "{\"SCAVIO_API_KEY\"}");
    }

    #[test]
    fn every_variable_is_found_by_its_name() {
        for var in Var::all() {
            assert_eq!(Var::from_name(var.name()), Some(var));
        }
        assert_eq!(Var::from_name("PATH"), None);
    }
}
