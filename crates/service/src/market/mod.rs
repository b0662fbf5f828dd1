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

pub use accept::CurrentPlacement;
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

    /// How many of the caller's notices they have not read yet (of the newest [`NOTICE_LIMIT`]).
    pub async fn unread_notices(&self, p: &Principal) -> Result<usize, ServiceError> {
        Ok(self.store.notices_for(p.organisation, p.user, NOTICE_LIMIT).await?.iter().filter(|n| !n.read).count())
    }

    /// The caller reads their notices: the list as it stood (each `read` as it was before this visit,
    /// so a page can say which are new), and every notice listed is from now on read by them. The
    /// mark is the person's own view of their inbox, not a record anyone else reads, so it is not
    /// audited.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn read_notices(&self, p: &Principal) -> Result<Vec<NoticeView>, ServiceError> {
        let notices = self.store.notices_for(p.organisation, p.user, NOTICE_LIMIT).await?;
        let unread: Vec<i64> = notices.iter().filter(|n| !n.read).map(|n| n.id).collect();
        self.store.mark_notices_read(p.user, &unread, self.now()).await?;
        Ok(notices.into_iter().map(NoticeView::from).collect())
    }
}
