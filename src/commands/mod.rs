//! The subcommands beside the weekly run, as thin front-ends: `history`, `cron` and `overview` work
//! on local files only and spend no credit; `send` delivers saved reports again, also without a
//! credit; `check` checks the configuration (a credit only with `--user`); `export` prints the
//! saved posts for a spreadsheet; `completions` prints a shell script.

pub mod check;
pub mod cron;
pub mod export;
pub mod history;
pub mod overview;
pub mod send;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

/// `tiktok-review completions`: the completion script for `args.shell`.
pub fn completions(args: &CompletionsArgs) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "tiktok-review", &mut out);
    out
}
