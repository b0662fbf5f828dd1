//! Generates the demo region once and prints what it holds and how long it took.
//!
//! `cargo run --release -p hearth-demo --example generate [seed]`; for peak memory, run the built
//! binary under `/usr/bin/time -v` (see `crates/demo/README.md`).

use hearth_demo::{DemoConfig, generate};
use hearth_domain::PlacementGroup;
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::seed::RegionSeed;
use hearth_reference::Figure;
use hearth_reference::dfe::{self, DistanceBand, March31Group, March31Measure, Population};
use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

/// Per council: DfE's 2025 share and the generated share (today's placements) for a few measures.
fn compare(out: &mut impl Write, region: &RegionSeed) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{:<20} {:>6} {:>13} {:>13} {:>13} {:>13}",
        "council (DfE/ours)", "CLA", "foster %", "res. %", "SA %", ">20 miles %"
    )?;
    for c in WEST_MIDLANDS {
        let mine: Vec<_> = region.placements.iter().filter(|p| p.end.is_none() && p.la_code == c.la_code).collect();
        let n = mine.len() as f64;
        let dfe_pct = |g, m| {
            let total = dfe::children(c.la_code, 2025, Population::On31March).and_then(Figure::value).unwrap_or(1);
            dfe::march31_figure(c.la_code, 2025, g, m)
                .and_then(Figure::value)
                .map_or(f64::NAN, |v| 100.0 * f64::from(v) / f64::from(total))
        };
        let group = |g: PlacementGroup| {
            let ours = 100.0 * mine.iter().filter(|p| p.placement_type.group() == g).count() as f64 / n;
            format!("{:>5.1}/{:<5.1}", dfe_pct(March31Group::Placement, March31Measure::Placement(g)), ours)
        };
        let far = 100.0 * mine.iter().filter(|p| p.distance.over_twenty()).count() as f64 / n;
        let far = format!(
            "{:>5.1}/{:<5.1}",
            dfe_pct(March31Group::Distance, March31Measure::Distance(DistanceBand::OverTwenty)),
            far
        );
        writeln!(
            out,
            "{:<20} {:>6} {:>13} {:>13} {:>13} {:>13}",
            c.name,
            mine.len(),
            group(PlacementGroup::Foster),
            group(PlacementGroup::ChildrensHomes),
            group(PlacementGroup::SupportedAccommodation),
            far
        )?;
    }
    stability(out, region)
}

