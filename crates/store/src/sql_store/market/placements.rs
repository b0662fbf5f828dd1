//! Placements: reading them, ending one, and moving a child to another home.

use super::This;
use crate::StoreError;
use hearth_domain::OrganisationId;
use hearth_domain::PlacementId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn placement(
    store: &This,
    id: PlacementId,
) -> Result<hearth_domain::placement::Placement, StoreError> {
    let row: Option<crate::rows::PlacementRow> = sqlx::query_as(crate::market_sql::PLACEMENT)
        .bind(id.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.ok_or_else(|| StoreError::NotFound { what: format!("placement {id}") })?.try_into()
}

#[tracing::instrument(skip_all, fields(provider = provider.0))]
pub(crate) async fn placements_with(
    store: &This,
    provider: OrganisationId,
    limit: u32,
) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
    store.read_placements(crate::market_sql::PLACEMENTS_WITH, provider.0, limit).await
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn placements_of_council(
    store: &This,
    la_code: u16,
    limit: u32,
) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
    store.read_placements(crate::market_sql::PLACEMENTS_OF_COUNCIL, i64::from(la_code), limit).await
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn end_placement(
    store: &This,
    actor: &Actor,
    id: PlacementId,
    ending: &hearth_domain::placement::Ending,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<hearth_domain::placement::Placement, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let ended = store.end_open_placement(&mut tx, id, ending).await?;
    This::write_notify(&mut tx, notify, ended.referral, at).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "placement.end",
        record_type: "placement",
        record_id: Some(id.to_string()),
        detail: Some(format!(
            "ended {}, reason {}, {}",
            ending.end,
            ending.reason_ceased,
            if ending.planned { "planned" } else { "unplanned" }
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(ended)
}

#[tracing::instrument(skip_all, fields(placement = mv.from.0))]
pub(crate) async fn move_placement(
    store: &This,
    actor: &Actor,
    mv: &crate::Move,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<hearth_domain::placement::Placement, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // The home, then the vacancy, then the placements, in the order `accept_offer` takes them.
    if let Some(home) = mv.to.home {
        store.hold_home_for(&mut tx, home, 1).await?;
    }
    let taken = match mv.vacancy {
        Some(v) => Some((v, store.take_places(&mut tx, v, 1).await?)),
        None => None,
    };
    // A move ends the episode with the move code whatever the ending says: a new placement follows that day.
    let ending = mv.ending.as_move();
    let old = store.end_open_placement(&mut tx, mv.from, &ending).await?;
    let to = hearth_domain::placement::Placement { previous: Some(mv.from), ..mv.to.clone() };
    let new = store.insert_placement(&mut tx, &to).await?;
    This::write_notify(&mut tx, notify, new.referral.or(old.referral), at).await.map_err(|e| store.fail(e))?;
    let vacancy = taken.map_or_else(String::new, |(v, left)| format!(", vacancy {v}: {left} places left"));
    let line = crate::sql::AuditLine {
        at,
        action: "placement.move",
        record_type: "placement",
        record_id: Some(new.id.to_string()),
        detail: Some(format!(
            "from placement {} ended {}, reason {}{vacancy}",
            mv.from,
            ending.end,
            ending.reason_change.map_or("none", |r| r.code())
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(new)
}
