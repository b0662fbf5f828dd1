//! The new-referral form in the pages (issue 17, item 3) and the GOV.UK date inputs on every page
//! (item 5), as a browser without JavaScript posts them. For each question: what the officer
//! answers is what the stored referral holds, and what the matches hear.

use crate::TestFn;
use crate::fixture::Server;
use crate::matching_form::{excluded, housed_child, list, officer, ranked};
use crate::pages::{get, location, post, signed_in};
use hearth_domain::ReferralId;
use hearth_domain::home::Skill;
use hearth_domain::org::Role;
use hearth_domain::referral_form::ReferralDetails;
use reqwest::StatusCode;
use serde_json::Value;

pub const TESTS: &[(&str, TestFn)] = &[
    ("referral_form_walks_every_page_and_skips_those_that_do_not_apply", |s| Box::pin(walk(s))),
    ("referral_form_every_answer_reaches_the_stored_referral", |s| Box::pin(every_answer(s))),
    ("referral_form_answers_change_the_matches", |s| Box::pin(answers_change_matches(s))),
    ("referral_form_bad_answers_come_back_on_their_page_kept", |s| Box::pin(bad_answers(s))),
    ("dates_offer_start_takes_day_month_year_and_refuses_in_words", |s| Box::pin(offer_start(s))),
    ("dates_vacancy_available_from_takes_day_month_year_and_refuses_in_words", |s| Box::pin(vacancy_from(s))),
    ("dates_placement_end_and_move_take_day_month_year_and_refuse_in_words", |s| Box::pin(placement_dates(s))),
    ("dates_contract_starts_and_ends_take_day_month_year_and_refuse_in_words", |s| Box::pin(contract_dates(s))),
    ("dates_intelligence_and_audit_take_day_month_year_and_refuse_in_words", |s| Box::pin(search_dates(s))),
];

const PATH: &str = "/referrals/new";

/// Form fields as posted: (name, value) pairs.
type Answers<'a> = &'a [(&'a str, &'a str)];
/// A page: its step, the answers it adds, and the heading of the page that follows.
type Page<'a> = (&'a str, Answers<'a>, &'a str);

/// The page's h1 or the legend/label heading it.
fn heading(html: &str) -> &str {
    let at = html.find("<h1").unwrap_or_else(|| panic!("no h1: {html}"));
    let rest = &html[at..];
    let text = rest.split("</h1>").next().unwrap_or_default();
    let inner = text.rsplit('>').next().unwrap_or_default();
    if inner.trim().is_empty() {
        // The h1 wraps a label or legend: its text is the next tag's content.
        text.split('>').filter(|t| !t.trim().is_empty() && !t.trim_start().starts_with('<')).nth(1).unwrap_or("")
    } else {
        inner
    }
}

/// A same-day referral for `reference`, with `more` answers, as the check page posts it.
fn answers<'a>(csrf: &'a str, reference: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("csrf_token", csrf), ("child", reference), ("urgency", "same_day")];
    f.extend_from_slice(more);
    f.push(("step", "check"));
    f
}

/// A referral planned for 20 December (every home's vacancies are open by then), with `more` answers.
fn planned<'a>(csrf: &'a str, reference: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("csrf_token", csrf),
        ("child", reference),
        ("urgency", "planned"),
        ("needed_from-day", "20"),
        ("needed_from-month", "12"),
        ("needed_from-year", "2026"),
    ];
    f.extend_from_slice(more);
    f.push(("step", "check"));
    f
}

