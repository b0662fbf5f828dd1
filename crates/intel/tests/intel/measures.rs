//! Every measure on a hand-made history whose answers are worked out by hand in the comments.

use crate::history::*;
use hearth_domain::contract::ContractTier;
use hearth_domain::offer::{DeclineReason, OfferStatus};
use hearth_domain::referral::{Need, ReferralStatus, Urgency};
use hearth_domain::{LegalStatus, PlaceProvider, PlacementType as T, ReasonPlaceChange, Sex};
use hearth_intel::model::{ContractRecord, VacancyRecord};
use hearth_intel::table::{Table, Value};
use hearth_intel::{History, IntelError, Query, Scope, dashboard};
use jiff::civil::date;

/// Three children looked after on 31 March 2026 (A, B, C), one there under short breaks (D), one
/// who left care in January (E); four referrals in the year to 31 March 2026 and one before it.
fn region() -> History {
    let mut h = input();
    // A: 13, three placements in the year (foster, a children's home, foster again).
    let a = child(&mut h, date(2012, 5, 1), Sex::Male, date(2020, 1, 1), None);
    placement(&mut h, a, T::U4, date(2020, 1, 1), Some(date(2025, 6, 1)));
    placement(&mut h, a, T::K2, date(2025, 6, 1), Some(date(2025, 9, 1)));
    placement(&mut h, a, T::U6, date(2025, 9, 1), None);
    // B: 11, the same carer since 2022 (short-term fostering became long-term in 2023).
    let b = child(&mut h, date(2015, 1, 1), Sex::Female, date(2022, 1, 1), None);
    let first = placement(&mut h, b, T::U6, date(2022, 1, 1), Some(date(2023, 1, 1)));
    h.placements[first].reason_change = Some(ReasonPlaceChange::Place);
    placement(&mut h, b, T::U4, date(2023, 1, 1), None);
    // C: 16, in a private children's home 30 miles away, under a block contract.
    let c = child(&mut h, date(2009, 6, 1), Sex::Male, date(2024, 1, 1), None);
    let k = placement(&mut h, c, T::K2, date(2024, 1, 1), None);
    let p = &mut h.placements[k];
    (p.provider, p.provider_org, p.tier, p.distance, p.weekly_cost) =
        (PlaceProvider::Pr4, Some(1), Some(ContractTier::Block), 300, Some(5_000));
    p.locality = Some(hearth_domain::council::Locality::Further);
    // D: short breaks only, which DfE does not count.
    let d = child(&mut h, date(2018, 1, 1), Sex::Female, date(2025, 1, 1), None);
    placement(&mut h, d, T::U6, date(2025, 1, 1), None);
    legal(&mut h, d, date(2025, 1, 1), LegalStatus::V3);
    // E: left care in January after an unplanned ending.
    let e = child(&mut h, date(2010, 1, 1), Sex::Male, date(2025, 2, 1), Some(date(2026, 1, 10)));
    let last = placement(&mut h, e, T::U6, date(2025, 2, 1), Some(date(2026, 1, 10)));
    h.placements[last].planned_ending = Some(false);

    let r1 =
        referral(&mut h, date(2025, 6, 1), Urgency::SameDay, ReferralStatus::Placed, &[Need::SelfHarm, Need::Missing]);
    offer(&mut h, r1, 0, 2, OfferStatus::Accepted);
    offer(&mut h, r1, 0, 5, OfferStatus::NotChosen);
    decline(&mut h, r1, DeclineReason::NoVacancy);
    let r2 = referral(&mut h, date(2025, 7, 1), Urgency::Planned, ReferralStatus::Unmet, &[Need::SelfHarm]);
    h.referrals[r2 as usize].sought = Some(hearth_domain::PlacementGroup::ChildrensHomes);
    decline(&mut h, r2, DeclineReason::Price);
    decline(&mut h, r2, DeclineReason::NoVacancy);
    let r3 = referral(&mut h, date(2025, 8, 1), Urgency::Planned, ReferralStatus::Placed, &[]);
    offer(&mut h, r3, 1, 4, OfferStatus::Accepted);
    referral(&mut h, date(2024, 1, 1), Urgency::Planned, ReferralStatus::Placed, &[]);
    referral(&mut h, date(2025, 9, 1), Urgency::Planned, ReferralStatus::Draft, &[]);
    let r6 = referral(&mut h, date(2026, 3, 1), Urgency::Planned, ReferralStatus::Open, &[]);
    h.referrals[r6 as usize].sought = Some(hearth_domain::PlacementGroup::Foster);

    h.contracts.push(ContractRecord {
        la_code: COV,
        provider: 1,
        tier: ContractTier::Block,
        weekly_price: 4_500,
        block_beds: 3,
        starts: date(2024, 1, 1),
        ends: None,
    });
    h.vacancies.push(VacancyRecord { home: 0, places: 2, available_from: date(2026, 1, 1) });
    History::new(h)
}

