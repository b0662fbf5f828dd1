//! The SSDA903 return through the API: each table as CSV, the self-check's count in a header, bad
//! years and tables refused in words, the council's own people only, and every export audited.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const TESTS: &[(&str, TestFn)] = &[("ssda903_tables_as_csv_for_the_councils_own_people", |s| Box::pin(tables(s)))];

async fn tables(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let get = |path: String| {
        let who = As::Browser(&commissioner);
        async move { s.call_full(Method::GET, &path, who, None).await }
    };

    let (status, headers, body) = get("/api/v1/councils/331/ssda903/2026".into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["x-ssda903-problems"], "0", "the demo's return passes the self-check");
    assert!(headers["content-disposition"].to_str().unwrap_or("").contains("ssda903-331-2026-Episodes.csv"));
    let Value::String(csv) = body else { panic!("CSV, not JSON: {body}") };
    assert!(csv.starts_with(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
    ));
    assert!(csv.lines().count() > 100, "Coventry's episodes");

    for (table, first) in [
        ("header", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"),
        ("UASC", "CHILD,SEX,DOB,DUC"),
        ("report", "ROW,CHILD,DECOM,DEC,PLACE,HOME_POST,PL_POST,PL_DISTANCE,PL_LA,PL_LOCATION,HEARTH_DISTANCE,NOTE"),
        ("problems", "CHILD,ROW,FIELD,RULE,PROBLEM"),
    ] {
        let (status, _, body) = get(format!("/api/v1/councils/E08000026/ssda903/2026?table={table}")).await;
        assert_eq!(status, StatusCode::OK, "{table}: {body}");
        assert_eq!(body.as_str().and_then(|b| b.lines().next()), Some(first), "{table}");
    }

    for (path, field) in [
        ("/api/v1/councils/331/ssda903/1999", "year"),
        ("/api/v1/councils/331/ssda903/twenty", "year"),
        ("/api/v1/councils/331/ssda903/2026?table=oc3", "table"),
    ] {
        let (status, _, body) = get(path.into()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], field, "{path}");
    }
    let (status, _, _) = get("/api/v1/councils/999/ssda903/2026".into()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A team manager may; the regional hub is told "not found" for every council (the return names
    // children); a placement officer's role does not allow it.
    let manager = s.sign_in(f.email(Role::TeamManager, f.coventry)).await;
    assert_eq!(s.get("/api/v1/councils/331/ssda903/2026", As::Browser(&manager)).await.0, StatusCode::OK);
    let hub = s.sign_in(f.email(Role::RegionalCommissioner, f.hub)).await;
    assert_eq!(s.get("/api/v1/councils/331/ssda903/2026", As::Browser(&hub)).await.0, StatusCode::NOT_FOUND);
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    assert_eq!(s.get("/api/v1/councils/331/ssda903/2026", As::Browser(&officer)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(s.get("/api/v1/councils/330/ssda903/2026", As::Browser(&commissioner)).await.0, StatusCode::NOT_FOUND);

    // The commissioner's region page links the last complete year's tables; the hub's does not.
    let (status, page) = s.get("/region", As::CookieOnly(&commissioner)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.as_str().unwrap_or("").contains("href=\"/api/v1/councils/331/ssda903/2026?table=episodes\""),
        "{page}"
    );
    let (_, page) = s.get("/region", As::CookieOnly(&hub)).await;
    assert!(!page.as_str().unwrap_or("").contains("ssda903"), "{page}");

    // Six exports were answered (the episodes, four other tables, the manager's): one audit line each.
    assert_eq!(s.audit_count("ssda903.read").await, 6);
}