async fn create(s: &Server, cookie: &str, form: &[(&str, &str)]) -> i64 {
    // These tests make several referrals for one child: each confirms it means another (the
    // asking itself is `pages_second_referral_*`).
    let mut form = form.to_vec();
    form.insert(form.len() - 1, ("second", "yes"));
    let (status, headers, html) = post(s, PATH, Some(cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers);
    to.trim_start_matches("/referrals/").split('?').next().and_then(|id| id.parse().ok()).expect("id")
}

async fn stored(s: &Server, id: i64) -> ReferralDetails {
    s.store.referral_details(ReferralId(id)).await.expect("details")
}

async fn api_referral(s: &Server, id: i64) -> Value {
    let officer = officer(s).await;
    let (status, body) = s.get(&format!("/api/v1/referrals/{id}"), crate::fixture::As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn walk(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let child = housed_child(s).await;
    let sibling = crate::matching_form::child_where(s, 5..=15, |c| c.id != child.id).await;
    let mut form: Vec<(String, String)> = vec![("csrf_token".into(), csrf.clone())];
    // Each page: the answers so far plus this page's, and the page that comes next.
    let steps: &[Page] = &[
        ("child", &[("child", child.reference.as_str())], "Are brothers or sisters to be placed at the same time?"),
        ("siblings", &[("siblings", sibling.reference.as_str())], "Must the brothers and sisters live together?"),
        ("together", &[("together", "yes")], "How soon does the child need a home?"),
        ("urgency", &[("urgency", "planned")], "From what date is the home needed?"),
        (
            "needed_from",
            &[("needed_from-day", "31"), ("needed_from-month", "12"), ("needed_from-year", "2026")],
            "What kind of home would suit the child?",
        ),
        ("placement_type", &[("foster_suitability", "preferred")], "What are the child&#39;s needs and risks?"),
        ("needs", &[("needs", "cse")], "Which needs must the home be able to meet?"),
        ("must_meet", &[("must_meet_needs", "cse")], "What other risks should the home know about?"),
    ];
    for (step, more, next) in steps {
        let mut f = form.clone();
        f.extend(more.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        f.push(("step".into(), (*step).to_owned()));
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, _, html) = post(s, PATH, Some(&cookie), &pairs).await;
        assert_eq!(status, StatusCode::OK, "{step}: {html}");
        assert!(html.contains(next), "after {step}, expected {next}: {}", heading(&html));
        // The answers given so far travel as hidden fields.
        for (k, v) in more.iter() {
            assert!(html.contains(&format!(r#"name="{k}" value="{v}""#)), "{k} carried: {html}");
        }
        form.extend(more.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    }
    // Same day, one child and no needs: the date, "live together" and "must meet" are skipped.
    let skip: &[Page] = &[
        ("child", &[("child", child.reference.as_str())], "Are brothers or sisters"),
        ("siblings", &[], "How soon does the child need a home?"),
        ("urgency", &[("urgency", "same_day")], "What kind of home would suit the child?"),
        ("needs", &[], "What other risks should the home know about?"),
    ];
    for (step, more, next) in skip {
        let mut f: Vec<(&str, &str)> = vec![("csrf_token", &csrf), ("child", child.reference.as_str())];
        f.extend_from_slice(more);
        f.push(("step", step));
        let (_, _, html) = post(s, PATH, Some(&cookie), &f).await;
        assert!(html.contains(next), "after {step}, expected {next}: {}", heading(&html));
    }
    // The last page leads to "Check your answers", which confirms the children by reference, sex
    // and age, with a Change button for each page that applied.
    let mut f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    f.push(("step", "strengths"));
    let (status, _, html) = post(s, PATH, Some(&cookie), &f).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Check your answers"), "{html}");
    let today = jiff::civil::date(2026, 11, 25);
    for c in [&child, &sibling] {
        let sex = c.sex.label().to_lowercase();
        let line = format!("{}: {sex}, {}", c.reference.as_str(), c.age_on(today));
        let alt = format!("{}: {sex}, {}", c.reference.as_str(), c.age_on(jiff::civil::date(2026, 11, 26)));
        assert!(html.contains(&line) || html.contains(&alt), "{line}: {html}");
    }
    assert!(html.contains("31 December 2026"), "{html}");
    for step in ["child", "siblings", "together", "needed_from", "placement_type", "must_meet", "strengths"] {
        assert!(html.contains(&format!(r#"id="change-{step}""#)), "a Change button for {step}: {html}");
    }
    // Change goes back to that page with the answer in it.
    f.retain(|(k, _)| *k != "step");
    f.push(("change", "placement_type"));
    f.push(("from", "check"));
    let (_, _, html) = post(s, PATH, Some(&cookie), &f).await;
    assert!(html.contains(r#"value="preferred" checked"#) && html.contains(r#"name="return" value="check""#), "{html}");
}

/// For each question: a referral with the answer and one without differ in what is stored.
async fn every_answer(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let child = housed_child(s).await;
    let reference = child.reference.as_str();
    let base = create(s, &cookie, &answers(&csrf, reference, &[])).await;
    let (base_details, base_referral) = (stored(s, base).await, api_referral(s, base).await);
    type Check = fn(&ReferralDetails, &Value) -> bool;
    let cases: &[(&str, Answers, Check)] = &[
        ("foster care preferred", &[("foster_suitability", "preferred")], |d, _| {
            d.foster_suitability.code() == "preferred"
        }),
        ("residential unsuitable", &[("residential_suitability", "unsuitable")], |d, _| {
            d.residential_suitability.code() == "unsuitable"
        }),
        ("supported suitable", &[("supported_suitability", "suitable_not_preferred")], |d, _| {
            d.supported_suitability.code() == "suitable_not_preferred"
        }),
        ("special schools", &[("residential_special_school", "yes")], |d, _| d.residential_special_school),
        ("needs", &[("needs", "cse"), ("needs_text", "Goes missing at night")], |d, r| {
            d.needs_text == "Goes missing at night" && r["needs"].to_string().contains("cse")
        }),
        ("must meet", &[("needs", "cse"), ("must_meet_needs", "cse")], |d, _| {
            d.must_meet_needs.iter().any(|n| n.code() == "cse")
        }),
        (
            "risks",
            &[
                ("extra_risks", "fire_setting"),
                ("risks_text", "Matches"),
                ("other_risk_to_child", "An adult"),
                ("other_risk_to_others", "Younger children"),
            ],
            |d, _| {
                d.extra_risks.iter().any(|r| r.code() == "fire_setting")
                    && d.risks_text == "Matches"
                    && d.other_risk_to_child == "An adult"
                    && d.other_risk_to_others == "Younger children"
            },
        ),
        ("health", &[("health", "Asthma")], |d, _| d.health == "Asthma"),
        ("wheelchair", &[("wheelchair_user", "yes")], |d, _| d.wheelchair_user),
        ("adaptations", &[("adaptation_needed", "yes"), ("adaptations", "disability")], |d, _| {
            d.adaptation_needed && d.adaptations.contains(&Skill::Disability)
        }),
        (
            "school",
            &[
                ("school_district", "cv3"),
                ("education_continuity_important", "yes"),
                ("ehcp", "yes"),
                ("education_notes", "Year 9"),
            ],
            |d, _| {
                d.education.school_district.as_ref().is_some_and(|s| s.as_str() == "CV3")
                    && d.education.continuity_important
                    && d.education.ehcp
                    && d.education.notes == "Year 9"
            },
        ),
        ("area", &[("preferred_district", "CV6"), ("location_preference", "Near her gran")], |d, r| {
            d.location_preference == "Near her gran" && r["preferred_district"] == "CV6"
        }),
        ("avoid", &[("avoid_districts", "cv1, CV2"), ("avoid_radius_miles", "2")], |d, _| {
            d.avoid_districts.iter().map(|a| a.as_str()).collect::<Vec<_>>() == ["CV1", "CV2"]
                && d.avoid_radius_miles == Some(2)
        }),
        ("price", &[("max_weekly_price", "£4,500")], |d, _| d.max_weekly_price.is_some_and(|p| p.pounds() == 4500)),
        ("living", &[("cared_for_alongside", "solo"), ("pets", "no")], |d, _| {
            d.cared_for_alongside.code() == "solo" && d.pets.code() == "no"
        }),
        (
            "communication",
            &[
                ("communication_needs", "yes"),
                ("language_support", "bsl"),
                ("cultural_needs", "required"),
                ("cultural_needs_detail", "Mosque"),
            ],
            |d, _| {
                d.communication_needs.code() == "yes"
                    && d.language_support.iter().any(|l| l.code() == "bsl")
                    && d.cultural_needs.code() == "required"
                    && d.cultural_needs_detail == "Mosque"
            },
        ),
        (
            "support",
            &[
                ("additional_support", "other"),
                ("additional_support_other", "A mentor"),
                ("secure_order", "yes"),
                ("deprivation_of_liberty", "yes"),
                ("inadequate_allowed_reason", "Only home near school"),
            ],
            |d, _| {
                d.additional_support.is_some_and(|a| a.code() == "other")
                    && d.additional_support_other == "A mentor"
                    && d.secure_order
                    && d.deprivation_of_liberty == Some(true)
                    && d.inadequate_allowed_reason.as_deref() == Some("Only home near school")
            },
        ),
        ("wishes", &[("wishes", "To stay in Coventry")], |d, _| d.wishes == "To stay in Coventry"),
        ("strengths", &[("strengths", "Kind")], |d, _| d.strengths == "Kind"),
    ];
    for (what, more, check) in cases {
        assert!(!check(&base_details, &base_referral), "{what}: the base referral already has it");
        let id = create(s, &cookie, &answers(&csrf, reference, more)).await;
        let (d, r) = (stored(s, id).await, api_referral(s, id).await);
        assert!(check(&d, &r), "{what}: not stored as answered: {d:?} {r}");
    }
    // Brothers and sisters, together: both children on one referral that keeps them together.
    let sibling = crate::matching_form::child_where(s, 5..=15, |c| c.id != child.id).await;
    let more = [("siblings", sibling.reference.as_str()), ("together", "yes")];
    let id = create(s, &cookie, &answers(&csrf, reference, &more)).await;
    let r = api_referral(s, id).await;
    assert_eq!(r["siblings_together"], true, "{r}");
    assert!(r.to_string().contains(&sibling.id.0.to_string()), "{r}");
    assert_eq!(base_referral["siblings_together"], false);
    // Planned, with its date typed as 31/12/2026 in one box.
    let more = [("urgency", "planned"), ("needed_from-day", "31/12/2026")];
    let mut f = answers(&csrf, reference, &[]);
    f.retain(|(k, _)| *k != "urgency");
    f.splice(0..0, more);
    let id = create(s, &cookie, &f).await;
    let r = api_referral(s, id).await;
    assert_eq!((r["urgency"].as_str(), r["needed_from"].as_str()), (Some("planned"), Some("2026-12-31")), "{r}");
}

async fn answers_change_matches(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let api = officer(s).await;
    let child = housed_child(s).await;
    let reference = child.reference.as_str();
    let base = [("needs", "cce"), ("residential_suitability", "suitable_not_preferred")];
    let plain = create(s, &cookie, &planned(&csrf, reference, &base)).await;
    let before = ranked(s, &api, plain, 200).await;
    let in_avoided =
        |v: &Value| list(v).iter().filter(|m| ["CV1", "CV2"].contains(&m["district"].as_str().unwrap_or(""))).count();
    assert!(in_avoided(&before) > 0, "homes in CV1 and CV2 are offered until the form says otherwise");
    // Areas to avoid: no home in them, counted under their rule.
    let avoid = [base[0], base[1], ("avoid_districts", "CV1, CV2")];
    let id = create(s, &cookie, &planned(&csrf, reference, &avoid)).await;
    let avoiding = ranked(s, &api, id, 200).await;
    assert_eq!(in_avoided(&avoiding), 0);
    assert!(excluded(&avoiding, "avoided_area") > 0, "{}", avoiding["excluded"]);
    // Wheelchair use: every home offered is wheelchair-accessible.
    let wheel = [base[0], base[1], ("wheelchair_user", "yes")];
    let id = create(s, &cookie, &planned(&csrf, reference, &wheel)).await;
    let wheelchair = ranked(s, &api, id, 200).await;
    assert!(excluded(&wheelchair, "needs") > excluded(&before, "needs"));
    for m in list(&wheelchair) {
        let home = s.store.home(hearth_domain::HomeId(m["home"].as_i64().expect("home"))).await.expect("home");
        assert!(home.skills.contains(Skill::WheelchairAccess), "not accessible: {m}");
    }
    // The school district: distance to school is measured from the school the officer names.
    let far = [base[0], base[1], ("school_district", "WV1")];
    let near = [base[0], base[1], ("school_district", "CV3")];
    let (far, near) = (
        create(s, &cookie, &planned(&csrf, reference, &far)).await,
        create(s, &cookie, &planned(&csrf, reference, &near)).await,
    );
    let miles = |v: &Value| list(v)[0]["school_miles"].as_f64().expect("school miles");
    let (far, near) = (ranked(s, &api, far, 50).await, ranked(s, &api, near, 50).await);
    assert!(miles(&far) > 15.0 && miles(&near) < 10.0, "{} {}", miles(&far), miles(&near));
    // Brothers and sisters who must live together: only homes with a place for both.
    let sibling = crate::matching_form::child_where(s, 5..=15, |c| c.id != child.id).await;
    let both = [base[0], base[1], ("siblings", sibling.reference.as_str()), ("together", "yes")];
    let id = create(s, &cookie, &planned(&csrf, reference, &both)).await;
    let together = ranked(s, &api, id, 200).await;
    assert!(list(&together).len() < list(&before).len(), "fewer homes have two places");
}

async fn bad_answers(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let child = housed_child(s).await;
    let reference = child.reference.as_str();
    let cases: &[(&str, Answers, &str, &str)] = &[
        ("price", &[("max_weekly_price", "lots")], "max_weekly_price", r#"value="lots""#),
        ("avoid", &[("avoid_districts", "CV1"), ("avoid_radius_miles", "99")], "avoid_radius_miles", r#"value="99""#),
        ("avoid", &[("avoid_radius_miles", "3")], "avoid_radius_miles", r#"value="3""#),
        ("school", &[("school_district", "Nowhere!")], "school_district", r#"value="Nowhere!""#),
        ("support", &[("additional_support", "other")], "additional_support_other", r#"value="other" checked"#),
        ("siblings", &[("siblings", reference)], "siblings", "is the child the referral is for"),
        ("siblings", &[("siblings", "NOSUCH9")], "siblings", "No child looked after by your council"),
        ("together", &[("siblings", "X")], "together", "Choose whether"),
        (
            "needed_from",
            &[("needed_from-day", "31"), ("needed_from-month", "2"), ("needed_from-year", "2027")],
            "needed_from",
            "The date the home is needed from must be a real date",
        ),
        (
            "needed_from",
            &[("needed_from-day", "31"), ("needed_from-month", "12")],
            "needed_from",
            "must include a year",
        ),
    ];
    for (step, more, field, kept) in cases {
        let mut f = vec![("csrf_token", csrf.as_str()), ("child", reference), ("urgency", "planned")];
        f.extend_from_slice(more);
        f.push(("step", step));
        let (status, _, html) = post(s, PATH, Some(&cookie), &f).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{step}: {html}");
        assert!(html.contains(&format!(r##"<a href="#{field}">"##)), "{step}: no link to #{field}: {html}");
        assert!(html.contains(kept), "{step}: {kept} not on the page: {html}");
        // The answers from other pages are still carried.
        assert!(html.contains(&format!(r#"name="child" value="{reference}""#)), "{html}");
    }
    // A bad answer found only when creating (a same-day referral with a later date cannot happen
    // here: the date is not asked) comes back on the check page, linked to the row to change.
    let f = answers(&csrf, reference, &[("preferred_district", "CV2"), ("avoid_districts", "CV2")]);
    let (status, _, html) = post(s, PATH, Some(&cookie), &f).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r##"<a href="#change-area">"##) && html.contains("Check your answers"), "{html}");
}

/// The parts a date input `name` is filled with on a page, as "d/m/y".
fn parts(html: &str, name: &str) -> String {
    let part = |p: &str| {
        html.split(&format!(r#"name="{name}-{p}" type="text" inputmode="numeric" value=""#))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("no {name}-{p}: {html}"))
            .to_owned()
    };
    format!("{}/{}/{}", part("day"), part("month"), part("year"))
}

async fn offer_start(s: &Server) {
    let api_officer = officer(s).await;
    let id = crate::marketplace::same_day_referral(s, &api_officer).await;
    crate::marketplace::send(s, &api_officer, id, serde_json::json!({ "mode": "all_fitting" })).await;
    let m = ranked(s, &api_officer, id, 1).await;
    let home = list(&m)[0]["home"].as_i64().expect("a matching home");
    let provider = s.store.home(hearth_domain::HomeId(home)).await.expect("home").provider;
    let email = crate::marketplace::responder_email(s, provider.0);
    let (cookie, _) = crate::pages::form_sign_in(s, &email, "/").await;
    let (_, _, sessions) = get(s, "/sessions", Some(&cookie)).await;
    let csrf = crate::pages::csrf_of(&sessions);
    let home = home.to_string();
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond?home={home}"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(parts(&html, "start").split('/').all(|p| !p.is_empty()), "the start is filled in as three boxes");
    let offer = |d: &'static str, m: &'static str, y: &'static str| {
        let (cookie, csrf, home) = (cookie.clone(), csrf.clone(), home.clone());
        async move {
            let form = [
                ("csrf_token", csrf.as_str()),
                ("home", home.as_str()),
                ("weekly_price", "4000"),
                ("start-day", d),
                ("start-month", m),
                ("start-year", y),
                ("includes", "Education"),
            ];
            post(s, &format!("/referrals/{id}/offer"), Some(&cookie), &form).await
        }
    };
    let (status, _, html) = offer("30", "2", "2027").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r##"<a href="#start">The start date must be a real date"##), "{html}");
    assert_eq!(parts(&html, "start"), "30/2/2027", "kept as typed");
    let (status, _, html) = offer("1", "1", "").await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("The start date must include a year"),
        "{html}"
    );
    let (status, headers, html) = offer("31/12/2026", "", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers).to_owned();
    let (_, _, html) = get(s, &to, Some(&cookie)).await;
    assert!(html.contains("31 December 2026"), "{html}");
}

async fn vacancy_from(s: &Server) {
    let (id, _) = s.facts.p_vacancy;
    let (cookie, csrf) = signed_in(s, Role::ProviderStaff, s.facts.provider_p).await;
    let path = format!("/vacancies/{id}");
    let send = |d: &'static str, m: &'static str, y: &'static str| {
        let (cookie, csrf, path) = (cookie.clone(), csrf.clone(), path.clone());
        async move {
            let form = [
                ("csrf_token", csrf.as_str()),
                ("places", "1"),
                ("available_from-day", d),
                ("available_from-month", m),
                ("available_from-year", y),
                ("weekly_price", "900"),
            ];
            post(s, &path, Some(&cookie), &form).await
        }
    };
    let (status, _, html) = send("32", "12", "2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(&format!(r##"<a href="#available_from-{id}">"##)), "{html}");
    assert!(html.contains("The date the place is free from must be a real date"), "{html}");
    let (status, _, html) = send("1", "12", "26").await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("Year must include 4 numbers"), "{html}");
    let (status, _, html) = send("31", "Dec", "2026").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(s.store.vacancy(id).await.expect("vacancy").available_from.to_string(), "2026-12-31");
    let (_, _, page) = get(s, &format!("/homes?saved={id}"), Some(&cookie)).await;
    assert_eq!(parts(&page, "available_from").split('/').count(), 3);
    assert!(page.contains(r#"name="available_from-day" type="text" inputmode="numeric" value="31""#), "{page}");
}

async fn placement_dates(s: &Server) {
    let f = &s.facts;
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let path = format!("/placements/{}", f.coventry_placement_with_p);
    let (_, _, html) = get(s, &path, Some(&cookie)).await;
    assert!(parts(&html, "end").split('/').all(|p| !p.is_empty()) && parts(&html, "date").len() >= 8, "{html}");
    let end = |d: &'static str, m: &'static str, y: &'static str| {
        let (cookie, csrf, path) = (cookie.clone(), csrf.clone(), path.clone());
        async move {
            let form = [
                ("csrf_token", csrf.as_str()),
                ("end-day", d),
                ("end-month", m),
                ("end-year", y),
                ("reason_ceased", "E4A"),
                ("end_planned", "yes"),
            ];
            post(s, &format!("{path}/end"), Some(&cookie), &form).await
        }
    };
    let (status, _, html) = end("", "", "").await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains(r##"<a href="#end">Enter the date the placement ended"##),
        "{html}"
    );
    let (status, _, html) = end("24", "13", "2026").await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && html.contains("must be a real date"), "{html}");
    // The move: a date missing its day and month, in words; then a 24/11/2026 date is taken.
    let q = f.q_home.0.to_string();
    let mv = |d: &'static str, m: &'static str, y: &'static str| {
        let (cookie, csrf, path, q) = (cookie.clone(), csrf.clone(), path.clone(), q.clone());
        async move {
            let form = [
                ("csrf_token", csrf.as_str()),
                ("date-day", d),
                ("date-month", m),
                ("date-year", y),
                ("reason_change", "CARPL"),
                ("planned", "yes"),
                ("home", q.as_str()),
            ];
            post(s, &format!("{path}/move"), Some(&cookie), &form).await
        }
    };
    let (status, _, html) = mv("", "", "2026").await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains(r##"<a href="#date">The date of the move must include a day and month"##),
        "{html}"
    );
    let (status, _, html) = mv("25/11/2026", "", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (status, _, html) = end("25", "11", "2026").await;
    // The placement has ended by the move: recording an end again is a conflict, not a date error.
    assert!(!html.contains("must be a real date"), "{status} {html}");
}

async fn search_dates(s: &Server) {
    let (cookie, _) = signed_in(s, Role::Commissioner, s.facts.coventry).await;
    let (status, _, html) = get(s, "/intel?as_at-day=31&as_at-month=9&as_at-year=2026", Some(&cookie)).await;
    assert!(status == StatusCode::UNPROCESSABLE_ENTITY && html.contains(r##"<a href="#as_at">"##), "{html}");
    assert!(html.contains("must be a real date"), "{html}");
    let (status, _, html) = get(
        s,
        "/intel?as_at-day=25&as_at-month=11&as_at-year=2026&from-day=1&from-month=6&from-year=2026",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!((parts(&html, "as_at"), parts(&html, "from")), ("25/11/2026".to_owned(), "1/6/2026".to_owned()));
    let (status, _, html) = get(s, "/intel?as_at-day=25%2F11%2F2026", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (cookie, _) = signed_in(s, Role::Administrator, s.facts.coventry).await;
    let (status, _, html) = get(s, "/admin/audit?since-day=1&since-month=11", Some(&cookie)).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains(r##"<a href="#since">The date to search from must include a year"##),
        "{html}"
    );
    let (status, _, html) = get(
        s,
        "/admin/audit?action=session.&since-day=1&since-month=nov&since-year=2026&until-day=31%2F12%2F2026",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("session.create"), "{html}");
}

async fn contract_dates(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::Commissioner, s.facts.coventry).await;
    let provider = s.facts.provider_p.0.to_string();
    let send = |starts: [&'static str; 3], ends: [&'static str; 3]| {
        let (cookie, csrf, provider) = (cookie.clone(), csrf.clone(), provider.clone());
        async move {
            let form = [
                ("csrf_token", csrf.as_str()),
                ("provider", provider.as_str()),
                ("tier", "framework"),
                ("weekly_price", "1234"),
                ("block_beds", "0"),
                ("starts-day", starts[0]),
                ("starts-month", starts[1]),
                ("starts-year", starts[2]),
                ("ends-day", ends[0]),
                ("ends-month", ends[1]),
                ("ends-year", ends[2]),
                ("kinds", "fostering"),
            ];
            post(s, "/contracts", Some(&cookie), &form).await
        }
    };
    let (status, _, html) = send(["1", "4", ""], ["", "", ""]).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains(r##"<a href="#starts">The day the contract starts must include a year"##),
        "{html}"
    );
    let (status, _, html) = send(["1", "4", "2026"], ["31", "4", "2027"]).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY
            && html.contains(r##"<a href="#ends">The day the contract ends must be a real date"##),
        "{html}"
    );
    assert!(!html.contains("£1234"), "nothing recorded: {html}");
    let (status, _, html) = send(["1/4/2026", "", ""], ["31", "March", "2027"]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (_, _, html) = get(s, "/contracts", Some(&cookie)).await;
    assert!(html.contains("£1234"), "{html}");
}
