//! `tiktok-review cron`: a ready crontab entry with absolute paths, and how to install it. It only
//! looks at the working directory, this binary's path and whether the env file exists.

use std::path::Path;

use anyhow::Context;

use crate::cli::CronArgs;
use crate::config::Local;
use crate::deliver::listing;
use crate::error::{self, Failure, Kind};
use crate::handle::Handle;
use crate::schedule::WeekEnd;
use crate::text::clean;

/// `tiktok-review cron`: the crontab entry for this binary, with absolute paths. It needs an account
/// (`--user`, else `TIKTOK_USERNAME` from `local`): the entry names its accounts rather than hoping
/// the env file does.
pub fn run(args: &CronArgs, local: &Local) -> anyhow::Result<String> {
    check_schedule(&args.at).map_err(|why| {
        Failure::new(
            Kind::Usage,
            format!(
                "--at {:?} is not a cron schedule: {why}; give five fields such as \"0 20 * * 0\"",
                clean(&args.at)
            ),
        )
    })?;
    if local.accounts.is_empty() {
        return Err(Failure::new(
            Kind::Usage,
            "no TikTok account given: pass --user <HANDLE> (or set TIKTOK_USERNAME) so that the crontab entry names the account",
        )
        .into());
    }
    let workdir = std::env::current_dir().context("finding the working directory")?;
    let binary = std::env::current_exe().context("finding this program's path")?;
    let env_file = workdir.join(&args.env_file);
    let reports_dir = workdir.join(&local.reports_dir);
    let paths = [
        ("the working directory", &workdir),
        ("this program's path", &binary),
        ("the env file's path", &env_file),
        ("the reports folder's path", &reports_dir),
    ];
    for (what, path) in paths {
        refuse_control_characters(what, path)?;
    }
    if !env_file.is_file() {
        error::warn(format!(
            "{} does not exist yet: create it from .env.example",
            env_file.display()
        ));
    }
    Ok(render(&Entry {
        schedule: &args.at,
        week_end: WeekEnd::of_cron(&args.at),
        binary: &binary,
        workdir: &workdir,
        users: &local.accounts,
        env_file: &env_file,
        reports_dir: &reports_dir,
    }))
}

/// A path the entry would print must hold no control character: crontab reads a line break as the
/// start of another job, and a terminal obeys an escape sequence (64).
fn refuse_control_characters(what: &str, path: &Path) -> Result<(), Failure> {
    let text = path.to_string_lossy();
    if !text.chars().any(char::is_control) {
        return Ok(());
    }
    Err(Failure::new(
        Kind::Usage,
        format!(
            "{what} holds a control character (such as a line break), which would break the crontab line: \"{}\"; use a path without one (--reports-dir, TIKTOK_REVIEW_REPORTS_DIR or the directory you run cron in)",
            clean(&text)
        ),
    ))
}

/// Where the pieces of the cron entry live, all absolute.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    /// The five cron fields (or `@weekly` …).
    pub(crate) schedule: &'a str,
    /// The week's end the schedule stands for, when it is one instant a week.
    pub(crate) week_end: Option<WeekEnd>,
    /// This binary.
    pub(crate) binary: &'a Path,
    /// The working directory the job runs in.
    pub(crate) workdir: &'a Path,
    /// The accounts (at least one).
    pub(crate) users: &'a [Handle],
    /// The env file with `SCAVIO_API_KEY`.
    pub(crate) env_file: &'a Path,
    /// The reports folder (the log goes there too).
    pub(crate) reports_dir: &'a Path,
}

/// The `@` shortcuts a schedule may be instead of five fields.
const SHORTCUTS: [&str; 4] = ["@weekly", "@daily", "@monthly", "@hourly"];

/// One of the five fields: its name for messages, its range and its names (`jan`, `sun`, …),
/// the first name standing for the lowest value.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    },
    // 0 and 7 are both Sunday.
    Field {
        name: "day of week",
        min: 0,
        max: 7,
        names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    },
];

/// Checks `schedule`: a `@weekly`-style shortcut, or five fields (minute 0–59, hour 0–23, day of
/// month 1–31, month 1–12 or `jan`–`dec`, day of week 0–7 or `sun`–`sat`), each a comma list of
/// `*`, `*/n`, `a`, `a-b` or `a-b/n`. The error names the first bad field and why.
pub(crate) fn check_schedule(schedule: &str) -> Result<(), String> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    match fields.as_slice() {
        [shortcut] if shortcut.starts_with('@') => {
            if SHORTCUTS.contains(shortcut) {
                Ok(())
            } else {
                Err(format!(
                    "{shortcut:?} is not one of {}",
                    SHORTCUTS.join(", ")
                ))
            }
        }
        five if five.len() == 5 => five.iter().zip(&FIELDS).try_for_each(|(text, field)| {
            check_field(text, field).map_err(|why| format!("{} field: {why}", field.name))
        }),
        _ => Err(format!(
            "it has {} fields, not five such as \"0 20 * * 0\" (or a shortcut such as @weekly)",
            fields.len()
        )),
    }
}

