//! Offers side by side: the council compares every offer on a referral (price against its contract
//! and the region's median, start, what is included, how the home ranks and why) and every decline
//! with its reason, then accepts one after a confirmation page. A provider sees its own offers there
//! and may withdraw a live one.

use super::admin::Reply;
use super::forms::{FormState, Posted};
use super::lists::{Pager, choice, deadline_cell, list_base, page_number, query_form};
use super::words::london;
use super::{Chrome, ErrorItem, PageError, Signed, TableRow, Viewer, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::access::Capability;
use hearth_domain::home::pounds;
use hearth_domain::offer::OfferStatus;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::Urgency;
use hearth_domain::{OfferId, ReasonPlaceChange, ReferralId};
use hearth_service::lists::{ListPage, OfferFilter};

use hearth_service::market::views::{AcceptInput, AnswersView, DeclineView, OfferView};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/referrals/{id}/offers", get(offers))
        .route("/referrals/{id}/offers/{offer}/accept", get(confirm).post(accept))
        .route("/offers", get(own_offers))
        .route("/offers/{offer}/withdraw", post(withdraw))
}

/// An offer as a summary card shows it, on the offers page and the accept confirmation alike.
pub struct OfferCard {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub live: bool,
    /// (label, value) rows.
    pub rows: Vec<(&'static str, String)>,
    pub reasons: Vec<String>,
}

impl From<&OfferView> for OfferCard {
    fn from(o: &OfferView) -> Self {
        let mut price = format!("{} a week", pounds(o.weekly_price));
        let against: Vec<String> =
            [("the contract price", o.contract_price), ("the region's median", o.regional_median)]
                .into_iter()
                .filter_map(|(what, p)| p.map(|p| compare(o.weekly_price, p, what)))
                .collect();
        if !against.is_empty() {
            price.push_str(&format!(" ({})", against.join("; ")));
        }
        let mut rows = vec![
            ("Weekly price", price),
            ("Start", super::referrals::day(&o.start)),
            ("Includes", if o.includes.is_empty() { "Nothing stated".to_owned() } else { o.includes.clone() }),
        ];
        if !o.notes.is_empty() {
            rows.push(("Notes", o.notes.clone()));
        }
        rows.push(("Contract", o.tier.label().to_owned()));
        if let Some(m) = &o.ranking {
            rows.push(("Rank among matching homes", m.rank.to_string()));
        }
        rows.push(("Made", london(o.made_at)));
        Self {
            id: o.id,
            title: format!("{}: {}", o.provider_name, o.home_name),
            status: o.status.label().to_owned(),
            live: o.status.is_live(),
            rows,
            reasons: o.ranking.as_ref().map(|m| m.reasons.clone()).unwrap_or_default(),
        }
    }
}

/// "£150 more than the contract price of £4,100" and the like.
fn compare(price: u32, other: u32, what: &str) -> String {
    match price.cmp(&other) {
        std::cmp::Ordering::Equal => format!("the same as {what}"),
        std::cmp::Ordering::Greater => format!("{} more than {what} of {}", pounds(price - other), pounds(other)),
        std::cmp::Ordering::Less => format!("{} less than {what} of {}", pounds(other - price), pounds(other)),
    }
}

/// A decline as the offers page's table row.
fn decline_row(d: &DeclineView) -> TableRow {
    let note = if d.note.is_empty() { "None".to_owned() } else { d.note.clone() };
    TableRow {
        head: d.provider_name.clone(),
        href: None,
        cells: vec![d.reason_label.clone(), note, london(d.declined_at)],
    }
}

#[derive(Template)]
#[template(path = "offers.html")]
struct OffersPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    notice: Option<String>,
    id: i64,
    council: bool,
    can_accept: bool,
    can_respond: bool,
    due: Option<String>,
    offers: Vec<OfferCard>,
    declines: Vec<TableRow>,
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct Done {
    offered: Option<i64>,
    declined: Option<bool>,
    withdrawn: Option<i64>,
}

async fn offers(State(app): State<App>, who: Signed, Path(id): Path<i64>, Query(q): Query<Done>) -> Reply {
    let a: AnswersView = app.services.answers(&who.principal, ReferralId(id)).await?;
    let council = who.principal.organisation_kind == OrganisationKind::Council && who.principal.la_code.is_some();
    let notice = match (q.offered, q.declined, q.withdrawn) {
        (Some(o), _, _) => Some(format!("Offer {o} was sent to the council")),
        (_, Some(true), _) => Some("Your decline was sent to the council".to_owned()),
        (_, _, Some(o)) => Some(format!("Offer {o} was withdrawn")),
        _ => None,
    };
    let open = a.status.is_live();
    let page = OffersPage {
        chrome: who.chrome(),
        title: if council { format!("Offers on referral {id}") } else { format!("Our answers to referral {id}") },
        error_title: false,
        notice,
        id,
        can_accept: council && open && who.principal.can(Capability::EditReferrals),
        can_respond: !council && open && who.principal.can(Capability::RespondToReferrals),
        council,
        due: a.sending.as_ref().map(|s| london(s.due_at)),
        offers: a.offers.iter().map(OfferCard::from).collect(),
        declines: a.declines.iter().map(decline_row).collect(),
        csrf_token: who.session.csrf_token.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "accept.html")]
struct ConfirmPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    id: i64,
    offer: OfferCard,
    form: FormState,
    /// The placements the children are in now, as Hearth holds them, in words: accepting ends each
    /// when the new one starts. Only then is the reason for the move asked; with none, nothing is.
    current: Vec<(String, String)>,
    reasons: Vec<(&'static str, &'static str)>,
    plans: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn confirm_page(
    app: &App,
    v: &Viewer<'_>,
    origin: &hearth_service::Origin,
    id: i64,
    offer: i64,
    form: FormState,
) -> Reply {
    let (p, csrf) = (v.principal, v.csrf);
    let a = app.services.answers(p, ReferralId(id)).await?;
    let o = a.offers.iter().find(|o| o.id == offer).ok_or_else(|| {
        PageError::from(hearth_service::ServiceError::NotFound(format!("offer {offer} on referral {id}")))
    })?;
    let starts = super::referrals::day(&o.start);
    let current = app
        .services
        .current_placements(p, ReferralId(id), origin)
        .await?
        .into_iter()
        .map(|c| {
            let home = c.home.map(|h| format!(" at {h}")).unwrap_or_default();
            let since = super::referrals::day(&c.start);
            let words = format!(
                "Placement {}{home} ({}), since {since}. It ends on {starts}, when the new one starts.",
                c.placement,
                c.kind.to_lowercase()
            );
            (c.child, words)
        })
        .collect();
    let page = ConfirmPage {
        chrome: v.chrome(),
        title: format!("Accept {}'s offer of {}", o.provider_name, o.home_name),
        error_title: form.has_errors(),
        errors: form.summary(),
        id,
        offer: OfferCard::from(o),
        current,
        reasons: ReasonPlaceChange::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        plans: vec![("yes", "Yes"), ("no", "No")],
        csrf_token: csrf.to_owned(),
        form,
    };
    Ok(render(page.form.status(), &page))
}

async fn confirm(
    State(app): State<App>,
    who: Signed,
    super::account::PageOrigin(origin): super::account::PageOrigin,
    Path((id, offer)): Path<(i64, i64)>,
) -> Reply {
    let form = FormState::default().with("planned", "yes").with("reason_change", ReasonPlaceChange::Carpl.code());
    confirm_page(&app, &who.viewer(), &origin, id, offer, form).await
}

async fn accept(State(app): State<App>, Path((id, offer)): Path<(i64, i64)>, post: Posted) -> Reply {
    let mut form = FormState::new(post.fields.clone());
    let input = AcceptInput {
        reason_change: Some(form.value("reason_change").to_owned()).filter(|r| !r.is_empty()),
        planned: Some(form.value("planned") != "no"),
    };
    let result = app.services.accept_offer(&post.principal, OfferId(offer), &input, &post.origin).await;
    if let Some(done) = form.absorb_conflict(result, &[])? {
        // The agreement page says what was made: the (first) placement, by its number.
        let placed = done.placements.first().map(|p| format!("&placement={}", p.id)).unwrap_or_default();
        return Ok(Redirect::to(&format!("/referrals/{id}/agreement?accepted={offer}{placed}")).into_response());
    }
    confirm_page(&app, &post.viewer(), &post.origin, id, offer, form).await
}

async fn withdraw(State(app): State<App>, Path(offer): Path<i64>, post: Posted) -> Reply {
    let o = app.services.withdraw_offer(&post.principal, OfferId(offer), &post.origin).await?;
    Ok(Redirect::to(&format!("/referrals/{}/offers?withdrawn={offer}", o.referral)).into_response())
}

/// One row of "Our offers", in words.
pub struct OwnOfferRow {
    id: i64,
    referral: i64,
    council: String,
    home: String,
    price: String,
    start: String,
    status: &'static str,
    /// Waiting for the council: may be withdrawn.
    live: bool,
    urgency: &'static str,
    deadline: String,
}

#[derive(Template)]
#[template(path = "own_offers.html")]
struct OwnOffersPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    statuses: Vec<(&'static str, &'static str)>,
    urgencies: Vec<(&'static str, &'static str)>,
    rows: Vec<OwnOfferRow>,
    pager: Pager,
    /// The folded filters are open: one of them is set, or wrong.
    more_open: bool,
    csrf_token: String,
}

