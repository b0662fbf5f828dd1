//! Lists people work from all day: a council's referrals and a provider's "sent to us", filtered,
//! searched and paged by the database; a council's children found by reference; and the counts the
//! front page turns into next actions. Each list is scoped exactly as the single records are.

use crate::auth::Origin;
use crate::views::{ChildView, PlacementView, ReferralSummary};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::council::council_name;
use hearth_domain::offer::{Offer, OfferStatus};
use hearth_domain::org::OrganisationKind;
use hearth_domain::placement::PlacementListStatus;
use hearth_domain::referral::{ReferralStatus, Urgency};
use hearth_domain::{ChildId, DomainError, HomeId, ReferralId};
use hearth_store::{HomeMatch, OfferQuery, PlacementQuery, PlacementScope, ReferralQuery, ReferralScope};

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
    /// A council or a provider: current placements whose agreement is not yet signed by both sides.
    pub agreements_to_sign: u64,
    /// The hub's or a council's administrators: applications to join they may decide, not yet decided.
    pub applications_waiting: u64,
}

fn check_page(page: u32) -> Result<u32, ServiceError> {
    match page {
        0 => Ok(1),
        1..=MAX_PAGE => Ok(page),
        _ => Err(DomainError::new("page", format!("The page must be a number from 1 to {MAX_PAGE}")).into()),
    }
}

fn check_search(field: &'static str, search: Option<&str>) -> Result<Option<String>, ServiceError> {
    check_text(field, search, 40)
}

/// One line of text typed into a filter, at most `max` characters; `None` when empty.
fn check_text(field: &'static str, search: Option<&str>, max: usize) -> Result<Option<String>, ServiceError> {
    let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    hearth_domain::text::check_line(field, search)?;
    if search.chars().count() > max {
        return Err(DomainError::new(field, format!("The search must be {max} characters or fewer")).into());
    }
    Ok(Some(search.to_owned()))
}

/// The longest home name a filter takes.
const HOME_SEARCH_MAX: usize = 200;

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
        if let Ok(scope) = self.placement_scope(p) {
            let query = PlacementQuery {
                scope,
                status: Some(PlacementListStatus::ToSign),
                home: None,
                child_reference: None,
                started_from: None,
                started_to: None,
                search: None,
                action_first: false,
                offset: 0,
                limit: 0,
            };
            next.agreements_to_sign = self.store.placement_page(&query).await?.total;
        }
        if crate::onboarding::require_decider(p).is_ok() {
            next.applications_waiting = self.applications(p, Some("pending")).await?.len() as u64;
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

/// The most rows one page of a list may hold when a client asks for its own page size (the API).
pub const MAX_PER_PAGE: u32 = 500;

/// What a placement list is asked for. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    pub status: Option<PlacementListStatus>,
    /// A home's number, or part of its name.
    pub home: Option<String>,
    /// A child's reference (the child's council only).
    pub child: Option<String>,
    pub started_from: Option<jiff::civil::Date>,
    pub started_to: Option<jiff::civil::Date>,
    /// A placement's number, or (the child's council only) a child's reference.
    pub search: Option<String>,
    /// 1-based.
    pub page: u32,
    /// Rows on a page: 0 for the pages' [`PAGE_SIZE`].
    pub per_page: u32,
    /// Newest first instead of what needs action first (the API's order).
    pub newest_first: bool,
}

/// One row of a placement list.
#[derive(Debug, Clone)]
pub struct PlacementListRow {
    pub placement: PlacementView,
    /// The child's reference: for the child's council only.
    pub child_reference: Option<String>,
    /// The council whose child it is.
    pub council: String,
    pub home_name: Option<String>,
    pub provider_name: Option<String>,
    /// Current, and its Individual Placement Agreement is not yet signed by both sides.
    pub to_sign: bool,
}

/// What a provider's offers list is asked for. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct OfferFilter {
    pub status: Option<OfferStatus>,
    /// A home's number, or part of its name.
    pub home: Option<String>,
    pub urgency: Option<Urgency>,
    pub start_from: Option<jiff::civil::Date>,
    pub start_to: Option<jiff::civil::Date>,
    /// A referral's number.
    pub search: Option<String>,
    /// 1-based.
    pub page: u32,
}

/// One row of a provider's offers list.
#[derive(Debug, Clone)]
pub struct OfferListRow {
    pub offer: Offer,
    pub home_name: String,
    pub council: String,
    pub urgency: Urgency,
    pub referral_status: ReferralStatus,
    /// The referral's deadline for answers, if it is out with providers now.
    pub deadline: Option<jiff::Timestamp>,
    /// Waiting for the council: a live offer on a live referral.
    pub awaiting_council: bool,
}

fn check_range(
    field: &'static str,
    from: Option<jiff::civil::Date>,
    to: Option<jiff::civil::Date>,
) -> Result<(), ServiceError> {
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(DomainError::new(field, "The last day must be the same as or after the first day").into());
    }
    Ok(())
}

/// A home as typed into a filter: its number, or part of its name.
fn home_match(raw: Option<&str>) -> Result<Option<HomeMatch>, ServiceError> {
    let Some(home) = check_text("home", raw, HOME_SEARCH_MAX)? else { return Ok(None) };
    Ok(Some(match home.trim_start_matches('#').parse::<i64>() {
        Ok(id) => HomeMatch::Id(HomeId(id)),
        Err(_) => HomeMatch::Name(home),
    }))
}

