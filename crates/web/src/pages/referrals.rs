//! Referrals as pages: a council's own (its officers' list, each referral in full with its history,
//! the matching homes with why each is there) and a provider's "sent to us" list with the minimised
//! view. Which view a person gets is the service's decision; the page only shows it.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::Posted;
use super::sending::SendingRow;
use super::{Chrome, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use hearth_domain::ReferralId;
use hearth_domain::access::Capability;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{Need, ReferralStatus};
use hearth_service::matching::MatchesView;
use hearth_service::views::{ReferralFull, ReferralMinimised, ReferralView};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/referrals/{id}", get(one))
        .route("/referrals/{id}/matches", get(matches))
        .route("/referrals/{id}/submit", post(submit))
        .route("/referrals/{id}/withdraw", post(withdraw))
}

pub fn day(d: &jiff::civil::Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

fn needs_text(needs: &[Need]) -> String {
    if needs.is_empty() {
        "None recorded".to_owned()
    } else {
        needs.iter().map(|n| n.label()).collect::<Vec<_>>().join(", ")
    }
}

#[derive(Template)]
#[template(path = "referral.html")]
struct FullPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    notice: Option<String>,
    r: ReferralFull,
    today: jiff::civil::Date,
    status: &'static str,
    needs: String,
    can_edit: bool,
    can_submit: bool,
    can_withdraw: bool,
    can_send: bool,
    sendings: Vec<SendingRow>,
    /// Offers can be compared once the referral has been sent.
    offers_link: bool,
    agreement_link: bool,
    csrf_token: String,
}

impl FullPage {
    fn age(&self, dob: &jiff::civil::Date) -> i16 {
        hearth_domain::child::age_on(*dob, self.today)
    }

    fn event(&self, e: &hearth_service::views::ReferralEventView) -> String {
        let when = e.at.strftime("%-d %b %Y %H:%M UTC");
        match (e.from, e.to) {
            (None, _) => format!("{when}: created as a draft"),
            (Some(_), None) => format!("{when}: changed"),
            (Some(from), Some(to)) => format!("{when}: {} → {}", from.label(), to.label()),
        }
    }
}

#[derive(Template)]
#[template(path = "referral_minimised.html")]
struct MinimisedPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    r: ReferralMinimised,
    needs: String,
    can_respond: bool,
}

#[derive(Deserialize)]
pub struct Created {
    created: Option<bool>,
    sent: Option<bool>,
}

async fn one(
    State(app): State<App>,
    who: Signed,
    PageOrigin(origin): PageOrigin,
    Path(id): Path<i64>,
    Query(q): Query<Created>,
) -> Reply {
    match app.services.referral(&who.principal, ReferralId(id), &origin).await? {
        ReferralView::Full(r) => {
            let s = r.summary.status;
            let can_edit =
                who.principal.can(Capability::EditReferrals) && who.principal.la_code == Some(r.summary.la_code);
            // Whom it was sent to is the council's business: other readers of the full view (the
            // provider whose offer was accepted) get the referral without it.
            let sendings = if who.principal.organisation_kind == OrganisationKind::Council {
                app.services.sendings(&who.principal, ReferralId(id)).await?
            } else {
                vec![]
            };
            let notice = match (q.created, q.sent) {
                (Some(true), _) => Some(format!("Referral {id} was created as a draft")),
                (_, Some(true)) => Some(format!("Referral {id} was sent. Providers are told by e-mail and in Hearth.")),
                _ => None,
            };
            let page = FullPage {
                chrome: who.chrome(),
                title: format!("Referral {id}"),
                error_title: false,
                notice,
                can_send: can_edit && !s.is_closed(),
                // Referrals from before sending was recorded may have offers without a sending.
                offers_link: !sendings.is_empty() || matches!(s, ReferralStatus::Offers | ReferralStatus::Placed),
                agreement_link: s == ReferralStatus::Placed,
                sendings: sendings.iter().map(SendingRow::from).collect(),
                today: app.services.today(),
                status: s.label(),
                needs: needs_text(&r.summary.needs),
                can_edit: can_edit && !s.is_closed(),
                can_submit: can_edit && s == ReferralStatus::Draft,
                can_withdraw: can_edit && s.can_become(ReferralStatus::Withdrawn),
                csrf_token: who.session.csrf_token.clone(),
                r: *r,
            };
            Ok(render(StatusCode::OK, &page))
        }
        ReferralView::Minimised(r) => {
            let page = MinimisedPage {
                chrome: who.chrome(),
                title: format!("Referral {id}"),
                error_title: false,
                needs: needs_text(&r.needs),
                can_respond: who.principal.can(Capability::RespondToReferrals) && r.status.is_live(),
                r,
            };
            Ok(render(StatusCode::OK, &page))
        }
    }
}

struct MatchRow {
    rank: usize,
    /// The home's number, which a move to this home is recorded with.
    home: i64,
    name: String,
    provider: String,
    kind: &'static str,
    district: String,
    miles: String,
    tier: &'static str,
    price: u32,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "matches.html")]
struct MatchesPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    id: i64,
    rows: Vec<MatchRow>,
    considered: usize,
    excluded_total: usize,
    /// (rule, homes it left out), most first.
    excluded: Vec<(String, u64)>,
    notes: Vec<String>,
}

/// How many homes the page lists; the API offers up to 200.
const MATCHES_SHOWN: usize = 20;

async fn matches(State(app): State<App>, who: Signed, PageOrigin(origin): PageOrigin, Path(id): Path<i64>) -> Reply {
    let m: MatchesView = app.services.matches(&who.principal, ReferralId(id), MATCHES_SHOWN, &origin).await?;
    let mut excluded: Vec<(String, u64)> = m
        .excluded
        .as_object()
        .map(|o| {
            o.iter().filter_map(|(k, v)| Some((k.replace('_', " "), v.as_u64()?))).filter(|(_, n)| *n > 0).collect()
        })
        .unwrap_or_default();
    excluded.sort_by_key(|e| std::cmp::Reverse(e.1));
    let from = m.distance_from.clone();
    let rows = m
        .matches
        .into_iter()
        .map(|h| MatchRow {
            rank: h.rank,
            home: h.home,
            kind: h.kind.label(),
            name: h.name,
            provider: h.provider,
            district: h.district,
            miles: match &from {
                Some(place) if h.distance_miles < 999.0 => format!("{:.1} miles from {place}", h.distance_miles),
                _ => "distance not known: nothing is recorded of where the child lived".into(),
            },
            tier: h.tier.label(),
            price: h.weekly_price,
            reasons: h.reasons,
        })
        .collect();
    let page = MatchesPage {
        chrome: who.chrome(),
        title: format!("Matching homes for referral {id}"),
        error_title: false,
        id,
        rows,
        considered: m.considered,
        excluded_total: m.excluded_total,
        excluded,
        notes: m.notes,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn submit(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    app.services.submit_referral(&post.principal, ReferralId(id), &post.origin).await?;
    Ok(Redirect::to(&format!("/referrals/{id}")).into_response())
}

async fn withdraw(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    app.services.withdraw_referral(&post.principal, ReferralId(id), &post.origin).await?;
    Ok(Redirect::to(&format!("/referrals/{id}")).into_response())
}
