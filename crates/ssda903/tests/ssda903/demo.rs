//! The demo region's return for each of the fourteen councils passes the self-check.

use hearth_demo::{DemoConfig, generate};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_ssda903::{CollectionYear, Export, GazetteerLocator, PlacedRecord, group_histories};
use std::collections::HashMap;

/// 2025/26 (the year ending 31 March 2026): the latest year complete on the demo's today,
/// 25 November 2026, and the first with the new Z11–Z14 codes, so the year codes are checked where
/// they changed.
#[test]
fn every_councils_return_for_2025_26_passes_the_self_check() {
    let region = generate(&DemoConfig { seed: 2026, today: jiff::civil::date(2026, 11, 25) });
    let urns: HashMap<_, _> = region.homes.iter().map(|h| (h.id, h.urn.clone())).collect();
    let year = CollectionYear::new(2026).expect("a year");
    let locator = GazetteerLocator::embedded();
    let mut episodes = 0;
    for council in WEST_MIDLANDS {
        let children = region.children.iter().filter(|c| c.la_code == council.la_code).cloned().collect();
        let placements = region
            .placements
            .iter()
            .filter(|p| p.la_code == council.la_code)
            .map(|p| PlacedRecord { placement: p.clone(), urn: p.home.and_then(|h| urns[&h].clone()) })
            .collect();
        let histories = group_histories(children, region.legal_statuses.clone(), placements);
        let export = Export::build(council, year, &histories, &locator);
        assert!(!export.episodes.is_empty(), "{} has episodes", council.name);
        let first: Vec<_> = export.problems.iter().take(5).collect();
        assert!(export.problems.is_empty(), "{}: {} problems, first {first:#?}", council.name, export.problems.len());
        assert!(export.episodes.iter().all(|e| e.cin.is_some()), "{}: every episode has its CIN", council.name);
        episodes += export.episodes.len();
    }
    assert!(episodes > 10_000, "{episodes} episodes in the region");
}
