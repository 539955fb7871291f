//! `tiktok-review cron`: a ready crontab entry with absolute paths, and how to install it. Pure.

use std::path::Path;

use crate::handle::Handle;

/// Where the pieces of the cron entry live, all absolute.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// The five cron fields (or `@weekly` …).
    pub schedule: &'a str,
    /// This binary.
    pub binary: &'a Path,
    /// The working directory the job runs in.
    pub workdir: &'a Path,
    /// The account, unless the env file names it.
    pub user: Option<&'a Handle>,
    /// The env file with `SCAVIO_API_KEY`.
    pub env_file: &'a Path,
    /// The reports folder (the log goes there too).
    pub reports_dir: &'a Path,
}

/// Whether `schedule` looks like a cron schedule: five fields, or a `@` shortcut.
pub fn valid_schedule(schedule: &str) -> bool {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    match fields.as_slice() {
        [shortcut] => matches!(*shortcut, "@weekly" | "@daily" | "@monthly" | "@hourly"),
        five if five.len() == 5 => five.iter().all(|f| {
            f.chars()
                .all(|c| c.is_ascii_alphanumeric() || "*/,-".contains(c))
        }),
        _ => false,
    }
}

/// The installation notes (as `#` comments) and the crontab line.
pub fn render(entry: &Entry<'_>) -> String {
    let log = entry.reports_dir.join("tiktok-review.log");
    let user = entry
        .user
        .map(|u| format!(" --user {}", quote(&u.to_string())))
        .unwrap_or_default();
    let line = format!(
        "{} mkdir -p {dir} && cd {work} && {bin} run{user} --env-file {env} --reports-dir {dir} --quiet >> {log} 2>&1",
        entry
            .schedule
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
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
         # it. A failed run exits non-zero and writes one line to the log:\n\
         #   {}\n\
         {line}\n",
        log.display()
    )
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
        assert!(valid_schedule("0 20 * * 0"));
        assert!(valid_schedule("30 19 * * sun"));
        assert!(valid_schedule("@weekly"));
        for bad in [
            "0 20 * *",
            "0 20 * * 0 extra",
            "every sunday",
            "0 20 * * 0; rm -rf /",
            "",
        ] {
            assert!(!valid_schedule(bad), "{bad}");
        }
    }

    #[test]
    fn the_line_has_absolute_quoted_paths_and_a_log() {
        let user: Handle = "examplecreator".parse().unwrap();
        let text = render(&Entry {
            schedule: "0 20 * * 0",
            binary: Path::new("/usr/local/bin/tiktok-review"),
            workdir: Path::new("/home/me/My Reviews"),
            user: Some(&user),
            env_file: Path::new("/home/me/.config/tiktok-review.env"),
            reports_dir: Path::new("/home/me/My Reviews/100%/reports"),
        });
        let line = text.lines().last().unwrap();
        assert_eq!(
            line,
            "0 20 * * 0 mkdir -p '/home/me/My Reviews/100\\%/reports' && cd '/home/me/My Reviews' && \
             /usr/local/bin/tiktok-review run --user examplecreator --env-file /home/me/.config/tiktok-review.env \
             --reports-dir '/home/me/My Reviews/100\\%/reports' --quiet >> '/home/me/My Reviews/100\\%/reports/tiktok-review.log' 2>&1"
        );
        assert!(
            text.lines()
                .take(text.lines().count() - 1)
                .all(|l| l.starts_with('#'))
        );
    }
}
