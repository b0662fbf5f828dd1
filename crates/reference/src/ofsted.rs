//! Ofsted's register of children's social care providers at 31 March 2023, as shipped: every
//! children's home, residential special school and independent fostering agency in the West Midlands,
//! agencies elsewhere with an office in a West Midlands postcode district, and England's secure
//! children's homes (the region has none of its own).
//!
//! Ofsted withholds children's homes' names and addresses: for those, `name` and `postcode` are `None`
//! and only the council and parliamentary constituency locate the home.

use crate::{embedded_table, files, non_empty, opt_date};
use hearth_domain::home::{Judgement, RegistrationStatus};
use hearth_domain::org::Sector;
use hearth_domain::{Postcode, PostcodeDistrict};
use jiff::civil::Date;
use serde::Deserialize;

/// The provision types shipped (the register has others Hearth does not place with).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvisionType {
    ChildrensHome,
    /// A school dual-registered as a children's home: DfE counts placements there as K2, not S1.
    ResidentialSpecialSchoolChildrensHome,
    ResidentialSpecialSchool,
    IndependentFosteringAgency,
    SecureChildrensHome,
}

impl ProvisionType {
    pub fn parse(raw: &str) -> Result<Self, String> {
        // Ofsted spells "Children's home" two ways in the same sheet.
        match raw.trim().to_ascii_lowercase().as_str() {
            "children's home" => Ok(Self::ChildrensHome),
            "residential special school (registered as a children's home)" => {
                Ok(Self::ResidentialSpecialSchoolChildrensHome)
            }
            "residential special school" => Ok(Self::ResidentialSpecialSchool),
            "independent fostering agency" => Ok(Self::IndependentFosteringAgency),
            "secure children's home" => Ok(Self::SecureChildrensHome),
            _ => Err(format!("provision type '{}' is not one Hearth ships", raw.trim())),
        }
    }
}

/// Ownership sector as the register records it; it has Academy, which Hearth's [`Sector`] folds in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfstedSector {
    LocalAuthority,
    Private,
    Voluntary,
    Academy,
    HealthAuthority,
}

impl OfstedSector {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim() {
            "Local Authority" => Ok(Self::LocalAuthority),
            "Private" => Ok(Self::Private),
            "Voluntary" => Ok(Self::Voluntary),
            "Academy" => Ok(Self::Academy),
            "Health Authority" => Ok(Self::HealthAuthority),
            other => Err(format!("sector '{other}' is not one Ofsted uses")),
        }
    }

    /// Hearth's sector. Academy trusts are charitable companies outside council control, so their
    /// placements are voluntary-sector provision (PR5) rather than a council's own.
    pub const fn to_domain(self) -> Sector {
        match self {
            Self::LocalAuthority => Sector::LocalAuthority,
            Self::Private => Sector::Private,
            Self::Voluntary | Self::Academy => Sector::Voluntary,
            Self::HealthAuthority => Sector::HealthAuthority,
        }
    }
}

/// One registered provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    /// Ofsted's unique reference number (`SC123456`, or 7 digits for newer registrations).
    pub urn: String,
    pub provision_type: ProvisionType,
    pub registration_date: Option<Date>,
    /// `Active` is [`RegistrationStatus::Registered`]; `Suspended` stays suspended.
    pub registration_status: RegistrationStatus,
    /// Withheld for children's homes.
    pub name: Option<String>,
    /// Withheld for children's homes; given for agencies and schools.
    pub postcode: Option<Postcode>,
    pub postcode_district: Option<PostcodeDistrict>,
    pub ofsted_region: String,
    /// The council area the provider is in, by name as Ofsted spells it.
    pub local_authority: String,
    /// Parliamentary constituency (the 2010–2024 boundaries).
    pub constituency: String,
    pub sector: OfstedSector,
    /// Registered places (none for fostering agencies).
    pub places: Option<u16>,
    pub short_break_only: bool,
    pub multi_building: bool,
    /// The organisation that owns the registration.
    pub owner: String,
    pub inspection_date: Option<Date>,
    /// Overall experiences and progress at the latest full inspection (`None`: not yet inspected).
    pub judgement: Option<Judgement>,
    pub helped_and_protected: Option<Judgement>,
    pub leadership: Option<Judgement>,
}

impl Provider {
    pub const fn is_childrens_home(&self) -> bool {
        matches!(
            self.provision_type,
            ProvisionType::ChildrensHome | ProvisionType::ResidentialSpecialSchoolChildrensHome
        )
    }

    pub fn in_west_midlands(&self) -> bool {
        self.ofsted_region == "West Midlands"
    }
}

#[derive(Deserialize)]
struct ProviderRow {
    urn: String,
    provision_type: String,
    registration_date: String,
    registration_status: String,
    name: String,
    postcode: String,
    postcode_district: String,
    ofsted_region: String,
    local_authority: String,
    parliamentary_constituency: String,
    sector: String,
    places: String,
    short_break_only_childrens_home: String,
    multi_building_childrens_home: String,
    owner_organisation: String,
    latest_full_inspection_date: String,
    overall_experiences_and_progress: String,
    how_well_children_and_young_people_are_helped_and_protected: String,
    the_effectiveness_of_leaders_and_managers: String,
}

