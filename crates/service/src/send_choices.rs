//! What an officer chooses from when sending a referral to chosen providers: the providers whose homes
//! pass the hard rules, each with those homes ranked and explained. Sending is only ever to these, so
//! the page offers exactly what `send_referral` would accept.

use crate::matching::MatchView;
use crate::{ServiceError, Services};
use hearth_domain::ReferralId;
use hearth_domain::access::{Capability, Principal};

/// A provider the referral could be sent to, and why.
#[derive(Debug, Clone)]
pub struct ProviderChoice {
    /// The provider organisation's id, as `SendRequest::providers` takes it.
    pub id: i64,
    pub name: String,
    /// Its fitting homes, best first.
    pub homes: Vec<MatchView>,
}

impl Services {
    /// The providers with a home fitting one of the council's referrals, in the order of their best
    /// home's rank.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0))]
    pub async fn send_choices(&self, p: &Principal, id: ReferralId) -> Result<Vec<ProviderChoice>, ServiceError> {
        self.own_referral(p, id, Capability::EditReferrals).await?;
        let mut choices: Vec<ProviderChoice> = Vec::new();
        for f in self.fitting(id).await? {
            match choices.iter_mut().find(|c| c.id == f.provider.0) {
                Some(c) => c.homes.push(f.view),
                None => choices.push(ProviderChoice {
                    id: f.provider.0,
                    name: f.view.provider.clone(),
                    homes: vec![f.view],
                }),
            }
        }
        Ok(choices)
    }
}