/// Checks one field's comma list; the error names the bad item and why.
fn check_field(text: &str, field: &Field) -> Result<(), String> {
    text.split(',').try_for_each(|item| {
        let (range, step) = match item.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (item, None),
        };
        let (low, high) = match range {
            "*" => (field.min, field.max),
            _ => match range.split_once('-') {
                Some((a, b)) => (value(a, field)?, value(b, field)?),
                None if step.is_some() => {
                    return Err(format!(
                        "{item:?} steps from a single value: use a-b/n or */n"
                    ));
                }
                None => {
                    let single = value(range, field)?;
                    (single, single)
                }
            },
        };
        if low > high {
            return Err(format!("the range {range:?} runs backwards"));
        }
        match step.map(str::parse::<u32>) {
            None => Ok(()),
            Some(Ok(n)) if (1..=field.max).contains(&n) => Ok(()),
            Some(_) => Err(format!("the step of {item:?} is not 1–{}", field.max)),
        }
    })
}

/// The number one value of a field stands for: digits within the range, or a name.
fn value(text: &str, field: &Field) -> Result<u32, String> {
    let out_of_range = || {
        let names = match field.names {
            [] => String::new(),
            names => format!(" or {}–{}", names[0], names[names.len() - 1]),
        };
        format!("{text:?} is not {}–{}{names}", field.min, field.max)
    };
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u32>()
            .ok()
            .filter(|n| (field.min..=field.max).contains(n))
            .ok_or_else(out_of_range);
    }
    field
        .names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
        .and_then(|i| u32::try_from(i).ok())
        .map(|i| field.min + i)
        .ok_or_else(out_of_range)
}

/// The installation notes (as `#` comments) and the crontab line.
pub(crate) fn render(entry: &Entry<'_>) -> String {
    let log = entry.reports_dir.join("tiktok-review.log");
    let names: Vec<&str> = entry.users.iter().map(Handle::as_str).collect();
    let user = format!(" --user {}", quote(&names.join(",")));
    let week_end = (entry.week_end.map(|w| format!(" --week-end {w}"))).unwrap_or_default();
    let line = format!(
        "{} mkdir -p {dir} && cd {work} && {bin} run{user}{week_end} --env-file {env} --reports-dir {dir} --quiet >> {log} 2>&1",
        crate::text::squeeze(entry.schedule),
        dir = quote_path(entry.reports_dir),
        work = quote_path(entry.workdir),
        bin = quote_path(entry.binary),
        env = quote_path(entry.env_file),
        log = quote_path(&log),
    );
    format!(
        "# tiktok-review: the weekly TikTok review. Install this entry with\n\
         #   (crontab -l 2>/dev/null; tiktok-review cron …same flags…) | crontab -\n\
         # or paste the last line into `crontab -e`. Cron reads the schedule in the machine's time\n\
         # zone: on a machine not set to UTC, add a line CRON_TZ=UTC above it where your cron supports\n\
         # it. --week-end (UTC) dates each report by the week the schedule ends, even when the run\n\
         # starts late or catches up after the machine was off. Every line of the log starts with\n\
         # its UTC time; a failed run exits non-zero and its last line in the log names the command\n\
         # that fills the missed week:\n\
         #   {}\n\
         {}\
         {}\
         {line}\n",
        log.display(),
        delivery_comment(),
        check_comment(entry)
    )
}

/// The comment's lines on `check`: the command that tests the entry's configuration by hand (the
/// key with one profile request of the first account, 1 credit; each channel a test message).
fn check_comment(entry: &Entry<'_>) -> String {
    // For a shell, not for cron: no `%` escaped.
    let shell = |path: &Path| quote_path(path).replace("\\%", "%");
    let first = entry.users.first().map(Handle::as_str).unwrap_or_default();
    format!(
        "# Before the first run, check the key (1 credit), the folder and each channel (a test message):\n\
         #   cd {} && {} check --user {} --env-file {} --reports-dir {}\n",
        shell(entry.workdir),
        shell(entry.binary),
        quote(first),
        shell(entry.env_file),
        shell(entry.reports_dir),
    )
}

