//! The benchmarks' synthetic history: deterministic, consistent, and answerable at any date.

use hearth_intel::synthetic::{SyntheticConfig, national};
use hearth_intel::{History, Query, Scope, dashboard};

fn small() -> SyntheticConfig {
    SyntheticConfig { councils: 5, children: 1_500, years: 3, referrals_per_year: 2_000, ..SyntheticConfig::national() }
}

#[test]
fn the_same_seed_gives_the_same_history() {
    let (a, b) = (national(&small()), national(&small()));
    assert_eq!(a.placements, b.placements);
    assert_eq!(a.referrals, b.referrals);
    assert_ne!(national(&SyntheticConfig { seed: 7, ..small() }).placements, a.placements);
}

#[test]
fn every_index_is_in_range_and_placements_follow_each_other() {
    let h = History::new(national(&small()));
    assert_eq!(h.referrals.len(), 6_000);
    assert!(h.placements.len() > 5 * h.children.len(), "{} placements", h.placements.len());
    for (i, _) in h.children.iter().enumerate() {
        let ps = h.placements_of(i as u32);
        assert!(!ps.is_empty());
        for w in ps.windows(2) {
            assert_eq!(w[0].end, Some(w[1].start), "one placement ends the day the next begins");
        }
        assert!(ps.iter().all(|p| p.child == i as u32 && p.end.is_none_or(|e| e > p.start)));
    }
    assert!(h.offers.iter().all(|o| (o.referral as usize) < h.referrals.len() && (o.home as usize) < h.homes.len()));
    assert!(h.homes.iter().all(|x| (x.provider as usize) < h.providers.len()));
    let q = Query::new(&h, Scope::Region, h.today, None).unwrap();
    let d = dashboard(&h, &q).protected();
    assert!(d.table("children_looked_after").unwrap().rows.len() == 6, "five councils and the total");
}
