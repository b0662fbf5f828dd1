//! Commissioner intelligence through the API and the page: Coventry's figures checked one by one
//! against counts made directly from the demo region's raw rows, disclosure control on everything
//! that leaves the portal, bad input refused in words, who may see what, and every view audited.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_demo::DemoConfig;
use hearth_domain::child::{AgeBand, age_on};
use hearth_domain::org::Role;
use hearth_domain::seed::RegionSeed;
use hearth_domain::{PlacementGroup, Sex};
use jiff::civil::{Date, date};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::LazyLock;

pub const TESTS: &[(&str, TestFn)] = &[
    ("intel_coventry_figures_match_direct_counts", |s| Box::pin(coventry(s))),
    ("intel_bad_input_and_who_may", |s| Box::pin(refusals(s))),
    ("intel_figures_are_read_again_on_the_services_clock", |s| Box::pin(freshness(s))),
];

/// The same region the fixture loaded, generated again so that the test counts from the raw rows.
static SEED: LazyLock<RegionSeed> =
    LazyLock::new(|| hearth_demo::generate(&DemoConfig { seed: 2026, today: date(2026, 11, 25) }));

/// Coventry's children looked after on `day`, as DfE counts them, each with the placement they were
/// in: written out plainly, without the intelligence crate.
fn looked_after(
    day: Date,
) -> Vec<(&'static hearth_domain::child::Child, &'static hearth_domain::placement::Placement)> {
    let seed: &'static RegionSeed = &SEED;
    seed.children
        .iter()
        .filter(|c| c.la_code == 331)
        .filter_map(|c| {
            let p = seed.placements.iter().filter(|p| p.child == c.id && p.is_open_on(day)).max_by_key(|p| p.start)?;
            let ls = seed.legal_statuses.iter().filter(|l| l.child == c.id && l.from <= day).max_by_key(|l| l.from);
            if ls.is_some_and(|l| l.legal_status.is_short_break()) {
                return None;
            }
            Some((c, p))
        })
        .collect()
}

fn table<'a>(dashboard: &'a Value, id: &str) -> &'a Value {
    dashboard["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["tables"].as_array().into_iter().flatten())
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The published figure in `column` of the row labelled `label`.
fn cell<'a>(t: &'a Value, label: &str, column: usize) -> &'a str {
    let row = t["rows"].as_array().into_iter().flatten().find(|r| r["label"] == label);
    row.and_then(|r| r["values"][column].as_str()).unwrap_or_else(|| panic!("{}: no row {label}", t["id"]))
}

/// A published count against the direct one: 1 to 5 must be withheld; anything else is the count,
/// or withheld to protect another (secondary suppression). Returns whether it was shown.
fn check(t: &Value, label: &str, want: usize) -> bool {
    let got = cell(t, label, 0);
    if (1..=5).contains(&want) {
        assert_eq!(got, "c", "{} / {label}: {want} must be withheld", t["id"]);
        false
    } else if got == "c" {
        false
    } else {
        assert_eq!(got, want.to_string(), "{} / {label}", t["id"]);
        true
    }
}

