//! A provider's live offers across every referral still open that was sent to it: the list it
//! withdraws from when a place goes elsewhere.

use crate::market::views::OfferView;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::offer::OfferStatus;
use hearth_domain::referral::ReferralStatus;

/// How many of the referrals sent to the provider are looked through, newest first (as its list).
const REFERRALS_LOOKED_AT: u32 = 500;

impl Services {
    /// The caller's organisation's offers that may still be accepted, newest referral first.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn own_offers(&self, p: &Principal) -> Result<Vec<OfferView>, ServiceError> {
        p.require(Capability::RespondToReferrals).map_err(|d| ServiceError::denied(d, "offers"))?;
        let mut views = Vec::new();
        for r in self.store.referrals_sent_to(p.organisation, REFERRALS_LOOKED_AT).await? {
            // Only an open referral can still take an offer up; the others' offers are closed.
            if !matches!(r.status, ReferralStatus::Open | ReferralStatus::Offers) {
                continue;
            }
            for o in self.store.offers_of(r.id).await? {
                if o.provider == p.organisation && o.status == OfferStatus::Made {
                    views.push(self.offer_view(&o, r.la_code, None).await?);
                }
            }
        }
        Ok(views)
    }
}
