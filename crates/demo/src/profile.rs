//! The figures the generator uses that are not in the shipped data files, each with where it comes
//! from. `crates/demo/README.md` lists them again for readers who will not open the code.
//!
//! Three kinds of figure live here:
//! - DfE's published national profile of children looked after in 2025 (age, sex, ethnicity): our
//!   files have no per-council profile, so every council gets the national one;
//! - the Coventry sufficiency strategy's supported-accommodation mix and finance table (the figures
//!   as given in the project brief; the strategy itself is not in our data folder);
//! - Hearth's own assumptions, marked "assumption", chosen to look like practice and kept round.

use hearth_domain::child::Relationship;
use hearth_domain::home::HomeKind;
use hearth_domain::offer::DeclineReason;
use hearth_domain::referral::Need;
use hearth_domain::{CategoryOfNeed, EthnicGroup, Ethnicity, ReasonEpisodeCeased};

/// DfE, CLA 2025, national: age at 31 March, by band (under 1, 1–4, 5–9, 10–15, 16–17).
pub const AGE_BANDS: [(i16, i16, f64); 5] = [(0, 0, 0.05), (1, 4, 0.13), (5, 9, 0.16), (10, 15, 0.38), (16, 17, 0.28)];

/// DfE, CLA 2025, national: share of boys.
pub const MALE_SHARE: f64 = 0.56;

/// DfE, CLA 2025, national: ethnic groups (the remaining 2% not known or refused).
pub const ETHNIC_GROUPS: [(EthnicGroup, f64); 6] = [
    (EthnicGroup::White, 0.71),
    (EthnicGroup::Mixed, 0.10),
    (EthnicGroup::Asian, 0.05),
    (EthnicGroup::Black, 0.07),
    (EthnicGroup::Other, 0.05),
    (EthnicGroup::NotKnown, 0.02),
];

/// Assumption: how each group divides into DfE's 20 codes (a rough national pattern).
pub fn ethnic_codes(group: EthnicGroup) -> &'static [(Ethnicity, f64)] {
    use Ethnicity as E;
    match group {
        EthnicGroup::White => &[(E::Wbri, 0.86), (E::Woth, 0.09), (E::Wiri, 0.01), (E::Wirt, 0.01), (E::Wrom, 0.03)],
        EthnicGroup::Mixed => &[(E::Mwbc, 0.36), (E::Mwba, 0.14), (E::Mwas, 0.18), (E::Moth, 0.32)],
        EthnicGroup::Asian => &[(E::Aind, 0.15), (E::Apkn, 0.38), (E::Aban, 0.10), (E::Aoth, 0.37)],
        EthnicGroup::Black => &[(E::Bcrb, 0.22), (E::Bafr, 0.55), (E::Both, 0.23)],
        EthnicGroup::Other => &[(E::Chne, 0.04), (E::Ooth, 0.96)],
        EthnicGroup::NotKnown => &[(E::Nobt, 0.6), (E::Refu, 0.4)],
    }
}

/// Assumption: unaccompanied asylum-seeking children, by group (most arrive from Afghanistan,
/// Sudan, Eritrea, Iran and Vietnam).
pub const UASC_ETHNIC_GROUPS: [(EthnicGroup, f64); 3] =
    [(EthnicGroup::Other, 0.45), (EthnicGroup::Black, 0.33), (EthnicGroup::Asian, 0.22)];

/// Assumption: UASC share of boys (DfE reports over nine in ten).
pub const UASC_MALE_SHARE: f64 = 0.93;

/// Assumption: share of the children DfE counts as "distance not known" who are UASC. DfE leaves
/// HOME_POST blank for UASC, so they fall in that group; the rest are children with no recorded
/// home address. Our files have no UASC count per council, so this is how many we make.
pub const UASC_SHARE_OF_UNKNOWN_DISTANCE: f64 = 0.7;

/// Assumption: one foster placement in five is with relatives or friends (U1–U3). DfE's
/// 31 March groups in our files do not split fostering, and this is about the national share.
pub const CONNECTED_SHARE_OF_FOSTER: f64 = 0.2;