impl TryFrom<ProviderRow> for Provider {
    type Error = String;
    fn try_from(r: ProviderRow) -> Result<Self, String> {
        let registration_status = match r.registration_status.trim() {
            "Active" => RegistrationStatus::Registered,
            "Suspended" => RegistrationStatus::Suspended,
            other => return Err(format!("registration status '{other}' is unknown")),
        };
        let places = non_empty(&r.places)
            .map(|p| p.parse::<u16>().map_err(|_| format!("places '{p}' is not a number")))
            .transpose()?;
        let postcode = non_empty(&r.postcode).map(Postcode::parse).transpose().map_err(|e| e.message)?;
        let postcode_district =
            non_empty(&r.postcode_district).map(PostcodeDistrict::parse).transpose().map_err(|e| e.message)?;
        Ok(Self {
            urn: r.urn.trim().to_owned(),
            provision_type: ProvisionType::parse(&r.provision_type)?,
            registration_date: opt_date(&r.registration_date)?,
            registration_status,
            name: non_empty(&r.name).map(str::to_owned),
            postcode,
            postcode_district,
            ofsted_region: r.ofsted_region,
            local_authority: r.local_authority,
            constituency: r.parliamentary_constituency,
            sector: OfstedSector::parse(&r.sector)?,
            places,
            short_break_only: non_empty(&r.short_break_only_childrens_home).is_some(),
            multi_building: non_empty(&r.multi_building_childrens_home).is_some(),
            // Two registrations in the 2023 file have no owner; name them by URN rather than leave an
            // organisation without a name.
            owner: match r.owner_organisation.trim() {
                "" => format!("Owner of Ofsted registration {}", r.urn.trim()),
                o => o.to_owned(),
            },
            inspection_date: opt_date(&r.latest_full_inspection_date)?,
            judgement: Judgement::from_ofsted(&r.overall_experiences_and_progress),
            helped_and_protected: Judgement::from_ofsted(
                &r.how_well_children_and_young_people_are_helped_and_protected,
            ),
            leadership: Judgement::from_ofsted(&r.the_effectiveness_of_leaders_and_managers),
        })
    }
}

embedded_table!(
    /// Every shipped provider, in URN order.
    providers, load_providers, PROVIDERS: Provider, ProviderRow, files::OFSTED
);

/// A provider by URN.
pub fn provider(urn: &str) -> Option<&'static Provider> {
    PROVIDERS.binary_search_by(|p| p.urn.as_str().cmp(urn)).ok().map(|i| &PROVIDERS[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_register_parses_with_its_redactions() {
        let all = providers();
        assert_eq!(all.len(), 588);
        let wm_homes: Vec<_> = all.iter().filter(|p| p.in_west_midlands() && p.is_childrens_home()).collect();
        assert_eq!(wm_homes.len(), 507, "497 children's homes and 10 schools registered as children's homes");
        assert!(wm_homes.iter().all(|p| p.name.is_none() && p.postcode.is_none()), "homes' addresses are withheld");
        assert_eq!(all.iter().filter(|p| p.provision_type == ProvisionType::SecureChildrensHome).count(), 13);

        let home = provider("2507724").expect("a Coventry council home");
        assert_eq!(home.provision_type, ProvisionType::ChildrensHome);
        assert_eq!(home.local_authority, "Coventry");
        assert_eq!(home.constituency, "Coventry North West");
        assert_eq!(home.sector.to_domain(), Sector::LocalAuthority);
        assert_eq!(home.places, Some(4));
        assert_eq!(home.judgement, Some(Judgement::Good));
        assert_eq!(home.leadership, Some(Judgement::RequiresImprovement));
        assert_eq!(home.inspection_date, Some(date(2022, 5, 11)));
        assert_eq!(home.registration_date, Some(date(2019, 3, 15)));

        let ifa = provider("SC042455").expect("Barnardo's agency in B63");
        assert_eq!(ifa.provision_type, ProvisionType::IndependentFosteringAgency);
        assert_eq!(ifa.places, None);
        assert_eq!(ifa.owner, "Barnardo's");
        assert_eq!(ifa.postcode_district.as_ref().map(PostcodeDistrict::as_str), Some("B63"));
        assert!(all.iter().any(|p| p.registration_status == RegistrationStatus::Suspended));
        assert!(all.iter().any(|p| p.judgement.is_none()), "some homes were not yet inspected");
        assert!(all.windows(2).all(|w| w[0].urn < w[1].urn), "URN order for binary search");
        // Every registration has an owner to become an organisation, even where Ofsted left it blank.
        assert!(all.iter().all(|p| !p.owner.trim().is_empty()));
        assert_eq!(
            provider("2594148").expect("a home with no owner recorded").owner,
            "Owner of Ofsted registration 2594148"
        );
    }

    #[test]
    fn academies_count_as_voluntary() {
        assert_eq!(OfstedSector::Academy.to_domain(), Sector::Voluntary);
        assert!(OfstedSector::parse("Council").is_err());
        assert!(ProvisionType::parse("Boarding School").is_err());
        assert_eq!(ProvisionType::parse("Children's Home"), Ok(ProvisionType::ChildrensHome));
    }
}
