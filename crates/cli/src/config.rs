//! The command line and environment, parsed into typed settings before anything runs.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

/// Hearth: the West Midlands regional placement portal for children in care.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Log format: human-readable text, or JSON lines for a log collector.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text, env = "HEARTH_LOG_FORMAT")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (pages and API) from an existing database, migrating it first.
    Serve(ServeArgs),
    /// Fill an empty database with a realistic demo West Midlands, print the demo logins, and serve it.
    Demo(DemoArgs),
    /// Bring the database's schema up to date, then exit.
    Migrate(DatabaseArgs),
    /// Delete the sessions, sign-in attempts, idempotency keys and e-mails past their retention
    /// period (`hearth serve` does this every hour), and say how many went.
    Prune(PruneArgs),
    /// Write a consistent copy of a SQLite database to a new file, safe while Hearth is serving it.
    Backup(BackupArgs),
    /// Write a statutory return from the database.
    #[command(subcommand)]
    Export(ExportCommand),
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A council's SSDA903 return for a collection year: the CSV tables, a README and the self-check's report.
    Ssda903(Ssda903Args),
}

#[derive(Debug, Args)]
pub struct Ssda903Args {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The council, by DfE code (331) or ONS code (E08000026).
    #[arg(long)]
    pub council: String,
    /// The collection year, by the year it ends in: 2026 is 1 April 2025 to 31 March 2026.
    #[arg(long)]
    pub year: String,
    /// The folder to write into (created if missing; files of the same names are replaced).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Database address: sqlite://PATH (embedded; created if missing) or postgres://USER@HOST/DB.
    /// Defaults to DATABASE_URL, else a SQLite file under ./data/.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
    pub database: String,
}

pub const DEFAULT_DATABASE: &str = "sqlite://data/hearth.sqlite";

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "HEARTH_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The SMTP relay e-mail notifications go through: smtp://HOST[:PORT] (plain, a local relay),
    /// smtp+starttls://USER:PASSWORD@HOST:587 or smtps://…:465. Without one, e-mails wait in the
    /// outbox (the demo keeps them as files in --mail-dir instead).
    #[arg(long, env = "HEARTH_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Keep e-mail notifications as .eml files in this folder instead of sending them (any mail
    /// program opens them). `hearth demo` uses ./hearth-demo-mail when no relay or folder is given.
    #[arg(long, env = "HEARTH_MAIL_DIR", conflicts_with = "smtp_url")]
    pub mail_dir: Option<std::path::PathBuf>,
    /// The address people reach Hearth at, for links in e-mails (an invitation to set a password),
    /// e.g. https://hearth.example.gov.uk. Defaults to http:// and the listening address.
    #[arg(long, env = "HEARTH_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The From address of notification e-mails.
    #[arg(long, env = "HEARTH_MAIL_FROM", default_value = "Hearth <noreply@hearth.invalid>")]
    pub mail_from: String,
    /// Seconds between runs of the background jobs (deadline escalation, e-mail delivery).
    #[arg(long, env = "HEARTH_JOBS_EVERY", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub jobs_every: u64,
    /// Seconds a stop (SIGTERM or Ctrl+C) waits for requests in flight and a running background job
    /// to finish before the process exits anyway.
    #[arg(long, env = "HEARTH_SHUTDOWN_GRACE", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub shutdown_grace: u64,
    #[command(flatten)]
    pub retention: RetentionArgs,
}

/// How long the records that only run the service are kept (see "Retention" in the README).
#[derive(Debug, Clone, Args)]
pub struct RetentionArgs {
    /// Days a session is kept after it ended (signed out, revoked or expired).
    #[arg(long, env = "HEARTH_KEEP_SESSIONS_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_sessions_days: u32,
    /// Days sign-in attempts are kept.
    #[arg(long, env = "HEARTH_KEEP_SIGN_IN_ATTEMPTS_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_sign_in_attempts_days: u32,
    /// Days an answered idempotency key is kept (one still in progress is abandoned after a day).
    #[arg(long, env = "HEARTH_KEEP_IDEMPOTENCY_KEYS_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_idempotency_keys_days: u32,
    /// Days an e-mail is kept after it was delivered or given up on.
    #[arg(long, env = "HEARTH_KEEP_EMAILS_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_emails_days: u32,
}

impl RetentionArgs {
    pub fn policy(&self) -> hearth_service::RetentionPolicy {
        let days = |d: u32| jiff::SignedDuration::from_hours(24 * i64::from(d));
        hearth_service::RetentionPolicy {
            ended_sessions: days(self.keep_sessions_days),
            sign_in_attempts: days(self.keep_sign_in_attempts_days),
            answered_keys: days(self.keep_idempotency_keys_days),
            finished_emails: days(self.keep_emails_days),
            ..hearth_service::RetentionPolicy::default()
        }
    }
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub retention: RetentionArgs,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The new file to write the copy to; an existing file is never overwritten.
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Seed of the generator: the same seed gives the same region; another gives another.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Stop after filling the database instead of serving it.
    #[arg(long)]
    pub no_serve: bool,
    /// The day the demo region is "as at" (YYYY-MM-DD); defaults to today in Europe/London.
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
}