/// Assumption: where a council's fostering is run by a children's trust that DfE reports as
/// voluntary (Birmingham, Sandwell), the voluntary foster placements that are *not* the trust's
/// are this share of all foster placements (what other councils place with charitable agencies).
pub const VOLUNTARY_AGENCY_SHARE_OF_FOSTER: f64 = 0.04;

/// Assumption: share of children in sibling groups (size 2, 3 or 4), and share of those groups
/// placed together.
pub const SIBLING_SHARE: f64 = 0.3;
pub const SIBLING_SIZES: [(usize, f64); 3] = [(2, 0.7), (3, 0.22), (4, 0.08)];

/// Assumption: share of the councils' 2025 "ceasing" count kept as children who left care in the past
/// year. The rest left at 18 and would be adults today; Hearth holds children only.
pub const CEASED_UNDER_18_SHARE: f64 = 0.7;

/// Assumption: why the under-18s who left care did so (the national pattern without the reasons
/// tied to turning 18).
pub const REASONS_CEASED: [(ReasonEpisodeCeased, f64); 14] = [
    (ReasonEpisodeCeased::E4a, 0.30),
    (ReasonEpisodeCeased::E4b, 0.03),
    (ReasonEpisodeCeased::E11, 0.13),
    (ReasonEpisodeCeased::E12, 0.02),
    (ReasonEpisodeCeased::E45, 0.10),
    (ReasonEpisodeCeased::E47, 0.05),
    (ReasonEpisodeCeased::E46, 0.03),
    (ReasonEpisodeCeased::E48, 0.01),
    (ReasonEpisodeCeased::E41, 0.07),
    (ReasonEpisodeCeased::E13, 0.10),
    (ReasonEpisodeCeased::E8, 0.07),
    (ReasonEpisodeCeased::E3, 0.04),
    (ReasonEpisodeCeased::E5, 0.03),
    (ReasonEpisodeCeased::E14, 0.02),
];

/// Coventry sufficiency strategy: young people in supported accommodation by kind. Read as the
/// mix of kinds and, scaled by each council's supported-accommodation placements, as places.
pub const COVENTRY_SUPPORTED: [(HomeKind, u32); 6] = [
    (HomeKind::SaSharedHouse, 34),
    (HomeKind::SaSingle, 30),
    (HomeKind::SaSupportedLodgings, 3),
    (HomeKind::SaStaffedShared, 4),
    (HomeKind::SaFloatingSupport, 18),
    (HomeKind::SaLowSupport, 15),
];

/// Coventry's supported-accommodation placements at 31 March 2025 (DfE), the base for the scaling.
pub const COVENTRY_SUPPORTED_PLACEMENTS: u32 = 78;

/// Coventry sufficiency strategy, finance table: average weekly cost (£).
pub mod cost {
    pub const CONNECTED_PERSON: f64 = 326.0;
    pub const IN_HOUSE_FOSTERING: f64 = 461.0;
    pub const IFA: f64 = 968.0;
    pub const IN_HOUSE_RESIDENTIAL: f64 = 4_230.0;
    pub const BLOCK_RESIDENTIAL: f64 = 3_379.0;
    pub const SPOT_RESIDENTIAL: f64 = 5_303.0;
    /// Assumption: framework residential between block and spot.
    pub const FRAMEWORK_RESIDENTIAL: f64 = 4_650.0;
    /// Assumption: an IFA placement bought off-framework costs a little more.
    pub const IFA_SPOT: f64 = 1_080.0;
    /// Assumption: residential special schools (education and care together).
    pub const RESIDENTIAL_SCHOOL: f64 = 5_600.0;
    /// Assumption: a secure welfare bed.
    pub const SECURE: f64 = 7_800.0;
}

/// Assumption: weekly cost (£) of each kind of supported accommodation, from floating support in
/// the young person's own flat to a shared house staffed day and night.
pub fn supported_cost(kind: HomeKind) -> f64 {
    match kind {
        HomeKind::SaSharedHouse => 1_150.0,
        HomeKind::SaSingle => 1_450.0,
        HomeKind::SaSupportedLodgings => 420.0,
        HomeKind::SaStaffedShared => 2_900.0,
        HomeKind::SaFloatingSupport => 380.0,
        _ => 720.0,
    }
}

