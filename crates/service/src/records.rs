//! Children and referrals: a council's own records, and the minimised view a provider gets of a
//! referral sent to it. Reads that disclose a child's details are audited.

use crate::auth::{Origin, actor_of};
use crate::views::{
    ChildMinimised, ChildView, PlacementView, ReferralEventView, ReferralFull, ReferralMinimised, ReferralSummary,
    ReferralView,
};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::council::council_name;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::Referral;
use hearth_domain::{ChildId, ReferralId};

const LIST_LIMIT: u32 = 500;

impl Services {
    /// A council's children looked after: its own placement officers and managers only; audited
    /// (one line naming the set).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn children(&self, p: &Principal, la_code: u16, origin: &Origin) -> Result<Vec<ChildView>, ServiceError> {
        let children = self.council_children(p, la_code).await?;
        let ids: Vec<i64> = children.iter().map(|c| c.id.0).collect();
        self.audit_list_read(p, origin, "child.list.read", "child", &ids).await?;
        Ok(children.into_iter().map(ChildView::from).collect())
    }

    /// The council's child with this reference, if any, for a form that names a child by reference.
    /// Discloses nothing but whether the reference is one of the caller's own children, so it is not
    /// audited; reading the record itself is.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn child_by_reference(
        &self,
        p: &Principal,
        la_code: u16,
        reference: &str,
    ) -> Result<Option<ChildId>, ServiceError> {
        let children = self.council_children(p, la_code).await?;
        Ok(children.into_iter().find(|c| c.reference.as_str().eq_ignore_ascii_case(reference.trim())).map(|c| c.id))
    }

    /// The referrals not yet closed (draft, open or with offers) that `child` is already on, newest
    /// first: the pages warn before a second is made by mistake. Only the child's own council's
    /// people who may write referrals ask; it discloses referral ids and statuses of the council's own
    /// child, which the referral list shows them anyway, so it is not audited (reading the child's
    /// record on the same page is).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, child = child.0))]
    pub async fn unclosed_referrals_of_child(
        &self,
        p: &Principal,
        child: ChildId,
    ) -> Result<Vec<(hearth_domain::ReferralId, hearth_domain::referral::ReferralStatus)>, ServiceError> {
        let what = format!("child {child}");
        let c = self.store.child_unaudited(child).await?;
        p.require_council_record(Capability::EditReferrals, c.la_code).map_err(|d| ServiceError::denied(d, what))?;
        let mut all = self.store.referrals_of_child(child).await?;
        all.retain(|(_, status)| !status.is_closed());
        Ok(all)
    }

    async fn council_children(
        &self,
        p: &Principal,
        la_code: u16,
    ) -> Result<Vec<hearth_domain::child::Child>, ServiceError> {
        p.require_council(Capability::ViewChildren, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        Ok(self.store.children_of(la_code).await?)
    }

    /// One child's record; audited.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, child = id.0))]
    pub async fn child(&self, p: &Principal, id: ChildId, origin: &Origin) -> Result<ChildView, ServiceError> {
        let child = self.store.child_unaudited(id).await?;
        p.require_council_record(Capability::ViewChildren, child.la_code)
            .map_err(|d| ServiceError::denied(d, format!("child {id}")))?;
        self.store
            .record_read(&actor_of(p, "read child", origin), "child.read", "child", &id.to_string(), self.now())
            .await?;
        Ok(child.into())
    }

    /// One child's placements, oldest first; audited as a read of the child's record.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, child = id.0))]
    pub async fn placements_of_child(
        &self,
        p: &Principal,
        id: ChildId,
        origin: &Origin,
    ) -> Result<Vec<PlacementView>, ServiceError> {
        let child = self.store.child_unaudited(id).await?;
        p.require_council_record(Capability::ViewPlacements, child.la_code)
            .map_err(|d| ServiceError::denied(d, format!("child {id}")))?;
        self.store
            .record_read(
                &actor_of(p, "read placements", origin),
                "placements.read",
                "child",
                &id.to_string(),
                self.now(),
            )
            .await?;
        Ok(self.store.placements_of_child(id).await?.into_iter().map(PlacementView::from).collect())
    }

    /// The referrals a caller may list: a council's own, or those sent to a provider; audited (one
    /// line naming the set: a summary carries the children's needs).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn referrals(&self, p: &Principal, origin: &Origin) -> Result<Vec<ReferralSummary>, ServiceError> {
        let list = match (p.organisation_kind, p.la_code) {
            (OrganisationKind::Council, Some(la)) if p.can(Capability::ViewReferrals) => {
                self.store.referrals_of(la, LIST_LIMIT).await?
            }
            (OrganisationKind::Provider, _) if p.can(Capability::ViewSentReferrals) => {
                self.store.referrals_sent_to(p.organisation, LIST_LIMIT).await?
            }
            _ => {
                let wanted = if p.organisation_kind == OrganisationKind::Provider {
                    Capability::ViewSentReferrals
                } else {
                    Capability::ViewReferrals
                };
                return Err(ServiceError::Forbidden(wanted));
            }
        };
        let ids: Vec<i64> = list.iter().map(|r| r.id.0).collect();
        self.audit_list_read(p, origin, "referral.list.read", "referral", &ids).await?;
        Ok(list.iter().map(ReferralSummary::from).collect())
    }

    /// One referral: in full (audited) for its council, and for a provider whose offer was accepted;
    /// minimised for a provider it was sent to; not found for anyone else.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn referral(&self, p: &Principal, id: ReferralId, origin: &Origin) -> Result<ReferralView, ServiceError> {
        let what = format!("referral {id}");
        let referral = self.store.referral_unaudited(id).await?;
        let full = if p.organisation_kind == OrganisationKind::Provider {
            p.require(Capability::ViewSentReferrals).map_err(|d| ServiceError::denied(d, what.clone()))?;
            let recipient = self.store.recipient(id, p.organisation).await?.ok_or(ServiceError::NotFound(what))?;
            recipient.offer_accepted
        } else {
            p.require_council_record(Capability::ViewReferrals, referral.la_code)
                .map_err(|d| ServiceError::denied(d, what))?;
            true
        };
        if full {
            self.store
                .record_read(
                    &actor_of(p, "read referral", origin),
                    "referral.read",
                    "referral",
                    &id.to_string(),
                    self.now(),
                )
                .await?;
            Ok(ReferralView::Full(Box::new(self.full_referral(referral).await?)))
        } else {
            Ok(ReferralView::Minimised(self.minimised_referral(referral).await?))
        }
    }

    pub(crate) async fn full_referral(&self, r: Referral) -> Result<ReferralFull, ServiceError> {
        let mut children = Vec::with_capacity(r.children.len());
        for id in &r.children {
            children.push(ChildView::from(self.store.child_unaudited(*id).await?));
        }
        Ok(ReferralFull {
            summary: ReferralSummary::from(&r),
            siblings_together: r.siblings_together,
            preferred_district: r.preferred_district.map(|d| d.to_string()),
            children,
            details: self.store.referral_details(r.id).await?,
            events: self.store.referral_events(r.id).await?.into_iter().map(ReferralEventView::from).collect(),
        })
    }

    async fn minimised_referral(&self, r: Referral) -> Result<ReferralMinimised, ServiceError> {
        let today = self.today();
        let mut children = Vec::with_capacity(r.children.len());
        let mut home_area = None;
        for id in &r.children {
            let c = self.store.child_unaudited(*id).await?;
            home_area = home_area.or(c.home_district.clone());
            children.push(ChildMinimised::of(&c, today));
        }
        Ok(ReferralMinimised {
            id: r.id,
            council: council_name(r.la_code),
            children,
            siblings_together: r.siblings_together,
            needs: r.needs.clone(),
            area: r.preferred_district.or(home_area).map(|d| d.to_string()),
            urgency: r.urgency,
            needed_from: r.needed_from,
            status: r.status,
            created_at: r.created_at,
        })
    }
}
