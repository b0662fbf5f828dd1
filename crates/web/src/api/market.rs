//! The marketplace: sending a referral, providers' offers and declines, comparing and accepting.
//! Handlers only extract and call the service, which decides who may and keeps it atomic.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::offer::{DeclineInput, OfferInput};
use hearth_domain::{HomeId, OfferId, ReferralId};
use hearth_service::market::views::{
    AcceptInput, AcceptedView, AnswersView, DeclineView, OfferFormView, OfferView, SendRequest, SendingView,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(send))
        .routes(routes!(sendings))
        .routes(routes!(answers, offer))
        .routes(routes!(offer_form))
        .routes(routes!(decline))
        .routes(routes!(withdraw_offer))
        .routes(routes!(accept))
}

/// Sends a referral (a draft is submitted on the way): `chosen` to providers picked from the matches,
/// `all_fitting` to every provider with a home that passes the hard rules, or `cascade` (in-house,
/// then block, framework and spot, each step opened by Hearth when the one before has no offer by its
/// deadline). A provider with no fitting home is refused (422); a closed referral, or nobody to send
/// to, is 409.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/send", tag = "marketplace", request_body = SendRequest,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 201, body = SendingView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn send(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(req): Json<SendRequest>,
) -> Result<(StatusCode, Json<SendingView>), AppError> {
    let sent = app.services.send_referral(&auth.principal, ReferralId(id), &req, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// Every sending of one of the council's referrals (officers' and the cascade's), oldest first.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/sendings", tag = "marketplace",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Vec<SendingView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn sendings(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<Vec<SendingView>>, AppError> {
    Ok(Json(app.services.sendings(&auth.principal, ReferralId(id)).await?))
}

/// The answers on a referral side by side: for its council every offer (with the contract price, the
/// regional median for that kind of home and the home's ranking) and decline; for a provider its own.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/offers", tag = "marketplace",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = AnswersView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn answers(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<AnswersView>, AppError> {
    Ok(Json(app.services.answers(&auth.principal, ReferralId(id)).await?))
}

/// A provider offers one of its homes. Blank price and start date are taken from the home's profile.
/// A referral that no longer takes offers, a passed deadline, a home without a free place or a second
/// live offer of the same home is 409; a bad price or date, or a home that does not meet the referral,
/// is 422.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/offers", tag = "marketplace", request_body = OfferInput,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 201, body = OfferView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn offer(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<OfferInput>,
) -> Result<(StatusCode, Json<OfferView>), AppError> {
    let made = app.services.make_offer(&auth.principal, ReferralId(id), &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct FormQuery {
    /// The provider's home to offer.
    home: i64,
}

/// What an offer of one of the provider's homes starts with: the price the council would pay and the
/// earliest start date, from the home's profile and vacancy.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/offer-form", tag = "marketplace",
    params(("id" = i64, Path, description = "Referral id"), FormQuery),
    responses((status = 200, body = OfferFormView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn offer_form(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<FormQuery>,
) -> Result<Json<OfferFormView>, AppError> {
    Ok(Json(app.services.offer_form(&auth.principal, ReferralId(id), HomeId(q.home)).await?))
}

/// A provider declines a referral sent to it, with a reason (`no_vacancy`, `cannot_meet_needs`,
/// `impact_on_current_children`, `location`, `staffing`, `price`, `other` with a note). Once: a second
/// decline is 409, and a provider holding a live offer withdraws it instead (409). A later offer
/// supersedes the decline.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/decline", tag = "marketplace", request_body = DeclineInput,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 201, body = DeclineView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decline(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<DeclineInput>,
) -> Result<(StatusCode, Json<DeclineView>), AppError> {
    let declined = app.services.decline_referral(&auth.principal, ReferralId(id), &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(declined)))
}

/// A provider withdraws its live offer; an offer already accepted or closed is 409.
#[utoipa::path(post, path = "/api/v1/offers/{id}/withdraw", tag = "marketplace",
    params(("id" = i64, Path, description = "Offer id")),
    responses((status = 200, body = OfferView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn withdraw_offer(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<OfferView>, AppError> {
    Ok(Json(app.services.withdraw_offer(&auth.principal, OfferId(id), &auth.origin).await?))
}

/// Accepts an offer: the placements are made, the home's place taken, the other offers closed and the
/// referral placed, all at once; the placement agreement's first version is written. When two accepts
/// race for one referral or a home's last place, one wins and the other is 409 with what happened.
#[utoipa::path(post, path = "/api/v1/offers/{id}/accept", tag = "marketplace", request_body = AcceptInput,
    params(("id" = i64, Path, description = "Offer id")),
    responses((status = 201, body = AcceptedView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accept(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    input: Option<Json<AcceptInput>>,
) -> Result<(StatusCode, Json<AcceptedView>), AppError> {
    let input = input.map(|Json(i)| i).unwrap_or_default();
    let accepted = app.services.accept_offer(&auth.principal, OfferId(id), &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}
