//! The `tiktok-review` binary: parse, configure, run, report the outcome as an exit code.
//!
//! A panic anywhere (the tokio runtime included) prints one `internal error` line and exits 70.

use std::io::Write;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use clap::error::ErrorKind;
use tiktok_review::cli::{Cli, Command, RunArgs};
use tiktok_review::error::{Failure, INTERNAL_EXIT_CODE, Kind};
use tiktok_review::scavio::ApiKey;
use tiktok_review::{Config, commands, config, error};

/// Set by the panic hook: some thread panicked, so the run failed whatever else it returns.
static PANICKED: AtomicBool = AtomicBool::new(false);
/// The key, once known, so that a panic message never shows it.
static KEY: OnceLock<ApiKey> = OnceLock::new();

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if !PANICKED.swap(true, Ordering::SeqCst) {
            let line = error::panic_line(info.payload());
            let line = match KEY.get() {
                Some(key) => key.redact(&line),
                None => line,
            };
            // Not eprintln!: a closed stderr must not panic inside the hook.
            let _ = writeln!(std::io::stderr(), "tiktok-review: error: {line}");
        }
    }));
    // The hook has printed the line; unwinding still runs destructors (temporary files go).
    let result = std::panic::catch_unwind(run);
    match result {
        _ if PANICKED.load(Ordering::SeqCst) => ExitCode::from(INTERNAL_EXIT_CODE),
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            eprintln!("tiktok-review: error: {}", error::one_line(&err));
            ExitCode::from(error::exit_code(&err))
        }
        Err(_) => ExitCode::from(INTERNAL_EXIT_CODE),
    }
}

/// Parses the command line once and runs its command.
fn run() -> anyhow::Result<ExitCode> {
    match parse()?.command {
        Command::Run(args) => review(args),
        Command::History(args) => {
            let local = config::Local::load(&args.accounts)?;
            print(commands::history::run(&args, &local)?)
        }
        Command::Cron(args) => {
            let local = config::Local::load(&args.accounts)?;
            print(commands::cron::run(&args, &local)?)
        }
        Command::Completions(args) => {
            std::io::stdout().write_all(&commands::completions(&args))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `run`: configuration (environment, env file, clock) once, then every account's review.
fn review(args: RunArgs) -> anyhow::Result<ExitCode> {
    let setup = Config::load(args)?;
    tiktok_review::logging::init(&setup.log);
    let config = setup.config;
    let _ = KEY.set(config.api.key.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let runs = runtime.block_on(async {
        #[cfg(debug_assertions)]
        test_panic(setup.test_panic.as_deref());
        tiktok_review::run::run(&config).await
    })?;
    let code = tiktok_review::run::print_outcomes(&config, &runs, &mut std::io::stdout())?;
    Ok(ExitCode::from(code))
}

/// Debug builds only, for the end-to-end test of the panic hook: `TIKTOK_REVIEW_TEST_PANIC=<text>`
/// panics with `<text>` inside the runtime. Release builds have no such path.
#[cfg(debug_assertions)]
#[allow(clippy::panic)]
fn test_panic(message: Option<&str>) {
    if let Some(message) = message {
        panic!("{message}");
    }
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
