//! The marketplace: sending referrals to providers, their offers and declines, accepting one
//! (atomically, exactly once), the Individual Placement Agreement, placements' endings and moves, and
//! the notifications and escalations around them.

mod accept;
mod agreements;
mod answers;
mod escalation;
mod notify;
mod outbox;
mod placements;
mod send;
pub mod views;

pub use escalation::EscalationReport;
pub use outbox::DeliveryReport;

use crate::{ServiceError, Services};
use hearth_domain::access::Principal;
use views::NoticeView;

/// The most notices a list returns.
const NOTICE_LIMIT: u32 = 100;

impl Services {
    /// The caller's in-app notices: their organisation's and their own, newest first.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn notices(&self, p: &Principal) -> Result<Vec<NoticeView>, ServiceError> {
        Ok(self
            .store
            .notices_for(p.organisation, p.user, NOTICE_LIMIT)
            .await?
            .into_iter()
            .map(NoticeView::from)
            .collect())
    }
}
