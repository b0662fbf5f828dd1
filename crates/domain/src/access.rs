//! Who may do what: the one place Hearth's permissions are written down. The service layer asks these
//! questions before every read and write, so the API, the pages and the exports all give the same
//! answer. The README's "Who may see what" table is this module in words.

use crate::code_list;
use crate::ids::{OrganisationId, UserId};
use crate::org::{OrganisationKind, Role};

code_list! {
    /// Things a person or an API client may be allowed to do. Also the scopes of API tokens.
    pub enum Capability ("scopes") {
        ViewReference = "reference:read" => "See the councils and region-wide counts",
        ViewChildren = "children:read" => "See the full records of the council's own children",
        EditChildren = "children:write" => "Record and change the council's own children",
        ViewReferrals = "referrals:read" => "See the council's own referrals in full",
        EditReferrals = "referrals:write" => "Write, submit, send and withdraw the council's referrals, accept offers",
        ViewSentReferrals = "sent-referrals:read" => "See referrals sent to the provider, minimised",
        RespondToReferrals = "offers:write" => "Answer referrals sent to the organisation with an offer or a decline",
        ViewHomes = "homes:read" => "See homes and vacancies (providers: their own)",
        ManageVacancies = "vacancies:write" => "Keep the organisation's own homes' vacancies up to date",
        ManageHomes = "homes:write" => "Open, change and close the organisation's own homes",
        ViewPlacements = "placements:read" => "See placements (councils: their children's; providers: in their homes)",
        ViewCouncilFigures = "figures:council" => "See the council's own aggregate figures",
        ViewRegionFigures = "figures:region" => "See aggregate figures for every council",
        ManageUsers = "users:write" => "Add, change and remove the organisation's users",
        ManageTokens = "tokens:write" => "Issue and revoke the organisation's API tokens",
        ManageContracts = "contracts:write" => "Record the council's contracts with providers",
        ManageWeights = "weights:write" => "See and tune how the council's matching weighs each factor",
        ViewAudit = "audit:read" => "Search the organisation's audit trail",
        ManageOrganisations = "organisations:write" => "Add and change organisations (platform only)",
    }
}

use Capability as C;

impl Role {
    /// The written permissions: what each role may do, before scoping to its organisation.
    pub const fn capabilities(self) -> &'static [Capability] {
        match self {
            Role::PlacementOfficer => &[
                C::ViewReference,
                C::ViewChildren,
                C::EditChildren,
                C::ViewReferrals,
                C::EditReferrals,
                C::ViewHomes,
                C::ViewPlacements,
            ],
            // Team managers also run the council's in-house service: its vacancies, and its answers
            // when a cascade's in-house step asks it for a home.
            Role::TeamManager => &[
                C::ViewReference,
                C::ViewChildren,
                C::EditChildren,
                C::ViewReferrals,
                C::EditReferrals,
                C::RespondToReferrals,
                C::ViewHomes,
                C::ManageVacancies,
                C::ManageHomes,
                C::ViewPlacements,
                C::ViewCouncilFigures,
                C::ManageWeights,
            ],
            Role::ProviderStaff => &[
                C::ViewReference,
                C::ViewSentReferrals,
                C::RespondToReferrals,
                C::ViewHomes,
                C::ManageVacancies,
                C::ViewPlacements,
            ],
            Role::ProviderManager => &[
                C::ViewReference,
                C::ViewSentReferrals,
                C::RespondToReferrals,
                C::ViewHomes,
                C::ManageVacancies,
                C::ManageHomes,
                C::ViewPlacements,
                C::ManageTokens,
            ],
            Role::Commissioner => {
                &[C::ViewReference, C::ViewHomes, C::ViewCouncilFigures, C::ManageContracts, C::ManageWeights]
            }
            Role::RegionalCommissioner => {
                &[C::ViewReference, C::ViewHomes, C::ViewCouncilFigures, C::ViewRegionFigures]
            }
            Role::Administrator => &[C::ViewReference, C::ManageUsers, C::ManageTokens, C::ViewAudit],
            Role::PlatformAdministrator => {
                &[C::ViewReference, C::ManageUsers, C::ManageTokens, C::ViewAudit, C::ManageOrganisations]
            }
        }
    }

    pub fn can(self, c: Capability) -> bool {
        self.capabilities().contains(&c)
    }
}

