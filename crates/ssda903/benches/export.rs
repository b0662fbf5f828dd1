//! The export of a national-size council year: `cargo bench -p hearth-ssda903`.
//!
//! A synthetic council with 27,000 children looked after in 2025/26 and about 50,000 episodes in the
//! year (the largest English councils return some 2,000–6,000 children; this is the whole of England's
//! looked-after count in one council, the "national size"). Each child has a placement from
//! before the year; most move once in the year, some have their legal status changed, some leave care.
//! Postcodes are real ones from the embedded gazetteer, so locating them costs what it does in use.

use hearth_domain::child::{Child, ChildReference, LegalStatusChange, SenStatus};
use hearth_domain::council::council_by_la_code;
use hearth_domain::placement::Placement;
use hearth_domain::{
    ChildId, Ethnicity, HomeId, LegalStatus, Miles, PlaceProvider, PlacementId, PlacementType, Postcode,
    ReasonEpisodeCeased, ReasonPlaceChange, Sex,
};
use hearth_ssda903::{ChildHistory, CollectionYear, Export, GazetteerLocator, PlacedRecord, Table};
use jiff::civil::{Date, date};

const CHILDREN: usize = 27_000;

fn main() {
    divan::main();
}

fn placement(id: i64, child: i64, home: i64, start: Date, end: Option<Date>, postcode: Postcode) -> PlacedRecord {
    PlacedRecord {
        placement: Placement {
            id: PlacementId(id),
            child: ChildId(child),
            la_code: 331,
            home: Some(HomeId(home)),
            referral: None,
            placement_type: if home % 5 == 0 { PlacementType::K2 } else { PlacementType::U6 },
            provider: PlaceProvider::Pr4,
            tier: None,
            start,
            end,
            reason_ceased: end.map(|_| ReasonEpisodeCeased::X1),
            reason_change: end.map(|_| ReasonPlaceChange::Carpl),
            planned_ending: None,
            previous: None,
            step_down: false,
            postcode: Some(postcode),
            pl_utla: None,
            distance: Miles::UNKNOWN,
            weekly_cost: None,
        },
        urn: Some(format!("SC{:06}", home % 1_000_000)),
    }
}

fn national_council() -> Vec<ChildHistory> {
    let g = hearth_reference::Gazetteer::get();
    let postcode = |i: usize| g.unit((i * 7_919 % g.len()) as u32).expect("a postcode").to_postcode();
    let since = date(2024, 1, 1);
    (0..CHILDREN)
        .map(|i| {
            let id = i as i64 + 1;
            let first_start = since.saturating_add(jiff::Span::new().days((i % 400) as i64));
            let moved = first_start.saturating_add(jiff::Span::new().days(300 + (i % 250) as i64));
            let mut placements = Vec::new();
            let mut legal =
                vec![LegalStatusChange { child: ChildId(id), legal_status: LegalStatus::C1, from: first_start }];
            if i % 20 < 17 {
                placements.push(placement(2 * id, id, i as i64, first_start, Some(moved), postcode(i)));
                let mut second = placement(2 * id + 1, id, i as i64 + 7, moved, None, postcode(i + 1));
                if i % 20 == 0 {
                    // Left care on the 18th birthday, staying put.
                    second.placement.end = Some(moved.saturating_add(jiff::Span::new().days(200)));
                    second.placement.reason_ceased = Some(ReasonEpisodeCeased::E17);
                }
                placements.push(second);
            } else {
                placements.push(placement(2 * id, id, i as i64, first_start, None, postcode(i)));
            }
            if i % 20 >= 17 || i % 20 == 5 {
                legal.push(LegalStatusChange {
                    child: ChildId(id),
                    legal_status: LegalStatus::C2,
                    from: date(2025, 9, 1).saturating_add(jiff::Span::new().days((i % 90) as i64)),
                });
            }
            ChildHistory {
                child: Child {
                    id: ChildId(id),
                    la_code: 331,
                    reference: ChildReference::parse(&format!("N{id:07}")).expect("a reference"),
                    date_of_birth: date(2010, 1, 1).saturating_add(jiff::Span::new().days((i % 4_000) as i64)),
                    sex: if i % 2 == 0 { Sex::Male } else { Sex::Female },
                    ethnicity: Ethnicity::ALL[i % Ethnicity::ALL.len()],
                    uasc: i % 25 == 0,
                    disability: false,
                    sen: SenStatus::None,
                    home_postcode: Some(postcode(i + 100)),
                    home_district: None,
                    school_district: None,
                    legal_status: LegalStatus::C1,
                    category_of_need: Some(hearth_domain::CategoryOfNeed::N1),
                    sibling_group: None,
                    looked_after_since: first_start,
                    ceased_on: None,
                    connected_persons: Vec::new(),
                },
                legal_statuses: legal,
                placements,
            }
        })
        .collect()
}

fn year() -> CollectionYear {
    CollectionYear::new(2026).expect("a year")
}

/// Derive every episode, DfE's derived fields and the self-check.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn build_with_self_check(bencher: divan::Bencher) {
    let histories = national_council();
    let council = council_by_la_code(331).expect("Coventry");
    let locator = GazetteerLocator::embedded();
    let e = Export::build(council, year(), &histories, &locator);
    eprintln!("{} children, {} episodes, {} problems", e.children.len(), e.episodes.len(), e.problems.len());
    bencher.bench(|| Export::build(council, year(), divan::black_box(&histories), &locator));
}

/// The same, then every table written (to memory).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn build_and_write_every_table(bencher: divan::Bencher) {
    let histories = national_council();
    let council = council_by_la_code(331).expect("Coventry");
    let locator = GazetteerLocator::embedded();
    bencher.bench(|| {
        let e = Export::build(council, year(), divan::black_box(&histories), &locator);
        let mut bytes = 0;
        for t in Table::ALL {
            let mut out = Vec::new();
            e.write_table(t, &mut out).expect("written");
            bytes += out.len();
        }
        bytes
    });
}