/// An offer's status in the few words a list's tag holds.
pub fn offer_status_short(s: OfferStatus) -> &'static str {
    match s {
        OfferStatus::Made => "Offered",
        OfferStatus::Withdrawn => "Withdrawn",
        OfferStatus::Accepted => "Accepted",
        OfferStatus::NotChosen => "Not chosen",
        OfferStatus::Lapsed => "Lapsed",
    }
}

/// Whether any of `fields` (or a date input's boxes named so) is filled in or refused.
pub(super) fn any_set(form: &FormState, fields: &[&str]) -> bool {
    fields.iter().any(|f| {
        form.error(f).is_some()
            || !form.value(f).trim().is_empty()
            || ["day", "month", "year"].iter().any(|p| !form.part(f, p).trim().is_empty())
    })
}

/// "Our offers": the organisation's offers, those waiting for the council first (the referral's
/// nearest deadline first), then the rest, newest first; filtered by status, home, the referral's
/// urgency, start dates and referral number, and paged, by the database. A live one has Withdraw.
async fn own_offers(State(app): State<App>, who: Signed, Query(params): Query<Vec<(String, String)>>) -> Reply {
    let mut form = query_form(params);
    let mut filter = OfferFilter {
        status: choice(&mut form, "status", OfferStatus::parse, "a status"),
        urgency: choice(&mut form, "urgency", Urgency::parse, "an urgency"),
        start_from: form.date("start_from", "the first start date", false),
        start_to: form.date("start_to", "the last start date", false),
        home: Some(form.value("home").to_owned()),
        search: Some(form.value("q").to_owned()),
        ..Default::default()
    };
    let page_raw = form.value("page").to_owned();
    filter.page = page_number(&page_raw, &mut form);
    let list = if form.has_errors() {
        None
    } else {
        match app.services.offer_list(&who.principal, &filter).await {
            Ok(list) => Some(list),
            Err(hearth_service::ServiceError::Invalid(errs)) => {
                form.add_all(errs, &[]);
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    let list = list.unwrap_or(ListPage { rows: vec![], total: 0, page: 1, per_page: 1 });
    let pager = Pager::of(&list, "offers", &list_base("/offers", &form));
    let rows = list
        .rows
        .iter()
        .map(|r| OwnOfferRow {
            id: r.offer.id.0,
            referral: r.offer.referral.0,
            council: r.council.clone(),
            home: r.home_name.clone(),
            price: format!("{} a week", pounds(r.offer.weekly_price.pounds())),
            start: super::referrals::day(&r.offer.start),
            status: offer_status_short(r.offer.status),
            live: r.awaiting_council,
            urgency: r.urgency.label(),
            deadline: r.deadline.map(deadline_cell).unwrap_or_default(),
        })
        .collect();
    let page = OwnOffersPage {
        chrome: who.chrome(),
        title: "Our offers",
        error_title: form.has_errors(),
        errors: form.summary(),
        statuses: OfferStatus::ALL.iter().map(|s| (s.code(), offer_status_short(*s))).collect(),
        urgencies: Urgency::ALL.iter().map(|u| (u.code(), u.label())).collect(),
        rows,
        pager,
        more_open: any_set(&form, &["home", "urgency", "start_from", "start_to"]),
        csrf_token: who.session.csrf_token.clone(),
        form,
    };
    Ok(render(page.form.status(), &page))
}
