//! Providers' answers to a referral (offers and declines), and the council accepting an offer.

use super::This;
use crate::StoreError;
use hearth_domain::OfferId;
use hearth_domain::OrganisationId;
use hearth_domain::ReferralId;
use hearth_domain::audit::Actor;
use hearth_domain::offer::OfferNotLive;
use hearth_domain::referral::ReferralAction;
use jiff::Timestamp;

#[tracing::instrument(skip_all, fields(referral = referral.0, provider = provider.0))]
pub(crate) async fn make_offer(
    store: &This,
    actor: &Actor,
    referral: ReferralId,
    provider: OrganisationId,
    offer: &hearth_domain::offer::OfferDraft,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<hearth_domain::offer::Offer, StoreError> {
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let status = store.lock_referral(&mut tx, referral).await?;
    status.check_live(referral, ReferralAction::Offer)?;
    let sent: bool = sqlx::query_scalar(crate::market_sql::IS_RECIPIENT)
        .bind(referral.0)
        .bind(provider.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if !sent {
        return Err(StoreError::Conflict(format!(
            "referral {referral} was not sent to provider {provider}; a provider can answer only the \
             referrals sent to it"
        )));
    }
    let pounds = offer.weekly_price.pounds();
    let row: crate::market_rows::OfferRow = sqlx::query_as(crate::market_sql::INSERT_OFFER)
        .bind(referral.0)
        .bind(provider.0)
        .bind(offer.home.0)
        .bind(crate::rows::int(pounds))
        .bind(crate::convert::date_to_sql(offer.start))
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(offer.terms.vacancy.map(|v| v.0))
        .bind(offer.terms.includes.as_str())
        .bind(offer.terms.notes.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if crate::market_rules::is_unique_violation(&e) {
                StoreError::Conflict(format!(
                    "home {} already has a live offer on referral {referral}; withdraw it before \
                     offering the home again",
                    offer.home
                ))
            } else {
                store.fail(e)
            }
        })?;
    let made = hearth_domain::offer::Offer::try_from(row)?;
    let superseded = sqlx::query(crate::market_sql::SUPERSEDE_DECLINES)
        .bind(referral.0)
        .bind(provider.0)
        .bind(made.id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    if status == ReferralStatus::Open {
        store.move_referral(&mut tx, actor, referral, status, ReferralStatus::Offers, at).await?;
    }
    This::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "offer.create",
        record_type: "offer",
        record_id: Some(made.id.to_string()),
        detail: Some(format!(
            "referral {referral}, home {}, {pounds} pounds a week{}",
            offer.home,
            if superseded > 0 { ", superseding the provider's decline" } else { "" }
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(made)
}

#[tracing::instrument(skip_all, fields(offer = offer.0, provider = provider.0))]
pub(crate) async fn withdraw_offer(
    store: &This,
    actor: &Actor,
    offer: OfferId,
    provider: OrganisationId,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<hearth_domain::offer::Offer, StoreError> {
    use hearth_domain::offer::OfferStatus;
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let located: Option<(i64, i64)> = sqlx::query_as(crate::market_sql::OFFER_REFERRAL)
        .bind(offer.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    // Another provider's offer is not found, exactly as one that does not exist.
    let referral = match located {
        Some((referral, owner)) if owner == provider.0 => ReferralId(referral),
        _ => return Err(StoreError::NotFound { what: format!("offer {offer}") }),
    };
    let status = store.lock_referral(&mut tx, referral).await?;
    let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::WITHDRAW_OFFER.get())
        .bind(offer.0)
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(provider.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let Some(row) = row else {
        let now: String = sqlx::query_scalar(crate::market_sql::OFFER_STATUS)
            .bind(offer.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        let now = OfferStatus::parse(&now).map_err(|_| crate::error::unreadable("offers.status"))?;
        return Err(OfferNotLive { offer, status: now }.into());
    };
    let withdrawn = hearth_domain::offer::Offer::try_from(row)?;
    let mut reopened = false;
    if status == ReferralStatus::Offers {
        let live: i64 = sqlx::query_scalar(crate::market_sql::LIVE_OFFER_COUNT.get())
            .bind(referral.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        if live == 0 {
            store.move_referral(&mut tx, actor, referral, status, ReferralStatus::Open, at).await?;
            reopened = true;
        }
    }
    This::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "offer.withdraw",
        record_type: "offer",
        record_id: Some(offer.to_string()),
        detail: Some(if reopened {
            format!("referral {referral}, open again: no live offer is left")
        } else {
            format!("referral {referral}")
        }),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(withdrawn)
}

#[allow(clippy::too_many_arguments)]
#[tracing::instrument(skip_all, fields(referral = referral.0, provider = provider.0))]
pub(crate) async fn decline(
    store: &This,
    actor: &Actor,
    referral: ReferralId,
    provider: OrganisationId,
    reason: hearth_domain::offer::DeclineReason,
    note: &str,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<hearth_domain::offer::Decline, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let status = store.lock_referral(&mut tx, referral).await?;
    status.check_live(referral, ReferralAction::Decline)?;
    // One standing answer per provider (the rule and its words are the domain's); the
    // referral's row, held above, makes a second decline or offer racing this one wait.
    let (live_offer, declined): (Option<i64>, bool) = sqlx::query_as(crate::market_sql::PROVIDER_ANSWERS.get())
        .bind(referral.0)
        .bind(provider.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    hearth_domain::dispatch::ProviderAnswer::check_decline(referral, live_offer.map(OfferId), declined)?;
    let row: crate::market_rows::DeclineRow = sqlx::query_as(crate::market_sql::INSERT_DECLINE)
        .bind(referral.0)
        .bind(provider.0)
        .bind(reason.code())
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(note)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let declined = hearth_domain::offer::Decline::try_from(row)?;
    This::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| store.fail(e))?;
    // The reason's code only: the note is free text and may describe the child.
    let line = crate::sql::AuditLine {
        at,
        action: "referral.decline",
        record_type: "referral",
        record_id: Some(referral.to_string()),
        detail: Some(format!("provider {provider}, reason {reason}")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(declined)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn offer(store: &This, id: OfferId) -> Result<hearth_domain::offer::Offer, StoreError> {
    let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::OFFER)
        .bind(id.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.ok_or_else(|| StoreError::NotFound { what: format!("offer {id}") })?.try_into()
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn offers_of(
    store: &This,
    referral: ReferralId,
) -> Result<Vec<hearth_domain::offer::Offer>, StoreError> {
    let rows: Vec<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::OFFERS_OF)
        .bind(referral.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn declines_of(
    store: &This,
    referral: ReferralId,
) -> Result<Vec<hearth_domain::offer::Decline>, StoreError> {
    let rows: Vec<crate::market_rows::DeclineRow> = sqlx::query_as(crate::market_sql::DECLINES_OF)
        .bind(referral.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(offer = acceptance.offer.0))]
pub(crate) async fn accept_offer(
    store: &This,
    actor: &Actor,
    acceptance: &crate::Acceptance,
    notify: &crate::Notify,
) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
    use hearth_domain::offer::OfferStatus;
    use hearth_domain::referral::ReferralStatus;
    let (id, at) = (acceptance.offer, acceptance.at);
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // 1. The offer's referral, found and locked in one statement (this is the hot path of
    // the busiest write): of many officers accepting at once, the first to take its row
    // goes on; the others find it placed.
    let locked: Option<(i64, String)> = sqlx::query_as(crate::market_sql::LOCK_REFERRAL_OF_OFFER)
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let (referral, status) = locked.ok_or_else(|| StoreError::NotFound { what: format!("offer {id}") })?;
    let referral = ReferralId(referral);
    let status = ReferralStatus::parse(&status).map_err(|_| crate::error::unreadable("referrals.status"))?;
    status.check_live(referral, ReferralAction::AcceptHeld)?;

    // 2. The offer, if still live.
    let row: Option<crate::market_rows::OfferRow> = sqlx::query_as(crate::market_sql::ACCEPT_OFFER.get())
        .bind(id.0)
        .bind(crate::convert::timestamp_to_sql(at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| {
            if crate::market_rules::is_unique_violation(&e) {
                StoreError::Conflict(format!("referral {referral} already has an accepted offer; reload it"))
            } else {
                store.fail(e)
            }
        })?;
    let Some(row) = row else {
        let now: String = sqlx::query_scalar(crate::market_sql::OFFER_STATUS)
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        let now = OfferStatus::parse(&now).map_err(|_| crate::error::unreadable("offers.status"))?;
        return Err(OfferNotLive { offer: id, status: now }.into());
    };
    let accepted = hearth_domain::offer::Offer::try_from(row)?;

    // 3. The home's places: never more children placed than it has (the rule is the domain's),
    // counted with the home's row held so that accepts for its other vacancies wait.
    let children = u16::try_from(acceptance.placements.len()).unwrap_or(u16::MAX);
    store.hold_home_for(&mut tx, accepted.home, children).await?;

    // 4. The places, if the offer named a vacancy.
    let mut taken = None;
    if let Some(vacancy) = accepted.terms.vacancy
        && acceptance.places > 0
    {
        taken = Some((vacancy, store.take_places(&mut tx, vacancy, acceptance.places).await?));
    }

    // 5. The other live offers.
    let not_chosen = sqlx::query(crate::market_sql::NOT_CHOSEN.get())
        .bind(referral.0)
        .bind(crate::convert::timestamp_to_sql(at))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();

    // 6. The placements, each ending the one it follows as a move.
    let mut placements = Vec::with_capacity(acceptance.placements.len());
    for p in &acceptance.placements {
        if let Some(previous) = p.previous {
            let ending =
                hearth_domain::placement::Ending::of_move(p.start, acceptance.move_reason, acceptance.move_planned);
            store.end_open_placement(&mut tx, previous, &ending).await?;
        }
        placements.push(store.insert_placement(&mut tx, p).await?);
    }

    store.move_referral(&mut tx, actor, referral, status, ReferralStatus::Placed, at).await?;
    if let Some(text) = &acceptance.agreement {
        // The offer was live until now, so it has no earlier version: this is version 1.
        let agreement: i64 = sqlx::query_scalar(crate::market_sql::INSERT_FIRST_AGREEMENT)
            .bind(referral.0)
            .bind(id.0)
            .bind(text.as_str())
            .bind(hearth_domain::agreement::text_hash(text))
            .bind(crate::convert::timestamp_to_sql(at))
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        let line = crate::sql::AuditLine {
            at,
            action: "agreement.create",
            record_type: "agreement",
            record_id: Some(agreement.to_string()),
            detail: Some(format!("referral {referral}, offer {id}, version 1")),
        };
        This::write_audit(&mut tx, actor, line).await.map_err(|e| store.fail(e))?;
    }
    This::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| store.fail(e))?;
    let vacancy = taken.map_or_else(String::new, |(v, left)| {
        format!(", vacancy {v}: {} places taken, {left} left", acceptance.places)
    });
    let line = crate::sql::AuditLine {
        at,
        action: "offer.accept",
        record_type: "offer",
        record_id: Some(id.to_string()),
        detail: Some(format!(
            "referral {referral} placed, {} placements, {not_chosen} other offers not chosen{vacancy}",
            placements.len()
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(placements)
}