impl Capability {
    /// What an API token may be scoped to: the day-to-day work of a connected system, and reading
    /// the audit trail (a council's security monitoring pulls it). Managing people, tokens and
    /// organisations stays with signed-in administrators, so a leaked token can never mint another
    /// or add a user.
    pub const fn grantable_to_tokens(self) -> bool {
        !matches!(self, C::ManageUsers | C::ManageTokens | C::ManageOrganisations)
    }
}

impl OrganisationKind {
    /// What any holder in such an organisation may ever be given, so that an API token cannot be
    /// scoped beyond what the organisation does (a provider's token can never read children).
    pub fn may_hold(self, c: Capability) -> bool {
        Role::ALL.iter().filter(|r| r.fits(self)).any(|r| r.can(c))
    }
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A signed-in person, through a session cookie.
    Session,
    /// An API client, through a bearer token limited to its scopes.
    Token,
}

/// The one who is asking, as every service call receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The person, or for an API token the administrator who issued it.
    pub user: UserId,
    pub organisation: OrganisationId,
    pub organisation_kind: OrganisationKind,
    /// The organisation's DfE LA code, for councils (and council-run services).
    pub la_code: Option<u16>,
    /// For a session, what the person may do. For a token, the issuer's current role, which bounds
    /// the token's scopes.
    pub role: Role,
    pub credential: Credential,
    /// For tokens: the scopes granted, which decide what the token may do (within its issuer's role
    /// and what its organisation's kind may ever hold).
    pub scopes: Vec<Capability>,
}

/// Why a role cannot be given; the sentence goes beside the form's role field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RoleRefused {
    DoesNotFit { role: Role, kind: OrganisationKind },
    PlatformOnly,
}

impl std::fmt::Display for RoleRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DoesNotFit { role, kind } => write!(
                f,
                "a {} cannot belong to a {} organisation",
                role.label().to_lowercase(),
                kind.label().to_lowercase()
            ),
            Self::PlatformOnly => f.write_str("only a platform administrator can make another"),
        }
    }
}

/// Why a request was refused. Never says whether a record of another organisation exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The role (or the token's scopes) does not include this at all: 403.
    NotPermitted(Capability),
    /// The record belongs to someone else: answered as "not found" (404).
    NotYours,
}

impl Principal {
    pub fn can(&self, c: Capability) -> bool {
        match self.credential {
            Credential::Session => self.role.can(c),
            // The issuer's role as it is now, too: a token never outgrows its issuer, even one issued
            // before their role was narrowed (or before issuing was checked against it).
            Credential::Token => self.scopes.contains(&c) && self.may_grant(c),
        }
    }

    /// Whether this person may put `c` on a token they issue: never more than their own role may do
    /// (an administrator, who cannot read children, cannot mint a token that does), nor more than
    /// a token may ever carry.
    pub fn may_grant(&self, c: Capability) -> bool {
        c.grantable_to_tokens() && self.role.can(c) && self.organisation_kind.may_hold(c)
    }

    /// Whether this administrator may give `role` to a person of an organisation of `kind` (on adding
    /// them or changing their role): the role must fit the organisation, and only a platform
    /// administrator makes another. Whether they manage that organisation's users at all is
    /// [`Self::require_org`]'s question.
    pub fn may_give_role(&self, role: Role, kind: OrganisationKind) -> Result<(), RoleRefused> {
        if !role.fits(kind) {
            return Err(RoleRefused::DoesNotFit { role, kind });
        }
        if role == Role::PlatformAdministrator && !self.is_platform() {
            return Err(RoleRefused::PlatformOnly);
        }
        Ok(())
    }

