//! Organisations, users and roles. Who may do what with them is the access issue's; here are the facts.

use crate::DomainError;
use crate::code_list;
use crate::ids::{OrganisationId, UserId};
use serde::{Deserialize, Serialize};

code_list! {
    /// What kind of organisation a user belongs to.
    pub enum OrganisationKind ("organisation_kind") {
        Council = "council" => "Council",
        Provider = "provider" => "Provider",
        RegionalHub = "hub" => "Regional hub",
        Platform = "platform" => "Platform operator",
    }
}

code_list! {
    /// Ownership sector, as Ofsted's register records it.
    pub enum Sector ("sector") {
        LocalAuthority = "local_authority" => "Local authority",
        Private = "private" => "Private",
        Voluntary = "voluntary" => "Voluntary",
        HealthAuthority = "health_authority" => "Health authority",
    }
}

impl Sector {
    /// The SSDA903 PLACE_PROVIDER code for a placement with this sector's provider, seen from
    /// `placing_council` (own provision is PR1, another council's PR2).
    pub fn place_provider(self, own_council: bool) -> crate::PlaceProvider {
        use crate::PlaceProvider as P;
        match self {
            Self::LocalAuthority if own_council => P::Pr1,
            Self::LocalAuthority => P::Pr2,
            Self::HealthAuthority => P::Pr3,
            Self::Private => P::Pr4,
            Self::Voluntary => P::Pr5,
        }
    }
}

impl Organisation {
    /// SSDA903 PLACE_PROVIDER for a placement with this organisation made by council `la_code`: a
    /// council's own services are PR1, another council's PR2 (a council, or a service a council runs),
    /// the rest by Ofsted's sector (private, PR4, when Ofsted does not say).
    pub fn place_provider(&self, la_code: u16) -> crate::PlaceProvider {
        let own = self.la_code == Some(la_code);
        match (self.kind, self.sector) {
            (OrganisationKind::Council, _) => Sector::LocalAuthority.place_provider(own),
            (_, Some(sector)) => sector.place_provider(own),
            (_, None) if self.la_code.is_some() => Sector::LocalAuthority.place_provider(own),
            (_, None) => crate::PlaceProvider::Pr4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    /// For a council: its DfE LA code. For a council-run provider service: the council that runs it.
    pub la_code: Option<u16>,
    pub sector: Option<Sector>,
}

code_list! {
    /// Roles, one per user. What each may do is written down once, in the access layer.
    pub enum Role ("role") {
        PlacementOfficer = "placement_officer" => "Placement officer",
        TeamManager = "team_manager" => "Team manager",
        ProviderStaff = "provider_staff" => "Provider staff",
        ProviderManager = "provider_manager" => "Provider manager",
        Commissioner = "commissioner" => "Commissioner",
        RegionalCommissioner = "regional_commissioner" => "Regional commissioner",
        Administrator = "administrator" => "Administrator",
        PlatformAdministrator = "platform_administrator" => "Platform administrator",
    }
}

impl Role {
    /// Which kind of organisation a user with this role must belong to (administrators: any).
    pub fn fits(self, kind: OrganisationKind) -> bool {
        use OrganisationKind as K;
        match self {
            Self::PlacementOfficer | Self::TeamManager | Self::Commissioner => kind == K::Council,
            Self::ProviderStaff | Self::ProviderManager => kind == K::Provider,
            Self::RegionalCommissioner => kind == K::RegionalHub,
            Self::Administrator => kind != K::Platform,
            Self::PlatformAdministrator => kind == K::Platform,
        }
    }
}

/// An e-mail address, lower-cased; enough checking to catch typing mistakes, not a full RFC 5322 parser.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// RFC 5321's limits: mail servers refuse a longer part before the `@` or a longer address.
    pub const MAX_LOCAL: usize = 64;
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim().to_ascii_lowercase();
        let shaped = t.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        }) && !t.chars().any(|c| c.is_whitespace() || c.is_control())
            && t.matches('@').count() == 1;
        if !shaped {
            return Err(DomainError::new("email", format!("'{}' is not an e-mail address", raw.trim())));
        }
        let local = t.split('@').next().map_or(0, str::len);
        if local > Self::MAX_LOCAL || t.len() > Self::MAX_LEN {
            return Err(DomainError::new(
                "email",
                format!(
                    "an e-mail address can have at most {} characters before the @ and {} in all; this one has {local} and {}",
                    Self::MAX_LOCAL,
                    Self::MAX_LEN,
                    t.len()
                ),
            ));
        }
        Ok(Self(t))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Email::parse(&s).map_err(|e| e.message)
    }
}
impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub organisation: OrganisationId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_fit_their_organisations() {
        assert!(Role::PlacementOfficer.fits(OrganisationKind::Council));
        assert!(!Role::PlacementOfficer.fits(OrganisationKind::Provider));
        assert!(Role::Administrator.fits(OrganisationKind::Provider));
        assert!(!Role::Administrator.fits(OrganisationKind::Platform));
    }

    #[test]
    fn emails() {
        assert_eq!(Email::parse(" Officer@Coventry.gov.uk ").unwrap().as_str(), "officer@coventry.gov.uk");
        for bad in ["", "a@b", "@x.org", "a b@x.org", "a@@x.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        // RFC 5321: at most 64 before the @, 254 in all.
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@x.org")).is_ok());
        let e = Email::parse(&format!("{local}b@x.org")).expect_err("65 before the @");
        assert_eq!(e.field, "email");
        assert!(e.message.contains("64"), "{}", e.message);
        let domain = format!("{}.org", "d".repeat(249));
        assert!(Email::parse(&format!("a@{domain}")).is_err(), "255 in all");
        assert!(Email::parse(&format!("a@{}", &domain[1..])).is_ok(), "254 in all");
    }
}
