//! The `tiktok-review` binary: parse, configure, run, report the outcome as an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use tiktok_review::cli::{Cli, Command};
use tiktok_review::error::{Failure, Kind};
use tiktok_review::{Config, config, error};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("tiktok-review: error: {}", error::one_line(&err));
            ExitCode::from(error::exit_code(&err))
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    // Load the env file while single-threaded, then parse again so `env = …` flags see it.
    let env_file = match parse()?.command {
        Command::Run(args) => args.env_file,
        _ => None,
    };
    config::load_env_file(env_file.as_deref())?;
    let mut stdout = std::io::stdout();
    let args = match parse()?.command {
        Command::Run(args) => args,
        Command::History(args) => return print(tiktok_review::history(&args)?),
        Command::Cron(args) => return print(tiktok_review::cron(&args)?),
        Command::Completions(args) => {
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "tiktok-review",
                &mut stdout,
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    let config = Config::load(args)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let runs = runtime.block_on(tiktok_review::run(&config))?;
    let code = tiktok_review::print_outcomes(&config, &runs, &mut stdout)?;
    Ok(ExitCode::from(code))
}

fn print(text: String) -> anyhow::Result<ExitCode> {
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Parses the command line; `--help` and `--version` print and exit 0, other errors become usage errors.
fn parse() -> anyhow::Result<Cli> {
    Cli::try_parse().or_else(|err| match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => err.exit(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Err(Failure::new(
            Kind::Usage,
            "no command given: try `tiktok-review run --help`",
        )
        .into()),
        _ => Err(Failure::new(Kind::Usage, error::clap_line(&err)).into()),
    })
}
