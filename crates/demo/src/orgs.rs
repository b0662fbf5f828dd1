//! Organisations and their users: the 14 councils, the regional hub, the platform operator, every
//! owner of a shipped Ofsted registration, and a few supported-accommodation providers (Ofsted's
//! 2023 register predates that regime, so these are fictional and say so in their names).

use hearth_domain::council::{Council, WEST_MIDLANDS};
use hearth_domain::org::{Email, Organisation, OrganisationKind, Role, Sector, User};
use hearth_domain::{OrganisationId, UserId};
use hearth_reference::la;
use hearth_reference::ofsted::{self, OfstedSector};
use std::collections::{BTreeMap, BTreeSet};

pub const HUB_NAME: &str = "West Midlands Regional Commissioning Hub";
pub const PLATFORM_NAME: &str = "Hearth";

/// Children's trusts and council companies that run a council's own services. DfE reports the
/// trusts' placements as voluntary provision (Birmingham's and Sandwell's "own provision" is nil
/// and their voluntary provision large), so they are provider organisations with a voluntary sector;
/// Worcestershire Children First is counted as Worcestershire's own provision, so its registration
/// belongs to the council.
const TRUSTS: [(u16, &str); 2] =
    [(330, "Birmingham Children's Trust Community Interest Company"), (333, "Sandwell Children's Trust")];
const COUNCIL_COMPANIES: [(u16, &str); 1] = [(885, "Worcestershire Children First")];

/// Fictional supported-accommodation providers: (name, voluntary?).
const SUPPORTED_PROVIDERS: [(&str, bool); 10] = [
    ("Supported Accommodation Provider 1 (fictional)", false),
    ("Supported Accommodation Provider 2 (fictional)", false),
    ("Supported Accommodation Provider 3 (fictional)", false),
    ("Supported Accommodation Provider 4 (fictional)", false),
    ("Supported Accommodation Provider 5 (fictional)", false),
    ("Supported Accommodation Provider 6 (fictional)", false),
    ("Supported Accommodation Provider 7 (fictional)", false),
    ("Supported Accommodation Charity 1 (fictional)", true),
    ("Supported Accommodation Charity 2 (fictional)", true),
    ("Supported Accommodation Charity 3 (fictional)", true),
];

/// The organisations, with the indexes the generator needs.
#[derive(Debug)]
pub struct Orgs {
    pub list: Vec<Organisation>,
    /// Council organisation per [`WEST_MIDLANDS`] position.
    pub council: Vec<usize>,
    /// The organisation that runs each council's fostering and connected-person service.
    pub own_service: Vec<usize>,
    /// Owner of each shipped Ofsted registration, by owner name as Ofsted writes it.
    by_owner: BTreeMap<String, usize>,
    pub supported_private: Vec<usize>,
    pub supported_voluntary: Vec<usize>,
}

/// Which portal council an Ofsted owner name is, if it is one: "Stoke On Trent City Council" is
/// Stoke-on-Trent. Only owners in the local-authority sector count, so a company named after a
/// place is never taken for the council.
fn council_owner(owner: &str, sector: OfstedSector) -> Option<u16> {
    if let Some((la, _)) = COUNCIL_COMPANIES.iter().find(|(_, n)| *n == owner) {
        return Some(*la);
    }
    if sector != OfstedSector::LocalAuthority {
        return None;
    }
    let key = la::name_key(owner);
    WEST_MIDLANDS.iter().find(|c| key.starts_with(&format!("{} ", la::name_key(c.name)))).map(|c| c.la_code)
}

