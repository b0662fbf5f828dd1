//! The audit log: writing a line in the same transaction as the change it records, auditing reads,
//! and searching it.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

impl This {
    /// Appends one audit line in the caller's transaction.
    pub(crate) async fn write_audit(
        conn: &mut <Db as sqlx::Database>::Connection,
        actor: &Actor,
        line: crate::sql::AuditLine<'_>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(crate::sql::INSERT_AUDIT)
            .bind(actor.user.map(|u| u.0))
            .bind(actor.organisation.map(|o| o.0))
            .bind(actor.label.as_str())
            .bind(line.action)
            .bind(line.record_type)
            .bind(line.record_id)
            .bind(actor.from.as_deref())
            .bind(line.detail)
            .bind(crate::convert::timestamp_to_sql(line.at))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub(crate) async fn commit_audited(
        &self,
        mut tx: crate::write_tx::WriteTx<Db>,
        actor: &Actor,
        line: crate::sql::AuditLine<'_>,
    ) -> Result<(), StoreError> {
        Self::write_audit(&mut tx, actor, line).await.map_err(|e| self.fail(e))?;
        tx.commit().await.map_err(|e| self.fail(e))
    }

    /// Writes the audit line of a read. Only reads (actions ending in `ending`): anything else would
    /// let a caller write the line of a change that never happened, where every real change writes
    /// its own line with its rows.
    pub(crate) async fn audit_read(
        &self,
        actor: &Actor,
        ending: &str,
        line: crate::sql::AuditLine<'_>,
    ) -> Result<(), StoreError> {
        if !line.action.ends_with(ending) {
            return Err(StoreError::Invalid(format!(
                "'{}' is not a{} read; only reads are audited this way",
                line.action,
                if ending == ".list.read" { " list" } else { "" }
            )));
        }
        let tx = self.begin_write().await.map_err(|e| self.fail(e))?;
        self.commit_audited(tx, actor, line).await
    }
}

#[tracing::instrument(skip_all)]
pub(crate) async fn record_read(
    store: &This,
    actor: &Actor,
    action: &str,
    record_type: &str,
    record_id: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let line = crate::sql::AuditLine { action, record_type, record_id: Some(record_id.to_owned()), detail: None, at };
    store.audit_read(actor, ".read", line).await
}

#[tracing::instrument(skip_all)]
pub(crate) async fn record_list_read(
    store: &This,
    actor: &Actor,
    action: &str,
    record_type: &str,
    detail: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let line = crate::sql::AuditLine { action, record_type, record_id: None, detail: Some(detail.to_owned()), at };
    store.audit_read(actor, ".list.read", line).await
}

#[tracing::instrument(skip_all, fields(organisation = query.organisation.map(|o| o.0)))]
pub(crate) async fn audit(
    store: &This,
    query: &crate::AuditQuery,
) -> Result<Vec<hearth_domain::audit::AuditEntry>, StoreError> {
    let mut search = sqlx::QueryBuilder::<Db>::new(crate::sql::AUDIT_SEARCH);
    if let Some(org) = query.organisation {
        search.push(" AND organisation_id = ").push_bind(org.0);
    }
    if let Some(prefix) = &query.action_prefix {
        // A prefix compared as text, not LIKE: `_` and `%` in a prefix mean themselves.
        search
            .push(" AND substr(action, 1, ")
            .push_bind(crate::rows::int(u32::try_from(prefix.chars().count()).unwrap_or(u32::MAX)))
            .push(") = ")
            .push_bind(prefix.clone());
    }
    if let Some(record_type) = &query.record_type {
        search.push(" AND record_type = ").push_bind(record_type.clone());
    }
    if let Some(record_id) = &query.record_id {
        search.push(" AND record_id = ").push_bind(record_id.clone());
    }
    // The bare column, so that the index on `at` serves a search by time on both backends.
    if let Some(since) = query.since {
        search.push(" AND at >= ").push_bind(crate::convert::timestamp_to_sql(since));
    }
    if let Some(until) = query.until {
        search.push(" AND at < ").push_bind(crate::convert::timestamp_to_sql(until));
    }
    search.push(" ORDER BY id DESC");
    if query.limit > 0 {
        search.push(" LIMIT ").push_bind(i64::from(query.limit));
    }
    let rows: Vec<crate::rows::AuditRow> =
        search.build_query_as().fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}
