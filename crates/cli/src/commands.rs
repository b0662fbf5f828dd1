//! What each subcommand does. Context is added here, at the edge, so a failure reads as one sentence.

use crate::config::{BackupArgs, Command, DatabaseArgs, DemoArgs, ExportCommand, PruneArgs, ServeArgs, Ssda903Args};
use anyhow::{Context, Result};
use hearth_domain::audit::Actor;
use hearth_domain::seed::RegionCounts;
use hearth_store::Store;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Migrate(db) => {
            let store = open(&db).await?;
            let applied = store.migrate().await.context("cannot bring the database up to date")?;
            say(&format!("The {} database is up to date ({applied} migration(s) applied).", store.backend().name()))
        }
        Command::Serve(args) => {
            // Settings are checked before the database is touched.
            let mailer = mailer(&args, false)?;
            let store = open_and_migrate(&args.db).await?;
            serve(store, &args, mailer).await
        }
        Command::Demo(args) => demo(args).await,
        Command::Prune(args) => prune(args).await,
        Command::Backup(args) => backup(args).await,
        Command::Export(ExportCommand::Ssda903(args)) => export_ssda903(args).await,
    }
}

/// Writes a council's SSDA903 return. The council and year are checked before the database is opened.
async fn export_ssda903(args: Ssda903Args) -> Result<()> {
    let council = hearth_domain::council::council(&args.council).map_err(|e| anyhow::anyhow!(e.message))?;
    let year = hearth_ssda903::CollectionYear::parse(&args.year)?;
    let store = open_and_migrate(&args.db).await?;
    let started = Instant::now();
    let services = hearth_service::Services::with_defaults(store);
    let export = services
        .ssda903_export_as_operator("hearth export ssda903", council.la_code, year)
        .await
        .context("cannot read the council's records")?;
    export.write_dir(&args.out)?;
    say(&format!(
        "Wrote {}'s SSDA903 return for {} to {} in {:.2} s: {}.",
        council.name,
        year.label(),
        args.out.display(),
        started.elapsed().as_secs_f64(),
        export.summary()
    ))?;
    if !export.problems.is_empty() {
        say(&format!("The self-check's problems are listed in {}.", args.out.join("report.txt").display()))?;
    }
    Ok(())
}

/// Prunes once, now, and says what went.
async fn prune(args: PruneArgs) -> Result<()> {
    let store = open_and_migrate(&args.db).await?;
    let services = hearth_service::Services::with_defaults(store);
    let pruned = services.prune(&args.retention.policy()).await.context("cannot prune the database")?;
    say(&format!(
        "Pruned {} ended session(s), {} sign-in attempt(s), {} idempotency key(s) and {} e-mail(s) past their \
         retention periods; the audit log is kept whole.",
        pruned.sessions, pruned.sign_in_attempts, pruned.idempotency_keys, pruned.emails
    ))
}

