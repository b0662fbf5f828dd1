//! The region's homes and vacancies as the pages read them, kept in memory for a few seconds.
//!
//! Reading all ~10,000 homes from the store took ~50 ms, on every request for "Our homes" and the
//! region overview. The snapshot is read at most once per [`SNAPSHOT_TTL`] of the service's clock and
//! dropped whenever a vacancy changes through this service (next to the matching index, which hears
//! of every such change), so a person always sees their own edit at once; a change made by another
//! process shows within the TTL.

use crate::expiring::Expiring;
use crate::views::{HomeView, VacancyView};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::home::{Home, HomeKind, Vacancy};
use jiff::SignedDuration;
use std::sync::Arc;

/// How long a snapshot serves before it is read again. Short: it is only there so that a page
/// viewed many times a second does not read the region each time.
pub const SNAPSHOT_TTL: SignedDuration = SignedDuration::from_secs(10);

#[derive(Debug)]
pub(crate) struct Held {
    pub homes: Vec<Home>,
    pub vacancies: Vec<Vacancy>,
}

/// The snapshot and when it was read; empty until first used and after every vacancy change.
#[derive(Debug)]
pub(crate) struct Snapshot(Expiring<Held>);

impl Default for Snapshot {
    fn default() -> Self {
        Self(Expiring::new(SNAPSHOT_TTL))
    }
}

impl Snapshot {
    pub(crate) fn forget(&self) {
        self.0.forget();
    }
}

/// One kind of home across the homes the caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindSupply {
    pub kind: HomeKind,
    /// Active homes of this kind.
    pub homes: usize,
    /// Their registered places.
    pub places: u64,
}

impl Services {
    pub(crate) async fn supply_snapshot(&self) -> Result<Arc<Held>, ServiceError> {
        let read_at = self.now();
        if let Some((_, held)) = self.matching.snapshot.0.fresh(read_at) {
            return Ok(held);
        }
        let held = Arc::new(Held { homes: self.store.homes().await?, vacancies: self.store.vacancies().await? });
        self.matching.snapshot.0.keep(read_at, Arc::clone(&held));
        Ok(held)
    }

    /// Active homes and their places by kind, over the homes the caller may see (the whole region
    /// for councils and commissioners, its own for a provider). Kinds without homes are left out.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn supply_by_kind(&self, p: &Principal) -> Result<Vec<KindSupply>, ServiceError> {
        p.require(Capability::ViewHomes).map_err(|d| ServiceError::denied(d, "homes"))?;
        let all = p.sees_all_homes();
        let held = self.supply_snapshot().await?;
        let mut kinds: Vec<KindSupply> =
            HomeKind::ALL.iter().map(|k| KindSupply { kind: *k, homes: 0, places: 0 }).collect();
        for h in held.homes.iter().filter(|h| h.active && (all || h.provider == p.organisation)) {
            if let Some(k) = kinds.iter_mut().find(|k| k.kind == h.kind) {
                k.homes += 1;
                k.places += u64::from(h.places);
            }
        }
        kinds.retain(|k| k.homes > 0);
        Ok(kinds)
    }
}

/// A home and its vacancies as views, from the snapshot.
pub(crate) fn views_of(held: &Held, keep: impl Fn(&Home) -> bool) -> Vec<(HomeView, Vec<VacancyView>)> {
    let mut out: Vec<(HomeView, Vec<VacancyView>)> =
        held.homes.iter().filter(|h| keep(h)).map(|h| (HomeView::from(h.clone()), Vec::new())).collect();
    let index: std::collections::HashMap<_, _> = out.iter().enumerate().map(|(i, (h, _))| (h.id, i)).collect();
    for v in &held.vacancies {
        if let Some(&i) = index.get(&v.home) {
            out[i].1.push(VacancyView::from(v.clone()));
        }
    }
    out
}
