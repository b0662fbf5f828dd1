//! A placement officer's week in Coventry, through the public API: six referrals as officers write
//! them, each asserting the top of the list and the sentences the officer reads.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::matching_form::{change, child_where, create, excluded, form, housed_child, list, officer, ranked, reason};
use hearth_domain::HomeId;
use hearth_domain::home::{HomeKind, Skill};
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("officers_week_monday_an_exploited_15_year_old_who_must_avoid_two_districts", |s| Box::pin(exploited(s))),
    ("officers_week_tuesday_a_wheelchair_user_of_12_with_autism", |s| Box::pin(wheelchair(s))),
    ("officers_week_wednesday_three_siblings_no_family_can_take_together", |s| Box::pin(siblings(s))),
    ("officers_week_thursday_school_continuity_across_the_council_border", |s| Box::pin(school_over_border(s))),
    ("officers_week_friday_a_17_year_old_stepping_down_from_residential", |s| Box::pin(step_down(s))),
    ("officers_week_saturday_a_child_with_no_known_postcode", |s| Box::pin(no_postcode(s))),
];

fn top(v: &Value) -> &Value {
    list(v).first().unwrap_or_else(|| panic!("nobody offered: {v}"))
}

async fn home_of(s: &Server, m: &Value) -> hearth_domain::home::Home {
    s.store.home(HomeId(m["home"].as_i64().expect("home"))).await.expect("home")
}

/// Criminally exploited in CV1 and CV2: never there or within two miles of them, only carers who
/// work with exploitation, the nearest such home first.
async fn exploited(s: &Server) {
    let officer = officer(s).await;
    let child = child_where(s, 15..=15, |c| c.home_postcode.is_some()).await;
    let details = json!({
        "avoid_districts": ["CV1", "CV2"], "avoid_radius_miles": 2, "must_meet_needs": ["cce"],
        "residential_suitability": "suitable_not_preferred", "supported_suitability": "unsuitable",
    });
    let id = create(s, &officer, form(&[child.id], &["cce", "missing"], None, details)).await;
    let body = ranked(s, &officer, id, 10).await;
    let first = top(&body);
    let home = home_of(s, first).await;
    assert!(!["CV1", "CV2"].contains(&home.district.as_str()), "{first}");
    assert!(home.skills.contains(Skill::Exploitation), "{first}");
    assert!(excluded(&body, "avoided_area") > 0, "{}", body["excluded"]);
    assert!(
        reason(first, "distance").expect("distance").ends_with("miles from the child's home.")
            || reason(first, "distance").expect("distance").contains("more than 20 miles")
    );
    for m in list(&body) {
        assert!(!["CV1", "CV2"].contains(&m["district"].as_str().unwrap_or("")), "{m}");
    }
}

/// A 12-year-old wheelchair user with autism. On Tuesday morning nothing in the region can take
/// her: the empty list is the answer, with what left each home out. A provider then opens a place in
/// its wheelchair-accessible home, and it tops the list with the sentences that say why.
async fn wheelchair(s: &Server) {
    let officer = officer(s).await;
    let child = child_where(s, 12..=12, |c| c.home_postcode.is_some()).await;
    let details = json!({ "wheelchair_user": true, "adaptation_needed": true, "supported_suitability": "unsuitable" });
    let id = create(s, &officer, form(&[child.id], &["physical_disability", "autism_adhd"], None, details)).await;
    let morning = ranked(s, &officer, id, 10).await;
    assert!(list(&morning).is_empty(), "{morning}");
    assert!(excluded(&morning, "needs") > 0, "the unmet need is counted: {}", morning["excluded"]);
    let blocked_by_vacancy = excluded(&morning, "no_vacancy");
    assert!(blocked_by_vacancy > 0, "accessible homes exist, none free: {}", morning["excluded"]);
    // A provider opens a place in an accessible home that takes a 12-year-old.
    let homes = s.store.homes().await.expect("homes");
    let mut opened = None;
    for h in homes.iter().filter(|h| {
        h.active
            && h.skills.contains(Skill::WheelchairAccess)
            && h.skills.contains(Skill::Disability)
            && h.ages.contains(12)
            && h.kind != HomeKind::ConnectedPerson
            && matches!(h.kind, HomeKind::ChildrensHome | HomeKind::FosterAgency | HomeKind::FosterInHouse)
            && h.judgement != Some(hearth_domain::home::Judgement::Inadequate)
            && h.sex == hearth_domain::home::SexAccepted::Any
            && (!h.kind.requires_ofsted_registration()
                || h.registration == hearth_domain::home::RegistrationStatus::Registered)
    }) {
        let role = if s.facts.logins.contains_key(&(Role::ProviderStaff, h.provider)) {
            Role::ProviderStaff
        } else if s.facts.logins.contains_key(&(Role::TeamManager, h.provider)) {
            Role::TeamManager
        } else {
            continue;
        };
        let staff = s.sign_in(s.facts.email(role, h.provider)).await;
        let body = json!({ "places": 1, "available_from": "2026-12-01", "age_min": h.ages.min, "age_max": h.ages.max });
        let (status, _) =
            s.call(Method::POST, &format!("/api/v1/homes/{}/vacancies", h.id), As::Browser(&staff), Some(body)).await;
        if status == StatusCode::CREATED {
            opened = Some(h.id);
            break;
        }
    }
    let opened = opened.expect("an accessible home with room for a vacancy");
    let afternoon = ranked(s, &officer, id, 10).await;
    let first = top(&afternoon);
    assert_eq!(first["home"].as_i64(), Some(opened.0), "{afternoon}");
    assert!(home_of(s, first).await.skills.contains(Skill::WheelchairAccess), "{first}");
    assert_eq!(reason(first, "adaptations"), Some("Wheelchair-accessible and approved for disabled children."));
    assert!(reason(first, "skills").expect("skills").contains("help with the child's needs"), "{first}");
}

