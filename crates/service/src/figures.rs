//! What the commissioning roles' pages open on: the region overview (the headline counts, the supply
//! by kind of home, whether the caller may download their council's SSDA903 return) and the scope of
//! the intelligence page. Who may see which figures is the domain's (`Principal::require_some_figures`).

use crate::homes_snapshot::KindSupply;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::seed::RegionCounts;

/// What the region overview shows the caller.
#[derive(Debug, Clone)]
pub struct RegionOverview {
    pub counts: RegionCounts,
    /// Active homes and places by kind, over the homes the caller may see.
    pub kinds: Vec<KindSupply>,
    /// The council whose SSDA903 return the caller may download: their own, for a council's
    /// commissioners and managers (the return names children).
    pub own_return: Option<u16>,
}

impl Services {
    /// For the commissioning roles only (council or region figures).
    pub async fn region_overview(&self, p: &Principal) -> Result<RegionOverview, ServiceError> {
        p.require_some_figures().map_err(|d| ServiceError::denied(d, "region"))?;
        Ok(RegionOverview {
            counts: self.region_counts(p).await?,
            kinds: self.supply_by_kind(p).await?,
            own_return: p.own_council_figures(),
        })
    }
}

/// The scope the intelligence page opens on and the scopes the caller may switch between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiguresScope {
    /// `region` or a council's LA code.
    pub scope: String,
    /// (scope, name) of every scope the caller may choose; empty when they see one council only.
    pub choices: Vec<(String, String)>,
}

impl Services {
    /// The scope asked for, else the caller's own council, else the region; for the commissioning
    /// roles only. Whether the caller may see the chosen scope is checked when it is read.
    pub fn figures_scope(&self, p: &Principal, asked: Option<&str>) -> Result<FiguresScope, ServiceError> {
        p.require_some_figures().map_err(|d| ServiceError::denied(d, "figures"))?;
        let regional = p.can(Capability::ViewRegionFigures);
        let scope = match asked.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.to_owned(),
            None if regional => "region".into(),
            None => p.la_code.map_or_else(|| "region".into(), |la| la.to_string()),
        };
        let choices = if regional {
            std::iter::once(("region".to_owned(), "West Midlands region".to_owned()))
                .chain(hearth_domain::council::WEST_MIDLANDS.iter().map(|c| (c.la_code.to_string(), c.name.to_owned())))
                .collect()
        } else {
            Vec::new()
        };
        Ok(FiguresScope { scope, choices })
    }
}