/// The comment's paragraph on delivery: every channel of [`CHANNELS`](crate::deliver::CHANNELS)
/// and its variables, as lines of at most 90 characters.
fn delivery_comment() -> String {
    let text = format!(
        "To have each week's review arrive in {}, set {} in the env file, never on this line: they \
         hold secrets. A delivery that fails keeps the reports; `tiktok-review send` delivers them \
         again.",
        listing::places(),
        listing::variables()
    );
    let mut lines = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() + 1 + word.len() > 90 {
            lines.push_str(&line);
            lines.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    lines + &line + "\n"
}

fn quote_path(path: &Path) -> String {
    quote(&path.display().to_string())
}

/// Single-quotes `text` for sh when it needs it, and escapes `%` (cron's newline) in any case.
fn quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+@:=,".contains(c));
    let quoted = if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    };
    quoted.replace('%', r"\%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_need_five_fields_or_a_shortcut() {
        for good in [
            "0 20 * * 0",
            "30 19 * * sun",
            "@weekly",
            "*/15 8-18/2 1,15 jan-jun,Dec MON-fri",
            "0 0 * * 7",
        ] {
            assert_eq!(check_schedule(good), Ok(()), "{good}");
        }
        for bad in [
            "0 20 * *",
            "0 20 * * 0 extra",
            "every sunday",
            "0 20 * * 0; rm -rf /",
            "",
            "@reboot",
            "@Weekly",
        ] {
            assert!(check_schedule(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_field_is_checked_against_its_range_at_the_edges() {
        let ok = |s: &str| check_schedule(s).is_ok();
        assert!(ok("59 23 31 12 7") && ok("0 0 1 1 0"));
        assert!(!ok("60 0 1 1 0"), "minute 60");
        assert!(!ok("0 24 1 1 0"), "hour 24");
        assert!(!ok("0 0 0 1 0"), "day of month 0");
        assert!(!ok("0 0 32 1 0"), "day of month 32");
        assert!(!ok("0 0 1 0 0") && !ok("0 0 1 13 0"), "month 0 and 13");
        assert!(!ok("0 0 1 1 8"), "day of week 8");
        assert!(ok("0 0 1 feb sat") && !ok("0 0 1 1 sunday"));
        assert!(ok("0-59/5 * * * *") && ok("*/59 * * * *"));
        for bad in [
            "*/0 * * * *",
            "*/60 * * * *",
            "5/2 * * * *",
            "9-3 * * * *",
            "1,,2 * * * *",
        ] {
            assert!(!ok(bad), "{bad}");
        }
        assert!(!ok("-5 * * * *") && !ok("1-2-3 * * * *") && !ok("** * * * *"));
    }

    #[test]
    fn a_bad_schedule_names_its_first_bad_field() {
        assert_eq!(
            check_schedule("99 99 * * 9"),
            Err("minute field: \"99\" is not 0–59".to_string())
        );
        assert_eq!(
            check_schedule("0 20 * * 9"),
            Err("day of week field: \"9\" is not 0–7 or sun–sat".to_string())
        );
        assert_eq!(
            check_schedule("0 20 * * 0 extra"),
            Err(
                "it has 6 fields, not five such as \"0 20 * * 0\" (or a shortcut such as @weekly)"
                    .to_string()
            )
        );
    }

    #[test]
    fn the_line_has_absolute_quoted_paths_and_a_log() {
        let user: Handle = "examplecreator".parse().unwrap();
        let text = render(&Entry {
            schedule: "0 20 * * 0",
            week_end: WeekEnd::of_cron("0 20 * * 0"),
            binary: Path::new("/usr/local/bin/tiktok-review"),
            workdir: Path::new("/home/me/My Reviews"),
            users: std::slice::from_ref(&user),
            env_file: Path::new("/home/me/.config/tiktok-review.env"),
            reports_dir: Path::new("/home/me/My Reviews/100%/reports"),
        });
        let line = text.lines().last().unwrap();
        assert_eq!(
            line,
            "0 20 * * 0 mkdir -p '/home/me/My Reviews/100\\%/reports' && cd '/home/me/My Reviews' && \
             /usr/local/bin/tiktok-review run --user examplecreator --week-end sun@20:00 --env-file /home/me/.config/tiktok-review.env \
             --reports-dir '/home/me/My Reviews/100\\%/reports' --quiet >> '/home/me/My Reviews/100\\%/reports/tiktok-review.log' 2>&1"
        );
        assert!(
            text.lines()
                .take(text.lines().count() - 1)
                .all(|l| l.starts_with('#'))
        );
        assert!(text.contains(
            "\n#   cd '/home/me/My Reviews' && /usr/local/bin/tiktok-review check --user examplecreator \
             --env-file /home/me/.config/tiktok-review.env --reports-dir '/home/me/My Reviews/100%/reports'\n"
        ), "{text}");
        for var in crate::deliver::CHANNELS.iter().flat_map(|c| c.vars()) {
            assert!(
                text.contains(var.name),
                "{} missing from the comment",
                var.name
            );
        }
    }

    #[test]
    fn several_accounts_go_into_one_comma_list() {
        let users: Vec<Handle> = ["alpha", "beta.b"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        let text = render(&Entry {
            schedule: "*/30 * * * *",
            week_end: WeekEnd::of_cron("*/30 * * * *"),
            binary: Path::new("/bin/tiktok-review"),
            workdir: Path::new("/w"),
            users: &users,
            env_file: Path::new("/w/.env"),
            reports_dir: Path::new("/w/r"),
        });
        assert!(
            text.ends_with(" run --user alpha,beta.b --env-file /w/.env --reports-dir /w/r --quiet >> /w/r/tiktok-review.log 2>&1\n"),
            "{text}"
        );
    }
}
