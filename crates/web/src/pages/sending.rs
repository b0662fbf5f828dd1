//! "Send to providers": an officer sends a referral to providers they choose (from those with a home
//! that meets every rule, each shown with why), to every such provider, or by the council's cascade.
//! The referral page then lists each sending with its deadline and whom it reached.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::words::london;
use super::{Chrome, ErrorItem, Signed, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use hearth_domain::ReferralId;
use hearth_domain::dispatch::SendMode;
use hearth_service::market::views::{SendRequest, SendingView};
use hearth_service::send_choices::ProviderChoice;

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

/// A provider to tick, with its fitting homes and why each fits.
struct Choice {
    /// The checkbox's id: the first is `providers`, so the error summary's link lands on it.
    key: String,
    value: String,
    name: String,
    checked: bool,
    homes: Vec<(usize, String, Vec<String>)>,
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
    csrf_token: String,
}

async fn page(app: &App, v: &Viewer<'_>, id: i64, form: FormState) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    let choices: Vec<ProviderChoice> = app.services.send_choices(p, ReferralId(id)).await?;
    let choices = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| Choice {
            key: if i == 0 { "providers".to_owned() } else { format!("providers-{}", c.id) },
            checked: form.chose("providers", &c.id.to_string()),
            value: c.id.to_string(),
            name: c.name,
            homes: c.homes.into_iter().map(|h| (h.rank, h.name, h.reasons)).collect(),
        })
        .collect();
    let page = SendPage {
        chrome: v.chrome(),
        title: format!("Send referral {id} to providers"),
        error_title: form.has_errors(),
        errors: form.summary(),
        id,
        modes: SendMode::ALL.iter().map(|m| (m.code(), m.label())).collect(),
        choices,
        csrf_token: csrf.to_owned(),
        form,
    };
    Ok(render(page.form.status(), &page))
}

async fn form(State(app): State<App>, who: Signed, Path(id): Path<i64>) -> Reply {
    page(&app, &who.viewer(), id, FormState::default()).await
}

async fn send(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let mode = form.value("mode").to_owned();
    let mut providers = Vec::new();
    for raw in form.fields.all("providers") {
        match raw.parse() {
            Ok(p) => providers.push(p),
            Err(_) => form.add("providers", "Choose providers from the list"),
        }
    }
    if mode.is_empty() {
        form.add("mode", "Choose who should be sent the referral");
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
    page(&app, &post.viewer(), id, form).await
}

/// The chosen-providers mode's label, as the hint under the checkboxes names it.
pub const CHOSEN_LABEL: &str = SendMode::Chosen.label();
