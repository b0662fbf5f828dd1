//! Users, sessions, API tokens and sign-in attempts.

use super::This;
use crate::StoreError;
use hearth_domain::OrganisationId;
use hearth_domain::UserId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

impl This {
    /// Ends record `id` (a session, a token) if `owner`'s and still going, writing `line`. One that
    /// already ended is left as it was, with nothing to audit. One that is someone else's is
    /// `NotFound`, exactly as one that does not exist, so the answer does not tell them apart.
    pub(crate) async fn revoke(
        &self,
        actor: &Actor,
        revoke: &crate::sql::Revoke,
        id: i64,
        owner: i64,
        line: crate::sql::AuditLine<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
        let ended = sqlx::query(revoke.revoke)
            .bind(crate::convert::timestamp_to_sql(line.at))
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.fail(e))?
            .rows_affected();
        if ended == 0 {
            let owned: bool = sqlx::query_scalar(revoke.owned)
                .bind(id)
                .bind(owner)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.fail(e))?;
            let what = format!("{} {id}", line.record_type.replace('_', " "));
            return if owned { Ok(()) } else { Err(StoreError::NotFound { what }) };
        }
        self.commit_audited(tx, actor, line).await
    }
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn account(store: &This, id: UserId) -> Result<crate::Account, StoreError> {
    let row: Option<crate::rows::AccountRow> =
        sqlx::query_as(crate::sql::ACCOUNT).bind(id.0).fetch_optional(&store.pool).await.map_err(|e| store.fail(e))?;
    row.ok_or_else(|| StoreError::NotFound { what: format!("user {id}") })?.try_into()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn account_by_email(
    store: &This,
    email: &hearth_domain::org::Email,
) -> Result<Option<crate::Account>, StoreError> {
    // `Email` is lower-cased when parsed and stored so (a CHECK says): equality is case-blind.
    let row: Option<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNT_BY_EMAIL)
        .bind(email.as_str())
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all, fields(organisation = organisation.0))]
pub(crate) async fn accounts_of(store: &This, organisation: OrganisationId) -> Result<Vec<crate::Account>, StoreError> {
    let rows: Vec<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNTS_OF)
        .bind(organisation.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn create_user(
    store: &This,
    actor: &Actor,
    user: &crate::NewUser,
    at: Timestamp,
) -> Result<crate::Account, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // A taken e-mail fails here on the unique index (Conflict); the transaction is dropped.
    let id: i64 = sqlx::query_scalar(crate::sql::INSERT_USER)
        .bind(user.organisation.0)
        .bind(user.email.as_str())
        .bind(user.display_name.as_str())
        .bind(user.role.code())
        .bind(user.password_hash.as_deref())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let row: crate::rows::AccountRow =
        sqlx::query_as(crate::sql::ACCOUNT).bind(id).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let account = crate::Account::try_from(row)?;
    let line = crate::sql::AuditLine {
        at,
        action: "user.create",
        record_type: "user",
        record_id: Some(id.to_string()),
        detail: Some(format!("organisation {}, role {}", user.organisation, user.role.code())),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(account)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn update_user(
    store: &This,
    actor: &Actor,
    id: UserId,
    change: &crate::UserChange,
    at: Timestamp,
) -> Result<crate::Account, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let updated: Option<i64> = sqlx::query_scalar(crate::sql::UPDATE_USER)
        .bind(change.display_name.as_deref())
        .bind(change.role.map(|r| r.code()))
        .bind(change.active)
        .bind(change.password_hash.as_deref())
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    // Unknown user: the transaction is dropped, so no audit line is written.
    let id = updated.ok_or_else(|| StoreError::NotFound { what: format!("user {id}") })?;
    let row: crate::rows::AccountRow =
        sqlx::query_as(crate::sql::ACCOUNT).bind(id).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let account = crate::Account::try_from(row)?;
    let line = crate::sql::AuditLine {
        at,
        action: "user.update",
        record_type: "user",
        record_id: Some(id.to_string()),
        detail: Some(change.audit_detail()),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(account)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn set_missing_password_hashes(
    store: &This,
    actor: &Actor,
    hash: &str,
    at: Timestamp,
) -> Result<u64, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let set = sqlx::query(crate::sql::SET_MISSING_PASSWORD_HASHES)
        .bind(hash)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    let line = crate::sql::AuditLine {
        at,
        action: "user.password_set",
        record_type: "user",
        record_id: None,
        detail: Some(format!("{set} users without a password were given one")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(set)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn create_session(
    store: &This,
    actor: &Actor,
    session: &crate::NewSession,
) -> Result<crate::SessionRecord, StoreError> {
    use crate::convert::timestamp_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let row: crate::rows::SessionRow = sqlx::query_as(crate::sql::INSERT_SESSION)
        .bind(session.token_hash.as_str())
        .bind(session.user.0)
        .bind(session.csrf_token.as_str())
        .bind(timestamp_to_sql(session.created_at))
        .bind(timestamp_to_sql(session.expires_at))
        .bind(session.ip.as_deref())
        .bind(session.user_agent.as_deref())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let record = crate::SessionRecord::try_from(row)?;
    let line = crate::sql::AuditLine {
        at: session.created_at,
        action: "session.create",
        record_type: "session",
        record_id: Some(record.id.to_string()),
        detail: Some(format!("user {}", session.user)),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(record)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn session_by_hash(
    store: &This,
    token_hash: &str,
) -> Result<Option<crate::SessionRecord>, StoreError> {
    let row: Option<crate::rows::SessionRow> = sqlx::query_as(crate::sql::SESSION_BY_HASH)
        .bind(token_hash)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all, fields(user = user.0))]
pub(crate) async fn sessions_of(
    store: &This,
    user: UserId,
    now: Timestamp,
) -> Result<Vec<crate::SessionRecord>, StoreError> {
    let rows: Vec<crate::rows::SessionRow> = sqlx::query_as(crate::sql::LIVE_SESSIONS_OF)
        .bind(user.0)
        .bind(crate::convert::timestamp_to_sql(now))
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(user = user.0, session))]
pub(crate) async fn revoke_session(
    store: &This,
    actor: &Actor,
    user: UserId,
    session: i64,
    at: Timestamp,
) -> Result<(), StoreError> {
    let line = crate::sql::AuditLine {
        at,
        action: "session.revoke",
        record_type: "session",
        record_id: Some(session.to_string()),
        detail: Some(format!("user {user}")),
    };
    store.revoke(actor, &crate::sql::REVOKE_SESSION, session, user.0, line).await
}

#[tracing::instrument(skip_all, fields(user = user.0))]
pub(crate) async fn revoke_all_sessions(
    store: &This,
    actor: &Actor,
    user: UserId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let known: bool = sqlx::query_scalar(crate::sql::USER_EXISTS)
        .bind(user.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if !known {
        return Err(StoreError::NotFound { what: format!("user {user}") });
    }
    let ended = sqlx::query(crate::sql::REVOKE_LIVE_SESSIONS_OF)
        .bind(crate::convert::timestamp_to_sql(now))
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    let line = crate::sql::AuditLine {
        at: now,
        action: "session.revoke_all",
        record_type: "user",
        record_id: Some(user.to_string()),
        detail: Some(format!("{ended} live sessions ended")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(ended)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn create_api_token(
    store: &This,
    actor: &Actor,
    token: &crate::NewApiToken,
) -> Result<crate::ApiTokenRecord, StoreError> {
    use crate::convert::timestamp_to_sql;
    let scopes = crate::rows::scopes_to_sql(&token.scopes);
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let row: crate::rows::ApiTokenRow = sqlx::query_as(crate::sql::INSERT_API_TOKEN)
        .bind(token.token_hash.as_str())
        .bind(token.organisation.0)
        .bind(token.issued_by.0)
        .bind(token.name.as_str())
        .bind(scopes.as_str())
        .bind(timestamp_to_sql(token.created_at))
        .bind(token.expires_at.map(timestamp_to_sql))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let record = crate::ApiTokenRecord::try_from(row)?;
    let line = crate::sql::AuditLine {
        at: token.created_at,
        action: "token.create",
        record_type: "api_token",
        record_id: Some(record.id.to_string()),
        detail: Some(if scopes.is_empty() { "no scopes".to_owned() } else { format!("scopes {scopes}") }),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(record)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn api_token_by_hash(
    store: &This,
    token_hash: &str,
) -> Result<Option<crate::ApiTokenRecord>, StoreError> {
    let row: Option<crate::rows::ApiTokenRow> = sqlx::query_as(crate::sql::API_TOKEN_BY_HASH)
        .bind(token_hash)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all, fields(organisation = organisation.0))]
pub(crate) async fn api_tokens_of(
    store: &This,
    organisation: OrganisationId,
) -> Result<Vec<crate::ApiTokenRecord>, StoreError> {
    let rows: Vec<crate::rows::ApiTokenRow> = sqlx::query_as(crate::sql::API_TOKENS_OF)
        .bind(organisation.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(organisation = organisation.0, id))]
pub(crate) async fn revoke_api_token(
    store: &This,
    actor: &Actor,
    organisation: OrganisationId,
    id: i64,
    at: Timestamp,
) -> Result<(), StoreError> {
    let line = crate::sql::AuditLine {
        at,
        action: "token.revoke",
        record_type: "api_token",
        record_id: Some(id.to_string()),
        detail: None,
    };
    store.revoke(actor, &crate::sql::REVOKE_API_TOKEN, id, organisation.0, line).await
}

#[tracing::instrument(skip_all)]
pub(crate) async fn record_sign_in(
    store: &This,
    actor: &Actor,
    attempt: &crate::SignInAttempt,
) -> Result<(), StoreError> {
    let email = crate::accounts::attempt_email(&attempt.email);
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(crate::sql::INSERT_SIGN_IN)
        .bind(email.as_str())
        .bind(attempt.ip.as_str())
        .bind(crate::convert::timestamp_to_sql(attempt.at))
        .bind(attempt.succeeded)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if !attempt.succeeded {
        // The line names the account by id, never by the e-mail typed (which may be someone's
        // password typed into the wrong box).
        let user: Option<i64> = sqlx::query_scalar(crate::sql::USER_ID_BY_EMAIL)
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        let line = crate::sql::AuditLine {
            at: attempt.at,
            action: "session.sign_in_failed",
            record_type: "user",
            record_id: user.map(|u| u.to_string()),
            detail: user.is_none().then(|| "no user has that e-mail".to_owned()),
        };
        This::write_audit(&mut tx, actor, line).await.map_err(|e| store.fail(e))?;
    }
    tx.commit().await.map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all)]
pub(crate) async fn failed_sign_ins_since(
    store: &This,
    email: &str,
    ip: &str,
    since: Timestamp,
) -> Result<crate::FailureCounts, StoreError> {
    let row: crate::rows::FailureCountsRow = sqlx::query_as(crate::sql::FAILED_SIGN_INS)
        .bind(crate::accounts::attempt_email(email))
        .bind(ip)
        .bind(crate::convert::timestamp_to_sql(since))
        .fetch_one(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.try_into()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn record_sign_in_throttle(
    store: &This,
    actor: &Actor,
    email: &str,
    action: &str,
    detail: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    if !matches!(action, "session.locked" | "session.sign_in_refused") {
        return Err(StoreError::Invalid(format!("'{action}' is not a sign-in throttle line")));
    }
    let email = crate::accounts::attempt_email(email);
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // As for a failure: the account by id, never the e-mail typed.
    let user: Option<i64> = sqlx::query_scalar(crate::sql::USER_ID_BY_EMAIL)
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action,
        record_type: "user",
        record_id: user.map(|u| u.to_string()),
        detail: Some(detail.to_owned()),
    };
    This::write_audit(&mut tx, actor, line).await.map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all, fields(user = user.0))]
pub(crate) async fn clear_sign_in_failures(
    store: &This,
    actor: &Actor,
    user: UserId,
    at: Timestamp,
) -> Result<u64, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let row: Option<crate::rows::AccountRow> =
        sqlx::query_as(crate::sql::ACCOUNT).bind(user.0).fetch_optional(&mut *tx).await.map_err(|e| store.fail(e))?;
    let account: crate::Account =
        row.ok_or_else(|| StoreError::NotFound { what: format!("user {user}") })?.try_into()?;
    let cleared = sqlx::query(crate::sql::CLEAR_SIGN_IN_FAILURES)
        .bind(crate::accounts::attempt_email(account.user.email.as_str()))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    let line = crate::sql::AuditLine {
        at,
        action: "user.unlock",
        record_type: "user",
        record_id: Some(user.to_string()),
        detail: Some(format!("cleared {cleared} failed sign-ins")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(cleared)
}
