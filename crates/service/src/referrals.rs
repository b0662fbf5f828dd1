//! Writing referrals: a council's officers create them from the referral form, change them while they
//! are drafts or open, submit and withdraw them, and export them in the Placements Data Standard's
//! shape. Every change is checked against the caller and the council's own children here; the store
//! makes each one transaction with its audit row.

use crate::auth::{Origin, actor_of};
use crate::views::ReferralFull;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::child::age_on;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{Referral, ReferralStatus};
use hearth_domain::referral_form::{ParsedReferral, PdsPlacement, PdsRecord, ReferralInput, ReferralPatch, pds_export};
use hearth_domain::{ChildId, DomainError, PlacementGroup, ReferralId, ValidationErrors};
use hearth_store::StoreError;
use jiff::civil::Date;

impl Services {
    /// Creates a draft referral for the caller's own council. Every child must be the council's own,
    /// looked after, and aged 0 to 17 on the start date; each failure is a field error on `children`.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn create_referral(
        &self,
        p: &Principal,
        input: &ReferralInput,
        origin: &Origin,
    ) -> Result<ReferralFull, ServiceError> {
        p.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, "council"))?;
        let la_code = match (p.organisation_kind, p.la_code) {
            (OrganisationKind::Council, Some(la)) => la,
            _ => return Err(ServiceError::Forbidden(Capability::EditReferrals)),
        };
        let today = self.today();
        let parsed = input.parse(today);
        let start = parsed.as_ref().map_or(today, |r| r.needed_from);
        let ids: Vec<ChildId> = input.children.iter().copied().map(ChildId).collect();
        let mut errs = parsed.as_ref().err().cloned().unwrap_or_default();
        self.check_children(la_code, &ids, start, &mut errs).await?;
        let parsed = match parsed {
            Ok(r) if errs.is_empty() => r,
            _ => return Err(errs.into()),
        };
        let actor = actor_of(p, "create referral", origin);
        let created = self.store.create_referral(&actor, la_code, &parsed, self.now()).await?;
        self.full_referral(created).await
    }

    /// Changes a draft or open referral: only what the patch names. A closed referral is a conflict.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn update_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        patch: &ReferralPatch,
        origin: &Origin,
    ) -> Result<ReferralFull, ServiceError> {
        let current = self.own_referral(p, id, Capability::EditReferrals).await?;
        if !matches!(current.status, ReferralStatus::Draft | ReferralStatus::Open) {
            return Err(ServiceError::Conflict(format!(
                "referral {id} is {}; only drafts and open referrals can be changed",
                current.status
            )));
        }
        let details = self.store.referral_details(id).await?;
        let today = self.today();
        let changed = patch.apply(ParsedReferral::of(&current, details), today);
        let mut errs = changed.as_ref().err().cloned().unwrap_or_default();
        if let Ok(r) = &changed
            && patch.children.is_some()
        {
            self.check_children(current.la_code, &r.children, r.needed_from, &mut errs).await?;
        }
        let changed = match changed {
            Ok(r) if errs.is_empty() => r,
            _ => return Err(errs.into()),
        };
        let actor = actor_of(p, "change referral", origin);
        let updated = self.store.update_referral(&actor, id, &changed, self.now()).await?;
        self.matching.forget_request(id);
        self.full_referral(updated).await
    }

    /// Sends a draft referral on its way (draft → open). Anything but a draft is a conflict.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn submit_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        origin: &Origin,
    ) -> Result<ReferralFull, ServiceError> {
        self.own_referral(p, id, Capability::EditReferrals).await?;
        self.move_referral(p, id, ReferralStatus::Draft, ReferralStatus::Open, "submit referral", origin).await
    }

    /// Withdraws a referral that is a draft, open or has offers.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn withdraw_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        origin: &Origin,
    ) -> Result<ReferralFull, ServiceError> {
        let current = self.own_referral(p, id, Capability::EditReferrals).await?;
        if !current.status.can_become(ReferralStatus::Withdrawn) {
            return Err(ServiceError::Conflict(format!("referral {id} is {} and cannot be withdrawn", current.status)));
        }
        self.move_referral(p, id, current.status, ReferralStatus::Withdrawn, "withdraw referral", origin).await
    }

    /// The referral as Placements Data Standard v2 records, one per child; audited as a read. For its
    /// council only: the records carry child ids. A provider is told it is not found, as for any
    /// referral that is not its to see in full.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn referral_standard(
        &self,
        p: &Principal,
        id: ReferralId,
        origin: &Origin,
    ) -> Result<Vec<PdsRecord>, ServiceError> {
        let what = format!("referral {id}");
        if p.organisation_kind == OrganisationKind::Provider {
            p.require(Capability::ViewSentReferrals).map_err(|d| ServiceError::denied(d, what.clone()))?;
            return Err(ServiceError::NotFound(what));
        }
        let r = self.own_referral(p, id, Capability::ViewReferrals).await?;
        let actor = actor_of(p, "export referral", origin);
        self.store.record_read(&actor, "referral.standard.read", "referral", &id.to_string(), self.now()).await?;
        let details = self.store.referral_details(id).await?;
        let placement = self.pds_placement(&r).await?;
        Ok(pds_export(&r, &details, &placement))
    }

    /// A referral of the caller's own council, checked for `c`; anyone else's is not found.
    pub(crate) async fn own_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        c: Capability,
    ) -> Result<Referral, ServiceError> {
        // The capability first, so a role without it is refused alike for referrals that exist or not.
        p.require(c).map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        let r = self.store.referral_unaudited(id).await?;
        p.require_council(c, r.la_code).map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        Ok(r)
    }

    async fn move_referral(
        &self,
        p: &Principal,
        id: ReferralId,
        from: ReferralStatus,
        to: ReferralStatus,
        label: &str,
        origin: &Origin,
    ) -> Result<ReferralFull, ServiceError> {
        let actor = actor_of(p, label, origin);
        self.matching.forget_request(id);
        let moved = self.store.transition_referral(&actor, id, from, to, self.now()).await.map_err(|e| match e {
            StoreError::Conflict(_) => {
                ServiceError::Conflict(format!("referral {id} is no longer {from}, so it cannot become {to}"))
            }
            other => other.into(),
        })?;
        self.full_referral(moved).await
    }

    /// Adds a `children` error for each child that is not the council's own, not looked after, or not
    /// 0 to 17 on `start`. A child of another council reads exactly as one that does not exist.
    async fn check_children(
        &self,
        la_code: u16,
        ids: &[ChildId],
        start: Date,
        errs: &mut ValidationErrors,
    ) -> Result<(), ServiceError> {
        for &id in ids {
            let child = match self.store.child_unaudited(id).await {
                Ok(c) if c.la_code == la_code => c,
                Ok(_) | Err(StoreError::NotFound { .. }) => {
                    errs.push(DomainError::new(
                        "children",
                        format!("child {id} is not one of your council's children"),
                    ));
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if child.ceased_on.is_some() {
                errs.push(DomainError::new("children", format!("child {id} is no longer looked after")));
            }
            let age = age_on(child.date_of_birth, start);
            if !(0..=17).contains(&age) {
                errs.push(DomainError::new(
                    "children",
                    format!("child {id} would be {age} on {start}; Hearth places children aged 0 to 17"),
                ));
            }
        }
        Ok(())
    }

    /// The standard's "actual placement" from the placements made on this referral, if any.
    async fn pds_placement(&self, r: &Referral) -> Result<PdsPlacement, ServiceError> {
        let mut made = Vec::new();
        for child in &r.children {
            made.extend(
                self.store.placements_of_child(*child).await?.into_iter().filter(|pl| pl.referral == Some(r.id)),
            );
        }
        let Some(first) = made.first() else { return Ok(PdsPlacement::default()) };
        let urn = match first.home {
            Some(h) => self.store.home(h).await?.urn,
            None => None,
        };
        let together = made.iter().filter(|pl| pl.home.is_some() && pl.home == first.home).count();
        Ok(PdsPlacement {
            weekly_cost: first.weekly_cost.map(|w| w.pounds()),
            location: first.postcode.as_ref().map(|pc| pc.sector().to_owned()),
            location_preferred: match (&r.preferred_district, &first.postcode) {
                (Some(want), Some(pc)) => Some(if pc.district() == *want { "Yes" } else { "No" }),
                _ => None,
            },
            // Hearth does not record the school after the move, so it cannot say.
            education_continuity: None,
            provider_urn: urn,
            siblings_placed_together: Some(together),
            placement_type: match first.placement_type.group() {
                PlacementGroup::Foster => Some("Foster"),
                PlacementGroup::ChildrensHomes | PlacementGroup::ResidentialSchools => Some("Residential"),
                PlacementGroup::SupportedAccommodation => Some("Supported Accommodation"),
                _ => None,
            },
        })
    }
}
