//! Provider onboarding: applications to join, their approval (organisation, first manager, invitation and
//! its e-mail in one transaction) or refusal, and invitations used to set a password.

use super::This;
use crate::StoreError;
use crate::onboarding as sql;
use crate::sql::AuditLine;
use hearth_domain::audit::Actor;
use hearth_domain::onboarding::ParsedApplication;
use hearth_domain::org::Role;
use hearth_domain::{OrganisationId, UserId};
use jiff::Timestamp;

#[tracing::instrument(skip_all)]
pub(crate) async fn create_application(
    store: &This,
    actor: &Actor,
    form: &ParsedApplication,
    from_ip: &str,
    at: Timestamp,
) -> Result<crate::ApplicationRecord, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let row: sql::ApplicationRow = sqlx::query_as(sql::INSERT_APPLICATION)
        .bind(form.organisation_name.as_str())
        .bind(form.company_number.as_str())
        .bind(form.urn.as_deref())
        .bind(form.contact_name.as_str())
        .bind(form.contact_email.as_str())
        .bind(form.contact_phone.as_deref())
        .bind(sql::councils_to_sql(&form.councils))
        .bind(form.framework)
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(from_ip)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let record = crate::ApplicationRecord::try_from(row)?;
    let line = AuditLine {
        at,
        action: "application.create",
        record_type: "application",
        record_id: Some(record.id.to_string()),
        detail: Some(format!("{} councils named, framework {}", form.councils.len(), form.framework)),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(record)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn applications(store: &This) -> Result<Vec<crate::ApplicationRecord>, StoreError> {
    let rows: Vec<sql::ApplicationRow> =
        sqlx::query_as(sql::APPLICATIONS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn application(store: &This, id: i64) -> Result<crate::ApplicationRecord, StoreError> {
    let row: Option<sql::ApplicationRow> =
        sqlx::query_as(sql::APPLICATION).bind(id).fetch_optional(&store.pool).await.map_err(|e| store.fail(e))?;
    row.ok_or_else(|| StoreError::NotFound { what: format!("application {id}") })?.try_into()
}

#[tracing::instrument(skip_all, fields(organisation = organisation.0))]
pub(crate) async fn application_of(
    store: &This,
    organisation: OrganisationId,
) -> Result<Option<crate::ApplicationRecord>, StoreError> {
    let row: Option<sql::ApplicationRow> = sqlx::query_as(sql::APPLICATION_OF_ORGANISATION)
        .bind(organisation.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn applications_from(store: &This, ip: &str, limit: u32) -> Result<Vec<Timestamp>, StoreError> {
    let rows: Vec<time::OffsetDateTime> = sqlx::query_scalar(sql::RECENT_FROM)
        .bind(ip)
        .bind(i64::from(limit))
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(|t| crate::convert::timestamp_from_sql(t, "applications.submitted_at")).collect()
}

/// Queues an e-mail holding a one-time link, in the caller's transaction, due at once.
async fn link_email(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    email: &crate::NewEmail,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(sql::INSERT_LINK_EMAIL)
        .bind(email.to.as_str())
        .bind(email.subject.as_str())
        .bind(email.body.as_str())
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(true)
        .execute(conn)
        .await?;
    Ok(())
}

fn already_decided(id: i64) -> StoreError {
    StoreError::Conflict(format!("application {id} has already been decided; reload it to see the decision"))
}

#[tracing::instrument(skip_all, fields(application = approval.application))]
pub(crate) async fn approve_application(
    store: &This,
    actor: &Actor,
    approval: &crate::Approval,
) -> Result<crate::Approved, StoreError> {
    use crate::convert::timestamp_to_sql;
    let id = approval.application;
    let at = approval.at;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let taken =
        sqlx::query(sql::TAKE_PENDING).bind(id).execute(&mut *tx).await.map_err(|e| store.fail(e))?.rows_affected();
    if taken == 0 {
        let exists: bool = sqlx::query_scalar(sql::APPLICATION_EXISTS)
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
        return Err(if exists {
            already_decided(id)
        } else {
            StoreError::NotFound { what: format!("application {id}") }
        });
    }
    let row: sql::ApplicationRow =
        sqlx::query_as(sql::APPLICATION).bind(id).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let app = crate::ApplicationRecord::try_from(row)?;
    let organisation: i64 = sqlx::query_scalar(sql::INSERT_PROVIDER)
        .bind(app.form.organisation_name.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let manager: i64 = match sqlx::query_scalar(crate::sql::INSERT_USER)
        .bind(organisation)
        .bind(app.form.contact_email.as_str())
        .bind(app.form.contact_name.as_str())
        .bind(Role::ProviderManager.code())
        .bind(None::<String>)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))
    {
        Err(StoreError::Conflict(_)) => {
            return Err(StoreError::Refused(hearth_domain::DomainError::new(
                "contact_email",
                "someone already signs in to Hearth with the contact's e-mail address; ask the provider for another contact, or refuse the application",
            )));
        }
        other => other?,
    };
    let decided = sqlx::query(sql::APPROVE)
        .bind(id)
        .bind(timestamp_to_sql(at))
        .bind(actor.user.map(|u| u.0))
        .bind(organisation)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    if decided == 0 {
        return Err(already_decided(id));
    }
    let invitation: sql::InvitationRow = sqlx::query_as(sql::INSERT_INVITATION)
        .bind(approval.invitation.token_hash.as_str())
        .bind(manager)
        .bind(id)
        .bind(timestamp_to_sql(approval.invitation.created_at))
        .bind(timestamp_to_sql(approval.invitation.expires_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    link_email(&mut tx, &approval.email, at).await.map_err(|e| store.fail(e))?;
    let lines = [
        AuditLine {
            at,
            action: "organisation.create",
            record_type: "organisation",
            record_id: Some(organisation.to_string()),
            detail: Some(format!("provider, from application {id}")),
        },
        AuditLine {
            at,
            action: "user.create",
            record_type: "user",
            record_id: Some(manager.to_string()),
            detail: Some(format!("organisation {organisation}, role {}", Role::ProviderManager.code())),
        },
        AuditLine {
            at,
            action: "invitation.create",
            record_type: "invitation",
            record_id: Some(invitation.id.to_string()),
            detail: Some(format!("user {manager}, expires {}", approval.invitation.expires_at)),
        },
    ];
    for line in lines {
        This::write_audit(&mut tx, actor, line).await.map_err(|e| store.fail(e))?;
    }
    let line = AuditLine {
        at,
        action: "application.approve",
        record_type: "application",
        record_id: Some(id.to_string()),
        detail: Some(format!("organisation {organisation}, manager user {manager}")),
    };
    let row: sql::ApplicationRow =
        sqlx::query_as(sql::APPLICATION).bind(id).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let application = crate::ApplicationRecord::try_from(row)?;
    store.commit_audited(tx, actor, line).await?;
    Ok(crate::Approved { application, organisation: OrganisationId(organisation), manager: UserId(manager) })
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn refuse_application(
    store: &This,
    actor: &Actor,
    id: i64,
    reason: &str,
    email: &crate::NewEmail,
    at: Timestamp,
) -> Result<crate::ApplicationRecord, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let decided = sqlx::query(sql::REFUSE)
        .bind(id)
        .bind(crate::convert::timestamp_to_sql(at))
        .bind(actor.user.map(|u| u.0))
        .bind(reason)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    let row: Option<sql::ApplicationRow> =
        sqlx::query_as(sql::APPLICATION).bind(id).fetch_optional(&mut *tx).await.map_err(|e| store.fail(e))?;
    let record = crate::ApplicationRecord::try_from(
        row.ok_or_else(|| StoreError::NotFound { what: format!("application {id}") })?,
    )?;
    if decided == 0 {
        return Err(already_decided(id));
    }
    let notify = crate::Notify { emails: vec![email.clone()], notices: vec![] };
    This::write_notify(&mut tx, &notify, None, at).await.map_err(|e| store.fail(e))?;
    let line = AuditLine {
        at,
        action: "application.refuse",
        record_type: "application",
        record_id: Some(id.to_string()),
        detail: None,
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(record)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn invitation_by_hash(
    store: &This,
    token_hash: &str,
) -> Result<Option<crate::InvitationRecord>, StoreError> {
    let row: Option<sql::InvitationRow> = sqlx::query_as(sql::INVITATION_BY_HASH)
        .bind(token_hash)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn accept_invitation(
    store: &This,
    actor: &Actor,
    id: i64,
    user: UserId,
    password_hash: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let used = sqlx::query(sql::USE_INVITATION)
        .bind(id)
        .bind(crate::convert::timestamp_to_sql(at))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    if used == 0 {
        return Err(StoreError::Conflict(hearth_domain::onboarding::InvitationRefusal::Used.words().to_owned()));
    }
    sqlx::query(sql::SET_PASSWORD)
        .bind(user.0)
        .bind(password_hash)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let line = AuditLine {
        at,
        action: "invitation.accept",
        record_type: "invitation",
        record_id: Some(id.to_string()),
        detail: Some(format!("user {user} set their password")),
    };
    store.commit_audited(tx, actor, line).await
}

#[tracing::instrument(skip_all, fields(user = user.0))]
pub(crate) async fn reinvite(
    store: &This,
    actor: &Actor,
    user: UserId,
    application: Option<i64>,
    invitation: &crate::NewInvitation,
    email: &crate::NewEmail,
) -> Result<crate::InvitationRecord, StoreError> {
    use crate::convert::timestamp_to_sql;
    let at = invitation.created_at;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(sql::END_OPEN_INVITATIONS)
        .bind(user.0)
        .bind(timestamp_to_sql(at))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let row: sql::InvitationRow = sqlx::query_as(sql::INSERT_INVITATION)
        .bind(invitation.token_hash.as_str())
        .bind(user.0)
        .bind(application)
        .bind(timestamp_to_sql(at))
        .bind(timestamp_to_sql(invitation.expires_at))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let record = crate::InvitationRecord::try_from(row)?;
    link_email(&mut tx, email, at).await.map_err(|e| store.fail(e))?;
    let line = AuditLine {
        at,
        action: "invitation.create",
        record_type: "invitation",
        record_id: Some(record.id.to_string()),
        detail: Some(format!("user {user}, expires {}, earlier links ended", invitation.expires_at)),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(record)
}
