//! The sentences behind a score, one per factor: what an officer reads beside each home. Written
//! only for the homes returned, never in the scan.

use crate::contracts::Term;
use crate::index::{Rec, flag};
use crate::rank::{Query, area_name, household_value};
use crate::weights::Factor;
use hearth_domain::contract::ContractTier;
use hearth_domain::home::{HomeKind, Skill, Skills, pounds as money};
use hearth_domain::{GridRef, Miles};

/// What the sentences of one home draw on.
pub(crate) struct Facts<'a> {
    pub q: &'a Query<'a>,
    pub rec: &'a Rec,
    pub kind: HomeKind,
    pub distance: Option<Miles>,
    pub school: Option<Miles>,
    pub area_code: Option<&'a str>,
    /// The home's postcode district, and the preferred-area factor's value for it.
    pub district: Option<&'a str>,
    pub area_value: f32,
    pub places: u16,
    pub term: Term,
    pub price: u16,
}

fn children_word(n: u16) -> &'static str {
    if n == 1 { "child" } else { "children" }
}

fn skill_list(skills: &[Skill]) -> String {
    let labels: Vec<&str> = skills.iter().map(|s| s.label()).collect();
    labels.join(", ")
}

pub(crate) fn sentence(f: Factor, x: &Facts<'_>) -> String {
    let q = x.q;
    let r = x.rec;
    let council = q.req.referring_council().map_or("the council", |c| c.name);
    match f {
        Factor::ConnectedPerson => "A connected person (a relative or friend) approved as the child's foster carer: \
             the law prefers this placement (Children Act 1989 s22C(7)(a))."
            .to_owned(),
        Factor::Distance => {
            let from = format!("from {}", q.req.home_basis.place());
            match x.distance {
                Some(m) if m.over_twenty() => format!("{:.1} miles {from}: more than 20 miles (DfE's measure).", m.0),
                Some(m) => format!("{:.1} miles {from}.", m.0),
                None => "The distance from the child's home is not known: no postcode or district is recorded for \
                     the child or the referral."
                    .to_owned(),
            }
        }
        Factor::InsideArea => match (q.area_class[usize::from(r.area)], x.area_code.and_then(area_name)) {
            (2, _) => format!("Inside {council}'s own area."),
            (1, Some(name)) => format!("In {name}, next to {council}."),
            (1, None) => format!("In a council area next to {council}."),
            (_, Some(name)) => format!("In {name}: outside {council}'s area and not next to it."),
            (_, None) => format!("Outside {council}'s area and not next to it."),
        },
        Factor::School => {
            let why = if q.req.school_continuity { "; staying at this school matters" } else { "" };
            match x.school {
                Some(m) => format!("{:.1} miles from the child's school{why}.", m.0),
                None => format!("The distance from the child's school is not known{why}."),
            }
        }
        Factor::PreferredArea => {
            let Some(area) = &q.req.preferred_area else { return String::new() };
            let here = x.district.unwrap_or("its district");
            if x.area_value >= 1.0 {
                format!("In {}, the preferred area.", area.district)
            } else {
                match area.centre {
                    Some(c) => format!(
                        "In {here}, {:.1} miles from the centre of {}, the preferred area.",
                        c.dfe_miles_to(GridRef { easting: r.east, northing: r.north }).0,
                        area.district
                    ),
                    None => format!("In {here}, not {}, the preferred area.", area.district),
                }
            }
        }
        Factor::PlacementType => {
            let kind = crate::request::PlacementKind::of(x.kind);
            let preferred = q.req.preferred_kinds;
            if preferred.contains(kind) {
                format!("{}: the placement type the referral prefers.", kind.label())
            } else if !preferred.is_empty() {
                let names: Vec<&str> = preferred.iter().map(|k| k.label()).collect();
                format!("{}: the referral prefers {}.", kind.label(), names.join(" or "))
            } else if kind == crate::request::PlacementKind::Foster {
                "A family home: a family setting comes first wherever it meets the child's needs.".to_owned()
            } else {
                format!(
                    "{}, not a family home: a family setting comes first where it meets the child's needs.",
                    kind.label()
                )
            }
        }
        Factor::Siblings => {
            let n = q.children;
            let approved = r.skills & Skills::bit(Skill::SiblingGroups) != 0;
            match (x.places >= n, approved) {
                (true, true) => format!("Room for all {n} children together, and approved for sibling groups."),
                (true, false) => format!("Room for all {n} children together."),
                (false, true) => format!(
                    "Room for {} of the {n} children: the siblings would live apart, though the home is approved for sibling groups.",
                    x.places
                ),
                (false, false) => {
                    format!("Room for {} of the {n} children: the siblings would live apart.", x.places)
                }
            }
        }
        Factor::Adaptations => {
            let access = r.skills & Skills::bit(Skill::WheelchairAccess) != 0;
            let approved = r.skills & Skills::bit(Skill::Disability) != 0;
            match (access, approved) {
                (true, true) => "Wheelchair-accessible and approved for disabled children.",
                (true, false) => "Wheelchair-accessible, but not approved for disabled children as such.",
                (false, true) => "Approved for disabled children, but not wheelchair-accessible.",
                (false, false) => "Neither wheelchair-accessible nor approved for disabled children.",
            }
            .to_owned()
        }
        Factor::Skills => {
            let wanted: Vec<Skill> = Skills::from_bits(q.helpful).iter().collect();
            let (has, lacks): (Vec<Skill>, Vec<Skill>) = wanted.iter().partition(|s| r.skills & Skills::bit(**s) != 0);
            // These skills help; the ones a home must have are hard rules, already met by every home shown.
            let n = wanted.len();
            match (n, has.is_empty(), lacks.is_empty()) {
                (1, false, _) => {
                    format!("Offers the one skill that helps with the child's needs: {}.", skill_list(&has))
                }
                (1, true, _) => {
                    format!("Lacks the one skill that would help with the child's needs: {}.", skill_list(&lacks))
                }
                (_, _, true) => {
                    format!("Offers all {n} skills that help with the child's needs: {}.", skill_list(&has))
                }
                (_, true, false) => {
                    format!(
                        "Offers none of the {n} skills that would help with the child's needs: {}.",
                        skill_list(&lacks)
                    )
                }
                (_, false, false) => format!(
                    "Offers {} of the {n} skills that help with the child's needs ({}); lacks {}.",
                    has.len(),
                    skill_list(&has),
                    skill_list(&lacks)
                ),
            }
        }
        Factor::Judgement if r.flags & flag::FOSTER != 0 => match r.judgement {
            1..=4 => format!(
                "Foster carers are inspected through their fostering service, which Ofsted judged {}.",
                ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"][usize::from(r.judgement - 1)]
            ),
            _ => "Not inspected as a home of its own, and its fostering service's Ofsted judgement is not known."
                .to_owned(),
        },
        Factor::Judgement => match r.judgement {
            1 => "Ofsted judged it Outstanding.".to_owned(),
            2 => "Ofsted judged it Good.".to_owned(),
            3 => "Ofsted judged it Requires improvement to be good.".to_owned(),
            4 => "Ofsted judged it Inadequate; a recorded override allows it for this child.".to_owned(),
            _ => format!("{} not yet inspected by Ofsted.", x.kind.label()),
        },
        Factor::Risk => {
            format!(
                "The commissioners rate the provider's risk {}.",
                ["low", "medium", "high"][usize::from(r.risk.min(2))]
            )
        }
        Factor::Tier => match x.term.tier {
            Some(ContractTier::InHouse) => format!("In-house: {council}'s own provision."),
            Some(ContractTier::Block) => format!("Block contract with {council}: beds already paid for."),
            Some(ContractTier::Framework) => format!("On {council}'s framework contract."),
            Some(ContractTier::Spot) => format!("Spot contract with {council}."),
            None => format!("No contract with {council}: a spot purchase."),
        },
        Factor::Price => {
            let p = u32::from(x.price);
            let c = q.ceiling.unwrap_or(p);
            let basis = price_basis(x.term, council);
            match p.cmp(&c) {
                std::cmp::Ordering::Less => {
                    format!("{} a week, {basis}: {} under {council}'s ceiling of {}.", money(p), money(c - p), money(c))
                }
                std::cmp::Ordering::Equal => format!("{} a week, {basis}: exactly {council}'s ceiling.", money(p)),
                std::cmp::Ordering::Greater => {
                    format!("{} a week, {basis}: {} over {council}'s ceiling of {}.", money(p), money(p - c), money(c))
                }
            }
        }
        Factor::Household => {
            let n = u16::from(r.others);
            let verb = if n == 1 { "lives" } else { "live" };
            if n == 0 {
                "No other children live here.".to_owned()
            } else if q.concern && n == 1 {
                "1 other child lives here; the child's needs are best met with as few as possible.".to_owned()
            } else if q.concern {
                format!("{n} other children live here: more than is best for the child's needs.")
            } else if household_value(false, r.others) < 0.0 {
                format!("{n} other {} {verb} here: a busy household.", children_word(n))
            } else {
                format!("{n} other {} {verb} here.", children_word(n))
            }
        }
        Factor::Pets => {
            let pets = r.flags & flag::PETS != 0;
            match (q.req.prefers_pets, pets) {
                (Some(true), true) => "Has pets, as the child would like.",
                (Some(true), false) => "No pets, though the child would like animals.",
                (_, true) => "Has pets; the child would rather not live with animals.",
                (_, false) => "No pets, as the child would prefer.",
            }
            .to_owned()
        }
    }
}

/// Where a home's price comes from: the council's contract that covers it (naming the home, or its
/// kind), else the home's own asking price.
pub(crate) fn price_basis(term: Term, council: &str) -> String {
    let Some(tier) = term.tier.filter(|_| term.price > 0) else { return "the home's own price".to_owned() };
    let tier = match tier {
        ContractTier::InHouse => "in-house",
        ContractTier::Block => "block",
        ContractTier::Framework => "framework",
        ContractTier::Spot => "spot",
    };
    if term.named {
        format!("the contract price for this home ({tier}, {council})")
    } else {
        format!("the contract price ({tier}, {council})")
    }
}
