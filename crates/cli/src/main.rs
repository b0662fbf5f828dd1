//! The `hearth` binary. Errors end the process with one sentence on stderr and a non-zero exit,
//! never a panic backtrace.

mod commands;
mod config;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = config::Cli::parse();
    init_logging(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hearth: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the context chain on one line: "cannot open the database: …".
            eprintln!("hearth: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let json = matches!(format, config::LogFormat::Json);
    // The same subscriber the web crate's tests read, so each request's completion line says where its time went.
    let subscriber = hearth_web::telemetry::subscriber(filter, json, std::io::stderr);
    // try_init, not set_global_default: it also forwards the `log` crate's records, as fmt's init() did.
    if let Err(error) = tracing_subscriber::util::SubscriberInitExt::try_init(subscriber) {
        eprintln!("hearth: cannot start logging: {error}");
    }
}

/// mimalloc rather than the system's malloc: serving is many short-lived small allocations (sentences,
/// JSON), and under 64 connections glibc's malloc and free took about a tenth of the quick search's time;
/// with mimalloc every request of `tools/bench-http-matches.sh` runs 30–50 % more often (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