async fn coventry(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    for day in [date(2026, 11, 25), date(2026, 3, 31)] {
        let (status, d) = s.get(&format!("/api/v1/intel/331?as_at={day}"), As::Browser(&commissioner)).await;
        assert_eq!(status, StatusCode::OK, "{d}");
        assert_eq!(d["protected"], true, "the API is always protected");
        assert_eq!(d["scope_name"], "Coventry");
        let kids = looked_after(day);
        assert!(kids.len() > 600, "Coventry looks after about 684 children: {}", kids.len());
        let mut shown = 0;
        let mut all = 0;
        let mut tally = |t: &Value, label: &str, n: usize| {
            all += 1;
            shown += usize::from(check(t, label, n));
        };
        let headline = table(&d, "children_looked_after");
        tally(headline, "Coventry", kids.len());

        let by = |pred: &dyn Fn(&(&hearth_domain::child::Child, &hearth_domain::placement::Placement)) -> bool| {
            kids.iter().filter(|k| pred(k)).count()
        };
        let t = table(&d, "placement_type");
        for (group, label) in [
            (PlacementGroup::Foster, "Foster placements"),
            (PlacementGroup::ChildrensHomes, "Secure units and children's homes"),
            (PlacementGroup::SupportedAccommodation, "Supported accommodation and independent living"),
            (PlacementGroup::ResidentialSchools, "Residential schools"),
            (PlacementGroup::PlacedForAdoption, "Placed for adoption"),
            (PlacementGroup::WithParents, "Placed with parents or others with parental responsibility"),
            (PlacementGroup::OtherResidential, "Other residential settings"),
            (PlacementGroup::Other, "Other placements"),
        ] {
            tally(t, label, by(&|(_, p)| p.placement_type.group() == group));
        }
        tally(t, "All children looked after", kids.len());

        let t = table(&d, "age_band");
        for (band, label) in AgeBand::ALL.iter().zip([
            "Under 1 year",
            "1 to 4 years",
            "5 to 9 years",
            "10 to 15 years",
            "16 years and over",
        ]) {
            tally(t, label, by(&|(c, _)| AgeBand::of_age(age_on(c.date_of_birth, day)) == *band));
        }
        let t = table(&d, "sex");
        tally(t, "Male", by(&|(c, _)| c.sex == Sex::Male));
        tally(t, "Female", by(&|(c, _)| c.sex == Sex::Female));
        let t = table(&d, "uasc");
        tally(t, "Unaccompanied asylum-seeking children", by(&|(c, _)| c.uasc));
        tally(t, "Other children looked after", by(&|(c, _)| !c.uasc));
        let t = table(&d, "distance");
        tally(t, "20 miles or less", by(&|(_, p)| !p.distance.is_unknown() && p.distance.0 <= 20.0));
        tally(t, "Over 20 miles", by(&|(_, p)| !p.distance.is_unknown() && p.distance.0 > 20.0));
        tally(t, "Not known", by(&|(_, p)| p.distance.is_unknown()));
        let t = table(&d, "placement_provider");
        tally(t, "Private provision", by(&|(_, p)| p.provider == hearth_domain::PlaceProvider::Pr4));
        tally(t, "Own provision (by the council)", by(&|(_, p)| p.provider == hearth_domain::PlaceProvider::Pr1));
        assert!(shown * 10 >= all * 7, "most figures are published: {shown} of {all}");

        // The same figures as CSV, protected the same way.
        let (status, headers, csv) = s
            .call_full(
                Method::GET,
                &format!("/api/v1/intel/331/tables/placement_type?as_at={day}"),
                As::Browser(&commissioner),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let csv = csv.as_str().unwrap_or_default().to_owned();
        assert!(csv.starts_with("Placement type,Number,Percentage\n"), "{csv}");
        let foster = by(&|(_, p)| p.placement_type.is_foster());
        assert!(csv.contains(&format!("Foster placements,{foster},")), "{csv}");
    }

    // Coventry's own commissioner sees the exact figures on the page; the hub sees them protected.
    let today = looked_after(date(2026, 11, 25)).len();
    let (status, page) = s.get("/intel", As::CookieOnly(&commissioner)).await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap_or_default().to_owned();
    assert!(page.contains("These are your council's exact figures"), "{page}");
    assert!(page.contains(&format!(">{}<", hearth_intel::Value::Count(today as u64).display())));
    assert!(page.contains("<svg") && page.contains("role=\"img\""), "charts are drawn");
    // On the demo's own figures, every chart label is inside its chart, and money reads as money.
    let charts: Vec<&str> = page.split("<svg").skip(1).map(|c| c.split("</svg>").next().unwrap_or_default()).collect();
    assert!(charts.len() >= 6, "{} charts", charts.len());
    for c in &charts {
        let svg = format!("<svg{c}</svg>");
        assert!(
            hearth_intel::chart::overflowing_labels(&svg).is_empty(),
            "{:?}",
            hearth_intel::chart::overflowing_labels(&svg)
        );
    }
    let pounds =
        |r: &str| r.split('<').next().is_some_and(|t| t.contains(',') && t.starts_with(|c: char| c.is_ascii_digit()));
    assert!(page.contains(">£ a week<") && page.split(">£").any(pounds), "the cost chart's axis in pounds: {page}");
    assert!(!page.contains("style="), "no inline styles under the CSP");
    // The page's download links are protected like the API's, whoever follows them.
    let link = "/intel/331/tables/placement_type.csv?as_at=2026-11-25&from=2025-11-26";
    assert!(page.contains(&link.replace('&', "&#38;")), "the page links its CSV");
    let (status, headers, csv) = s.call_full(Method::GET, link, As::CookieOnly(&commissioner), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"].to_str().unwrap_or("").contains("hearth-331-2026-11-25-placement_type.csv"));
    assert!(csv.as_str().unwrap_or_default().starts_with("Placement type,Number,Percentage\n"));
    let hub = s.sign_in(f.email(Role::RegionalCommissioner, f.hub)).await;
    let (status, page) = s.get("/intel?council=331", As::CookieOnly(&hub)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.as_str().unwrap_or_default().contains("Disclosure control applies"));
    let (status, region) = s.get("/api/v1/intel/region", As::Browser(&hub)).await;
    assert_eq!(status, StatusCode::OK, "{region}");
    assert_eq!(cell(table(&region, "children_looked_after"), "Coventry", 0), today.to_string());
    assert!(s.audit_count("intel.read").await >= 6);
}

async fn refusals(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    for (path, field, words) in [
        ("/api/v1/intel/331?as_at=2019-01-01", "as_at", "before the portal's records begin"),
        ("/api/v1/intel/331?as_at=2031-01-01", "as_at", "after today"),
        ("/api/v1/intel/331?as_at=yesterday", "as_at", "is not a date"),
        ("/api/v1/intel/331?as_at=2026-06-01&from=2026-07-01", "from", "runs backwards"),
        ("/api/v1/intel/999", "council", "no council '999'"),
    ] {
        let (status, body) = s.get(path, As::Browser(&commissioner)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], field, "{path}");
        assert!(body["error"]["fields"][0]["message"].as_str().unwrap_or("").contains(words), "{path}: {body}");
    }
    // The page says it in words and keeps what was typed.
    let (status, page) = s.get("/intel?as_at=2019-01-01", As::CookieOnly(&commissioner)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = page.as_str().unwrap_or_default().to_owned();
    assert!(
        page.contains("There is a problem")
            && page.contains(r#"name="as_at-year" type="text" inputmode="numeric" value="2019""#),
        "{page}"
    );

    let (status, _) = s.get("/api/v1/intel/330", As::Browser(&commissioner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another council's figures are not Coventry's to see");
    let (status, _) = s.get("/api/v1/intel/region", As::Browser(&commissioner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the region is the hub's");
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    assert_eq!(s.get("/api/v1/intel/331", As::Browser(&officer)).await.0, StatusCode::FORBIDDEN);
    let (status, _) = s.get("/api/v1/intel/331/tables/no_such_table", As::Browser(&commissioner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The figures' snapshot is as old as the service's clock says, never the machine's: it serves for 30 s
/// of the (hand-moved) clock and is read again after, and `read_at` says when it was read.
async fn freshness(s: &Server) {
    let hub = s.sign_in(s.facts.email(Role::RegionalCommissioner, s.facts.hub)).await;
    let read_at = |v: &Value| v["read_at"].as_str().unwrap_or_default().to_owned();
    let start: jiff::Timestamp = crate::fixture::START.parse().expect("the start");
    let (status, first) = s.get("/api/v1/intel/region", As::Browser(&hub)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(read_at(&first), start.to_string());
    s.clock.advance(jiff::SignedDuration::from_secs(29));
    let (_, second) = s.get("/api/v1/intel/region", As::Browser(&hub)).await;
    assert_eq!(read_at(&second), start.to_string(), "29 s on the service's clock: the same snapshot");
    s.clock.advance(jiff::SignedDuration::from_secs(2));
    let (_, third) = s.get("/api/v1/intel/region", As::Browser(&hub)).await;
    let later = start.checked_add(jiff::SignedDuration::from_secs(31)).expect("in range");
    assert_eq!(read_at(&third), later.to_string(), "31 s on: read again, however little real time passed");
}
