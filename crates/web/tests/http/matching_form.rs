//! The engine hears the whole referral form: for each answer, changing it changes the ranking
//! (issue 15, items 2–6 and 8–11). Each test creates a referral through the API, reads its matches,
//! changes one answer and reads them again.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use hearth_domain::child::Child;
use hearth_domain::home::Skill;
use hearth_domain::org::Role;
use hearth_domain::{ChildId, HomeId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("form_answer_the_forms_school_wins_and_continuity_weighs_double", |s| Box::pin(school(s))),
    ("form_answer_areas_to_avoid_are_a_hard_rule_and_the_preferred_area_scores", |s| Box::pin(areas(s))),
    ("form_answer_wheelchair_use_and_named_adaptations_are_hard_rules", |s| Box::pin(access(s))),
    ("form_answer_a_preferred_placement_type_scores_and_residential_schools_can_be_asked_for", |s| {
        Box::pin(placement_type(s))
    }),
    ("form_answer_a_must_meet_need_is_a_hard_rule", |s| Box::pin(must_meet(s))),
    ("form_answer_with_no_home_postcode_distance_falls_back_to_the_referrals_area_and_says_so", |s| {
        Box::pin(unknown_postcode(s))
    }),
    ("form_answer_foster_carers_carry_their_fostering_services_judgement", |s| Box::pin(foster_judgement(s))),
    ("form_answer_sentences_say_what_was_measured_and_count_skills_in_words", |s| Box::pin(wording(s))),
    ("form_answer_a_same_day_referral_with_a_later_start_date_is_refused", |s| Box::pin(same_day_later(s))),
    ("form_answer_new_answers_are_checked_field_by_field", |s| Box::pin(new_answers_checked(s))),
];

pub async fn officer(s: &Server) -> Session {
    s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await
}

/// A planned referral for `children` needed on 20 December, with only the details given.
pub fn form(children: &[ChildId], needs: &[&str], preferred: Option<&str>, details: Value) -> Value {
    json!({
        "children": children.iter().map(|c| c.0).collect::<Vec<_>>(),
        "siblings_together": children.len() > 1,
        "urgency": "planned",
        "needed_from": "2026-12-20",
        "needs": needs,
        "preferred_district": preferred,
        "details": details,
    })
}

