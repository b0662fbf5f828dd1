//! "Send to providers": an officer sends a referral to providers they choose (from those with a home
//! that meets every rule, best first, each as one row: its best home with the reasons that decide
//! it, ten to a page), to every such provider, or by the council's cascade.
//! The referral page then lists each sending with its deadline and whom it reached.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::paging::Paging;
use super::words::{free_from, london};
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hearth_domain::ReferralId;
use hearth_domain::dispatch::SendMode;
use hearth_domain::home::pounds;
use hearth_service::market::views::{SendRequest, SendingView};
use hearth_service::send_choices::ProviderChoice;
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new().route("/referrals/{id}/send", get(form).post(send))
}

/// One sending as the referral page lists it.
pub struct SendingRow {
    pub how: String,
    pub due: String,
    pub open: bool,
    pub reached: Vec<String>,
}

impl From<&SendingView> for SendingRow {
    fn from(s: &SendingView) -> Self {
        let mode = s.mode.label();
        let how = match s.step {
            Some(tier) => format!("{mode}: {} step", tier.label().to_lowercase()),
            None => mode.to_owned(),
        };
        Self {
            how: if s.automatic { format!("{how} (sent on by Hearth when the last step's time ran out)") } else { how },
            due: london(s.due_at),
            open: s.closed_at.is_none(),
            reached: s.recipients.iter().map(|r| r.name.clone()).collect(),
        }
    }
}

/// A provider to tick, shown by its best fitting home: one compact row.
struct Choice {
    /// The checkbox's id: the first on the page is `providers`, so the error summary's link lands on it.
    key: String,
    value: String,
    name: String,
    checked: bool,
    /// The best home's rank among every fitting home, its name and number.
    rank: usize,
    home: String,
    home_id: i64,
    tier: &'static str,
    price: String,
    /// "4.2 miles", or "distance not known".
    miles: String,
    free: String,
    /// The one or two reasons that decide the best home's place.
    why: Vec<String>,
    /// How many more of the provider's homes fit.
    more: usize,
}

#[derive(Template)]
#[template(path = "send.html")]
struct SendPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    id: i64,
    form: FormState,
    modes: Vec<(&'static str, &'static str)>,
    choices: Vec<Choice>,
    paging: Paging,
    /// Providers ticked on other pages, carried in hidden fields: (id, name).
    ticked_elsewhere: Vec<(String, String)>,
    csrf_token: String,
}

/// How many providers a page of the send form lists.
const PROVIDERS_PER_PAGE: usize = 10;

/// The ways to send, as the page asks them of the person sending.
fn mode_words(m: SendMode) -> &'static str {
    match m {
        SendMode::Chosen => CHOSEN_LABEL,
        SendMode::AllFitting => "To every provider with a home that meets every rule",
        SendMode::Cascade => "By your council's cascade: in-house first, then block, framework and spot",
    }
}

async fn page(app: &App, v: &Viewer<'_>, id: i64, form: FormState, asked: Option<&str>) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    let all: Vec<ProviderChoice> = app.services.send_choices(p, ReferralId(id)).await?;
    let paging = Paging::new(asked, PROVIDERS_PER_PAGE, all.len());
    let today = app.services.today();
    let ticked = form.fields.all("providers");
    let ticked_elsewhere = all
        .iter()
        .enumerate()
        .filter(|(i, c)| !(paging.skip()..paging.last).contains(i) && ticked.contains(&c.id.to_string()))
        .map(|(_, c)| (c.id.to_string(), c.name.clone()))
        .collect();
    let choices = all
        .into_iter()
        .skip(paging.skip())
        .take(PROVIDERS_PER_PAGE)
        .enumerate()
        .filter_map(|(i, c)| {
            let more = c.homes.len().saturating_sub(1);
            let best = c.homes.into_iter().next()?;
            Some(Choice {
                key: if i == 0 { "providers".to_owned() } else { format!("providers-{}", c.id) },
                checked: form.chose("providers", &c.id.to_string()),
                value: c.id.to_string(),
                name: c.name,
                rank: best.rank,
                home_id: best.home,
                tier: best.tier.label(),
                price: pounds(best.weekly_price),
                miles: if best.distance_miles < 999.0 {
                    format!("{:.1} miles", best.distance_miles)
                } else {
                    "distance not known".to_owned()
                },
                free: match free_from(best.available_from, today).as_str() {
                    "Now" => "free now".to_owned(),
                    day => format!("free from {day}"),
                },
                why: best.deciding_reasons(2).into_iter().map(str::to_owned).collect(),
                home: best.name,
                more,
            })
        })
        .collect();
    let page = SendPage {
        chrome: v.chrome(),
        title: format!("Send referral {id} to providers"),
        error_title: form.has_errors(),
        errors: form.summary(),
        id,
        modes: SendMode::ALL.iter().map(|m| (m.code(), mode_words(*m))).collect(),
        choices,
        paging,
        ticked_elsewhere,
        csrf_token: csrf.to_owned(),
        form,
    };
    Ok(render(page.form.status(), &page))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

async fn form(State(app): State<App>, who: Signed, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> Reply {
    page(&app, &who.viewer(), id, FormState::default(), q.page.as_deref()).await
}

async fn send(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    // A page button: show that page of providers, keeping every tick and the way chosen.
    let moving = form.value("page").to_owned();
    if !moving.is_empty() {
        return page(&app, &post.viewer(), id, form, Some(&moving)).await;
    }
    let at = form.value("at_page").to_owned();
    let mode = form.value("mode").to_owned();
    let mut providers = Vec::new();
    for raw in form.fields.all("providers") {
        match raw.parse() {
            Ok(p) => providers.push(p),
            Err(_) => form.add("providers", "Choose providers from the list"),
        }
    }
    if mode.is_empty() {
        form.add("mode", "Choose who to send the referral to");
    } else if mode == SendMode::Chosen.code() && providers.is_empty() {
        form.add("providers", "Choose at least one provider, or send it to every provider with a fitting home");
    }
    if !form.has_errors() {
        let req = SendRequest { mode, providers };
        let result = app.services.send_referral(&post.principal, ReferralId(id), &req, &post.origin).await;
        if form.absorb_conflict(result, &[("send_mode", "mode")])?.is_some() {
            return Ok(Redirect::to(&format!("/referrals/{id}?sent=true")).into_response());
        }
    }
    page(&app, &post.viewer(), id, form, Some(&at)).await
}

/// The chosen-providers way of sending, as the form offers it.
const CHOSEN_LABEL: &str = "To providers you choose (tick them below)";
