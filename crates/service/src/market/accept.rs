//! Accepting an offer: one transaction makes the placements, takes the place, closes the other offers
//! and places the referral; then the Individual Placement Agreement's first version is written.

use super::notify::{Message, describe};
use super::views::{AcceptInput, AcceptedView, AgreementView};
use crate::auth::{Origin, actor_of};
use crate::views::PlacementView;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::agreement::{AgreementChild, AgreementTerms, render};
use hearth_domain::child::Child;
use hearth_domain::contract::ContractTier;
use hearth_domain::council::council_name;
use hearth_domain::geo::dfe_distance;
use hearth_domain::home::Home;
use hearth_domain::offer::Offer;
use hearth_domain::org::Organisation;
use hearth_domain::placement::{Placement, is_step_down};
use hearth_domain::referral::{Referral, ReferralAction};
use hearth_domain::{GridRef, OfferId, PlacementId, ReasonPlaceChange};
use hearth_store::Acceptance;

/// A placement a referral's child is in now, which accepting an offer ends the day the new one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentPlacement {
    pub placement: PlacementId,
    /// The child's reference (Hearth knows children by reference, never by name).
    pub child: String,
    /// The home's name, when Hearth lists the home (not for placements with parents, in hospital, …).
    pub home: Option<String>,
    /// The kind of placement, in words.
    pub kind: &'static str,
    pub start: jiff::civil::Date,
}

impl Services {
    /// The placements the referral's children are in now: accepting an offer ends each the day the new
    /// one starts, with the reason given. Audited as a read of each child's placements.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = referral.0))]
    pub async fn current_placements(
        &self,
        p: &Principal,
        referral: hearth_domain::ReferralId,
        origin: &Origin,
    ) -> Result<Vec<CurrentPlacement>, ServiceError> {
        let r = self.own_referral(p, referral, Capability::EditReferrals).await?;
        let mut out = Vec::new();
        for c in &r.children {
            let Some(open) = self.store.placements_of_child(*c).await?.into_iter().find(|pl| pl.end.is_none()) else {
                continue;
            };
            self.store
                .record_read(
                    &actor_of(p, "read placements", origin),
                    "placements.read",
                    "child",
                    &c.to_string(),
                    self.now(),
                )
                .await?;
            let child = self.store.child_unaudited(*c).await?;
            let home = match open.home {
                Some(h) => Some(self.store.home(h).await?.name),
                None => None,
            };
            out.push(CurrentPlacement {
                placement: open.id,
                child: child.reference.as_str().to_owned(),
                home,
                kind: open.placement_type.label(),
                start: open.start,
            });
        }
        Ok(out)
    }