/// Copies a SQLite database to a new file while it may be in use.
async fn backup(args: BackupArgs) -> Result<()> {
    // Checked first, so that an existing file (perhaps the last good backup) is never touched.
    if args.out.exists() {
        anyhow::bail!("{} already exists; a backup is written to a new file, never over another", args.out.display());
    }
    let started = Instant::now();
    let store = open(&args.db).await?;
    store.backup_to(&args.out).await.context("cannot write the backup")?;
    say(&format!(
        "Backed up the {} database to {} in {:.2} s.",
        store.backend().name(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    ))
}

/// Opens the database and, for a SQLite file, checks every page before anything reads or writes it:
/// a damaged file is refused with what SQLite found, rather than served with errors on some pages.
async fn open(db: &DatabaseArgs) -> Result<Arc<dyn Store>> {
    let store = hearth_store::open(&db.database).await.context("cannot open the database")?;
    store.check_integrity().await.context("cannot use the database")?;
    Ok(store)
}

async fn open_and_migrate(db: &DatabaseArgs) -> Result<Arc<dyn Store>> {
    let store = open(db).await?;
    store.migrate().await.context("cannot bring the database up to date")?;
    Ok(store)
}

/// How notification e-mails leave: through the configured relay, or into the configured folder;
/// with neither, the demo keeps them in [`DEMO_MAIL_DIR`] (it has no relay, and a newcomer should
/// see what it sends) and a real deployment keeps them queued in the outbox until one is configured.
fn mailer(args: &ServeArgs, demo: bool) -> Result<Option<Arc<dyn hearth_mail::Mailer>>> {
    let folder = args.mail_dir.clone().or_else(|| (demo && args.smtp_url.is_none()).then(|| DEMO_MAIL_DIR.into()));
    match (&args.smtp_url, folder) {
        (Some(url), _) => {
            let smtp = hearth_mail::SmtpMailer::from_url(url, &args.mail_from).context("the SMTP relay setting")?;
            tracing::info!(relay = smtp.relay(), "e-mail notifications go through the relay");
            Ok(Some(Arc::new(smtp)))
        }
        (None, Some(dir)) => {
            let files = hearth_mail::FileMailer::new(dir, &args.mail_from).context("the mail folder setting")?;
            say(&format!(
                "E-mails are kept as .eml files in {}{} (open them with any mail program); none are sent.",
                files.dir().display(),
                std::path::MAIN_SEPARATOR
            ))?;
            Ok(Some(Arc::new(files)))
        }
        (None, None) => Ok(None),
    }
}

/// Where `hearth demo` keeps the e-mails it would have sent, relative to where it runs.
const DEMO_MAIL_DIR: &str = "hearth-demo-mail";

/// The background jobs: referral deadlines escalated and the outbox delivered, every `every`, and
/// records past their retention period pruned every hour. Each run is idempotent, so a second server
/// process running them too does no harm. When `stopping` turns true the loop ends between runs,
/// never in the middle of one, and the task completes.
fn spawn_jobs(
    services: hearth_service::Services,
    mailer: Option<Arc<dyn hearth_mail::Mailer>>,
    every: Duration,
    retention: hearth_service::RetentionPolicy,
    mut stopping: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_prune: Option<Instant> = None;
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopping.wait_for(|s| *s) => break,
            }
            match services.run_escalations().await {
                Ok(r) if r.next_steps + r.unmet + r.overdue > 0 => tracing::info!(?r, "referral deadlines escalated"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "escalation run failed"),
            }
            if let Some(m) = &mailer {
                match services.deliver_outbox(m.as_ref()).await {
                    Ok(r) if r.sent + r.retrying + r.failed > 0 => tracing::info!(?r, "outbox delivered"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "outbox delivery failed"),
                }
            }
            // Retention is counted in days: once an hour is plenty, and spares the tables a scan
            // every few seconds.
            if last_prune.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                last_prune = Some(Instant::now());
                match services.prune(&retention).await {
                    Ok(p) if p.total() > 0 => tracing::info!(?p, "records past their retention period pruned"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "retention pruning failed"),
                }
            }
        }
    })
}

