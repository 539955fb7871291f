//! The `tiktok-review` binary: parse once, run, print an error as one line, exit with its code.
//!
//! A panic anywhere (the tokio runtime included) prints one `internal error` line and exits 70.

use std::io::Write;
use std::process::ExitCode;

use tiktok_review::cli::{self, Command, RunArgs};
use tiktok_review::error::{self, INTERNAL_EXIT_CODE};
use tiktok_review::stop::Stop;
use tiktok_review::{Config, commands, config, logging, run};

fn main() -> ExitCode {
    error::install_panic_hook();
    // The hook prints the line; unwinding still runs destructors (temporary files go).
    match std::panic::catch_unwind(dispatch) {
        _ if error::panicked() => ExitCode::from(INTERNAL_EXIT_CODE),
        Ok(Ok(code)) => code,
        Ok(Err(err)) => {
            error::print(None, &err);
            ExitCode::from(error::exit_code(&err))
        }
        Err(_) => ExitCode::from(INTERNAL_EXIT_CODE),
    }
}

/// Runs the command of the command line.
fn dispatch() -> anyhow::Result<ExitCode> {
    let output = match cli::parse()?.command {
        Command::Run(args) => return review(args),
        Command::History(args) => {
            commands::history::run(&args, &config::Local::load(&args.accounts)?)?.into_bytes()
        }
        Command::Cron(args) => {
            commands::cron::run(&args, &config::Local::load(&args.accounts)?)?.into_bytes()
        }
        Command::Overview(args) => {
            let local = config::Local::load(&commands::overview::accounts(&args))?;
            commands::overview::run(&args, &local)?.into_bytes()
        }
        Command::Send(args) => return send(&args),
        Command::Export(args) => {
            let local = config::Local::load(&commands::export::folder(&args))?;
            commands::export::run(&args, &local)?.into_bytes()
        }
        Command::Check(args) => return check(&args),
        Command::Completions(args) => commands::completions(&args),
    };
    error::to_stdout(std::io::stdout().write_all(&output))?;
    Ok(ExitCode::SUCCESS)
}

/// `run`: configuration (environment, env file, clock) once, then every account's review.
fn review(args: RunArgs) -> anyhow::Result<ExitCode> {
    let setup = Config::load(args)?;
    logging::init(&setup.log);
    let config = setup.config;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (reviews, stopped, overview, delivery) = runtime.block_on(async {
        #[cfg(debug_assertions)]
        test_panic(setup.test_panic.as_deref());
        let stop = Stop::on_signals();
        let reviews = run::run(&config, &stop).await?;
        let runs = &reviews.accounts;
        // The overview is written after the accounts and before delivery, which sends it. A
        // stopped run writes no overview and delivers nothing: its line says how to finish.
        let overview = match stop.reason() {
            None => run::save_overview(&config, runs).await,
            Some(_) => Ok(None),
        };
        if let Some(reason) = stop.reason() {
            return anyhow::Ok((reviews, Some(reason), overview, Ok(Vec::new())));
        }
        let delivery = run::deliver(&config, runs, &overview);
        let stopped = |reason| run::delivery_stopped(&config, reason);
        let delivery = stop.unless_signalled(delivery, stopped).await;
        anyhow::Ok((reviews, None, overview, delivery))
    })?;
    let mut out = std::io::stdout();
    let code = run::print_outcomes(&config, &reviews, stopped, &overview, &delivery, &mut out)?;
    Ok(ExitCode::from(code))
}

/// `send`: the channels from the environment and the env file, then the saved reports delivered.
fn send(args: &cli::SendArgs) -> anyhow::Result<ExitCode> {
    let (sending, log) = config::Sending::load(args)?;
    logging::init(&log);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let code = runtime.block_on(async {
        let stop = Stop::on_signals();
        commands::send::run(&sending, &stop, &mut std::io::stdout()).await
    })?;
    Ok(ExitCode::from(code))
}

/// `check`: the configuration read as `run` reads it, then each item checked and printed.
fn check(args: &cli::CheckArgs) -> anyhow::Result<ExitCode> {
    let (checking, log) = config::Checking::load(args)?;
    logging::init(&log);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let code = runtime.block_on(commands::check::run(&checking, &mut std::io::stdout()))?;
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
