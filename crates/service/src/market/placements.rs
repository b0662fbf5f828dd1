//! Placements after they start: listing, ending (the child leaves care) and moving to a new home (a
//! new placement linked to the old, with the step-down from residential to a family flagged).

use super::accept::home_grid;
use super::notify::Message;
use super::views::MoveInput;
use crate::auth::{Origin, actor_of};
use crate::views::PlacementView;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::geo::dfe_distance;
use hearth_domain::home::WeeklyPrice;
use hearth_domain::org::OrganisationKind;
use hearth_domain::placement::{EndingInput, Placement, is_step_down};
use hearth_domain::{DomainError, HomeId, PlacementId, VacancyId};
use hearth_store::{Move, StoreError};

impl Services {
    /// One placement, for the child's council or the provider whose home it is; audited.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, placement = id.0))]
    pub async fn placement(
        &self,
        p: &Principal,
        id: PlacementId,
        origin: &Origin,
    ) -> Result<PlacementView, ServiceError> {
        let pl = self.visible_placement(p, id, Capability::ViewPlacements).await?;
        self.store
            .record_read(
                &actor_of(p, "read placement", origin),
                "placements.read",
                "placement",
                &id.to_string(),
                self.now(),
            )
            .await?;
        Ok(PlacementView::from(pl))
    }

    /// The child leaves care: the council records the ending with its SSDA903 reason.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, placement = id.0))]
    pub async fn end_placement(
        &self,
        p: &Principal,
        id: PlacementId,
        input: &EndingInput,
        origin: &Origin,
    ) -> Result<PlacementView, ServiceError> {
        let pl = self.council_placement(p, id).await?;
        let ending = input.parse(pl.start, self.today(), false)?;
        let mut msg = Message::default();
        if let Some(home) = pl.home {
            let provider = self.store.home(home).await?.provider;
            let subject = format!("Placement {id} ended on {}", ending.end);
            let body = "The council recorded the end of a placement in your home. Update the home's vacancies if a place is free.\n";
            msg.tell_organisation(provider, &self.responders(provider).await?, &subject, body);
        }
        let actor = actor_of(p, "end placement", origin);
        Ok(PlacementView::from(self.store.end_placement(&actor, id, &ending, self.now(), &msg.into_notify()).await?))
    }

    /// The child moves to another home: the current placement ends (X1) on the day, a new one starts.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, placement = id.0))]
    pub async fn move_placement(
        &self,
        p: &Principal,
        id: PlacementId,
        input: &MoveInput,
        origin: &Origin,
    ) -> Result<PlacementView, ServiceError> {
        let pl = self.council_placement(p, id).await?;
        let ending = EndingInput {
            end: input.date.clone(),
            reason_change: Some(input.reason_change.clone()),
            reason_ceased: None,
            planned: input.planned,
        }
        .parse(pl.start, self.today(), true)?;
        let home = match self.store.home(HomeId(input.home)).await {
            Ok(h) => h,
            Err(StoreError::NotFound { .. }) => {
                return Err(DomainError::new("home", format!("there is no home {}", input.home)).into());
            }
            Err(e) => return Err(e.into()),
        };
        let vacancy = match input.vacancy {
            Some(v) => {
                let vac =
                    self.store.vacancy(VacancyId(v)).await.map_err(|_| {
                        ServiceError::from(DomainError::new("vacancy", format!("there is no vacancy {v}")))
                    })?;
                if vac.home != home.id {
                    return Err(
                        DomainError::new("vacancy", format!("vacancy {v} is not a vacancy of {}", home.name)).into()
                    );
                }
                Some(vac.id)
            }
            None => None,
        };
        let weekly_cost = input.weekly_cost.map(WeeklyPrice::new).transpose()?.or(Some(home.weekly_price));
        let provider = self.organisation(home.provider).await?;
        let (tier, _) = self.contract_terms(&home, pl.la_code).await?;
        let child = self.store.child_unaudited(pl.child).await?;
        let placement_type = home.kind.placement_type(false);
        let to = Placement {
            id: PlacementId(0),
            child: pl.child,
            la_code: pl.la_code,
            home: Some(home.id),
            referral: None,
            placement_type,
            provider: provider.place_provider(pl.la_code),
            tier: Some(tier),
            start: ending.end,
            end: None,
            reason_ceased: None,
            reason_change: None,
            planned_ending: None,
            previous: Some(pl.id),
            step_down: is_step_down(pl.placement_type, placement_type),
            postcode: None,
            pl_utla: Some(home.utla.clone()),
            distance: dfe_distance(home_grid(&child), Some(home.grid)),
            weekly_cost,
        };
        let mut msg = Message::default();
        let subject = format!("A child moves into {} on {}", home.name, ending.end);
        let body = "The council recorded a move into your home. Its details are in Hearth under placements.\n";
        msg.tell_organisation(provider.id, &self.responders(provider.id).await?, &subject, body);
        let actor = actor_of(p, "move placement", origin);
        let moved = self
            .store
            .move_placement(&actor, &Move { from: id, ending, to, vacancy }, self.now(), &msg.into_notify())
            .await?;
        if let Some(v) = vacancy {
            let v = self.store.vacancy(v).await?;
            self.vacancy_changed(&v);
        }
        Ok(PlacementView::from(moved))
    }

    /// A placement of the caller's council, for changing it.
    async fn council_placement(&self, p: &Principal, id: PlacementId) -> Result<Placement, ServiceError> {
        let pl = self.visible_placement(p, id, Capability::EditChildren).await?;
        p.require_council(Capability::EditChildren, pl.la_code)
            .map_err(|d| ServiceError::denied(d, format!("placement {id}")))?;
        Ok(pl)
    }

    /// A placement the caller may see with capability `c`: its council's, or in the provider's home.
    async fn visible_placement(
        &self,
        p: &Principal,
        id: PlacementId,
        c: Capability,
    ) -> Result<Placement, ServiceError> {
        let what = format!("placement {id}");
        p.require(c).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let pl = match self.store.placement(id).await {
            Ok(pl) => pl,
            Err(StoreError::NotFound { .. }) => return Err(ServiceError::NotFound(what)),
            Err(e) => return Err(e.into()),
        };
        let visible = match p.organisation_kind {
            OrganisationKind::Council => p.la_code == Some(pl.la_code),
            OrganisationKind::Provider => match pl.home {
                Some(h) => self.store.home(h).await?.provider == p.organisation,
                None => false,
            },
            _ => false,
        };
        if visible { Ok(pl) } else { Err(ServiceError::NotFound(what)) }
    }
}