const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// SIGTERM (what systemd, containers and orchestrators send) and SIGINT (Ctrl+C), both meaning "stop
/// gracefully". The handlers are installed when this is made, before the server says it is serving,
/// so a stop sent the moment it is ready is never the default "die at once".
struct StopSignal {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn install() -> Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                term: signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?,
                int: signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.term.recv() => tracing::info!("SIGTERM received"),
            _ = self.int.recv() => tracing::info!("SIGINT received"),
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn serve(store: Arc<dyn Store>, args: &ServeArgs, mailer: Option<Arc<dyn hearth_mail::Mailer>>) -> Result<()> {
    let mut stop = StopSignal::install()?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr().context("cannot read the listening address")?;
    let public_url = args.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let policy =
        hearth_service::AuthPolicy { public_url: public_url.trim_end_matches('/').to_owned(), ..Default::default() };
    let services = hearth_service::Services::new(store, Arc::new(hearth_service::SystemClock), policy);
    let app = hearth_web::App::with_services(services);
    // Build the matching index before the first request rather than during it.
    let homes = app.services.load_supply().await.context("cannot build the matching index")?;
    tracing::info!(homes, "matching index built");
    if mailer.is_none() {
        tracing::warn!(
            "no SMTP relay (HEARTH_SMTP_URL) or mail folder (HEARTH_MAIL_DIR) configured: e-mails wait in the outbox"
        );
    }
    let (stopping, stopping_rx) = watch::channel(false);
    let jobs = spawn_jobs(
        app.services.clone(),
        mailer,
        Duration::from_secs(args.jobs_every),
        args.retention.policy(),
        stopping_rx.clone(),
    );
    say(&format!("Hearth is serving http://{addr}/ on {} (press Ctrl+C to stop)", app.services.database()))?;
    let mut until_stopping = stopping_rx;
    let server = hearth_web::serve(listener, app, async move {
        let _ = until_stopping.wait_for(|s| *s).await;
    });
    tokio::pin!(server);
    tokio::select! {
        ended = &mut server => return ended.context("the server stopped with an error"),
        () = stop.recv() => {}
    }
    // Stop accepting, let every request already accepted finish and be answered, let a running job
    // finish its run; all within the grace period.
    let grace = Duration::from_secs(args.shutdown_grace);
    tracing::info!(grace_seconds = args.shutdown_grace, "stopping: finishing the requests in flight");
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(grace, async {
        let served = server.await;
        let _ = jobs.await;
        served
    })
    .await;
    match drained {
        Ok(served) => {
            served.context("the server stopped with an error")?;
            tracing::info!("stopped cleanly");
            Ok(())
        }
        Err(_) => anyhow::bail!(
            "requests were still running after the {}-second grace period (--shutdown-grace); stopped without them",
            args.shutdown_grace
        ),
    }
}

async fn demo(args: DemoArgs) -> Result<()> {
    // Nothing is delivered without a server, so `--no-serve` makes no mail folder of its own.
    let mailer = mailer(&args.serve, !args.no_serve)?;
    let store = open_and_migrate(&args.serve.db).await?;
    let today = match args.today {
        Some(d) => d,
        None => jiff::Timestamp::now().in_tz("Europe/London")?.date(),
    };
    if store.is_empty().await.context("cannot read the database")? {
        let started = Instant::now();
        let region = hearth_demo::generate(&hearth_demo::DemoConfig { seed: args.seed, today });
        let generated = started.elapsed();
        let loading = Instant::now();
        let actor = Actor::system("hearth demo");
        // The binary is where the clock is chosen: the system's, as the served portal's.
        let now = jiff::Timestamp::now();
        let counts =
            store.load_region(&actor, &region, now).await.context("cannot load the demo region into the database")?;
        // Every demo user shares one password, so one Argon2id hash serves them all: hashing each
        // separately would add a minute to the demo's start for no benefit.
        let hash = hearth_service::auth::hash_password(hearth_demo::DEMO_PASSWORD)?;
        store.set_missing_password_hashes(&actor, &hash, now).await.context("cannot set the demo passwords")?;
        say(&format!(
            "Generated the demo West Midlands (seed {}, as at {today}) in {:.2} s and stored it in {:.2} s.",
            args.seed,
            generated.as_secs_f64(),
            loading.elapsed().as_secs_f64()
        ))?;
        print_counts(&counts)?;
    } else {
        say("The database already holds a region; serving it as it is (give another --database for a fresh one).")?;
    }
    print_logins(store.as_ref()).await?;
    if args.no_serve { Ok(()) } else { serve(store, &args.serve, mailer).await }
}

fn print_counts(c: &RegionCounts) -> Result<()> {
    say(&format!(
        "  {} organisations, {} users, {} homes, {} vacancies, {} contracts,\n  {} children, {} referrals, {} offers, {} placements, {} quality visits.",
        c.organisations,
        c.users,
        c.homes,
        c.vacancies,
        c.contracts,
        c.children,
        c.referrals,
        c.offers,
        c.placements,
        c.quality_visits
    ))
}

/// One login per role (a Coventry one where the role is a council's), and the pattern they all follow.
/// Read back from the database, so what is printed is what can sign in.
async fn print_logins(store: &dyn Store) -> Result<()> {
    let orgs = store.organisations().await.context("cannot read the organisations")?;
    let users = store.users().await.context("cannot read the users")?;
    let org_name = |id| orgs.iter().find(|o| o.id == id).map_or("", |o| o.name.as_str());
    let mut lines = vec![
        "Demo logins: every user's e-mail is {role}.{organisation}@hearth.test, every password is the same:".to_owned(),
        format!("  password: {}", hearth_demo::DEMO_PASSWORD),
    ];
    for role in hearth_domain::org::Role::ALL {
        let mine: Vec<_> = users.iter().filter(|u| u.role == *role).collect();
        let pick = mine.iter().find(|u| org_name(u.organisation) == "Coventry").or(mine.first());
        if let Some(u) = pick {
            lines.push(format!("  {:<24} {:<56} {}", role.label(), u.email.as_str(), org_name(u.organisation)));
        }
    }
    say(&lines.join("\n"))
}

/// Writes a line to stdout; the CLI's output is for people and scripts, logs go to stderr.
fn say(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").context("cannot write to standard output")
}
