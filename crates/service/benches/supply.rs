//! Rebuilding the matching index from the database: a national-scale supply (60,000 homes) stored
//! in SQLite, read back and indexed as `hearth serve` does at start-up. Target: ≤ 2 s.
//!
//! `cargo bench -p hearth-service --bench supply`

use hearth_domain::audit::Actor;
use hearth_domain::seed::RegionSeed;
use hearth_matching::synthetic::{SyntheticConfig, national};
use hearth_service::Services;
use std::sync::Arc;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn rebuild_index_from_sqlite_60k_homes(b: divan::Bencher) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("national.sqlite").display());
    let mut supply = national(SyntheticConfig { homes: 60_000, ..SyntheticConfig::default() });
    // The synthetic supply names only the organisations the engine needs; the database wants every
    // provider a home or contract refers to.
    let known: std::collections::BTreeSet<_> = supply.organisations.iter().map(|o| o.id).collect();
    let missing: std::collections::BTreeSet<_> = supply
        .homes
        .iter()
        .map(|h| h.provider)
        .chain(supply.contracts.iter().map(|c| c.provider))
        .filter(|p| !known.contains(p))
        .collect();
    supply.organisations.extend(missing.into_iter().map(|id| hearth_domain::org::Organisation {
        id,
        kind: hearth_domain::org::OrganisationKind::Provider,
        name: format!("Provider {id}"),
        la_code: None,
        sector: Some(hearth_domain::org::Sector::Private),
    }));
    let services = rt.block_on(async {
        let store = hearth_store::open(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let seed = RegionSeed {
            organisations: supply.organisations,
            homes: supply.homes,
            vacancies: supply.vacancies,
            contracts: supply.contracts,
            ..RegionSeed::default()
        };
        store.load_region(&Actor::system("bench"), &seed, jiff::Timestamp::now()).await.expect("load");
        Services::with_defaults(Arc::clone(&store))
    });
    b.bench(|| rt.block_on(services.load_supply()).expect("rebuild"));
}
