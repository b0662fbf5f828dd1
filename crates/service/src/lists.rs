//! Lists people work from all day: a council's referrals and a provider's "sent to us", filtered,
//! searched and paged by the database; a council's children found by reference; and the counts the
//! front page turns into next actions. Each list is scoped exactly as the single records are.

use crate::auth::Origin;
use crate::views::{ChildView, ReferralSummary};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::council::council_name;
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral::{ReferralStatus, Urgency};
use hearth_domain::{ChildId, DomainError};
use hearth_store::{ReferralQuery, ReferralScope};

/// Rows on one page of a list.
pub const PAGE_SIZE: u32 = 25;
/// The last page anyone can ask for: past it the offset no longer fits and nobody pages that far.
pub const MAX_PAGE: u32 = 10_000;

/// What a referral list is asked for. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    pub urgency: Option<Urgency>,
    pub needed_from: Option<jiff::civil::Date>,
    pub needed_to: Option<jiff::civil::Date>,
    pub child: Option<ChildId>,
    /// A referral's number, or a child's reference (a council's own children only).
    pub search: Option<String>,
    /// A provider's "waiting for our answer": live referrals sent to it that it has not answered.
    pub waiting: bool,
    /// 1-based.
    pub page: u32,
}

/// One row of a referral list.
#[derive(Debug, Clone)]
pub struct ReferralListRow {
    pub summary: ReferralSummary,
    pub council: String,
    /// The open sending's deadline, if the referral is out with providers now.
    pub deadline: Option<jiff::Timestamp>,
    /// The children's references: empty for a provider, who never sees them.
    pub child_references: Vec<String>,
}

/// One page of a list, with the count of everything the filter matched.
#[derive(Debug, Clone)]
pub struct ListPage<T> {
    pub rows: Vec<T>,
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl<T> ListPage<T> {
    /// The 1-based position of the first row shown (0 when there are none).
    pub fn first(&self) -> u64 {
        if self.rows.is_empty() { 0 } else { u64::from(self.page - 1) * u64::from(self.per_page) + 1 }
    }

    pub fn last(&self) -> u64 {
        self.first() + self.rows.len() as u64 - u64::from(!self.rows.is_empty())
    }

    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(u64::from(self.per_page.max(1)))).unwrap_or(u32::MAX).max(1)
    }
}

/// The counts behind the front page's next actions; each equals the total of a list the front page
/// links to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NextActions {
    /// A council: referrals with offers to compare.
    pub offers_to_compare: u64,
    /// A council: referrals open with providers, no offer yet.
    pub open: u64,
    /// A council: drafts not yet submitted.
    pub drafts: u64,
    /// A provider: referrals waiting for its answer.
    pub awaiting_answer: u64,
}

fn check_page(page: u32) -> Result<u32, ServiceError> {
    match page {
        0 => Ok(1),
        1..=MAX_PAGE => Ok(page),
        _ => Err(DomainError::new("page", format!("The page must be a number from 1 to {MAX_PAGE}")).into()),
    }
}

fn check_search(field: &'static str, search: Option<&str>) -> Result<Option<String>, ServiceError> {
    let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    hearth_domain::text::check_line(field, search)?;
    if search.chars().count() > 40 {
        return Err(DomainError::new(field, "The search must be 40 characters or fewer").into());
    }
    Ok(Some(search.to_owned()))
}

impl Services {
    fn referral_scope(&self, p: &Principal) -> Result<ReferralScope, ServiceError> {
        match (p.organisation_kind, p.la_code) {
            (OrganisationKind::Council, Some(la)) if p.can(Capability::ViewReferrals) => Ok(ReferralScope::Council(la)),
            (OrganisationKind::Provider, _) if p.can(Capability::ViewSentReferrals) => {
                Ok(ReferralScope::SentTo(p.organisation))
            }
            (OrganisationKind::Provider, _) => Err(ServiceError::Forbidden(Capability::ViewSentReferrals)),
            _ => Err(ServiceError::Forbidden(Capability::ViewReferrals)),
        }
    }

