//! Opening, changing and closing homes, and a provider's bulk upkeep of vacancies and prices: the
//! rules a home's details must meet whoever types them (a page, the API, a CSV file).

use crate::geo::Postcode;
use crate::home::{AgeRange, HomeKind, RegistrationStatus, SexAccepted, Skill, Skills, WeeklyPrice};
use crate::ids::{HomeId, PlacementId};
use crate::{DomainError, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Ofsted's unique reference number as the register writes it: seven digits for a setting
/// (`2507724`), or `SC` and six digits for older registrations and agencies (`SC042455`).
pub fn check_urn(raw: &str) -> Result<String, DomainError> {
    let urn = raw.trim().to_ascii_uppercase();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(&urn, 7) || urn.strip_prefix("SC").is_some_and(|rest| digits(rest, 6));
    if ok {
        Ok(urn)
    } else {
        Err(DomainError::new(
            "urn",
            format!("'{}' is not an Ofsted URN: seven digits (2507724) or SC and six digits (SC042455)", raw.trim()),
        ))
    }
}

/// A home's weekly prices by how much support the child needs. `standard` is the home's own price,
/// the one matching ranks with when no contract sets it; the higher bands, where the home offers
/// them, are what it asks for a child who needs more (2:1 staffing, a solo placement).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceBands {
    pub standard: WeeklyPrice,
    pub enhanced: Option<WeeklyPrice>,
    pub intensive: Option<WeeklyPrice>,
}

impl PriceBands {
    /// Each band at least the one below it: a band that costs less than the standard is a typing error.
    pub fn new(
        standard: WeeklyPrice,
        enhanced: Option<WeeklyPrice>,
        intensive: Option<WeeklyPrice>,
    ) -> Result<Self, DomainError> {
        if let Some(e) = enhanced
            && e < standard
        {
            return Err(DomainError::new("price_enhanced", "the enhanced price is below the standard price"));
        }
        if let Some(i) = intensive
            && i < enhanced.unwrap_or(standard)
        {
            return Err(DomainError::new("price_intensive", "the intensive price is below the band under it"));
        }
        Ok(Self { standard, enhanced, intensive })
    }
}

/// What Hearth keeps of a home beyond what matching reads: its full postcode (private: only its
/// district is shown), its accessibility and adaptations in words, its higher price bands, and when
/// and why it closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeProfile {
    pub postcode: Option<Postcode>,
    pub accessibility: String,
    pub price_enhanced: Option<WeeklyPrice>,
    pub price_intensive: Option<WeeklyPrice>,
    pub closed_on: Option<Date>,
    pub close_reason: Option<String>,
}

/// A home as its provider types it. Opening a home needs `name`, `postcode`, `places`, the ages and
/// `weekly_price` (and `kind`, unless the URN's Ofsted registration says it); a change sends only
/// what changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HomeInput {
    /// A home kind code: `childrens_home`, `foster_agency`, `sa_single`, …
    pub kind: Option<String>,
    pub name: Option<String>,
    /// The home's full postcode. Kept private: only its district is ever shown.
    pub postcode: Option<String>,
    /// Ofsted URN (`2507724` or `SC042455`); an empty string removes it.
    pub urn: Option<String>,
    /// `registered`, `applied`, `suspended` or `not_required`.
    pub registration: Option<String>,
    /// Places in all (registered places, or a foster household's approved places).
    pub places: Option<i64>,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    /// `any`, `male` or `female`.
    pub sex: Option<String>,
    /// Skill codes (`disability`, `wheelchair_access`, `teenagers`, …); replaces the list.
    pub skills: Option<Vec<String>>,
    /// Accessibility and adaptations, in words.
    pub accessibility: Option<String>,
    /// Takes emergency and out-of-hours placements (the `emergency` skill).
    pub emergency: Option<bool>,
    /// A foster household approved as connected-person (family and friends) carers: kind
    /// `connected_person`. Foster households only.
    pub connected_person: Option<bool>,
    /// The standard weekly price in whole pounds.
    pub weekly_price: Option<i64>,
    /// Weekly price for a child who needs more support; absent for none, 0 removes it.
    pub price_enhanced: Option<i64>,
    /// Weekly price for the most intensive support (2:1, solo); absent for none, 0 removes it.
    pub price_intensive: Option<i64>,
}

