//! Building histories by hand.

use hearth_domain::child::{Child, ChildReference, LegalStatusChange, SenStatus};
use hearth_domain::council::{Council, council_by_la_code};
use hearth_domain::placement::Placement;
use hearth_domain::{
    ChildId, Ethnicity, GridRef, HomeId, LegalStatus, Miles, PlaceProvider, PlacementId, PlacementType, Postcode,
    ReasonEpisodeCeased, ReasonPlaceChange, Sex,
};
use hearth_ssda903::{ChildHistory, CollectionYear, Export, Locator, PlacedRecord, Table};
use jiff::civil::Date;
use std::collections::HashMap;

pub fn day(s: &str) -> Date {
    s.parse().expect("a date")
}

pub fn coventry() -> &'static Council {
    council_by_la_code(331).expect("Coventry")
}

pub fn child(id: i64, reference: &str, dob: &str) -> Child {
    Child {
        id: ChildId(id),
        la_code: 331,
        reference: ChildReference::parse(reference).expect("a reference"),
        date_of_birth: day(dob),
        sex: Sex::Female,
        ethnicity: Ethnicity::Wbri,
        uasc: false,
        disability: false,
        sen: SenStatus::None,
        home_postcode: Some(Postcode::parse("CV1 1AA").expect("a postcode")),
        home_district: None,
        school_district: None,
        legal_status: LegalStatus::C2,
        category_of_need: Some(hearth_domain::CategoryOfNeed::N1),
        sibling_group: None,
        looked_after_since: day("2020-01-01"),
        ceased_on: None,
        connected_persons: Vec::new(),
    }
}

/// A placement of child `child`; `at` is (home, URN, postcode).
#[derive(Debug)]
pub struct Stay<'a> {
    pub id: i64,
    pub home: Option<i64>,
    pub urn: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub place: PlacementType,
    pub provider: PlaceProvider,
    pub start: &'a str,
    pub end: Option<&'a str>,
    pub rec: Option<ReasonEpisodeCeased>,
    pub change: Option<ReasonPlaceChange>,
}

impl Stay<'_> {
    pub fn record(&self, child: i64) -> PlacedRecord {
        PlacedRecord {
            placement: Placement {
                id: PlacementId(self.id),
                child: ChildId(child),
                la_code: 331,
                home: self.home.map(HomeId),
                referral: None,
                placement_type: self.place,
                provider: self.provider,
                tier: None,
                start: day(self.start),
                end: self.end.map(day),
                reason_ceased: self.rec,
                reason_change: self.change,
                planned_ending: None,
                previous: None,
                step_down: false,
                postcode: self.postcode.map(|p| Postcode::parse(p).expect("a postcode")),
                pl_utla: None,
                distance: Miles::UNKNOWN,
                weekly_cost: None,
            },
            urn: self.urn.map(str::to_owned),
        }
    }
}

pub fn history(c: Child, statuses: &[(LegalStatus, &str)], stays: &[Stay<'_>]) -> ChildHistory {
    let id = c.id;
    ChildHistory {
        child: c,
        legal_statuses: statuses
            .iter()
            .map(|(ls, from)| LegalStatusChange { child: id, legal_status: *ls, from: day(from) })
            .collect(),
        placements: stays.iter().map(|s| s.record(id.0)).collect(),
    }
}

/// A few postcodes with made-up but plausible grid references: CV1 1AA and CV2 2BB in Coventry,
/// B90 3CC in Solihull, 30 km west.
#[derive(Debug)]
pub struct Places(HashMap<&'static str, (GridRef, &'static str)>);

impl Places {
    pub fn new() -> Self {
        Self(HashMap::from([
            ("CV1 1AA", (GridRef { easting: 433_000, northing: 279_000 }, "E08000026")),
            ("CV2 2BB", (GridRef { easting: 436_000, northing: 283_000 }, "E08000026")),
            ("B90 3CC", (GridRef { easting: 403_000, northing: 279_000 }, "E08000029")),
        ]))
    }
}

impl Locator for Places {
    fn locate(&self, postcode: &Postcode) -> Option<(GridRef, &str)> {
        self.0.get(postcode.as_str()).map(|(g, la)| (*g, *la))
    }
}

pub fn year(ending: i16) -> CollectionYear {
    CollectionYear::new(ending).expect("a collection year")
}

pub fn export(histories: &[ChildHistory], ending: i16) -> Export {
    Export::build(coventry(), year(ending), histories, &Places::new())
}

/// A table as text, one string per line (line endings dropped).
pub fn table(export: &Export, t: Table) -> Vec<String> {
    let mut out = Vec::new();
    export.write_table(t, &mut out).expect("written");
    String::from_utf8(out).expect("UTF-8").lines().map(str::to_owned).collect()
}

pub const EPISODES_HEADER: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

/// The Episodes table: its header, then `rows`.
pub fn assert_episodes(export: &Export, rows: &[&str]) {
    let mut want = vec![EPISODES_HEADER.to_owned()];
    want.extend(rows.iter().map(|r| (*r).to_owned()));
    assert_eq!(table(export, Table::Episodes), want);
    assert_eq!(export.problems, Vec::new(), "the self-check finds nothing wrong");
}
