//! Hand-made histories: a few children and referrals whose every figure is known.

use hearth_domain::contract::ContractTier;
use hearth_domain::council::Locality;
use hearth_domain::home::HomeKind;
use hearth_domain::offer::{DeclineReason, OfferStatus};
use hearth_domain::referral::{Need, ReferralStatus, Urgency};
use hearth_domain::{EthnicGroup, LegalStatus, PlaceProvider, PlacementType, ReasonPlaceChange, Sex};
use hearth_intel::model::*;
use jiff::civil::{Date, date};

pub const COV: u16 = 331;
pub const EMPTY: u16 = 999;

pub fn input() -> HistoryInput {
    HistoryInput {
        records_from: date(2021, 1, 1),
        today: date(2026, 11, 25),
        councils: vec![
            CouncilFacts {
                la_code: COV,
                ons_code: "E08000026".into(),
                name: "Coventry".into(),
                population_under_18: vec![(2024, 9_000), (2025, 10_000)],
            },
            CouncilFacts {
                la_code: EMPTY,
                ons_code: "E0".into(),
                name: "Nobody's".into(),
                population_under_18: vec![(2025, 5_000)],
            },
        ],
        providers: vec![ProviderRecord { name: "Coventry".into() }, ProviderRecord { name: "Acme Homes".into() }],
        homes: vec![
            HomeRecord {
                provider: 1,
                kind: HomeKind::ChildrensHome,
                la_code: Some(COV),
                places: 4,
                active: true,
                judgement: None,
            },
            HomeRecord {
                provider: 0,
                kind: HomeKind::FosterInHouse,
                la_code: Some(COV),
                places: 2,
                active: true,
                judgement: None,
            },
        ],
        ..HistoryInput::default()
    }
}

pub fn child(h: &mut HistoryInput, dob: Date, sex: Sex, since: Date, ceased: Option<Date>) -> u32 {
    h.children.push(ChildRecord {
        la_code: COV,
        date_of_birth: dob,
        sex,
        ethnic_group: EthnicGroup::White,
        uasc: false,
        looked_after_since: since,
        ceased_on: ceased,
    });
    u32::try_from(h.children.len() - 1).unwrap()
}

pub fn placement(h: &mut HistoryInput, child: u32, t: PlacementType, start: Date, end: Option<Date>) -> usize {
    h.placements.push(PlacementRecord {
        child,
        start,
        end,
        placement_type: t,
        provider: PlaceProvider::Pr1,
        provider_org: Some(0),
        tier: Some(ContractTier::InHouse),
        locality: Some(Locality::InsideCouncil),
        distance: 50,
        weekly_cost: Some(500),
        reason_change: end.map(|_| ReasonPlaceChange::Carpl),
        planned_ending: end.map(|_| true),
    });
    h.placements.len() - 1
}

pub fn legal(h: &mut HistoryInput, child: u32, from: Date, ls: LegalStatus) {
    h.legal_statuses.push(LegalRecord { child, from, legal_status: ls });
}

pub fn at(d: Date, hour: i8) -> jiff::Timestamp {
    jiff::tz::TimeZone::UTC.to_timestamp(d.at(hour, 0, 0, 0)).unwrap()
}

pub fn referral(h: &mut HistoryInput, made: Date, urgency: Urgency, status: ReferralStatus, needs: &[Need]) -> u32 {
    h.referrals.push(ReferralRecord {
        la_code: COV,
        created_at: at(made, 9),
        needed_from: made,
        urgency,
        needs: needs.to_vec(),
        status,
        closed_at: matches!(status, ReferralStatus::Placed)
            .then(|| at(made.tomorrow().unwrap().tomorrow().unwrap(), 9)),
        first_sent_at: Some(at(made, 10)),
        age: 14,
        children: 1,
        area_la: COV,
        sought: None,
    });
    u32::try_from(h.referrals.len() - 1).unwrap()
}

pub fn offer(h: &mut HistoryInput, referral: u32, home: u32, hours_after_sending: i8, status: OfferStatus) {
    let made = h.referrals[referral as usize].needed_from;
    h.offers.push(OfferRecord {
        referral,
        provider: 1,
        home,
        weekly_price: 4_000,
        made_at: at(made, 10 + hours_after_sending),
        status,
    });
}

pub fn decline(h: &mut HistoryInput, referral: u32, reason: DeclineReason) {
    let made = h.referrals[referral as usize].needed_from;
    h.declines.push(DeclineRecord { referral, provider: 1, reason, declined_at: at(made, 12) });
}