fn check_per_page(per_page: u32) -> Result<u32, ServiceError> {
    match per_page {
        0 => Ok(PAGE_SIZE),
        1..=MAX_PER_PAGE => Ok(per_page),
        _ => {
            Err(DomainError::new("per_page", format!("The page size must be a number from 1 to {MAX_PER_PAGE}")).into())
        }
    }
}

impl Services {
    /// Whose placements the caller lists: its council's children's, or those in its homes.
    fn placement_scope(&self, p: &Principal) -> Result<PlacementScope, ServiceError> {
        p.require(Capability::ViewPlacements).map_err(|d| ServiceError::denied(d, "placements"))?;
        match (p.organisation_kind, p.la_code) {
            (OrganisationKind::Council, Some(la)) => Ok(PlacementScope::Council(la)),
            (OrganisationKind::Provider, _) => Ok(PlacementScope::InHomesOf(p.organisation)),
            _ => Err(ServiceError::Forbidden(Capability::ViewPlacements)),
        }
    }

    /// One page of the placements the caller may list — a council's own children's, or those in a
    /// provider's homes — what needs action first (current placements whose agreement is not yet
    /// signed by both sides, then the other current ones, then the ended, each newest first), unless
    /// `newest_first`; audited as a list read of the placements shown.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn placement_list(
        &self,
        p: &Principal,
        f: &PlacementFilter,
        origin: &Origin,
    ) -> Result<ListPage<PlacementListRow>, ServiceError> {
        let scope = self.placement_scope(p)?;
        let council = matches!(scope, PlacementScope::Council(_));
        let page = check_page(f.page)?;
        let per_page = check_per_page(f.per_page)?;
        let search = check_search("q", f.search.as_deref())?;
        let home = home_match(f.home.as_deref())?;
        let child = check_search("child", f.child.as_deref())?;
        if let Some(c) = &child {
            if !council {
                return Err(DomainError::new(
                    "child",
                    "Only the child's council finds placements by a child's reference",
                )
                .into());
            }
            if !(c.len() <= 10 && c.bytes().all(|b| b.is_ascii_alphanumeric())) {
                return Err(DomainError::new("child", "A child's reference is 1 to 10 letters or digits").into());
            }
        }
        check_range("started_to", f.started_from, f.started_to)?;
        let query = PlacementQuery {
            scope,
            status: f.status,
            home,
            child_reference: child,
            started_from: f.started_from,
            started_to: f.started_to,
            search,
            action_first: !f.newest_first,
            offset: (page - 1) * per_page,
            limit: per_page,
        };
        let found = self.store.placement_page(&query).await?;
        let ids: Vec<i64> = found.rows.iter().map(|r| r.placement.id.0).collect();
        self.audit_list_read(p, origin, "placement.list.read", "placement", &ids).await?;
        let rows = found
            .rows
            .into_iter()
            .map(|r| PlacementListRow {
                council: council_name(r.placement.la_code),
                child_reference: council.then_some(r.child_reference),
                home_name: r.home_name,
                provider_name: r.provider_name,
                to_sign: r.to_sign,
                placement: PlacementView::from(r.placement),
            })
            .collect();
        Ok(ListPage { rows, total: found.total, page, per_page })
    }

    /// One page of the caller's organisation's offers, those waiting for the council first (the
    /// nearest deadline first), then the rest, newest first. For those who answer referrals (a
    /// provider's staff and managers; a council's team managers for its in-house service).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn offer_list(&self, p: &Principal, f: &OfferFilter) -> Result<ListPage<OfferListRow>, ServiceError> {
        p.require(Capability::RespondToReferrals).map_err(|d| ServiceError::denied(d, "offers"))?;
        let page = check_page(f.page)?;
        let search = check_search("q", f.search.as_deref())?;
        let referral = match search {
            None => None,
            Some(s) => match s.trim_start_matches('#').parse::<i64>() {
                Ok(id) => Some(ReferralId(id)),
                Err(_) => return Err(DomainError::new("q", "A referral's number is a whole number, like 1234").into()),
            },
        };
        check_range("start_to", f.start_from, f.start_to)?;
        let query = OfferQuery {
            provider: p.organisation,
            status: f.status,
            home: home_match(f.home.as_deref())?,
            urgency: f.urgency,
            start_from: f.start_from,
            start_to: f.start_to,
            referral,
            offset: (page - 1) * PAGE_SIZE,
            limit: PAGE_SIZE,
        };
        let found = self.store.offer_page(&query).await?;
        let rows = found
            .rows
            .into_iter()
            .map(|r| OfferListRow {
                council: council_name(r.la_code),
                awaiting_council: r.offer.status.is_live() && r.referral_status.is_live(),
                home_name: r.home_name,
                urgency: r.urgency,
                referral_status: r.referral_status,
                deadline: r.deadline,
                offer: r.offer,
            })
            .collect();
        Ok(ListPage { rows, total: found.total, page, per_page: PAGE_SIZE })
    }
}