/// Three brothers and sisters who must live together, foster care preferred: the list says that no
/// foster family nearby can take all three, and how near the nearest came.
async fn siblings(s: &Server) {
    let officer = officer(s).await;
    let all = s.store.children_of(331).await.expect("children");
    let on = jiff::civil::date(2026, 12, 20);
    let three: Vec<_> = all
        .iter()
        .filter(|c| c.ceased_on.is_none() && (6..=11).contains(&c.age_on(on)) && c.home_postcode.is_some())
        .take(3)
        .map(|c| c.id)
        .collect();
    let details = json!({ "foster_suitability": "preferred", "residential_suitability": "suitable_not_preferred",
        "supported_suitability": "unsuitable" });
    let id = create(s, &officer, form(&three, &[], None, details)).await;
    let body = ranked(s, &officer, id, 10).await;
    let notes: Vec<&str> = body["notes"].as_array().expect("notes").iter().filter_map(Value::as_str).collect();
    assert!(
        notes.iter().any(|n| n.starts_with("No foster family within 20 miles has 3 free places")),
        "{notes:?} {body}"
    );
    assert!(excluded(&body, "sibling_room") > 0);
    for m in list(&body) {
        let kind = HomeKind::parse(m["kind"].as_str().expect("kind")).expect("kind");
        let reason = reason(m, "siblings").expect("siblings sentence");
        assert!(reason.starts_with("Room for all 3 children together"), "{reason}");
        if kind.is_foster() {
            assert!(m["distance_miles"].as_f64().expect("miles") > 20.0, "a family nearby has room after all: {m}");
        }
    }
}

/// A child living in Coventry whose school is over the border in Warwickshire (Kenilworth, CV8),
/// where staying matters: the top home is near the school and says why it counts.
async fn school_over_border(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = json!({ "school_district": "CV8", "education_continuity_important": true,
        "residential_suitability": "unsuitable", "supported_suitability": "unsuitable" });
    let id = create(s, &officer, form(&[child.id], &[], None, details)).await;
    let body = ranked(s, &officer, id, 10).await;
    let first = top(&body);
    assert!(first["school_miles"].as_f64().expect("school miles") < 8.0, "{first}");
    let said = reason(first, "school").expect("school sentence");
    assert!(said.ends_with("miles from the child's school; staying at this school matters."), "{said}");
    // Without the continuity answer the school counts for half as much.
    change(
        s,
        &officer,
        id,
        json!({ "details": { "school_district": "CV8", "residential_suitability": "unsuitable",
        "supported_suitability": "unsuitable" } }),
    )
    .await;
    let plain = ranked(s, &officer, id, 10).await;
    let max = |v: &Value| list(v).iter().filter_map(|m| crate::matching_form::points(m, "school")).fold(0.0, f64::max);
    assert!(max(&body) > 1.5 * max(&plain), "{} vs {}", max(&body), max(&plain));
}

/// A 17-year-old stepping down from a children's home: residential ruled out, foster care
/// preferred, supported accommodation suitable. A family comes first and says why.
async fn step_down(s: &Server) {
    let officer = officer(s).await;
    let child = child_where(s, 17..=17, |c| c.home_postcode.is_some()).await;
    let details = json!({ "foster_suitability": "preferred", "residential_suitability": "unsuitable",
        "supported_suitability": "suitable_not_preferred" });
    let id = create(s, &officer, form(&[child.id], &[], None, details)).await;
    let body = ranked(s, &officer, id, 10).await;
    let first = top(&body);
    let kind = HomeKind::parse(first["kind"].as_str().expect("kind")).expect("kind");
    assert!(kind.is_foster(), "{first}");
    assert_eq!(reason(first, "placement_type"), Some("Foster care: the placement type the referral prefers."));
    for m in list(&body) {
        assert_ne!(m["kind"], "childrens_home", "{m}");
        if m["kind"].as_str().is_some_and(|k| k.starts_with("sa_")) {
            assert_eq!(
                reason(m, "placement_type"),
                Some("Supported accommodation (16 and 17): the referral prefers Foster care.")
            );
        }
    }
}

/// A child with no address on record: distances are measured from the referral's area, and every
/// sentence says so.
async fn no_postcode(s: &Server) {
    let officer = officer(s).await;
    let child = child_where(s, 5..=15, |c| c.home_postcode.is_none() && c.home_district.is_none()).await;
    let id = create(s, &officer, form(&[child.id], &["self_harm"], Some("CV5"), json!({}))).await;
    let body = ranked(s, &officer, id, 10).await;
    let first = top(&body);
    assert!(first["distance_miles"].as_f64().expect("miles") < 20.0, "{first}");
    for m in list(&body) {
        let said = reason(m, "distance").expect("distance");
        assert!(
            said.contains("from the centre of CV5, the referral's area (where the child lived is not known)"),
            "{said}"
        );
    }
    assert_eq!(reason(first, "preferred_area").map(|r| r.contains("CV5")), Some(true));
}
