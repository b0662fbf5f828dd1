//! The marketplace's lists: a council's placements (or those in a provider's homes) and a
//! provider's offers, filtered, counted, ordered and paged by the database. The count and the page
//! share one set of conditions, so the count is always the count of what paging walks through.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::offer::OfferStatus;
use hearth_domain::placement::PlacementListStatus;
use hearth_domain::referral::{ReferralStatus, Urgency};

/// Current, and the latest version of its agreement lacks one of the two signatures. Needs the
/// placement as `p`.
const TO_SIGN: &str = "(p.end_date IS NULL AND EXISTS (SELECT 1 FROM agreements a WHERE a.referral_id = p.referral_id \
     AND a.superseded = FALSE AND (SELECT COUNT(*) FROM agreement_signatures g WHERE g.agreement_id = a.id) < 2))";

/// `%part%` for `LIKE … ESCAPE '\'`, any case: the name's own `%`, `_` and `\` stand for themselves.
fn contains_pattern(part: &str) -> String {
    let mut out = String::with_capacity(part.len() + 2);
    out.push('%');
    for c in part.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// ` AND <the home matches>`, with the home as `h`.
fn push_home(b: &mut sqlx::QueryBuilder<Db>, home: &crate::HomeMatch, column: &'static str) {
    match home {
        crate::HomeMatch::Id(id) => {
            b.push(" AND ").push(column).push(" = ").push_bind(id.0);
        }
        crate::HomeMatch::Name(name) => {
            b.push(" AND lower(h.name) LIKE ").push_bind(contains_pattern(name)).push(" ESCAPE '\\'");
        }
    }
}

/// The conditions after `FROM placements p JOIN children c … LEFT JOIN homes h …`.
fn push_placement_filter(b: &mut sqlx::QueryBuilder<Db>, q: &crate::PlacementQuery) {
    let council = match q.scope {
        crate::PlacementScope::Council(la) => {
            b.push(" WHERE p.la_code = ").push_bind(i32::from(la));
            true
        }
        crate::PlacementScope::InHomesOf(provider) => {
            b.push(" WHERE h.provider_id = ").push_bind(provider.0);
            false
        }
    };
    match q.status {
        Some(PlacementListStatus::Current) => {
            b.push(" AND p.end_date IS NULL");
        }
        Some(PlacementListStatus::Ended) => {
            b.push(" AND p.end_date IS NOT NULL");
        }
        Some(PlacementListStatus::ToSign) => {
            b.push(" AND ").push(TO_SIGN);
        }
        None => {}
    }
    if let Some(home) = &q.home {
        push_home(b, home, "p.home_id");
    }
    if let (Some(reference), true) = (&q.child_reference, council) {
        b.push(" AND upper(c.reference) = ").push_bind(reference.to_ascii_uppercase());
    }
    if let Some(from) = q.started_from {
        b.push(" AND p.start_date >= ").push_bind(crate::convert::date_to_sql(from));
    }
    if let Some(to) = q.started_to {
        b.push(" AND p.start_date <= ").push_bind(crate::convert::date_to_sql(to));
    }
    if let Some(search) = &q.search {
        let search = search.trim().trim_start_matches('#');
        b.push(" AND (");
        match search.parse::<i64>() {
            Ok(id) => b.push("p.id = ").push_bind(id),
            Err(_) => b.push("1 = 0"),
        };
        let child_reference = (1..=10).contains(&search.len()) && search.bytes().all(|c| c.is_ascii_alphanumeric());
        if council && child_reference {
            b.push(" OR upper(c.reference) = ").push_bind(search.to_ascii_uppercase());
        }
        b.push(")");
    }
}

/// A listed placement's id, child's reference, home's and provider's names, and whether its
/// agreement waits for a signature.
type PlacementListed = (i64, String, Option<String>, Option<String>, bool);

/// A listed offer's id, home's name, and its referral's council, urgency, status and deadline.
type OfferListed = (i64, String, i32, String, String, Option<time::OffsetDateTime>);

const PLACEMENT_FROM: &str = " FROM placements p JOIN children c ON c.id = p.child_id \
     LEFT JOIN homes h ON h.id = p.home_id LEFT JOIN organisations o ON o.id = h.provider_id";

#[tracing::instrument(skip_all, fields(offset = query.offset, limit = query.limit))]
pub(crate) async fn placement_page(
    store: &This,
    query: &crate::PlacementQuery,
) -> Result<crate::PlacementPage, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*)");
    count.push(PLACEMENT_FROM);
    push_placement_filter(&mut count, query);
    let (total,): (i64,) = count.build_query_as().fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut page = crate::PlacementPage { total: u64::try_from(total).unwrap_or(0), rows: Vec::new() };
    if query.limit == 0 || total == 0 {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    let mut select = sqlx::QueryBuilder::<Db>::new("SELECT p.id, c.reference, h.name, o.name, ");
    select.push(TO_SIGN).push(" AS to_sign").push(PLACEMENT_FROM);
    push_placement_filter(&mut select, query);
    select.push(" ORDER BY ");
    if query.action_first {
        select.push("CASE WHEN ").push(TO_SIGN).push(" THEN 0 WHEN p.end_date IS NULL THEN 1 ELSE 2 END, ");
    }
    select
        .push("p.start_date DESC, p.id DESC LIMIT ")
        .push_bind(i64::from(query.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(query.offset));
    let found: Vec<PlacementListed> = select.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    if found.is_empty() {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    let mut read = sqlx::QueryBuilder::<Db>::new(crate::market_sql::PLACEMENTS_BY_IDS);
    let mut list = read.separated(", ");
    for (id, ..) in &found {
        list.push_bind(*id);
    }
    read.push(")");
    let rows: Vec<crate::rows::PlacementRow> =
        read.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    let mut placements: std::collections::HashMap<i64, hearth_domain::placement::Placement> =
        std::collections::HashMap::new();
    for row in rows {
        let p: hearth_domain::placement::Placement = row.try_into()?;
        placements.insert(p.id.0, p);
    }
    for (id, child_reference, home_name, provider_name, to_sign) in found {
        let placement =
            placements.remove(&id).ok_or_else(|| StoreError::NotFound { what: format!("placement {id}") })?;
        page.rows.push(crate::PlacementListItem { placement, child_reference, home_name, provider_name, to_sign });
    }
    Ok(page)
}

/// The conditions after `FROM offers x JOIN referrals r … JOIN homes h … LEFT JOIN referral_sendings d …`.
fn push_offer_filter(b: &mut sqlx::QueryBuilder<Db>, q: &crate::OfferQuery) {
    b.push(" WHERE x.provider_id = ").push_bind(q.provider.0);
    if let Some(status) = q.status {
        b.push(" AND x.status = ").push_bind(status.code());
    }
    if let Some(home) = &q.home {
        push_home(b, home, "x.home_id");
    }
    if let Some(urgency) = q.urgency {
        b.push(" AND r.urgency = ").push_bind(urgency.code());
    }
    if let Some(from) = q.start_from {
        b.push(" AND x.start_date >= ").push_bind(crate::convert::date_to_sql(from));
    }
    if let Some(to) = q.start_to {
        b.push(" AND x.start_date <= ").push_bind(crate::convert::date_to_sql(to));
    }
    if let Some(referral) = q.referral {
        b.push(" AND x.referral_id = ").push_bind(referral.0);
    }
}

// At most one sending per referral is open (a unique index), so its join adds no rows.
const OFFER_FROM: &str = " FROM offers x JOIN referrals r ON r.id = x.referral_id JOIN homes h ON h.id = x.home_id \
     LEFT JOIN referral_sendings d ON d.referral_id = r.id AND d.closed_at IS NULL";

#[tracing::instrument(skip_all, fields(provider = query.provider.0, offset = query.offset, limit = query.limit))]
pub(crate) async fn offer_page(store: &This, query: &crate::OfferQuery) -> Result<crate::OfferPage, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*)");
    count.push(OFFER_FROM);
    push_offer_filter(&mut count, query);
    let (total,): (i64,) = count.build_query_as().fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut page = crate::OfferPage { total: u64::try_from(total).unwrap_or(0), rows: Vec::new() };
    if query.limit == 0 || total == 0 {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    let mut select = sqlx::QueryBuilder::<Db>::new("SELECT x.id, h.name, r.la_code, r.urgency, r.status, d.due_at");
    select.push(OFFER_FROM);
    push_offer_filter(&mut select, query);
    // Waiting for the council: a live offer on a live referral.
    select.push(" ORDER BY CASE WHEN x.status IN (");
    let mut live = select.separated(", ");
    for status in OfferStatus::LIVE {
        live.push_bind(status.code());
    }
    select.push(") AND r.status IN (");
    let mut live = select.separated(", ");
    for status in ReferralStatus::LIVE {
        live.push_bind(status.code());
    }
    select
        // NULLs sort first on SQLite and last on PostgreSQL: say which explicitly.
        .push(") THEN 0 ELSE 1 END, CASE WHEN d.due_at IS NULL THEN 1 ELSE 0 END, d.due_at, x.made_at DESC, x.id DESC LIMIT ")
        .push_bind(i64::from(query.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(query.offset));
    let found: Vec<OfferListed> = select.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    if found.is_empty() {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    let mut read = sqlx::QueryBuilder::<Db>::new(crate::market_sql::OFFERS_BY_IDS);
    let mut list = read.separated(", ");
    for (id, ..) in &found {
        list.push_bind(*id);
    }
    read.push(")");
    let rows: Vec<crate::market_rows::OfferRow> =
        read.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    let mut offers: std::collections::HashMap<i64, hearth_domain::offer::Offer> = std::collections::HashMap::new();
    for row in rows {
        let o: hearth_domain::offer::Offer = row.try_into()?;
        offers.insert(o.id.0, o);
    }
    for (id, home_name, la_code, urgency, status, due) in found {
        let offer = offers.remove(&id).ok_or_else(|| StoreError::NotFound { what: format!("offer {id}") })?;
        let la_code = crate::rows::narrow("referrals.la_code", la_code)?;
        let corrupt = crate::error::unreadable;
        page.rows.push(crate::OfferListItem {
            home_name,
            la_code,
            urgency: Urgency::parse(&urgency).map_err(|_| corrupt("referrals.urgency"))?,
            referral_status: ReferralStatus::parse(&status).map_err(|_| corrupt("referrals.status"))?,
            deadline: due.map(|t| crate::convert::timestamp_from_sql(t, "referral_sendings.due_at")).transpose()?,
            offer,
        });
    }
    Ok(page)
}
