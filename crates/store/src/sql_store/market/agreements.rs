//! Placement agreements: their versions and signatures.

use super::This;
use crate::StoreError;
use hearth_domain::OfferId;
use hearth_domain::ReferralId;
use hearth_domain::agreement::SignRefused;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

#[tracing::instrument(skip_all, fields(referral = referral.0, offer = offer.0))]
pub(crate) async fn create_agreement(
    store: &This,
    actor: &Actor,
    referral: ReferralId,
    offer: OfferId,
    text: &str,
    at: Timestamp,
) -> Result<hearth_domain::agreement::Agreement, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // Holding the offer's row numbers two versions written at once one after the other.
    let held: Option<i64> = sqlx::query_scalar(crate::market_sql::LOCK_OFFER_OF_REFERRAL)
        .bind(offer.0)
        .bind(referral.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if held.is_none() {
        return Err(StoreError::NotFound { what: format!("offer {offer} on referral {referral}") });
    }
    let version: i32 = sqlx::query_scalar(crate::market_sql::NEXT_AGREEMENT_VERSION)
        .bind(offer.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    sqlx::query(crate::market_sql::SUPERSEDE_AGREEMENTS)
        .bind(offer.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let row: crate::market_rows::AgreementRow = sqlx::query_as(crate::market_sql::INSERT_AGREEMENT)
        .bind(referral.0)
        .bind(offer.0)
        .bind(version)
        .bind(text)
        .bind(hearth_domain::agreement::text_hash(text))
        .bind(crate::convert::timestamp_to_sql(at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let created = crate::market_rows::agreements_with_signatures(vec![row], Vec::new())?
        .pop()
        .ok_or_else(|| StoreError::NotFound { what: format!("offer {offer}'s agreement") })?;
    // Never the text, which names the children.
    let line = crate::sql::AuditLine {
        at,
        action: "agreement.create",
        record_type: "agreement",
        record_id: Some(created.id.to_string()),
        detail: Some(format!("referral {referral}, offer {offer}, version {version}")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(created)
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn agreement(store: &This, id: i64) -> Result<hearth_domain::agreement::Agreement, StoreError> {
    // Two reads that must agree: one transaction gives them one snapshot.
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let agreement = store.read_agreement(&mut tx, id).await?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok(agreement)
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn agreements_of(
    store: &This,
    referral: ReferralId,
) -> Result<Vec<hearth_domain::agreement::Agreement>, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let agreements = sqlx::query_as(crate::market_sql::AGREEMENTS_OF)
        .bind(referral.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let signatures = sqlx::query_as(crate::market_sql::SIGNATURES_OF_REFERRAL)
        .bind(referral.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    crate::market_rows::agreements_with_signatures(agreements, signatures)
}

#[tracing::instrument(skip_all, fields(agreement))]
pub(crate) async fn sign_agreement(
    store: &This,
    actor: &Actor,
    agreement: i64,
    signature: &hearth_domain::agreement::Signature,
    notify: &crate::Notify,
) -> Result<hearth_domain::agreement::Agreement, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // Holding the version's row: a newer version written at the same moment supersedes it
    // either before this looks (and it is refused) or after the signature is in.
    let row: Option<crate::market_rows::SigningRow> = sqlx::query_as(crate::market_sql::LOCK_AGREEMENT)
        .bind(agreement)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let row = row.ok_or_else(|| StoreError::NotFound { what: format!("agreement {agreement}") })?;
    if row.superseded {
        let latest: Option<i32> = sqlx::query_scalar(crate::market_sql::LATEST_AGREEMENT_VERSION)
            .bind(row.offer_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        let version = |v: i32| u32::try_from(v).map_err(|_| crate::error::unreadable("agreements.version"));
        let refused =
            SignRefused::Superseded { version: version(row.version)?, latest: latest.map(version).transpose()? };
        return Err(StoreError::Conflict(refused.to_string()));
    }
    // A signature is of the exact text its signer saw, so it can never be moved onto other words.
    if signature.text_hash != row.text_hash {
        let version = u32::try_from(row.version).map_err(|_| crate::error::unreadable("agreements.version"))?;
        return Err(StoreError::Conflict(SignRefused::OtherText { version }.to_string()));
    }
    let added = sqlx::query(crate::market_sql::INSERT_SIGNATURE)
        .bind(agreement)
        .bind(signature.party.code())
        .bind(signature.user.0)
        .bind(signature.organisation.0)
        .bind(signature.name.as_str())
        .bind(crate::convert::timestamp_to_sql(signature.at))
        .bind(signature.text_hash.as_str())
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    if added == 0 {
        let version = u32::try_from(row.version).map_err(|_| crate::error::unreadable("agreements.version"))?;
        return Err(StoreError::Conflict(SignRefused::AlreadySigned { party: signature.party, version }.to_string()));
    }
    let referral = ReferralId(row.referral_id);
    This::write_notify(&mut tx, notify, Some(referral), signature.at).await.map_err(|e| store.fail(e))?;
    let signed = store.read_agreement(&mut tx, agreement).await?;
    let line = crate::sql::AuditLine {
        at: signature.at,
        action: "agreement.sign",
        record_type: "agreement",
        record_id: Some(agreement.to_string()),
        detail: Some(format!(
            "referral {referral}, version {}, signed for the {} by user {}",
            row.version, signature.party, signature.user
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(signed)
}