/// A home's fields after checking, before the service adds where it is and what Ofsted says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeFields {
    pub kind: HomeKind,
    pub name: String,
    pub postcode: Option<Postcode>,
    pub urn: Option<String>,
    pub registration: RegistrationStatus,
    pub places: u16,
    pub ages: AgeRange,
    pub sex: SexAccepted,
    pub skills: Skills,
    pub accessibility: String,
    pub prices: PriceBands,
}

fn age(field: &'static str, v: i64) -> Result<u8, DomainError> {
    if !(0..=25).contains(&v) {
        return Err(DomainError::new(field, format!("{v} is not an age from 0 to 25")));
    }
    Ok(v as u8)
}

fn optional_band(
    field: &'static str,
    v: Option<i64>,
    was: Option<WeeklyPrice>,
) -> Result<Option<WeeklyPrice>, DomainError> {
    match v {
        None => Ok(was),
        Some(0) => Ok(None),
        Some(p) => WeeklyPrice::new(p).map(Some).map_err(|e| DomainError::new(field, e.message)),
    }
}

impl HomeInput {
    /// Checks every field against `base` (the home as it is, or the defaults for a new one), all at
    /// once. `new` says whether the required fields must be there.
    pub fn apply(&self, base: &HomeFields, new: bool) -> Result<HomeFields, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let mut f = base.clone();
        let required = |errs: &mut ValidationErrors, present: bool, field: &'static str, what: &str| {
            if new && !present {
                errs.push(DomainError::new(field, format!("give the home's {what}")));
            }
        };
        required(&mut errs, self.name.is_some(), "name", "name");
        required(&mut errs, self.postcode.is_some(), "postcode", "postcode");
        required(&mut errs, self.places.is_some(), "places", "places");
        required(&mut errs, self.age_min.is_some(), "age_min", "youngest age");
        required(&mut errs, self.age_max.is_some(), "age_max", "oldest age");
        required(&mut errs, self.weekly_price.is_some(), "weekly_price", "weekly price");
        if let Some(k) = &self.kind
            && let Some(kind) = errs.check(HomeKind::parse(k).map_err(|e| DomainError::new("kind", e.message)))
        {
            f.kind = kind;
        }
        if let Some(n) = &self.name {
            let n = n.trim();
            if n.is_empty() {
                errs.push(DomainError::new("name", "give the home's name"));
            } else if let Err(e) = crate::text::check_line("name", n) {
                errs.push(e);
            } else {
                f.name = n.to_owned();
            }
        }
        if let Some(p) = &self.postcode
            && let Some(pc) = errs.check(Postcode::parse(p).map_err(|e| DomainError::new("postcode", e.message)))
        {
            f.postcode = Some(pc);
        }
        if let Some(u) = &self.urn {
            f.urn = if u.trim().is_empty() { None } else { errs.check(check_urn(u)) };
        }
        if let Some(r) = &self.registration
            && let Some(reg) =
                errs.check(RegistrationStatus::parse(r).map_err(|e| DomainError::new("registration", e.message)))
        {
            f.registration = reg;
        }
        if let Some(p) = self.places {
            match u16::try_from(p) {
                Ok(p) if (1..=100).contains(&p) => f.places = p,
                _ => errs.push(DomainError::new("places", format!("{p} is not a number of places from 1 to 100"))),
            }
        }
        let lo = self.age_min.map(|v| errs.check(age("age_min", v)));
        let hi = self.age_max.map(|v| errs.check(age("age_max", v)));
        if !matches!(lo, Some(None)) && !matches!(hi, Some(None)) {
            let lo = lo.flatten().unwrap_or(f.ages.min);
            let hi = hi.flatten().unwrap_or(f.ages.max);
            if let Some(r) = errs.check(AgeRange::new(lo, hi)) {
                f.ages = r;
            }
        }
        if let Some(s) = &self.sex
            && let Some(sex) = errs.check(SexAccepted::parse(s).map_err(|e| DomainError::new("sex", e.message)))
        {
            f.sex = sex;
        }
        if let Some(list) = &self.skills {
            let mut skills = Skills::empty();
            for s in list {
                if let Some(s) = errs.check(Skill::parse(s).map_err(|e| DomainError::new("skills", e.message))) {
                    skills = skills.with(s);
                }
            }
            // Emergency availability is its own question; the list keeps it unless `emergency` says otherwise.
            if f.skills.contains(Skill::Emergency) {
                skills = skills.with(Skill::Emergency);
            }
            f.skills = skills;
        }
        if let Some(e) = self.emergency {
            let kept = f.skills.iter().filter(|s| *s != Skill::Emergency);
            f.skills = kept.collect();
            if e {
                f.skills = f.skills.with(Skill::Emergency);
            }
        }
        if let Some(a) = &self.accessibility {
            f.accessibility = a.trim().to_owned();
        }
        match self.connected_person {
            Some(true) if f.kind.is_foster() => f.kind = HomeKind::ConnectedPerson,
            Some(true) => errs.push(DomainError::new(
                "connected_person",
                "only a foster household can be approved as connected-person carers",
            )),
            Some(false) if f.kind == HomeKind::ConnectedPerson => {
                errs.push(DomainError::new("connected_person", "say which kind of foster household it is instead"));
            }
            _ => {}
        }
        let standard = match self.weekly_price {
            Some(p) => errs.check(WeeklyPrice::new(p)),
            None => Some(f.prices.standard),
        };
        let enhanced = errs.check(optional_band("price_enhanced", self.price_enhanced, f.prices.enhanced));
        let intensive = errs.check(optional_band("price_intensive", self.price_intensive, f.prices.intensive));
        if let (Some(s), Some(e), Some(i)) = (standard, enhanced, intensive)
            && let Some(bands) = errs.check(PriceBands::new(s, e, i))
        {
            f.prices = bands;
        }
        if f.kind.requires_ofsted_registration() && f.registration == RegistrationStatus::NotRequired {
            errs.push(DomainError::new(
                "registration",
                format!("a {} must be registered with Ofsted (or have applied)", f.kind.label().to_lowercase()),
            ));
        }
        errs.into_result()?;
        Ok(f)
    }
}