/// Assumption: places in one setting of each supported kind (range).
pub fn supported_places(kind: HomeKind) -> (i32, i32) {
    match kind {
        HomeKind::SaSharedHouse => (3, 5),
        HomeKind::SaStaffedShared => (3, 4),
        HomeKind::SaLowSupport => (1, 3),
        _ => (1, 1),
    }
}

/// Assumption: share of a children's home's registered places advertised free on `today`
/// (homes run at roughly 85–90% occupancy; not every empty bed is offered).
pub const RESIDENTIAL_VACANCY_RATE: f64 = 0.08;

/// Assumption: share of foster households and supported settings with a spare place that offer it
/// (carers take breaks, keep a room for a returning child, or are approved for more than they take).
pub const HOUSEHOLD_VACANCY_OFFER_RATE: f64 = 0.2;

/// Assumption: share of households with nobody placed today that are resting or leaving fostering
/// rather than waiting for a child.
pub const EMPTY_HOUSEHOLD_RESTING_RATE: f64 = 0.6;

/// Assumption: share of councils' contracts that sit on the regional framework.
pub const FRAMEWORK_MEMBER_SHARE: f64 = 0.8;

/// Assumption: connected carers by relationship.
pub const RELATIONSHIPS: [(Relationship, f64); 5] = [
    (Relationship::Grandparent, 0.45),
    (Relationship::AuntUncle, 0.30),
    (Relationship::AdultSibling, 0.08),
    (Relationship::OtherRelative, 0.07),
    (Relationship::FamilyFriend, 0.10),
];

/// CIN at the start of care: England's children looked after at 31 March by category of need, rounded
/// (DfE, "Children looked after in England", 2024: abuse or neglect about two in three, family
/// dysfunction one in seven). UASC are absent parenting (N8), as councils record them.
pub const CATEGORY_OF_NEED: [(CategoryOfNeed, f64); 8] = [
    (CategoryOfNeed::N1, 0.66),
    (CategoryOfNeed::N2, 0.03),
    (CategoryOfNeed::N3, 0.03),
    (CategoryOfNeed::N4, 0.07),
    (CategoryOfNeed::N5, 0.14),
    (CategoryOfNeed::N6, 0.02),
    (CategoryOfNeed::N7, 0.002),
    (CategoryOfNeed::N8, 0.048),
];

/// Assumption: why providers decline (no vacancy is by far the commonest answer councils report).
pub const DECLINE_REASONS: [(DeclineReason, f64); 7] = [
    (DeclineReason::NoVacancy, 0.42),
    (DeclineReason::CannotMeetNeeds, 0.24),
    (DeclineReason::ImpactOnCurrentChildren, 0.12),
    (DeclineReason::Location, 0.08),
    (DeclineReason::Staffing, 0.05),
    (DeclineReason::Price, 0.03),
    (DeclineReason::Other, 0.06),
];

/// Assumption: needs named on referrals for residential care (teenagers, mostly).
pub const RESIDENTIAL_NEEDS: [(Need, f64); 10] = [
    (Need::EmotionalBehavioural, 0.8),
    (Need::Aggression, 0.35),
    (Need::Missing, 0.35),
    (Need::Cce, 0.2),
    (Need::Cse, 0.15),
    (Need::SelfHarm, 0.25),
    (Need::MentalHealth, 0.3),
    (Need::SubstanceMisuse, 0.15),
    (Need::AutismAdhd, 0.25),
    (Need::Offending, 0.12),
];

/// Assumption: needs named on referrals for family-based care.
pub const FAMILY_NEEDS: [(Need, f64); 6] = [
    (Need::EmotionalBehavioural, 0.4),
    (Need::AutismAdhd, 0.12),
    (Need::LearningDisability, 0.06),
    (Need::PhysicalDisability, 0.03),
    (Need::SensoryImpairment, 0.02),
    (Need::MentalHealth, 0.08),
];

/// Assumption: share of children with a disability, and of school-age children with an EHC plan
/// or SEN support (looked-after children have far more special needs than their peers).
pub const DISABILITY_SHARE: f64 = 0.08;
pub const EHCP_SHARE: f64 = 0.27;
pub const SEN_SUPPORT_SHARE: f64 = 0.28;