pub async fn create(s: &Server, who: &Session, body: Value) -> i64 {
    let (status, created) = s.call(Method::POST, "/api/v1/referrals", As::Browser(who), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("id")
}

pub async fn ranked(s: &Server, who: &Session, id: i64, limit: usize) -> Value {
    let (status, body) = s.get(&format!("/api/v1/referrals/{id}/matches?limit={limit}"), As::Browser(who)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Replaces the form's details (a form is sent whole).
pub async fn set_details(s: &Server, who: &Session, id: i64, details: Value) {
    let patch = json!({ "details": details });
    let (status, body) = s.call(Method::PATCH, &format!("/api/v1/referrals/{id}"), As::Browser(who), Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub async fn change(s: &Server, who: &Session, id: i64, patch: Value) {
    let (status, body) = s.call(Method::PATCH, &format!("/api/v1/referrals/{id}"), As::Browser(who), Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub fn list(v: &Value) -> &Vec<Value> {
    v["matches"].as_array().expect("matches")
}

pub fn points(m: &Value, factor: &str) -> Option<f64> {
    m["contributions"].as_array()?.iter().find(|c| c["factor"] == factor).and_then(|c| c["points"].as_f64())
}

/// The sentence a home was given for `factor`.
pub fn reason<'a>(m: &'a Value, factor: &str) -> Option<&'a str> {
    let i = m["contributions"].as_array()?.iter().position(|c| c["factor"] == factor)?;
    m["reasons"][i].as_str()
}

pub fn excluded(v: &Value, rule: &str) -> u64 {
    v["excluded"][rule].as_u64().unwrap_or(0)
}

fn home_id(m: &Value) -> i64 {
    m["home"].as_i64().expect("home")
}

/// A Coventry child looked after, aged `ages` on 20 December, picked by `keep`.
pub async fn child_where(s: &Server, ages: std::ops::RangeInclusive<i16>, keep: impl Fn(&Child) -> bool) -> Child {
    let on = jiff::civil::date(2026, 12, 20);
    s.store
        .children_of(331)
        .await
        .expect("children")
        .into_iter()
        .find(|c| c.ceased_on.is_none() && ages.contains(&c.age_on(on)) && keep(c))
        .expect("a Coventry child of that description")
}

/// A child of 10 to 14 whose home postcode is known, in Coventry.
pub async fn housed_child(s: &Server) -> Child {
    child_where(s, 10..=14, |c| {
        c.home_postcode.is_some() && c.home_district.as_ref().is_some_and(|d| d.as_str().starts_with("CV"))
    })
    .await
}

async fn school(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let far = json!({ "school_district": "WV1", "residential_suitability": "unsuitable" });
    let id = create(s, &officer, form(&[child.id], &["self_harm"], None, far)).await;
    let at_wolverhampton = ranked(s, &officer, id, 50).await;
    let top = &list(&at_wolverhampton)[0];
    assert!(top["school_miles"].as_f64().expect("school miles") > 15.0, "the form's school in WV1: {top}");
    set_details(s, &officer, id, json!({ "school_district": "CV3", "residential_suitability": "unsuitable" })).await;
    let at_coventry = ranked(s, &officer, id, 50).await;
    let top = &list(&at_coventry)[0];
    assert!(top["school_miles"].as_f64().expect("school miles") < 10.0, "the form's school in CV3: {top}");
    assert!(!reason(top, "school").expect("school sentence").contains("matters"));
    // Staying at the school matters: the same home's school points double, and the sentence says why.
    set_details(
        s,
        &officer,
        id,
        json!({ "school_district": "CV3", "residential_suitability": "unsuitable", "education_continuity_important": true }),
    )
    .await;
    let mattering = ranked(s, &officer, id, 50).await;
    let same = list(&mattering).iter().find(|m| home_id(m) == home_id(top)).expect("the same home still listed");
    let (before, after) = (points(top, "school").expect("points"), points(same, "school").expect("points"));
    assert!((after - 2.0 * before).abs() < 0.01, "continuity doubles the school's weight: {before} → {after}");
    assert!(reason(same, "school").expect("sentence").contains("staying at this school matters"));
    // No school known anywhere: no school sentence, not a made-up one.
    let infant = child_where(s, 0..=2, |c| c.school_district.is_none()).await;
    let id = create(s, &officer, form(&[infant.id], &[], None, json!({}))).await;
    let none = ranked(s, &officer, id, 20).await;
    assert!(list(&none).iter().all(|m| points(m, "school").is_none()), "{none}");
}

async fn areas(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = json!({ "residential_suitability": "suitable_not_preferred" });
    let id = create(s, &officer, form(&[child.id], &["cce", "missing"], None, details.clone())).await;
    let before = ranked(s, &officer, id, 200).await;
    let in_cv1_cv2 =
        |v: &Value| list(v).iter().filter(|m| ["CV1", "CV2"].contains(&m["district"].as_str().unwrap_or(""))).count();
    assert!(in_cv1_cv2(&before) > 0, "homes in CV1 and CV2 are offered until the form says otherwise");
    let mut avoid = details.clone();
    avoid["avoid_districts"] = json!(["cv1", "CV2"]);
    set_details(s, &officer, id, avoid.clone()).await;
    let avoiding = ranked(s, &officer, id, 200).await;
    assert_eq!(in_cv1_cv2(&avoiding), 0, "never in a district the child must avoid");
    let left_out = excluded(&avoiding, "avoided_area");
    assert!(left_out > 0, "counted under its own rule: {}", avoiding["excluded"]);
    avoid["avoid_radius_miles"] = json!(1);
    set_details(s, &officer, id, avoid).await;
    let wider = ranked(s, &officer, id, 200).await;
    assert!(excluded(&wider, "avoided_area") > left_out, "a radius leaves out homes near the districts too");
    // The preferred area is a weighted factor with its sentence.
    assert!(list(&wider).iter().all(|m| points(m, "preferred_area").is_none()));
    change(s, &officer, id, json!({ "preferred_district": "CV6" })).await;
    let preferring = ranked(s, &officer, id, 200).await;
    let in_cv6 = list(&preferring).iter().find(|m| m["district"] == "CV6").expect("a home in CV6");
    assert_eq!(reason(in_cv6, "preferred_area"), Some("In CV6, the preferred area."));
    assert!(points(in_cv6, "preferred_area").expect("points") > 7.9);
    let elsewhere = list(&preferring).iter().find(|m| m["district"] != "CV6").expect("a home elsewhere");
    assert!(reason(elsewhere, "preferred_area").expect("sentence").contains("miles from the centre of CV6"));
    // The preferred district cannot be one the child must avoid.
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/referrals/{id}"),
            As::Browser(&officer),
            Some(json!({ "preferred_district": "CV2" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(crate::referrals::fields(&body), ["preferred_district"]);
}

async fn skills_of(s: &Server, m: &Value) -> hearth_domain::home::Skills {
    s.store.home(HomeId(home_id(m))).await.expect("home").skills
}

async fn access(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = json!({ "adaptation_needed": true });
    let id = create(s, &officer, form(&[child.id], &["physical_disability"], None, details)).await;
    let before = ranked(s, &officer, id, 200).await;
    let mut inaccessible = 0;
    for m in list(&before) {
        inaccessible += usize::from(!skills_of(s, m).await.contains(Skill::WheelchairAccess));
    }
    assert!(inaccessible > 0, "until the form says the child uses a wheelchair, access is only scored");
    set_details(s, &officer, id, json!({ "adaptation_needed": true, "wheelchair_user": true })).await;
    let wheelchair = ranked(s, &officer, id, 200).await;
    for m in list(&wheelchair) {
        assert!(skills_of(s, m).await.contains(Skill::WheelchairAccess), "not wheelchair-accessible: {m}");
    }
    assert!(excluded(&wheelchair, "needs") > excluded(&before, "needs"));
    // A named adaptation (from the home profile's list) is a hard rule too.
    set_details(s, &officer, id, json!({ "adaptations": ["sibling_groups"] })).await;
    let named = ranked(s, &officer, id, 200).await;
    assert!(!list(&named).is_empty());
    for m in list(&named) {
        assert!(skills_of(s, m).await.contains(Skill::SiblingGroups), "{m}");
    }
}

async fn placement_type(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = |foster: &str, residential: &str| json!({ "foster_suitability": foster, "residential_suitability": residential, "supported_suitability": "unsuitable" });
    let id =
        create(s, &officer, form(&[child.id], &["self_harm"], None, details("not_specified", "not_specified"))).await;
    let kind_points = |v: &Value, foster: bool| -> Vec<f64> {
        list(v)
            .iter()
            .filter(|m| m["kind"].as_str().unwrap_or("").starts_with("foster") == foster)
            .filter_map(|m| points(m, "placement_type"))
            .collect()
    };
    // Nothing preferred: a family home comes first (half the weight), a children's home scores nothing.
    let neutral = ranked(s, &officer, id, 200).await;
    assert!(kind_points(&neutral, true).iter().all(|p| (p - 5.0).abs() < 0.01), "{:?}", kind_points(&neutral, true));
    assert!(kind_points(&neutral, false).iter().all(|p| p.abs() < 0.01));
    let family =
        list(&neutral).iter().find(|m| m["kind"].as_str().is_some_and(|k| k.starts_with("foster"))).expect("a family");
    assert!(reason(family, "placement_type").expect("sentence").contains("a family setting comes first"));
    // Foster care preferred counts fully.
    set_details(s, &officer, id, details("preferred", "suitable_not_preferred")).await;
    let foster = ranked(s, &officer, id, 200).await;
    assert!(kind_points(&foster, true).iter().all(|p| (p - 10.0).abs() < 0.01));
    // Residential preferred turns it round.
    set_details(s, &officer, id, details("suitable_not_preferred", "preferred")).await;
    let residential = ranked(s, &officer, id, 200).await;
    assert!(kind_points(&residential, true).iter().all(|p| p.abs() < 0.01));
    assert!(kind_points(&residential, false).iter().all(|p| (p - 10.0).abs() < 0.01));
    let home = list(&residential).iter().find(|m| m["kind"] == "childrens_home").expect("a children's home");
    assert_eq!(reason(home, "placement_type"), Some("Children's home: the placement type the referral prefers."));
    // Residential special schools only when asked for.
    let schools_left_out = excluded(&residential, "placement_type");
    let mut asked = details("suitable_not_preferred", "preferred");
    asked["residential_special_school"] = json!(true);
    asked["ehcp"] = json!(true);
    set_details(s, &officer, id, asked).await;
    let with_schools = ranked(s, &officer, id, 200).await;
    assert!(excluded(&with_schools, "placement_type") < schools_left_out, "residential special schools are considered");
    // Asking for a school with residential care ruled out makes no sense.
    let mut contradiction = details("preferred", "unsuitable");
    contradiction["residential_special_school"] = json!(true);
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/referrals/{id}"),
            As::Browser(&officer),
            Some(json!({ "details": contradiction })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(crate::referrals::fields(&body), ["details.residential_special_school"]);
}

async fn must_meet(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let id = create(s, &officer, form(&[child.id], &["self_harm", "cse"], None, json!({}))).await;
    let scored = ranked(s, &officer, id, 200).await;
    let mut lacking = 0;
    for m in list(&scored) {
        lacking += usize::from(!skills_of(s, m).await.contains(Skill::Exploitation));
    }
    assert!(lacking > 0, "a need that only scores lets in homes without the skill");
    set_details(s, &officer, id, json!({ "must_meet_needs": ["cse"] })).await;
    let must = ranked(s, &officer, id, 200).await;
    assert!(!list(&must).is_empty());
    for m in list(&must) {
        assert!(skills_of(s, m).await.contains(Skill::Exploitation), "{m}");
    }
    assert!(excluded(&must, "needs") > excluded(&scored, "needs"));
    // Only a need the referral names can be one the home must meet.
    let (status, body) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/referrals/{id}"),
            As::Browser(&officer),
            Some(json!({ "details": { "must_meet_needs": ["autism_adhd"] } })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(crate::referrals::fields(&body), ["details.must_meet_needs"]);
}

async fn unknown_postcode(s: &Server) {
    let officer = officer(s).await;
    let child = child_where(s, 5..=15, |c| c.home_postcode.is_none() && c.home_district.is_none()).await;
    let id = create(s, &officer, form(&[child.id], &["self_harm"], None, json!({}))).await;
    let unknown = ranked(s, &officer, id, 10).await;
    assert_eq!(unknown["distance_from"], Value::Null);
    let first = &list(&unknown)[0];
    assert!(reason(first, "distance").is_none(), "no distance is scored when nothing is known");
    change(s, &officer, id, json!({ "preferred_district": "CV6" })).await;
    let fallback = ranked(s, &officer, id, 10).await;
    assert_eq!(
        fallback["distance_from"], "the centre of CV6, the referral's area (where the child lived is not known)",
        "{fallback}"
    );
    let first = &list(&fallback)[0];
    assert!(first["distance_miles"].as_f64().expect("miles") < 999.0, "{first}");
    assert!(reason(first, "distance").expect("sentence").contains("from the centre of CV6, the referral's area"));
}

async fn foster_judgement(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = json!({ "residential_suitability": "suitable_not_preferred" });
    let id = create(s, &officer, form(&[child.id], &["self_harm"], None, details)).await;
    let body = ranked(s, &officer, id, 200).await;
    let agency = list(&body)
        .iter()
        .find(|m| m["kind"] == "foster_agency" && points(m, "judgement").is_some_and(|p| p > 0.0))
        .unwrap_or_else(|| panic!("an agency foster home scored for its agency's judgement: {body}"));
    assert!(
        reason(agency, "judgement")
            .expect("sentence")
            .starts_with("Foster carers are inspected through their fostering service, which Ofsted judged"),
        "{agency}"
    );
}

async fn wording(s: &Server) {
    let officer = officer(s).await;
    let (status, near) =
        s.get("/api/v1/search?age=15&sex=M&near=CV2&limit=20&explain=all", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{near}");
    assert_eq!(near["distance_from"], "the centre of CV2");
    for m in list(&near) {
        let said = reason(m, "distance").expect("distance sentence");
        assert!(said.contains("from the centre of CV2") && !said.contains("child's home"), "{said}");
    }
    let child = housed_child(s).await;
    let id = create(s, &officer, form(&[child.id], &["cce"], None, json!({}))).await;
    let body = ranked(s, &officer, id, 50).await;
    for m in list(&body) {
        for r in m["reasons"].as_array().expect("reasons") {
            let r = r.as_str().expect("sentence");
            assert!(!r.contains(" all 1 ") && !r.contains("call for"), "{r}");
        }
    }
    let skills = reason(&list(&body)[0], "skills").expect("skills sentence");
    assert!(skills.contains("help"), "{skills}");
}

async fn same_day_later(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let mut body = form(&[child.id], &[], None, json!({}));
    body["urgency"] = json!("same_day");
    body["needed_from"] = json!("2026-12-09");
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(crate::referrals::fields(&answer), ["urgency"]);
    assert!(answer["error"]["fields"][0]["message"].as_str().expect("message").contains("2026-12-09"));
    // Today is a same-day referral's day; a planned referral later keeps its date, and cannot be
    // changed to same day without moving the date to today.
    body["needed_from"] = json!("2026-11-25");
    create(s, &officer, body.clone()).await;
    body["urgency"] = json!("planned");
    body["needed_from"] = json!("2026-12-09");
    let id = create(s, &officer, body).await;
    let path = format!("/api/v1/referrals/{id}");
    let (status, answer) =
        s.call(Method::PATCH, &path, As::Browser(&officer), Some(json!({ "urgency": "same_day" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    change(s, &officer, id, json!({ "urgency": "same_day", "needed_from": "2026-11-25" })).await;
}

async fn new_answers_checked(s: &Server) {
    let officer = officer(s).await;
    let child = housed_child(s).await;
    let details = json!({
        "avoid_districts": ["CV1", "not a district"],
        "avoid_radius_miles": 500,
        "adaptations": ["lift"],
        "must_meet_needs": ["dragons"],
    });
    let (status, body) = s
        .call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(form(&[child.id], &[], None, details)))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = crate::referrals::fields(&body);
    for f in ["details.avoid_districts", "details.avoid_radius_miles", "details.adaptations", "details.must_meet_needs"]
    {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
    // Stored and read back as sent.
    let details = json!({ "avoid_districts": ["cv1"], "avoid_radius_miles": 2, "wheelchair_user": true,
        "adaptations": ["wheelchair_access"], "must_meet_needs": ["cse"], "residential_special_school": true });
    let id = create(s, &officer, form(&[child.id], &["cse"], None, details)).await;
    let (status, full) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{full}");
    let d = &full["details"];
    assert_eq!(d["avoid_districts"], json!(["CV1"]), "{full}");
    assert_eq!(d["avoid_radius_miles"], 2);
    assert_eq!(d["wheelchair_user"], true);
    assert_eq!(d["adaptations"], json!(["wheelchair_access"]));
    assert_eq!(d["must_meet_needs"], json!(["cse"]));
    assert_eq!(d["residential_special_school"], true);
}
