//! A provider answers a referral sent to it: an offer of one of its homes, the form filled from what
//! the service proposes for that home (its price to this council, the date its place is free), or a
//! decline with the reason commissioners count. Choosing the home is a plain GET form, so it works
//! without JavaScript and the address holds only the referral and home ids.

use super::admin::Reply;
use super::forms::{FormState, Posted, summary_of};
use super::words::london;
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::offer::{DeclineInput, DeclineReason, OfferInput};
use hearth_domain::{HomeId, ReferralId};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/referrals/{id}/respond", get(respond))
        .route("/referrals/{id}/offer", post(offer))
        .route("/referrals/{id}/decline", post(decline))
}

/// The three forms of the page, each with what was typed and its errors.
#[derive(Default)]
struct Forms {
    home: FormState,
    /// Shown once a home is chosen.
    offer: Option<FormState>,
    decline: FormState,
    due: Option<String>,
}

#[derive(Template)]
#[template(path = "respond.html")]
struct RespondPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    id: i64,
    /// The provider's homes that could meet the referral, best first.
    homes: Vec<HomeChoice>,
    /// How many homes in the region could: what a home's rank is out of.
    considered: usize,
    /// The provider's other homes, each with why it cannot meet the referral.
    unfit: Vec<(String, String)>,
    home_name: String,
    offer: Option<FormState>,
    home: FormState,
    decline: FormState,
    due: Option<String>,
    reasons: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn page(app: &App, v: &Viewer<'_>, id: i64, forms: Forms) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    // Only a provider the referral was sent to gets the page; anyone else is told it is not found.
    let answers = app.services.answers(p, ReferralId(id)).await?;
    let due = forms.due.or_else(|| answers.sending.map(|s| london(s.due_at)));
    let choices = app.services.home_choices(p, ReferralId(id)).await?;
    let homes: Vec<HomeChoice> = choices.fitting.iter().map(HomeChoice::of).collect();
    let unfit = choices.unfit.into_iter().map(|u| (u.name, u.why)).collect();
    let chosen = forms.home.value("home");
    let home_name = homes.iter().find(|h| h.id == chosen).map(|h| h.name.clone()).unwrap_or_default();
    let (errors, status) = summary_of([&forms.home, &forms.decline].into_iter().chain(forms.offer.as_ref()));
    let page = RespondPage {
        chrome: v.chrome(),
        title: format!("Respond to referral {id}"),
        error_title: !errors.is_empty(),
        errors,
        id,
        homes,
        considered: choices.considered,
        unfit,
        home_name,
        offer: forms.offer,
        home: forms.home,
        decline: forms.decline,
        due,
        reasons: DeclineReason::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        csrf_token: csrf.to_owned(),
    };
    Ok(render(status, &page))
}

/// One home the provider could offer, as a line of the picker: what decides it, in a glance.
struct HomeChoice {
    id: String,
    name: String,
    rank: usize,
    /// "£4,250 a week, the contract price (block, Coventry)".
    price: String,
    /// "3.2 miles from the child's home", or empty when not known.
    miles: String,
    /// The one or two reasons that weigh most in its ranking.
    reasons: Vec<String>,
}

impl HomeChoice {
    fn of(m: &hearth_service::matching::MatchView) -> Self {
        let reasons = m.deciding_reasons(2).into_iter().map(str::to_owned).collect();
        Self {
            id: m.home.to_string(),
            name: m.name.clone(),
            rank: m.rank,
            price: format!("{} a week, {}", hearth_domain::home::pounds(m.weekly_price), m.price_basis),
            miles: if m.distance_miles < 999.0 { format!("{:.1} miles away", m.distance_miles) } else { String::new() },
            reasons,
        }
    }
}

#[derive(Deserialize)]
pub struct Chosen {
    home: Option<String>,
}

async fn respond(State(app): State<App>, who: Signed, Path(id): Path<i64>, Query(q): Query<Chosen>) -> Reply {
    let mut forms = Forms::default();
    if let Some(raw) = q.home.filter(|h| !h.is_empty()) {
        forms.home.fields.set("home", &raw);
        match raw.parse() {
            Ok(home) => {
                let result = app.services.offer_form(&who.principal, ReferralId(id), HomeId(home)).await;
                if let Some(f) = forms.home.absorb_conflict(result, &[])? {
                    forms.due = f.due_at.map(london);
                    let mut offer = FormState::default()
                        .with("home", &f.home.to_string())
                        .with("weekly_price", &f.weekly_price.to_string())
                        .with_date("start", f.start);
                    if let Some(v) = f.vacancy {
                        offer.fields.set("vacancy", &v.to_string());
                    }
                    forms.offer = Some(offer);
                }
            }
            Err(_) => forms.home.add("home", "Choose one of your homes"),
        }
    }
    page(&app, &who.viewer(), id, forms).await
}

/// A whole number of pounds as typed ("£4,250" too); anything else an error in words.
fn pounds_field(form: &mut FormState, field: &str) -> Option<i64> {
    let raw = form.value(field).trim().trim_start_matches('£').replace(',', "");
    if raw.is_empty() {
        return None;
    }
    match raw.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            form.add(field, "Enter the weekly price in pounds as a whole number, for example 4250");
            None
        }
    }
}

async fn offer(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let home: i64 = form.value("home").parse().unwrap_or_default();
    let input = OfferInput {
        home,
        vacancy: form.value("vacancy").parse().ok(),
        weekly_price: pounds_field(&mut form, "weekly_price"),
        start: form.date("start", "the start date", true).map(|d| d.to_string()),
        includes: form.value("includes").to_owned(),
        notes: form.value("notes").to_owned(),
    };
    if !form.has_errors() {
        let result = app.services.make_offer(&post.principal, ReferralId(id), &input, &post.origin).await;
        if let Some(o) = form.absorb_conflict(result, &[])? {
            return Ok(Redirect::to(&format!("/referrals/{id}/offers?offered={}", o.id)).into_response());
        }
    }
    let forms =
        Forms { home: FormState::default().with("home", &home.to_string()), offer: Some(form), ..Forms::default() };
    page(&app, &post.viewer(), id, forms).await
}

async fn decline(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let input = DeclineInput { reason: form.value("reason").to_owned(), note: form.value("note").to_owned() };
    if input.reason.is_empty() {
        form.add("reason", "Choose why you are declining");
    } else {
        let result = app.services.decline_referral(&post.principal, ReferralId(id), &input, &post.origin).await;
        if form.absorb_conflict(result, &[("decline_reason", "reason")])?.is_some() {
            return Ok(Redirect::to(&format!("/referrals/{id}/offers?declined=true")).into_response());
        }
    }
    page(&app, &post.viewer(), id, Forms { decline: form, ..Forms::default() }).await
}
