//! "What is free near CV2 for a 14-year-old tonight?": the quick search as a page for placement
//! officers, on the same engine and the same rules as `GET /api/v1/search` and a referral's matches.
//! The form is a GET, so a search is a link an officer can keep or share with a colleague.

use super::admin::Reply;
use super::forms::{Fields, FormState};
use super::paging::{Paging, enc};
use super::referrals::{MatchRow, excluded_in_words, match_rows};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use hearth_domain::access::Capability;
use hearth_service::ServiceError;
use hearth_service::matching::QuickSearch;

pub fn router() -> Router<App> {
    Router::new().route("/search", get(page))
}

/// Homes a page of results lists.
const PER_PAGE: usize = 20;
/// The most homes one search ranks: the engine's limit for an answer.
const MOST: usize = 200;

const SEXES: [(&str, &str); 2] = [("F", "Female"), ("M", "Male")];
const URGENCIES: [(&str, &str); 3] =
    [("same_day", "Tonight (same day)"), ("within_72_hours", "Within 72 hours"), ("planned", "Planned")];

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    sexes: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    /// Whether a search was made and answered (else only the form).
    searched: bool,
    /// The search's own address and `&`, which the pagination adds `page=N` to.
    path: String,
    rows: Vec<MatchRow>,
    paging: Paging,
    caption: &'static str,
    /// Homes that passed every rule, beyond the `MOST` ranked.
    considered: usize,
    excluded_total: String,
    excluded: Vec<(String, String)>,
    distance_from: Option<String>,
    notes: Vec<String>,
}

async fn page(State(app): State<App>, who: Signed, Query(q): Query<Vec<(String, String)>>) -> Reply {
    // Searching is a placement officer's work, as ranking a referral's matches is.
    who.principal.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, "search"))?;
    let mut form = FormState::new(Fields(q));
    let asked = !form.value("near").is_empty() || !form.value("age").is_empty();
    if form.value("urgency").is_empty() {
        form = form.with("urgency", "same_day");
    }
    let mut answer = None;
    if asked {
        let age = form.value("age").trim().parse::<u8>();
        if age.is_err() {
            form.add("age", "Enter the child's age in years, from 0 to 17");
        }
        if form.value("sex").is_empty() {
            form.add("sex", "Select the child's sex");
        }
        if let (Ok(age), false) = (age, form.has_errors()) {
            let search = QuickSearch {
                age,
                sex: form.value("sex").to_owned(),
                near: form.value("near").trim().to_uppercase(),
                urgency: Some(form.value("urgency").to_owned()),
                limit: Some(MOST),
                // The page's "Why" names each factor beside its sentence.
                explain: Some("all".to_owned()),
            };
            answer = form.absorb(app.services.quick_search(&who.principal, &search).await, &[])?;
        } else if form.value("near").trim().is_empty() {
            form.add("near", "Enter a postcode district, for example CV2");
        }
    }
    let today = app.services.today();
    let path = format!(
        "/search?near={}&age={}&sex={}&urgency={}&",
        enc(form.value("near").trim()),
        enc(form.value("age").trim()),
        enc(form.value("sex")),
        enc(form.value("urgency"))
    );
    let page_asked = form.value("page").to_owned();
    let status = form.status();
    let page = match answer {
        Some(m) => {
            let paging = Paging::new(Some(&page_asked), PER_PAGE, m.matches.len());
            let known = m.distance_from.is_some();
            let shown: Vec<_> = m.matches.into_iter().skip(paging.skip()).take(PER_PAGE).collect();
            SearchPage {
                chrome: who.chrome(),
                title: "Find a home".to_owned(),
                error_title: false,
                errors: Vec::new(),
                form,
                sexes: SEXES.to_vec(),
                urgencies: URGENCIES.to_vec(),
                searched: true,
                path,
                rows: match_rows(shown, known, today),
                paging,
                caption: "Homes free",
                considered: m.considered,
                excluded_total: super::lists::thousands(m.excluded_total as u64),
                excluded: excluded_in_words(&m.excluded),
                distance_from: m.distance_from,
                notes: m.notes,
            }
        }
        None => SearchPage {
            chrome: who.chrome(),
            title: "Find a home".to_owned(),
            error_title: form.has_errors(),
            errors: form.summary(),
            form,
            sexes: SEXES.to_vec(),
            urgencies: URGENCIES.to_vec(),
            searched: false,
            path,
            rows: Vec::new(),
            paging: Paging::new(None, PER_PAGE, 0),
            caption: "Homes free",
            considered: 0,
            excluded_total: String::new(),
            excluded: Vec::new(),
            distance_from: None,
            notes: Vec::new(),
        },
    };
    Ok(render(if page.searched { StatusCode::OK } else { status }, &page))
}