impl Orgs {
    pub fn build() -> Self {
        let mut list = Vec::new();
        let mut push = |kind, name: &str, la_code, sector| {
            list.push(Organisation {
                id: OrganisationId(list.len() as i64 + 1),
                kind,
                name: name.to_owned(),
                la_code,
                sector,
            });
            list.len() - 1
        };
        let council: Vec<usize> = WEST_MIDLANDS
            .iter()
            .map(|c| push(OrganisationKind::Council, c.name, Some(c.la_code), Some(Sector::LocalAuthority)))
            .collect();
        push(OrganisationKind::RegionalHub, HUB_NAME, None, None);
        push(OrganisationKind::Platform, PLATFORM_NAME, None, None);

        // Owners, each with the sector most of its registrations give (ties: the first registration).
        let mut owners: BTreeMap<&str, Vec<(Sector, Option<u16>)>> = BTreeMap::new();
        for p in ofsted::providers() {
            if council_owner(&p.owner, p.sector).is_some() {
                continue;
            }
            // Another council's provision (the national secure estate): that council's DfE code.
            let la_code = if p.sector == OfstedSector::LocalAuthority {
                la::by_name(&p.local_authority).map(|l| l.la_code)
            } else {
                None
            };
            owners.entry(p.owner.as_str()).or_default().push((p.sector.to_domain(), la_code));
        }
        let mut by_owner = BTreeMap::new();
        for (owner, regs) in &owners {
            let count = |s: Sector| regs.iter().filter(|(t, _)| *t == s).count();
            let Some(&(sector, la_code)) = regs.iter().min_by(|a, b| count(b.0).cmp(&count(a.0))) else { continue };
            let trust_la = TRUSTS.iter().find(|(_, n)| n == owner).map(|(la, _)| *la);
            let i = push(OrganisationKind::Provider, owner, trust_la.or(la_code), Some(sector));
            by_owner.insert((*owner).to_owned(), i);
        }
        for p in ofsted::providers() {
            if let Some(la) = council_owner(&p.owner, p.sector) {
                let pos = WEST_MIDLANDS.iter().position(|c| c.la_code == la).unwrap_or(0);
                by_owner.insert(p.owner.clone(), council[pos]);
            }
        }
        let mut supported_private = Vec::new();
        let mut supported_voluntary = Vec::new();
        for (name, voluntary) in SUPPORTED_PROVIDERS {
            let sector = if voluntary { Sector::Voluntary } else { Sector::Private };
            let i = push(OrganisationKind::Provider, name, None, Some(sector));
            if voluntary { supported_voluntary.push(i) } else { supported_private.push(i) }
        }
        let own_service = WEST_MIDLANDS
            .iter()
            .enumerate()
            .map(|(pos, c)| {
                TRUSTS
                    .iter()
                    .find(|(la, _)| *la == c.la_code)
                    .and_then(|(_, name)| by_owner.get(*name).copied())
                    .unwrap_or(council[pos])
            })
            .collect();
        Self { list, council, own_service, by_owner, supported_private, supported_voluntary }
    }

    /// The organisation owning an Ofsted registration.
    pub fn owner(&self, owner: &str) -> Option<usize> {
        self.by_owner.get(owner).copied()
    }

    pub fn council_pos(la_code: u16) -> usize {
        WEST_MIDLANDS.iter().position(|c| c.la_code == la_code).unwrap_or(0)
    }

    pub fn council_of(&self, la_code: u16) -> usize {
        self.council[Self::council_pos(la_code)]
    }

    pub fn own_service_of(&self, council: &Council) -> usize {
        self.own_service[Self::council_pos(council.la_code)]
    }

    /// Whether `org` runs `la_code`'s own services (the council itself or its trust).
    pub fn is_own(&self, org: usize, la_code: u16) -> bool {
        let pos = Self::council_pos(la_code);
        self.list[org].la_code == Some(la_code) && (org == self.council[pos] || org == self.own_service[pos])
    }
}

/// The organisation's part of a demo e-mail: its name in lower case, every run of other characters
/// one hyphen (`Birmingham Children's Trust` → `birmingham-children-s-trust`).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The longest organisation part of a demo e-mail. With the longest role (`platform-administrator.`,
/// 23 characters) the part before the `@` stays within RFC 5321's 64.
pub const MAX_ORG_SLUG: usize = 40;

/// `slug` cut to at most `max` characters at the end of a whole word (`-` boundary), or mid-word when
/// the first word alone is longer.
fn shortened(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(cut) if cut > 0 => &slug[..cut],
        _ => slug[..max].trim_end_matches('-'),
    }
}

