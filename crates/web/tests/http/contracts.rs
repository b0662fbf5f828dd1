//! A council's contracts through the real server: recorded by its commissioners, checked field by
//! field, audited, and refused to everyone else.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::referrals::fields;
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

pub const TESTS: &[(&str, TestFn)] = &[
    ("contracts_are_recorded_by_the_councils_commissioners_field_by_field", |s| Box::pin(contracts(s))),
    ("pages_contracts_list_and_form_keep_the_input_on_error", |s| Box::pin(page(s))),
    ("pages_contract_terms_change_and_end_with_errors_on_the_page", |s| Box::pin(contract_page(s))),
];

async fn contracts(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let path = "/api/v1/councils/331/contracts";
    let block = json!({ "provider": f.provider_p.0, "tier": "block", "weekly_price": 3900, "block_beds": 2,
        "starts": "2026-11-01", "ends": "2027-10-31", "kinds": ["childrens_home"] });
    let (status, made) = s.call(Method::POST, path, As::Browser(&commissioner), Some(block)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        (made["tier"].as_str(), made["block_beds"].as_u64(), made["in_force"].as_bool()),
        (Some("block"), Some(2), Some(true))
    );
    assert_eq!(made["kinds"], json!(["childrens_home"]), "{made}");
    let (_, list) = s.get(path, As::Browser(&commissioner)).await;
    let listed = list.as_array().expect("list").iter().find(|c| c["id"] == made["id"]).expect("listed");
    assert_eq!((&listed["kinds"], &listed["homes"]), (&json!(["childrens_home"]), &json!([])), "read back: {listed}");
    assert_eq!(s.audit_count("contract.create").await, 1);

    // Every bad field at once, and nothing written.
    let bad = json!({ "provider": f.provider_p.0, "tier": "spot", "weekly_price": -1, "block_beds": 3,
        "starts": "someday", "ends": "2020-01-01" });
    let (status, answer) = s.call(Method::POST, path, As::Browser(&commissioner), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let got = fields(&answer);
    for want in ["weekly_price", "starts", "block_beds"] {
        assert!(got.iter().any(|g| g == want), "{want} missing from {got:?}");
    }
    // Another council is not a provider Coventry contracts with.
    let council = json!({ "provider": f.birmingham.0, "tier": "spot", "weekly_price": 900, "starts": "2026-11-01",
        "kinds": ["fostering"] });
    let (status, answer) = s.call(Method::POST, path, As::Browser(&commissioner), Some(council)).await;
    assert_eq!((status, fields(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["provider".to_owned()]));
    assert_eq!(s.audit_count("contract.create").await, 1, "nothing refused was written");

    // Birmingham's commissioner cannot see Coventry's contracts; an officer may not record any.
    let other = s.sign_in(f.email(Role::Commissioner, f.birmingham)).await;
    assert_eq!(s.get(path, As::Browser(&other)).await.0, StatusCode::NOT_FOUND);
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    assert_eq!(s.get(path, As::Browser(&officer)).await.0, StatusCode::FORBIDDEN);
}

/// The contracts page as a browser without JavaScript uses it: plain form posts, redirects not followed.
async fn page(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let url = format!("{}/contracts", s.base);
    let html = client.get(&url).header("cookie", &commissioner.cookie).send().await.expect("get");
    assert_eq!(html.status(), StatusCode::OK);
    let html = html.text().await.expect("html");
    assert!(html.contains("Record a contract") && html.contains("<h1"), "{html}");

    let form = |price: &str| {
        vec![
            ("csrf_token", commissioner.csrf.clone()),
            ("provider", f.provider_p.0.to_string()),
            ("tier", "framework".to_owned()),
            ("weekly_price", price.to_owned()),
            ("block_beds", "0".to_owned()),
            ("starts", "2026-11-01".to_owned()),
            ("ends", String::new()),
            ("kinds", "fostering".to_owned()),
            ("kinds", "supported_accommodation".to_owned()),
        ]
    };
    let bad = client.post(&url).header("cookie", &commissioner.cookie).form(&form("lots")).send().await.expect("post");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("html");
    assert!(html.contains("govuk-error-summary") && html.contains("href=\"#weekly_price\""), "{html}");
    assert!(html.contains("value=\"lots\""), "the input is kept: {html}");

    let good = client.post(&url).header("cookie", &commissioner.cookie).form(&form("1200")).send().await.expect("post");
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let html =
        client.get(&url).header("cookie", &commissioner.cookie).send().await.expect("get").text().await.expect("html");
    assert!(html.contains("£1200"), "{html}");

    // An officer is refused in words.
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let refused = client.get(&url).header("cookie", &officer.cookie).send().await.expect("get");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

/// One contract's page: its history, a change of terms refused then made, and an end.
async fn contract_page(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let body = json!({ "provider": f.provider_p.0, "tier": "framework", "weekly_price": 1000,
        "starts": "2026-11-01", "kinds": ["fostering"] });
    let (_, made) =
        s.call(Method::POST, "/api/v1/councils/331/contracts", As::Browser(&commissioner), Some(body)).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let url = format!("{}/contracts/{}", s.base, made["id"]);
    let get = || async {
        let r = client.get(&url).header("cookie", &commissioner.cookie).send().await.expect("get");
        (r.status(), r.text().await.expect("html"))
    };
    let list = client.get(format!("{}/contracts", s.base)).header("cookie", &commissioner.cookie).send().await;
    let list = list.expect("list").text().await.expect("html");
    assert!(list.contains(&format!("href=\"/contracts/{}\"", made["id"])), "linked from the list: {list}");
    let (status, html) = get().await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Terms over time") && html.contains("Change the terms") && html.contains("End the contract"));

    let post = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, String)> = vec![("csrf_token", commissioner.csrf.clone())];
        form.extend(fields.into_iter().map(|(k, v)| (k, v.to_owned())));
        let req = client.post(format!("{url}/{path}")).header("cookie", &commissioner.cookie).form(&form);
        async move { req.send().await.expect("post") }
    };
    let bad = post("terms", vec![("takes_effect", "2026-11-01"), ("weekly_price", "lots"), ("block_beds", "0")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.expect("html");
    assert!(html.contains("govuk-error-summary") && html.contains("href=\"#takes_effect\""), "{html}");
    assert!(html.contains("href=\"#weekly_price\"") && html.contains("value=\"lots\""), "the input is kept: {html}");

    let good = post("terms", vec![("takes_effect", "2026-12-01"), ("weekly_price", "1150"), ("block_beds", "0")]).await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let (_, html) = get().await;
    assert!(html.contains("2026-12-01") && html.contains("£1150") && html.contains("£1000"), "both terms: {html}");

    let bad = post("end", vec![("ends", "2026-10-31")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("html").contains("href=\"#ends\""));
    let good = post("end", vec![("ends", "2027-03-31")]).await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let (_, html) = get().await;
    assert!(html.contains("2027-03-31"), "{html}");
    assert_eq!(s.audit_count("contract.end").await, 1);

    // Another council's commissioner is told it does not exist, in words.
    let other = s.sign_in(f.email(Role::Commissioner, f.birmingham)).await;
    let r = client.get(&url).header("cookie", &other.cookie).send().await.expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
