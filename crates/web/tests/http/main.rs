//! The HTTP service through a real server on a loopback port, on both databases: trials named
//! `sqlite::<test>` and `postgres::<test>`, each on a fresh copy of the demo region.
//!
//! The region is generated and loaded once per run (a SQLite file copied per trial; a PostgreSQL
//! template database cloned per trial), so every trial starts from the same realistic data without
//! paying for the load each time. PostgreSQL trials need `HEARTH_TEST_POSTGRES_URL` (an admin
//! address); without it they are reported as ignored, never as passed.

mod access;
mod capacity;
mod contracts;
mod documents;
mod fixture;
mod homes_upkeep;
mod hostile_input;
mod intel;
mod lists;
mod lists_market;
mod marketplace;
mod matching;
mod matching_form;
mod matrix;
mod onboarding;
mod pages;
mod pages_market;
mod pages_referral_form;
mod pages_respond;
mod pages_search;
mod pages_smaller;
mod pages_volume;
mod prices;
mod referrals;
mod request_log;
mod returns;
mod scenarios;

use fixture::{Backend, Region};
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::Arc;

pub type TestFn = fn(&fixture::Server) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>;

fn main() {
    request_log::ask_every_time();
    let args = Arguments::from_args();
    let pg_admin = std::env::var(fixture::POSTGRES_ENV).ok().filter(|s| !s.is_empty());
    if pg_admin.is_none() {
        eprintln!("PostgreSQL HTTP suite SKIPPED: set {} to run it", fixture::POSTGRES_ENV);
    }
    let region = Arc::new(Region::prepare(pg_admin.as_deref(), &args));
    let mut trials = Vec::new();
    for (name, test) in access::TESTS
        .iter()
        .chain(matrix::TESTS)
        .chain(matching::TESTS)
        .chain(referrals::TESTS)
        .chain(returns::TESTS)
        .chain(pages::TESTS)
        .chain(marketplace::TESTS)
        .chain(capacity::TESTS)
        .chain(contracts::TESTS)
        .chain(prices::TESTS)
        .chain(pages_market::TESTS)
        .chain(intel::TESTS)
        .chain(hostile_input::TESTS)
        .chain(request_log::TESTS)
        .chain(documents::TESTS)
        .chain(matching_form::TESTS)
        .chain(scenarios::TESTS)
        .chain(pages_respond::TESTS)
        .chain(pages_search::TESTS)
        .chain(pages_referral_form::TESTS)
        .chain(pages_volume::TESTS)
        .chain(homes_upkeep::TESTS)
        .chain(lists::TESTS)
        .chain(lists_market::TESTS)
        .chain(pages_smaller::TESTS)
        .chain(onboarding::TESTS)
    {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let region = Arc::clone(&region);
            let test = *test;
            let ignored = (backend == Backend::Postgres && region.pg_template.is_none())
                || request_log::UNRELIABLE.contains(name);
            trials.push(
                Trial::test(format!("{}::{name}", backend.name()), move || run(&region, backend, test))
                    .with_ignored_flag(ignored),
            );
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    region.clean_up();
    conclusion.exit();
}

fn run(region: &Region, backend: Backend, test: TestFn) -> Result<(), Failed> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failed::from(e.to_string()))?;
    rt.block_on(async {
        let server = fixture::Server::start(region, backend).await;
        test(&server).await;
        server.stop().await;
    });
    Ok(())
}