    /// The roles this administrator may give in an organisation of `kind`, in the code list's order.
    pub fn roles_to_give(&self, kind: OrganisationKind) -> impl Iterator<Item = Role> + '_ {
        Role::ALL.iter().copied().filter(move |r| self.may_give_role(*r, kind).is_ok())
    }

    pub fn require(&self, c: Capability) -> Result<(), Denied> {
        if self.can(c) { Ok(()) } else { Err(Denied::NotPermitted(c)) }
    }

    pub fn is_platform(&self) -> bool {
        self.organisation_kind == OrganisationKind::Platform
    }

    /// A council's own children, referrals and placements: only that council's people see them.
    pub fn require_council(&self, c: Capability, la_code: u16) -> Result<(), Denied> {
        self.require(c)?;
        self.require_council_record(c, la_code)
    }

    /// One of a council's records (a child, a referral) found by its id: outside the record's council
    /// the answer is "not yours" (not found) whatever the role, so that a record that exists and one
    /// that does not look the same to everyone outside; inside it, the role decides.
    pub fn require_council_record(&self, c: Capability, la_code: u16) -> Result<(), Denied> {
        if self.organisation_kind == OrganisationKind::Council && self.la_code == Some(la_code) {
            self.require(c)
        } else {
            Err(Denied::NotYours)
        }
    }

    /// Records an organisation owns (its users, tokens, audit trail, homes): its own people, and the
    /// platform administrators.
    pub fn require_org(&self, c: Capability, owner: OrganisationId) -> Result<(), Denied> {
        self.require(c)?;
        if self.organisation == owner
            || (self.is_platform() && !matches!(c, Capability::ManageVacancies | Capability::ManageHomes))
        {
            Ok(())
        } else {
            Err(Denied::NotYours)
        }
    }

    /// Aggregate figures for a council: its own commissioners and managers, and regional roles.
    pub fn require_council_figures(&self, la_code: u16) -> Result<(), Denied> {
        if self.can(Capability::ViewRegionFigures) {
            return Ok(());
        }
        self.require_council(Capability::ViewCouncilFigures, la_code)
    }

    /// Aggregate figures of some council or the region: the commissioning roles. Everyone else
    /// has their own pages.
    pub fn require_some_figures(&self) -> Result<(), Denied> {
        if self.can(Capability::ViewRegionFigures) {
            return Ok(());
        }
        self.require(Capability::ViewCouncilFigures)
    }

    /// The council whose own exact figures (and SSDA903 return, which names children) this caller
    /// may have: its own council's, for a council's figures roles.
    pub fn own_council_figures(&self) -> Option<u16> {
        self.la_code.filter(|la| self.require_council(Capability::ViewCouncilFigures, *la).is_ok())
    }

    /// Homes a provider may see: its own. Councils and commissioners see every home (the market).
    pub fn sees_all_homes(&self) -> bool {
        self.can(Capability::ViewHomes) && self.organisation_kind != OrganisationKind::Provider
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, kind: OrganisationKind, la: Option<u16>) -> Principal {
        Principal {
            user: UserId(1),
            organisation: OrganisationId(10),
            organisation_kind: kind,
            la_code: la,
            role,
            credential: Credential::Session,
            scopes: vec![],
        }
    }

    #[test]
    fn councils_see_only_their_own_children() {
        let p = principal(Role::PlacementOfficer, OrganisationKind::Council, Some(331));
        assert_eq!(p.require_council(C::ViewChildren, 331), Ok(()));
        assert_eq!(p.require_council(C::ViewChildren, 330), Err(Denied::NotYours));
        let c = principal(Role::Commissioner, OrganisationKind::Council, Some(331));
        assert_eq!(c.require_council(C::ViewChildren, 331), Err(Denied::NotPermitted(C::ViewChildren)));
    }

    #[test]
    fn providers_never_hold_child_records_even_by_token() {
        assert!(!OrganisationKind::Provider.may_hold(C::ViewChildren));
        assert!(OrganisationKind::Provider.may_hold(C::ManageVacancies));
        let mut t = principal(Role::ProviderManager, OrganisationKind::Provider, None);
        t.credential = Credential::Token;
        t.scopes = vec![C::ViewSentReferrals];
        assert!(t.can(C::ViewSentReferrals), "a token does what its scopes say, whoever issued it");
        assert!(!t.can(C::ManageVacancies), "and nothing else");
        t.scopes.extend([C::ViewChildren, C::ManageTokens]);
        assert!(!t.can(C::ViewChildren), "nor what its organisation may never do");
        assert!(!t.can(C::ManageTokens), "nor manage tokens");
    }

    #[test]
    fn a_token_never_outgrows_its_issuers_role() {
        let admin = principal(Role::Administrator, OrganisationKind::Council, Some(331));
        assert!(!admin.may_grant(C::ViewChildren), "an administrator cannot read children, so cannot grant it");
        assert!(admin.may_grant(C::ViewAudit));
        assert!(!admin.may_grant(C::ManageUsers));
        let mut t = admin.clone();
        t.credential = Credential::Token;
        t.scopes = vec![C::ViewChildren, C::ViewAudit];
        assert!(!t.can(C::ViewChildren), "a token issued beyond its issuer's role does not work");
        assert!(t.can(C::ViewAudit));
    }

    #[test]
    fn administrators_give_roles_that_fit_and_only_the_platform_makes_its_own() {
        let admin = principal(Role::Administrator, OrganisationKind::Provider, None);
        let given: Vec<Role> = admin.roles_to_give(OrganisationKind::Provider).collect();
        assert_eq!(given, [Role::ProviderStaff, Role::ProviderManager, Role::Administrator]);
        assert_eq!(
            admin.may_give_role(Role::PlacementOfficer, OrganisationKind::Provider).unwrap_err().to_string(),
            "a placement officer cannot belong to a provider organisation"
        );
        assert_eq!(
            admin.may_give_role(Role::PlatformAdministrator, OrganisationKind::Platform),
            Err(RoleRefused::PlatformOnly)
        );
        let platform = principal(Role::PlatformAdministrator, OrganisationKind::Platform, None);
        assert!(platform.may_give_role(Role::PlatformAdministrator, OrganisationKind::Platform).is_ok());
        assert!(platform.may_give_role(Role::PlatformAdministrator, OrganisationKind::Council).is_err());
    }

    #[test]
    fn figures_by_council_or_region() {
        let c = principal(Role::Commissioner, OrganisationKind::Council, Some(331));
        assert!(c.require_council_figures(331).is_ok());
        assert_eq!(c.require_council_figures(330), Err(Denied::NotYours));
        let r = principal(Role::RegionalCommissioner, OrganisationKind::RegionalHub, None);
        assert!(r.require_council_figures(330).is_ok());
        assert_eq!((c.own_council_figures(), r.own_council_figures()), (Some(331), None));
        assert!(c.require_some_figures().is_ok() && r.require_some_figures().is_ok());
        let officer = principal(Role::PlacementOfficer, OrganisationKind::Council, Some(331));
        assert_eq!(officer.require_some_figures(), Err(Denied::NotPermitted(C::ViewCouncilFigures)));
        assert_eq!(officer.own_council_figures(), None);
    }

    #[test]
    fn every_role_can_read_reference_data_and_nobody_else_manages_organisations() {
        for r in Role::ALL {
            assert!(r.can(C::ViewReference));
            assert_eq!(r.can(C::ManageOrganisations), *r == Role::PlatformAdministrator);
        }
    }
}