fn march_2026(h: &History) -> Query {
    Query::new(h, Scope::Council(COV), date(2026, 3, 31), None).unwrap()
}

fn n(t: &Table, row: &str, col: usize) -> Value {
    t.row(row).unwrap_or_else(|| panic!("{}: no row {row}", t.id)).values[col]
}

#[test]
fn children_looked_after_on_the_day() {
    let h = region();
    let d = dashboard(&h, &march_2026(&h));
    let headline = d.table("children_looked_after").unwrap();
    assert_eq!(n(headline, "Coventry", 0), Value::Count(3), "A, B and C: not D (short breaks) nor E (left)");
    assert_eq!(n(headline, "Coventry", 2), Value::Number(3.0), "3 of 10,000 children");
    let types = d.table("placement_type").unwrap();
    assert_eq!(n(types, "Foster placements", 0), Value::Count(2));
    assert_eq!(n(types, "Secure units and children's homes", 0), Value::Count(1));
    assert_eq!(n(types, "All children looked after", 0), Value::Count(3));
    assert_eq!(n(types, "Foster placements", 1), Value::Percent(200.0 / 3.0));
    let ages = d.table("age_band").unwrap();
    assert_eq!(n(ages, "10 to 15 years", 0), Value::Count(2));
    assert_eq!(n(ages, "16 years and over", 0), Value::Count(1));
    assert_eq!(n(d.table("sex").unwrap(), "Female", 0), Value::Count(1));
    let distance = d.table("distance").unwrap();
    assert_eq!(
        (n(distance, "20 miles or less", 0), n(distance, "Over 20 miles", 0)),
        (Value::Count(2), Value::Count(1))
    );
    assert_eq!(n(d.table("locality").unwrap(), "Further away", 0), Value::Count(1));
    assert_eq!(n(d.table("placement_provider").unwrap(), "Private provision", 0), Value::Count(1));
    assert_eq!(n(d.table("legal_status").unwrap(), "Not recorded", 0), Value::Count(3));

    // On 31 March 2022 only A and B were looked after.
    let trend = d.table("children_looked_after_trend").unwrap();
    assert_eq!(trend.rows.len(), 5, "five 31 Marches");
    assert_eq!(n(trend, "31 Mar 2022", 0), Value::Count(2));
    assert_eq!(n(trend, "31 Mar 2026", 0), Value::Count(3));
    let types = d.table("placement_type_trend").unwrap();
    assert_eq!(n(types, "31 Mar 2022", 0), Value::Count(2), "both fostered");
}

#[test]
fn trend_points_before_the_records_are_not_available() {
    let h = region().with_records_from(date(2023, 1, 1));
    let d = dashboard(&h, &march_2026(&h));
    let trend = d.table("children_looked_after_trend").unwrap();
    assert_eq!(n(trend, "31 Mar 2022", 0), Value::NotAvailable);
    assert_eq!(n(trend, "31 Mar 2023", 0), Value::Count(2));
    let published = d.protected();
    assert_eq!(n(published.table("stability_trend").unwrap(), "31 Mar 2022", 2), Value::NotAvailable);
}

#[test]
fn stability_as_dfe_measures_it() {
    let h = region();
    let d = dashboard(&h, &march_2026(&h));
    let s = d.table("stability").unwrap();
    let three = "Children with 3 or more placements during the year";
    assert_eq!((n(s, three, 0), n(s, three, 1)), (Value::Count(1), Value::Count(3)), "A, of A B C");
    let long = s.rows[1].label.clone();
    assert_eq!(
        (n(s, &long, 0), n(s, &long, 1)),
        (Value::Count(1), Value::Count(2)),
        "B (same carer since 2022), of A and B"
    );
    let endings = d.table("unplanned_endings_by_type").unwrap();
    assert_eq!(
        (n(endings, "Foster placements", 0), n(endings, "Foster placements", 1)),
        (Value::Count(2), Value::Count(1))
    );
    assert_eq!(n(endings, "Secure units and children's homes", 0), Value::Count(1));
    assert_eq!(n(endings, "All placements", 1), Value::Count(1), "E's ending");
}