    fn referral_query(&self, p: &Principal, f: &ReferralFilter, limit: u32) -> Result<ReferralQuery, ServiceError> {
        let scope = self.referral_scope(p)?;
        let page = check_page(f.page)?;
        let search = check_search("q", f.search.as_deref())?;
        if let (Some(from), Some(to)) = (f.needed_from, f.needed_to)
            && to < from
        {
            return Err(DomainError::new("needed_to", "The last day must be the same as or after the first day").into());
        }
        let provider = matches!(scope, ReferralScope::SentTo(_));
        Ok(ReferralQuery {
            scope,
            status: f.status,
            urgency: f.urgency,
            needed_from: f.needed_from,
            needed_to: f.needed_to,
            // A provider never filters by a child: it does not know them.
            child: if provider { None } else { f.child },
            reference: search,
            awaiting_answer_from: (provider && f.waiting).then_some(p.organisation),
            action_first: true,
            offset: (page - 1) * PAGE_SIZE,
            limit,
        })
    }

    /// One page of the referrals the caller may list, what needs action first (live referrals by
    /// nearest deadline, then drafts, then the rest, newest first); audited as a list read of the
    /// referrals shown.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn referral_list(
        &self,
        p: &Principal,
        filter: &ReferralFilter,
        origin: &Origin,
    ) -> Result<ListPage<ReferralListRow>, ServiceError> {
        let query = self.referral_query(p, filter, PAGE_SIZE)?;
        let mut found = self.store.referral_page(&query).await?;
        let ids: Vec<i64> = found.referrals.iter().map(|r| r.id.0).collect();
        self.audit_list_read(p, origin, "referral.list.read", "referral", &ids).await?;
        let council = matches!(query.scope, ReferralScope::Council(_));
        let rows = found
            .referrals
            .iter()
            .map(|r| ReferralListRow {
                summary: ReferralSummary::from(r),
                council: council_name(r.la_code),
                deadline: found.deadlines.get(&r.id).copied(),
                child_references: if council {
                    found.child_references.remove(&r.id).unwrap_or_default()
                } else {
                    Vec::new()
                },
            })
            .collect();
        Ok(ListPage { rows, total: found.total, page: query.offset / PAGE_SIZE + 1, per_page: PAGE_SIZE })
    }

    /// How many referrals the list with this filter holds, without reading them: counts disclose no
    /// child's details, so they are not audited.
    pub async fn referral_count(&self, p: &Principal, filter: &ReferralFilter) -> Result<u64, ServiceError> {
        let query = self.referral_query(p, filter, 0)?;
        Ok(self.store.referral_page(&query).await?.total)
    }

    /// The front page's next actions for the caller's role: zeros where the role has no such list.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn next_actions(&self, p: &Principal) -> Result<NextActions, ServiceError> {
        let mut next = NextActions::default();
        match self.referral_scope(p) {
            Ok(ReferralScope::Council(_)) => {
                let with = |status| ReferralFilter { status: Some(status), ..Default::default() };
                next.offers_to_compare = self.referral_count(p, &with(ReferralStatus::Offers)).await?;
                next.open = self.referral_count(p, &with(ReferralStatus::Open)).await?;
                next.drafts = self.referral_count(p, &with(ReferralStatus::Draft)).await?;
            }
            Ok(ReferralScope::SentTo(_)) => {
                let waiting = ReferralFilter { waiting: true, ..Default::default() };
                next.awaiting_answer = self.referral_count(p, &waiting).await?;
            }
            Err(_) => {}
        }
        Ok(next)
    }

    /// One page of the council's children looked after, found by the start of their reference;
    /// the council's placement officers and team managers only; audited as a list read.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn children_list(
        &self,
        p: &Principal,
        search: Option<&str>,
        page: u32,
        origin: &Origin,
    ) -> Result<ListPage<ChildView>, ServiceError> {
        let la = match (p.organisation_kind, p.la_code) {
            (OrganisationKind::Council, Some(la)) => la,
            _ => return Err(ServiceError::Forbidden(Capability::ViewChildren)),
        };
        p.require_council(Capability::ViewChildren, la).map_err(|d| ServiceError::denied(d, "council"))?;
        let page = check_page(page)?;
        let search = check_search("q", search)?;
        if let Some(s) = &search
            && !(s.len() <= 10 && s.bytes().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(DomainError::new("q", "A child's reference is 1 to 10 letters or digits").into());
        }
        let (children, total) =
            self.store.children_page(la, search.as_deref(), (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
        let ids: Vec<i64> = children.iter().map(|c| c.id.0).collect();
        self.audit_list_read(p, origin, "child.list.read", "child", &ids).await?;
        Ok(ListPage { rows: children.into_iter().map(ChildView::from).collect(), total, page, per_page: PAGE_SIZE })
    }
}