    /// Accepts one of the council's offers. Exactly one accept wins when several race for one
    /// referral or one home's last place; the others get a conflict that says what happened.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, offer = id.0))]
    pub async fn accept_offer(
        &self,
        p: &Principal,
        id: OfferId,
        input: &AcceptInput,
        origin: &Origin,
    ) -> Result<AcceptedView, ServiceError> {
        p.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, format!("offer {id}")))?;
        let offer = self.store.offer(id).await?;
        let r = self.own_referral(p, offer.referral, Capability::EditReferrals).await.map_err(|e| match e {
            ServiceError::NotFound(_) => ServiceError::NotFound(format!("offer {id}")),
            other => other,
        })?;
        r.status.check_live(r.id, ReferralAction::Accept)?;
        offer.status.check_live(id)?;
        let move_reason = match input.reason_change.as_deref() {
            Some(code) => ReasonPlaceChange::parse(code)?,
            None => ReasonPlaceChange::Carpl,
        };
        let home = self.store.home(offer.home).await?;
        let provider = self.organisation(offer.provider).await?;
        let (tier, _) = self.contract_terms(&home, r.la_code).await?;
        let mut children = Vec::with_capacity(r.children.len());
        let mut placements = Vec::with_capacity(r.children.len());
        for c in &r.children {
            let child = self.store.child_unaudited(*c).await?;
            let current = self.store.placements_of_child(*c).await?.into_iter().find(|pl| pl.end.is_none());
            placements.push(placement_for(&r, &offer, &child, &home, &provider, tier, current.as_ref()));
            children.push(child);
        }
        let ages: Vec<i16> = children.iter().map(|c| c.age_on(r.needed_from)).collect();
        let msg = self.acceptance_news(&r, &ages, &offer, &provider).await?;
        let terms = agreement_terms(&r, &offer, &children, &home, &provider, council_name(r.la_code), "");
        let acceptance = Acceptance {
            offer: id,
            at: self.now(),
            places: u16::try_from(r.children.len()).unwrap_or(u16::MAX),
            placements,
            move_reason,
            move_planned: input.planned.unwrap_or(true),
            agreement: Some(render(&terms, 1)),
        };
        let actor = actor_of(p, "accept offer", origin);
        let made = self.store.accept_offer(&actor, &acceptance, &msg.into_notify()).await?;
        self.matching.forget_request(r.id);
        if let Some(v) = offer.terms.vacancy {
            let v = self.store.vacancy(v).await?;
            self.vacancy_changed(&v);
        }
        let agreement = self.store.agreements_of(r.id).await?.into_iter().next_back().map(AgreementView::from);
        Ok(AcceptedView {
            offer: id.0,
            referral: r.id.0,
            placements: made.into_iter().map(PlacementView::from).collect(),
            agreement,
        })
    }

    /// The provider hears it won; every other provider with a live offer hears it did not.
    async fn acceptance_news(
        &self,
        r: &Referral,
        ages: &[i16],
        offer: &Offer,
        provider: &Organisation,
    ) -> Result<Message, ServiceError> {
        let what = describe(r, ages);
        let mut msg = Message::default();
        let subject = format!("Offer {} accepted: {what}", offer.id);
        let body = format!(
            "The council accepted your offer of this home from {}. The referral is now open to you in full, \
             and the Individual Placement Agreement is ready to sign:\n/referrals/{}/agreements\n",
            offer.start, r.id
        );
        msg.tell_organisation(provider.id, &self.responders(provider.id).await?, &subject, &body);
        for other in self.store.offers_of(r.id).await? {
            if other.id != offer.id && other.status.is_live() {
                let subject = format!("Offer {} not chosen: {what}", other.id);
                let body = "The council accepted another offer for this referral. Thank you for offering.\n";
                msg.tell_organisation(other.provider, &self.responders(other.provider).await?, &subject, body);
            }
        }
        Ok(msg)
    }
}

/// Where a child's home is, for DfE's distance.
pub(crate) fn home_grid(child: &Child) -> Option<GridRef> {
    crate::matching::locate(child.home_postcode.as_ref(), child.home_district.as_ref())
}

/// The placement accepting `offer` makes for `child`, following `current` if the child is moving.
pub(crate) fn placement_for(
    r: &Referral,
    offer: &Offer,
    child: &Child,
    home: &Home,
    provider: &Organisation,
    tier: ContractTier,
    current: Option<&Placement>,
) -> Placement {
    let placement_type = home.kind.placement_type(false);
    Placement {
        id: PlacementId(0),
        child: child.id,
        la_code: r.la_code,
        home: Some(home.id),
        referral: Some(r.id),
        placement_type,
        provider: provider.place_provider(r.la_code),
        tier: Some(tier),
        start: offer.start,
        end: None,
        reason_ceased: None,
        reason_change: None,
        planned_ending: None,
        previous: current.map(|c| c.id),
        step_down: current.is_some_and(|c| is_step_down(c.placement_type, placement_type)),
        postcode: None,
        pl_utla: Some(home.utla.clone()),
        distance: dfe_distance(home_grid(child), Some(home.grid)),
        weekly_cost: Some(offer.weekly_price),
    }
}

/// What an agreement is written from.
pub(crate) fn agreement_terms(
    r: &Referral,
    offer: &Offer,
    children: &[Child],
    home: &Home,
    provider: &Organisation,
    council: String,
    notes: &str,
) -> AgreementTerms {
    AgreementTerms {
        referral: r.id,
        offer: offer.id,
        council,
        provider: provider.name.clone(),
        home: home.name.clone(),
        home_urn: home.urn.clone(),
        placement_type: home.kind.placement_type(false).label().to_owned(),
        children: children
            .iter()
            .map(|c| AgreementChild {
                id: c.id,
                reference: c.reference.as_str().to_owned(),
                date_of_birth: c.date_of_birth,
            })
            .collect(),
        start: offer.start,
        weekly_price: offer.weekly_price.pounds(),
        includes: offer.terms.includes.clone(),
        needs: r.needs.iter().map(|n| n.label().to_owned()).collect(),
        notes: notes.to_owned(),
    }
}