/// A home's closure as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosureInput {
    /// The day the home closes, `YYYY-MM-DD`: today or earlier (a closure is recorded when it happens).
    pub closed_on: String,
    /// Why it closes, in words.
    pub reason: String,
}

/// A placement in the home being closed, as the closure rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resident {
    pub placement: PlacementId,
    pub start: Date,
    pub end: Option<Date>,
}

/// A checked closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub closed_on: Date,
    pub reason: String,
}

impl ClosureInput {
    pub fn parse(&self, today: Date) -> Result<Closure, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let raw = self.closed_on.trim();
        let date = match raw.parse::<Date>() {
            Ok(d) if d > today => {
                errs.push(DomainError::new("closed_on", format!("{d} is in the future; record a closure on the day")));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(DomainError::new("closed_on", format!("'{raw}' is not a date; write it as YYYY-MM-DD")));
                None
            }
        };
        let reason = self.reason.trim();
        if reason.is_empty() {
            errs.push(DomainError::new("reason", "say why the home closes"));
        }
        errs.into_result()?;
        Ok(Closure { closed_on: date.unwrap_or(today), reason: reason.to_owned() })
    }
}

impl Closure {
    /// A home closes only once every child living there has a move or an ending recorded on or
    /// before the closing day, and never before a placement there began. The refusal names the
    /// placements by number and start only, so it says nothing of the children to a provider.
    pub fn check(&self, home: HomeId, residents: &[Resident]) -> Result<(), DomainError> {
        let too_early: Vec<String> = residents
            .iter()
            .filter(|r| r.start > self.closed_on && r.end.is_none_or(|e| e > r.start))
            .map(|r| format!("placement {} (from {})", r.placement, r.start))
            .collect();
        if !too_early.is_empty() {
            return Err(DomainError::new(
                "closed_on",
                format!("{} is before the start of {}", self.closed_on, too_early.join(", ")),
            ));
        }
        let staying: Vec<String> = residents
            .iter()
            .filter(|r| r.end.is_none_or(|e| e > self.closed_on))
            .map(|r| match r.end {
                None => format!("placement {} (from {}, no move or ending recorded)", r.placement, r.start),
                Some(e) => format!("placement {} (ending {e})", r.placement),
            })
            .collect();
        if !staying.is_empty() {
            return Err(DomainError::new(
                "closed_on",
                format!(
                    "home {home} still has children living there on {}: {}. Record their moves or endings first",
                    self.closed_on,
                    staying.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// One row of a bulk upkeep file: a home's free places from a date at a weekly price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpkeepRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    pub home: HomeId,
    pub places: u16,
    pub available_from: Date,
    pub weekly_price: WeeklyPrice,
}

/// A refusal in an upkeep file, by line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub row: usize,
    pub column: &'static str,
    pub message: String,
}

/// The columns an upkeep file has, in its header, in any order.
pub const UPKEEP_COLUMNS: [&str; 4] = ["home", "places", "available_from", "weekly_price"];

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> HomeFields {
        HomeFields {
            kind: HomeKind::ChildrensHome,
            name: String::new(),
            postcode: None,
            urn: None,
            registration: RegistrationStatus::Applied,
            places: 1,
            ages: AgeRange::new(0, 17).unwrap(),
            sex: SexAccepted::Any,
            skills: Skills::empty(),
            accessibility: String::new(),
            prices: PriceBands { standard: WeeklyPrice::from_const(1), enhanced: None, intensive: None },
        }
    }

    #[test]
    fn urns_have_two_shapes() {
        assert_eq!(check_urn(" sc042455 ").unwrap(), "SC042455");
        assert_eq!(check_urn("2507724").unwrap(), "2507724");
        assert_eq!(check_urn("250772").unwrap_err().field, "urn");
        assert!(check_urn("XX042455").is_err());
    }

    #[test]
    fn a_new_home_needs_its_facts_and_sane_values() {
        let errs = HomeInput::default().apply(&base(), true).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field).collect();
        assert!(fields.contains(&"name") && fields.contains(&"postcode") && fields.contains(&"weekly_price"));
        let bad = HomeInput {
            age_min: Some(12),
            age_max: Some(30),
            weekly_price: Some(0),
            price_enhanced: Some(10),
            ..HomeInput::default()
        };
        let errs = bad.apply(&base(), false).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field).collect();
        assert!(fields.contains(&"age_max") && fields.contains(&"weekly_price"), "{fields:?}");
        let inverted = HomeInput { age_min: Some(12), age_max: Some(8), ..HomeInput::default() };
        assert_eq!(inverted.apply(&base(), false).unwrap_err().0[0].field, "age_min");
    }

    #[test]
    fn bands_rise_and_connected_person_is_for_foster_households() {
        let s = WeeklyPrice::from_const(1000);
        assert!(PriceBands::new(s, Some(WeeklyPrice::from_const(900)), None).is_err());
        assert!(PriceBands::new(s, None, Some(WeeklyPrice::from_const(1200))).is_ok());
        let cp = HomeInput { connected_person: Some(true), ..HomeInput::default() };
        assert_eq!(cp.apply(&base(), false).unwrap_err().0[0].field, "connected_person");
        let mut foster = base();
        foster.kind = HomeKind::FosterAgency;
        assert_eq!(cp.apply(&foster, false).unwrap().kind, HomeKind::ConnectedPerson);
    }

    #[test]
    fn closing_waits_for_every_child_to_leave() {
        let c = Closure { closed_on: jiff::civil::date(2026, 6, 1), reason: "x".into() };
        let open = Resident { placement: PlacementId(7), start: jiff::civil::date(2026, 1, 1), end: None };
        assert!(c.check(HomeId(1), &[open]).unwrap_err().message.contains("placement 7"));
        let ended = Resident { end: Some(jiff::civil::date(2026, 5, 1)), ..open };
        assert!(c.check(HomeId(1), &[ended]).is_ok());
        let later = Resident { placement: PlacementId(8), start: jiff::civil::date(2026, 7, 1), end: None };
        assert_eq!(c.check(HomeId(1), &[later]).unwrap_err().field, "closed_on");
    }
}