/// Per council: DfE's and the generated share inside the boundary, of own provision, and the two
/// stability measures (3+ placements in the year; same carer for 2+ years in the long-term cohort).
fn stability(out: &mut impl Write, region: &RegionSeed) -> std::io::Result<()> {
    use hearth_reference::dfe::{Boundary, StabilityCohort as C, StabilityMeasure as M};
    let today = DemoConfig::default().today;
    let days_ago = |n: i64| today.checked_sub(jiff::Span::new().days(n)).unwrap_or(today);
    let mut placements: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for p in &region.placements {
        placements.entry(p.child).or_default().push(p);
    }
    writeln!(
        out,
        "\n{:<20} {:>13} {:>13} {:>13} {:>13}",
        "council (DfE/ours)", "inside %", "own prov. %", "3+ moves %", "same carer %"
    )?;
    for c in WEST_MIDLANDS {
        let kids: Vec<_> = region.children.iter().filter(|k| k.la_code == c.la_code && k.ceased_on.is_none()).collect();
        let n = kids.len() as f64;
        let current: Vec<_> = kids.iter().filter_map(|k| placements[&k.id].iter().find(|p| p.end.is_none())).collect();
        let total =
            f64::from(dfe::children(c.la_code, 2025, Population::On31March).and_then(Figure::value).unwrap_or(1));
        let published = |g, m| {
            dfe::march31_figure(c.la_code, 2025, g, m)
                .and_then(Figure::value)
                .map_or(f64::NAN, |v| 100.0 * f64::from(v) / total)
        };
        let inside = 100.0 * current.iter().filter(|p| p.pl_utla.as_deref() == Some(c.ons_code)).count() as f64 / n;
        let own = 100.0 * current.iter().filter(|p| p.provider == hearth_domain::PlaceProvider::Pr1).count() as f64 / n;
        let moves = kids
            .iter()
            .filter(|k| placements[&k.id].iter().filter(|p| p.end.is_none_or(|e| e > days_ago(365))).count() >= 3)
            .count();
        let cohort: Vec<_> =
            kids.iter().filter(|k| k.age_on(today) < 16 && k.looked_after_since <= days_ago(913)).collect();
        let same = cohort
            .iter()
            .filter(|k| placements[&k.id].iter().any(|p| p.end.is_none() && p.start <= days_ago(730)))
            .count();
        let pct = |cohort, m| {
            dfe::stability_figure(c.la_code, 2025, cohort, m).and_then(|(_, p)| p.value()).map_or(f64::NAN, f64::from)
        };
        writeln!(
            out,
            "{:<20} {:>5.1}/{:<5.1}   {:>5.1}/{:<5.1}   {:>5.1}/{:<5.1}   {:>5.1}/{:<5.1}",
            c.name,
            published(March31Group::Locality, March31Measure::Locality(Boundary::Inside)),
            inside,
            published(March31Group::PlaceProviders, March31Measure::Provider(Some(hearth_domain::PlaceProvider::Pr1))),
            own,
            pct(C::On31March, M::ThreeOrMorePlacements),
            100.0 * moves as f64 / n,
            pct(C::LongTermUnder16, M::SameCarerTwoYears),
            100.0 * same as f64 / cohort.len().max(1) as f64,
        )?;
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let seed = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(DemoConfig::default().seed);
    let config = DemoConfig { seed, ..DemoConfig::default() };
    let started = Instant::now();
    let region = generate(&config);
    let elapsed = started.elapsed();

    let mut out = std::io::stdout().lock();
    let c = region.counts();
    writeln!(out, "seed {} as at {}", config.seed, config.today)?;
    let looked_after = region.children.iter().filter(|ch| ch.ceased_on.is_none()).count();
    writeln!(out, "children          {:>7} ({looked_after} looked after today)", c.children)?;
    // Per kind: homes (active), places in active homes, children placed today, places free today.
    let mut kinds: BTreeMap<&str, [u32; 5]> = BTreeMap::new();
    let today_in: BTreeMap<_, u32> = region.placements.iter().filter(|p| p.end.is_none()).filter_map(|p| p.home).fold(
        BTreeMap::new(),
        |mut m, h| {
            *m.entry(h).or_default() += 1;
            m
        },
    );
    let free_in: BTreeMap<_, u32> = region.vacancies.iter().map(|v| (v.home, u32::from(v.places))).collect();
    for h in &region.homes {
        let row = kinds.entry(h.kind.code()).or_default();
        row[0] += 1;
        if h.active {
            row[1] += 1;
            row[2] += u32::from(h.places);
        }
        row[3] += today_in.get(&h.id).copied().unwrap_or(0);
        row[4] += free_in.get(&h.id).copied().unwrap_or(0);
    }
    writeln!(out, "homes             {:>7}", c.homes)?;
    writeln!(out, "  {:<28} {:>6} {:>6} {:>7} {:>8} {:>6}", "kind", "homes", "active", "places", "children", "free")?;
    for (k, [n, active, places, children, free]) in kinds {
        writeln!(out, "  {k:<28} {n:>6} {active:>6} {places:>7} {children:>8} {free:>6}")?;
    }
    writeln!(out, "vacancies         {:>7}", c.vacancies)?;
    writeln!(out, "placements        {:>7}", c.placements)?;
    writeln!(out, "referrals         {:>7}", c.referrals)?;
    writeln!(out, "offers            {:>7}", c.offers)?;
    writeln!(out, "declines          {:>7}", region.declines.len())?;
    writeln!(out, "contracts         {:>7}", c.contracts)?;
    writeln!(out, "quality visits    {:>7}", c.quality_visits)?;
    writeln!(out, "organisations     {:>7}", c.organisations)?;
    writeln!(out, "users             {:>7}", c.users)?;
    writeln!(out, "legal statuses    {:>7}", region.legal_statuses.len())?;
    let places: u32 = region.homes.iter().filter(|h| h.active).map(|h| u32::from(h.places)).sum();
    let free: u32 = region.vacancies.iter().map(|v| u32::from(v.places)).sum();
    writeln!(
        out,
        "places free today {free:>7} of {places} in active homes ({:.1}%)",
        100.0 * f64::from(free) / f64::from(places.max(1))
    )?;
    compare(&mut out, &region)?;
    writeln!(out, "\ngenerated in {:.3} s", elapsed.as_secs_f64())?;
    Ok(())
}