/// Each organisation's slug, at most [`MAX_ORG_SLUG`] characters (a longer one cut after its last
/// whole word that fits), made unique by numbering repeats (`-2`, `-3`, inside the limit) in
/// organisation order.
pub fn unique_slugs(orgs: &[Organisation]) -> Vec<String> {
    let mut used = BTreeSet::new();
    orgs.iter()
        .map(|o| {
            let base = slug(&o.name);
            let mut s = shortened(&base, MAX_ORG_SLUG).to_owned();
            let mut n = 2;
            while !used.insert(s.clone()) {
                let suffix = format!("-{n}");
                s = format!("{}{suffix}", shortened(&base, MAX_ORG_SLUG - suffix.len()));
                n += 1;
            }
            s
        })
        .collect()
}

/// `{role-with-hyphens}.{org-slug}@hearth.test`.
pub fn demo_email(role: Role, org_slug: &str) -> String {
    format!("{}.{}@hearth.test", role.code().replace('_', "-"), org_slug)
}

/// The demo users: for each council a placement officer, team manager, commissioner and
/// administrator; for each provider a member of staff, a manager and an administrator; a regional
/// commissioner and an administrator for the hub; a platform administrator.
pub fn users(orgs: &[Organisation]) -> Vec<User> {
    let slugs = unique_slugs(orgs);
    let mut out = Vec::new();
    for (org, org_slug) in orgs.iter().zip(&slugs) {
        let roles: &[Role] = match org.kind {
            OrganisationKind::Council => {
                &[Role::PlacementOfficer, Role::TeamManager, Role::Commissioner, Role::Administrator]
            }
            OrganisationKind::Provider => &[Role::ProviderStaff, Role::ProviderManager, Role::Administrator],
            OrganisationKind::RegionalHub => &[Role::RegionalCommissioner, Role::Administrator],
            OrganisationKind::Platform => &[Role::PlatformAdministrator],
        };
        for role in roles {
            let email = demo_email(*role, org_slug);
            // The pattern only ever yields valid addresses; a failure would be a bug in `slug`.
            let email = Email::parse(&email).expect("demo e-mails are valid");
            out.push(User {
                id: UserId(out.len() as i64 + 1),
                organisation: org.id,
                email,
                display_name: format!("{}, {}", role.label(), org.name),
                role: *role,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Coventry"), "coventry");
        assert_eq!(
            slug("Birmingham Children's Trust Community Interest Company"),
            "birmingham-children-s-trust-community-interest-company"
        );
        assert_eq!(slug("  Keys -- NHCC Ltd. "), "keys-nhcc-ltd");
        assert_eq!(slug(HUB_NAME), "west-midlands-regional-commissioning-hub");
        assert_eq!(demo_email(Role::PlacementOfficer, "coventry"), "placement-officer.coventry@hearth.test");
    }

    #[test]
    fn long_names_are_cut_after_a_whole_word() {
        let long = slug("Birmingham Children's Trust Community Interest Company");
        assert_eq!(shortened(&long, MAX_ORG_SLUG), "birmingham-children-s-trust-community");
        assert_eq!(shortened(&slug(HUB_NAME), MAX_ORG_SLUG), "west-midlands-regional-commissioning-hub");
        assert_eq!(shortened("abcdefghij-k", 5), "abcde");
        assert_eq!(shortened("abcd-efghij", 5), "abcd");
    }

    #[test]
    fn owners_map_to_councils_and_trusts() {
        let orgs = Orgs::build();
        assert_eq!(orgs.owner("Stoke On Trent City Council"), Some(orgs.council_of(861)));
        assert_eq!(orgs.owner("Worcestershire Children First"), Some(orgs.council_of(885)));
        let trust = orgs.owner("Sandwell Children's Trust").expect("trust");
        assert_eq!(orgs.list[trust].sector, Some(Sector::Voluntary));
        assert!(orgs.is_own(trust, 333));
        assert!(!orgs.is_own(trust, 330));
        let devon = orgs.owner("Devon County Council").expect("secure home owner");
        assert_eq!(orgs.list[devon].sector, Some(Sector::LocalAuthority));
        assert_eq!(orgs.list[devon].la_code, Some(878));
        let names: BTreeSet<_> = orgs.list.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), orgs.list.len(), "one organisation per name");
    }
}
