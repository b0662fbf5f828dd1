//! The council's contracts with providers, for its commissioners: the list, and a form to record one;
//! one contract with its terms over time, a form to change its terms from a date, and one to end it.
//! Every check is the service's; the form comes back with the input kept and each error by its field.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::{Chrome, ErrorItem, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::ContractId;
use hearth_domain::access::{Capability, Principal};
use hearth_domain::contract::{ContractInput, ContractTier, EndContractInput, TermsChangeInput};
use hearth_service::ServiceError;
use hearth_service::contracts::ContractView;

pub fn router() -> Router<App> {
    Router::new()
        .route("/contracts", get(contracts).post(record))
        .route("/contracts/{id}", get(contract))
        .route("/contracts/{id}/terms", post(change_terms))
        .route("/contracts/{id}/end", post(end))
}

#[derive(Template)]
#[template(path = "contracts.html")]
struct ContractsPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    contracts: Vec<ContractView>,
    form: FormState,
    tiers: Vec<(&'static str, &'static str)>,
    services: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

/// The services a commissioner buys, as the form offers them (the API also takes each kind of home).
const SERVICES: [(&str, &str); 5] = [
    ("fostering", "Fostering (every kind of foster household)"),
    ("childrens_home", "Children's homes"),
    ("residential_special_school", "Residential special schools"),
    ("secure_childrens_home", "Secure children's homes"),
    ("supported_accommodation", "Supported accommodation (every kind)"),
];

async fn page(app: &App, p: &Principal, csrf: &str, form: FormState) -> Reply {
    let Some(la_code) = p.la_code else { return Err(ServiceError::Forbidden(Capability::ManageContracts).into()) };
    let contracts = app.services.contracts(p, la_code).await?;
    let status = form.status();
    let page = ContractsPage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: "Contracts",
        error_title: form.has_errors(),
        errors: form.summary(),
        contracts,
        form,
        tiers: ContractTier::ALL.iter().map(|t| (t.code(), t.label())).collect(),
        services: SERVICES.to_vec(),
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

async fn contracts(State(app): State<App>, who: Signed) -> Reply {
    page(&app, &who.principal, &who.session.csrf_token, FormState::default()).await
}

async fn record(State(app): State<App>, post: Posted) -> Reply {
    let f = &post.fields;
    let mut state = FormState::new(f.clone());
    // Numbers that do not parse are sent as 0 (or -1 for the price), which the domain refuses with the
    // allowed range, alongside anything else wrong with the form.
    // The dates from their day, month and year boxes; one that is not a date is said in words before
    // the service is asked.
    let starts = state.date("starts", "the day the contract starts", true);
    let ends = state.date("ends", "the day the contract ends", false);
    let input = ContractInput {
        provider: f.get("provider").trim().parse().unwrap_or(0),
        tier: f.get("tier").to_owned(),
        weekly_price: f.get("weekly_price").trim().trim_start_matches('£').parse().unwrap_or(-1),
        block_beds: f.get("block_beds").trim().parse().unwrap_or(0),
        starts: starts.map(|d| d.to_string()).unwrap_or_default(),
        ends: Some(ends.map(|d| d.to_string()).unwrap_or_default()),
        kinds: f.all("kinds"),
        // A number that does not parse is sent as 0, which the service refuses as no home of the provider.
        homes: f
            .get("homes")
            .split([',', ' '])
            .filter(|h| !h.trim().is_empty())
            .map(|h| h.trim().parse().unwrap_or(0))
            .collect(),
    };
    let Some(la_code) = post.principal.la_code else {
        return Err(ServiceError::Forbidden(Capability::ManageContracts).into());
    };
    if state.has_errors() {
        return page(&app, &post.principal, &post.session.csrf_token, state).await;
    }
    let result = app.services.create_contract(&post.principal, la_code, &input, &post.origin).await;
    if state.absorb(result, &[])?.is_some() {
        return Ok(Redirect::to("/contracts").into_response());
    }
    page(&app, &post.principal, &post.session.csrf_token, state).await
}

#[derive(Template)]
#[template(path = "contract.html")]
struct ContractPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    c: ContractView,
    form: FormState,
    csrf_token: String,
}

async fn contract_page(app: &App, p: &Principal, csrf: &str, id: i64, form: FormState) -> Reply {
    let c = app.services.contract(p, ContractId(id)).await?;
    let status = form.status();
    let page = ContractPage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: format!("Contract {} with {}", c.id, c.provider_name),
        error_title: form.has_errors(),
        errors: form.summary(),
        c,
        form,
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

async fn contract(State(app): State<App>, who: Signed, Path(id): Path<i64>) -> Reply {
    contract_page(&app, &who.principal, &who.session.csrf_token, id, FormState::default()).await
}

async fn change_terms(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let f = &post.fields;
    let mut state = FormState::new(f.clone());
    // As on the list's form: numbers that do not parse are refused by the domain with the range.
    let input = TermsChangeInput {
        takes_effect: f.get("takes_effect").to_owned(),
        weekly_price: f.get("weekly_price").trim().trim_start_matches('£').parse().unwrap_or(-1),
        block_beds: f.get("block_beds").trim().parse().unwrap_or(0),
    };
    let result = app.services.change_contract_terms(&post.principal, ContractId(id), &input, &post.origin).await;
    if state.absorb(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/contracts/{id}")).into_response());
    }
    contract_page(&app, &post.principal, &post.session.csrf_token, id, state).await
}

async fn end(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let f = &post.fields;
    let mut state = FormState::new(f.clone());
    let input = EndContractInput { ends: f.get("ends").to_owned() };
    let result = app.services.end_contract(&post.principal, ContractId(id), &input, &post.origin).await;
    if state.absorb(result, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/contracts/{id}")).into_response());
    }
    contract_page(&app, &post.principal, &post.session.csrf_token, id, state).await
}