#[test]
fn the_market_in_the_year() {
    let h = region();
    let d = dashboard(&h, &march_2026(&h));
    let u = d.table("referrals_by_urgency").unwrap();
    assert_eq!(u.rows[0].values[..3], [Value::Count(1), Value::Count(1), Value::Count(0)], "same day: one, placed");
    assert_eq!(n(u, "All referrals", 0), Value::Count(4), "not the draft, not the one from 2024");
    assert_eq!(n(u, "All referrals", 4), Value::Count(1), "still open");
    let offers = d.table("offers_per_referral").unwrap();
    assert_eq!((n(offers, "No offers", 0), n(offers, "2 offers", 0)), (Value::Count(2), Value::Count(1)));
    let times = d.table("response_times").unwrap();
    assert_eq!(times.rows[0].values[1], Value::Number(2.0), "the same-day offer came 2 hours after sending");
    assert_eq!(times.rows[0].values[3], Value::Number(2.0), "placed 2 days after the referral");
    assert_eq!(n(times, "All referrals", 1), Value::Number(3.0), "median of 2 and 4 hours");
    let declines = d.table("decline_reasons").unwrap();
    assert_eq!((n(declines, "No vacancy", 0), n(declines, "Price", 0)), (Value::Count(2), Value::Count(1)));
    let need = d.table("referrals_by_need").unwrap();
    assert_eq!(need.row("Self-harm").unwrap().values[..3], [Value::Count(2), Value::Count(1), Value::Count(1)]);
    let sought = d.table("unmet_by_type").unwrap();
    assert_eq!(n(sought, "Secure units and children's homes", 0), Value::Count(2), "R2 asked; R1 was offered one");
    assert_eq!(n(sought, "Secure units and children's homes", 1), Value::Count(1));
    let vacancies = d.table("vacancies_against_demand").unwrap();
    assert_eq!(n(vacancies, "Secure units and children's homes", 0), Value::Count(2));
    assert_eq!(n(vacancies, "Foster placements", 2), Value::Count(1), "R6 is still looking");
    let block = d.table("block_occupancy").unwrap();
    assert_eq!(n(block, "Acme Homes", 1), Value::Count(1));
    assert_eq!(n(block, "Acme Homes", 2), Value::Number(100.0 / 3.0));
    let costs = d.table("costs").unwrap();
    assert_eq!(n(costs, "Foster placements, in-house", 1), Value::Pounds(500));
    // A, B and D in-house at £500 (D's short breaks cost too), C at £5,000.
    assert_eq!(n(costs, "All placements with a cost", 1), Value::Pounds(1_625));
    let share = d.table("market_share").unwrap();
    assert_eq!(share.rows[0].label, "Coventry");
    assert_eq!(n(share, "Acme Homes", 0), Value::Count(1));
}

#[test]
fn questions_the_records_cannot_answer_are_refused() {
    let h = region();
    let ask = |as_at, from| Query::new(&h, Scope::Council(COV), as_at, from);
    assert!(matches!(ask(date(2020, 1, 1), None), Err(IntelError::BeforeRecords { field: "as_at", .. })));
    assert!(matches!(ask(date(2027, 1, 1), None), Err(IntelError::AfterToday { .. })));
    assert!(matches!(ask(date(2026, 1, 1), Some(date(2026, 2, 1))), Err(IntelError::Backwards { .. })));
    assert!(matches!(Query::new(&h, Scope::Council(123), date(2026, 1, 1), None), Err(IntelError::UnknownCouncil(_))));
    let e = ask(date(2020, 1, 1), None).unwrap_err();
    assert_eq!(e.field(), "as_at");
    assert!(e.to_string().contains("2021-01-01"), "{e}");
}

#[test]
fn an_empty_council_gives_zeros_and_no_division_by_zero() {
    let h = region();
    let q = Query::new(&h, Scope::Council(EMPTY), date(2026, 3, 31), None).unwrap();
    let d = dashboard(&h, &q).protected();
    let types = d.table("placement_type").unwrap();
    assert_eq!(n(types, "All children looked after", 0), Value::Count(0));
    assert_eq!(n(types, "Foster placements", 1), Value::NotApplicable, "no percentage of nobody");
    assert_eq!(
        n(d.table("stability").unwrap(), "Children with 3 or more placements during the year", 2),
        Value::NotApplicable
    );
    assert!(d.table("children_looked_after").unwrap().note.as_deref().unwrap_or("").contains("No children"));
    assert!(d.sections.iter().all(|s| !s.charts.is_empty() || s.id == "stability"));
}

#[test]
fn the_region_adds_up_its_councils_and_is_protected_when_published() {
    let h = region();
    let q = Query::new(&h, Scope::Region, date(2026, 3, 31), None).unwrap();
    let d = dashboard(&h, &q);
    let headline = d.table("children_looked_after").unwrap();
    assert_eq!(n(headline, "All councils", 0), Value::Count(3));
    assert_eq!(n(headline, "All councils", 1), Value::Count(15_000));
    let published = d.protected();
    assert!(published.protected);
    assert_eq!(n(published.table("children_looked_after").unwrap(), "Coventry", 0), Value::Suppressed, "3 is small");
    for t in published.tables() {
        assert!(hearth_intel::disclosure::recoverable(t).is_empty(), "{}", t.id);
    }
}
