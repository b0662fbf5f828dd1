//! Referrals as pages: a council's own (its officers' list, each referral in full with its history,
//! the matching homes with why each is there) and a provider's "sent to us" list with the minimised
//! view. Which view a person gets is the service's decision; the page only shows it.

use super::account::PageOrigin;
use super::admin::Reply;
use super::forms::Posted;
use super::paging::Paging;
use super::sending::SendingRow;
use super::words::{factor_words, free_from, rule_words};
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
use hearth_domain::home::pounds;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{Need, ReferralStatus};
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
    /// Open, but sent to nobody: no provider can see it until it is sent.
    unsent: bool,
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
        let when = super::words::london_short(e.at);
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
                unsent: can_edit && s == ReferralStatus::Open && sendings.is_empty(),
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

/// One home of a ranked list as the matches and search pages' table shows it.
pub(super) struct MatchRow {
    pub(super) rank: usize,
    /// The home's number, which a move to this home is recorded with.
    pub(super) home: i64,
    pub(super) name: String,
    pub(super) provider: String,
    pub(super) kind: &'static str,
    pub(super) district: String,
    /// "4.2", or "Not known" when nothing is recorded of where the child lived.
    pub(super) miles: String,
    pub(super) tier: &'static str,
    pub(super) price: String,
    pub(super) free: String,
    /// Each factor that applied, in words, with its sentence.
    pub(super) reasons: Vec<(&'static str, String)>,
}

/// The homes each hard rule left out (the answer's `excluded`, rule code → count), as the page says
/// them: the rule in words, the count with thousands separated ("Not registered", "1,024"), most first.
pub(super) fn excluded_in_words(excluded: &serde_json::Value) -> Vec<(String, String)> {
    let mut counts: Vec<(String, u64)> = excluded
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((rule_words(k).unwrap_or_else(|| "Another rule".to_owned()), v.as_u64()?)))
                .filter(|(_, n)| *n > 0)
                .collect()
        })
        .unwrap_or_default();
    counts.sort_by_key(|e| std::cmp::Reverse(e.1));
    counts.into_iter().map(|(rule, n)| (rule, super::lists::thousands(n))).collect()
}

/// The table's rows for ranked homes, each explained factor by factor (`reasons` one sentence per
/// factor, as a referral's matches and a quick search with `explain=all` give them). `known`: the
/// miles are from somewhere known.
pub(super) fn match_rows(
    matches: Vec<hearth_service::matching::MatchView>,
    known: bool,
    today: jiff::civil::Date,
) -> Vec<MatchRow> {
    matches
        .into_iter()
        .map(|h| MatchRow {
            rank: h.rank,
            home: h.home,
            kind: h.kind.label(),
            miles: if known && h.distance_miles < 999.0 {
                format!("{:.1}", h.distance_miles)
            } else {
                "Not known".into()
            },
            tier: h.tier.label(),
            price: pounds(h.weekly_price),
            free: free_from(h.available_from, today),
            name: h.name,
            provider: h.provider,
            district: h.district,
            reasons: h
                .contributions
                .iter()
                .zip(h.reasons)
                .map(|(c, why)| (factor_words(c.factor).unwrap_or("Also"), why))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "matches.html")]
struct MatchesPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    id: i64,
    /// The page's own path and `?`, which its pagination links add `page=N` to.
    path: String,
    rows: Vec<MatchRow>,
    paging: Paging,
    /// The table's caption, before its range.
    caption: &'static str,
    /// How many homes the rules left out, with thousands separated.
    excluded_total: String,
    /// (rule in words, homes it left out), most first.
    excluded: Vec<(String, String)>,
    /// What the miles are measured from, when known.
    distance_from: Option<String>,
    notes: Vec<String>,
}

/// How many homes a page of matches lists.
const MATCHES_PER_PAGE: usize = 20;

#[derive(Deserialize)]
pub struct PageQuery {
    /// Kept as typed: a page that is not a number shows the first (see [`Paging::new`]).
    page: Option<String>,
}

async fn matches(State(app): State<App>, who: Signed, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> Reply {
    // The first page's answer also says how many homes there are; a later page is asked for once
    // that is known, so a page past the end shows the last rather than nothing.
    let first = app.services.matches_page(&who.principal, ReferralId(id), 0, MATCHES_PER_PAGE).await?;
    let paging = Paging::new(q.page.as_deref(), MATCHES_PER_PAGE, first.considered);
    let m = if paging.skip() == 0 {
        first
    } else {
        app.services.matches_page(&who.principal, ReferralId(id), paging.skip(), MATCHES_PER_PAGE).await?
    };
    let rows = match_rows(m.matches, m.distance_from.is_some(), app.services.today());
    let page = MatchesPage {
        chrome: who.chrome(),
        title: format!("Matching homes for referral {id}"),
        error_title: false,
        id,
        path: format!("/referrals/{id}/matches?"),
        rows,
        paging,
        caption: "Matching homes",
        excluded_total: super::lists::thousands(m.excluded_total as u64),
        excluded: excluded_in_words(&m.excluded),
        distance_from: m.distance_from,
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
