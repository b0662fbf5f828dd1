//! The SSDA903 code lists (summary in `shared/ssda903.md`): what councils report to DfE, so Hearth stores
//! these codes rather than inventing its own.

use crate::code_list;

code_list! {
    /// PLACE: placement type. Codes valid only in some collection years say so in [`PlacementType::valid_in`].
    pub enum PlacementType ("placement_type") {
        A3 = "A3" => "Placed for adoption with consent, with current foster carer(s)",
        A4 = "A4" => "Placed for adoption with consent, not with current foster carer(s)",
        A5 = "A5" => "Placed for adoption with a placement order, with current foster carer(s)",
        A6 = "A6" => "Placed for adoption with a placement order, not with current foster carer(s)",
        H5 = "H5" => "Semi-independent living accommodation not subject to children's homes regulations",
        K1 = "K1" => "Secure children's home",
        K2 = "K2" => "Children's home subject to the Children's Homes Regulations",
        K3 = "K3" => "Registered supported accommodation",
        P1 = "P1" => "Placed with own parent(s) or other person(s) with parental responsibility",
        P2 = "P2" => "Independent living",
        P3 = "P3" => "Residential employment",
        R1 = "R1" => "Residential care home",
        R2 = "R2" => "NHS/health trust or other establishment providing medical or nursing care",
        R3 = "R3" => "Family centre or mother and baby unit",
        R5 = "R5" => "Young offender institution or prison",
        S1 = "S1" => "Residential school",
        T0 = "T0" => "Temporary move",
        T1 = "T1" => "Temporary period in hospital",
        T2 = "T2" => "Temporary absence on holiday",
        T3 = "T3" => "Temporary accommodation while the foster carer is on holiday",
        T4 = "T4" => "Temporary accommodation of 7 days or less",
        U1 = "U1" => "Foster placement with relative(s) or friend(s): long-term fostering",
        U2 = "U2" => "Foster placement with relative(s) or friend(s) who are approved adopters",
        U3 = "U3" => "Foster placement with relative(s) or friend(s): not long-term or FFA",
        U4 = "U4" => "Foster placement with other foster carer(s): long-term fostering",
        U5 = "U5" => "Foster placement with other foster carer(s) who are approved adopters",
        U6 = "U6" => "Foster placement with other foster carer(s): not long-term or FFA",
        Z1 = "Z1" => "Other placement",
        Z11 = "Z11" => "Other placement (Z11, from 2025/26)",
        Z12 = "Z12" => "Other placement (Z12, from 2025/26)",
        Z13 = "Z13" => "Other placement (Z13, from 2025/26)",
        Z14 = "Z14" => "Other placement (Z14, from 2025/26)",
    }
}

/// The broad groups DfE's published tables use for placement types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementGroup {
    Foster,
    ChildrensHomes,
    SupportedAccommodation,
    ResidentialSchools,
    PlacedForAdoption,
    WithParents,
    OtherResidential,
    Other,
}

impl PlacementGroup {
    /// Every group, in the order DfE's tables list them.
    pub const ALL: [PlacementGroup; 8] = [
        Self::Foster,
        Self::ChildrensHomes,
        Self::SupportedAccommodation,
        Self::ResidentialSchools,
        Self::PlacedForAdoption,
        Self::WithParents,
        Self::OtherResidential,
        Self::Other,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            Self::Foster => "Foster placements",
            Self::ChildrensHomes => "Secure units, children's homes and semi-independent living",
            Self::SupportedAccommodation => "Independent and semi-independent living / supported accommodation",
            Self::ResidentialSchools => "Residential schools",
            Self::PlacedForAdoption => "Placed for adoption",
            Self::WithParents => "Placed with parents or other person with parental responsibility",
            Self::OtherResidential => "Other residential settings",
            Self::Other => "Other placements",
        }
    }
}

impl PlacementType {
    /// Whether the code may be reported in the collection year that ends on 31 March of `year_ending`.
    pub const fn valid_in(self, year_ending: i16) -> bool {
        match self {
            Self::H5 => year_ending >= 2023 && year_ending <= 2025,
            Self::K3 => year_ending >= 2025,
            Self::P2 | Self::Z1 => year_ending <= 2025,
            Self::Z11 | Self::Z12 | Self::Z13 | Self::Z14 => year_ending >= 2026,
            _ => true,
        }
    }

    /// Temporary placements (T0–T4): not a change of placement for stability measures.
    pub const fn is_temporary(self) -> bool {
        matches!(self, Self::T0 | Self::T1 | Self::T2 | Self::T3 | Self::T4)
    }

    /// U1–U3: fostering with relatives or friends (connected persons).
    pub const fn is_connected_person_fostering(self) -> bool {
        matches!(self, Self::U1 | Self::U2 | Self::U3)
    }

    pub const fn is_foster(self) -> bool {
        matches!(self, Self::U1 | Self::U2 | Self::U3 | Self::U4 | Self::U5 | Self::U6)
    }

    /// DfE requires PLACE_PROVIDER except for temporary and "other" placements.
    pub const fn requires_provider(self) -> bool {
        !matches!(
            self,
            Self::T0
                | Self::T1
                | Self::T2
                | Self::T3
                | Self::T4
                | Self::Z1
                | Self::Z11
                | Self::Z12
                | Self::Z13
                | Self::Z14
        )
    }

    pub const fn group(self) -> PlacementGroup {
        use PlacementGroup as G;
        match self {
            Self::U1 | Self::U2 | Self::U3 | Self::U4 | Self::U5 | Self::U6 => G::Foster,
            Self::K1 | Self::K2 => G::ChildrensHomes,
            Self::H5 | Self::K3 | Self::P2 => G::SupportedAccommodation,
            Self::S1 => G::ResidentialSchools,
            Self::A3 | Self::A4 | Self::A5 | Self::A6 => G::PlacedForAdoption,
            Self::P1 => G::WithParents,
            Self::R1 | Self::R2 | Self::R3 | Self::R5 => G::OtherResidential,
            _ => G::Other,
        }
    }
}

code_list! {
    /// PLACE_PROVIDER: who provides the placement.
    pub enum PlaceProvider ("place_provider") {
        Pr0 = "PR0" => "Parent(s) or other person(s) with parental responsibility",
        Pr1 = "PR1" => "Own provision (by the LA)",
        Pr2 = "PR2" => "Other LA provision",
        Pr3 = "PR3" => "Other public provision",
        Pr4 = "PR4" => "Private provision",
        Pr5 = "PR5" => "Voluntary/third sector provision",
    }
}

code_list! {
    /// LS: legal status.
    pub enum LegalStatus ("legal_status") {
        C1 = "C1" => "Interim care order",
        C2 = "C2" => "Full care order",
        D1 = "D1" => "Freeing order granted",
        E1 = "E1" => "Placement order granted",
        V2 = "V2" => "Single period of accommodation under section 20",
        V3 = "V3" => "Accommodated under an agreed series of short-term breaks (individual episodes)",
        V4 = "V4" => "Accommodated under an agreed series of short-term breaks (agreement)",
        L1 = "L1" => "Under police protection and in local authority accommodation",
        L2 = "L2" => "Emergency protection order",
        L3 = "L3" => "Under a child assessment order and in local authority accommodation",
        J1 = "J1" => "Remanded to local authority or youth detention accommodation",
        J2 = "J2" => "Placed in local authority accommodation under PACE 1984",
        J3 = "J3" => "Sentenced to a youth rehabilitation order with residence requirement",
    }
}

impl LegalStatus {
    /// V3/V4 short breaks: excluded from most DfE statistics.
    pub const fn is_short_break(self) -> bool {
        matches!(self, Self::V3 | Self::V4)
    }
}

code_list! {
    /// RNE: reason for new episode.
    pub enum ReasonNewEpisode ("reason_new_episode") {
        S = "S" => "Started to be looked after",
        L = "L" => "Change of legal status only",
        P = "P" => "Change of placement and carer only",
        T = "T" => "Change of placement, same carer",
        B = "B" => "Change of legal status and placement and carer at the same time",
        U = "U" => "Change of legal status and placement, same carer",
    }
}

impl ReasonNewEpisode {
    /// An episode that starts a new placement (for the stability measures).
    pub const fn starts_placement(self) -> bool {
        !matches!(self, Self::L)
    }
}

code_list! {
    /// REC: reason episode ceased.
    pub enum ReasonEpisodeCeased ("reason_ceased") {
        X1 = "X1" => "Episode ceases and new episode begins on the same day",
        E11 = "E11" => "Adopted: application unopposed",
        E12 = "E12" => "Adopted: consent dispensed with by the court",
        E2 = "E2" => "Died",
        E3 = "E3" => "Care taken over by another local authority in the UK",
        E4a = "E4A" => "Returned home to parents as part of care planning",
        E4b = "E4B" => "Returned home to parents, not as part of care planning",
        E13 = "E13" => "Left care to live with parents or relatives without parental responsibility",
        E41 = "E41" => "Residence order or child arrangements order granted",
        E45 = "E45" => "Special guardianship order to former foster carers who are relatives or friends",
        E46 = "E46" => "Special guardianship order to former foster carers who are not relatives or friends",
        E47 = "E47" => "Special guardianship order to other carers who are relatives or friends",
        E48 = "E48" => "Special guardianship order to other carers who are not relatives or friends",
        E5 = "E5" => "Moved to independent living with formal support",
        E6 = "E6" => "Moved to independent living without formal support",
        E7 = "E7" => "Transferred to residential care funded by adult social care",
        E9 = "E9" => "Sentenced to custody",
        E14 = "E14" => "Accommodation on remand ended",
        E15 = "E15" => "Age assessment found the child to be 18 or over",
        E16 = "E16" => "Child moved abroad",
        E17 = "E17" => "Aged 18 or over and remained with current carers",
        E8 = "E8" => "Care ceased for any other reason",
    }
}

impl ReasonEpisodeCeased {
    /// The episode ended because the child moved to another placement the same day (X1).
    pub const MOVE: Self = Self::X1;

    /// Every code but the move's means the child left care.
    pub const fn leaves_care(self) -> bool {
        !matches!(self, Self::MOVE)
    }
}

code_list! {
    /// REASON_PLACE_CHANGE: why a placement changed; also Hearth's coded reasons for ending a placement.
    pub enum ReasonPlaceChange ("reason_place_change") {
        Carpl = "CARPL" => "Change to or implementation of the care plan",
        Close = "CLOSE" => "Resignation or closure of provision",
        Alleg = "ALLEG" => "Allegation (s47)",
        Stand = "STAND" => "Standards of care concern",
        Apprr = "APPRR" => "Approval removed",
        Creqb = "CREQB" => "Carer requests placement end due to child's behaviour",
        Creqo = "CREQO" => "Carer requests placement end for other reasons",
        Child = "CHILD" => "Child requests placement end",
        Lareq = "LAREQ" => "Responsible or area authority requests placement end",
        Place = "PLACE" => "Change in the status of the placement only",
        Custod = "CUSTOD" => "Custody arrangement",
        Other = "OTHER" => "Other",
    }
}

impl ReasonPlaceChange {
    /// Endings nobody planned: the measure behind "unplanned endings" in stability figures.
    pub const fn is_unplanned(self) -> bool {
        matches!(self, Self::Alleg | Self::Stand | Self::Apprr | Self::Creqb | Self::Creqo | Self::Child | Self::Close)
    }
}

code_list! {
    /// CIN: category of need.
    pub enum CategoryOfNeed ("category_of_need") {
        N1 = "N1" => "Abuse or neglect",
        N2 = "N2" => "Child's disability",
        N3 = "N3" => "Parental illness or disability",
        N4 = "N4" => "Family in acute stress",
        N5 = "N5" => "Family dysfunction",
        N6 = "N6" => "Socially unacceptable behaviour",
        N7 = "N7" => "Low income",
        N8 = "N8" => "Absent parenting",
    }
}

code_list! {
    /// ETHNIC: the 20 DfE ethnicity codes.
    pub enum Ethnicity ("ethnicity") {
        Wbri = "WBRI" => "White British",
        Wiri = "WIRI" => "White Irish",
        Woth = "WOTH" => "Any other White background",
        Wirt = "WIRT" => "Traveller of Irish heritage",
        Wrom = "WROM" => "Gypsy/Roma",
        Mwbc = "MWBC" => "White and Black Caribbean",
        Mwba = "MWBA" => "White and Black African",
        Mwas = "MWAS" => "White and Asian",
        Moth = "MOTH" => "Any other Mixed background",
        Aind = "AIND" => "Indian",
        Apkn = "APKN" => "Pakistani",
        Aban = "ABAN" => "Bangladeshi",
        Aoth = "AOTH" => "Any other Asian background",
        Bcrb = "BCRB" => "Caribbean",
        Bafr = "BAFR" => "African",
        Both = "BOTH" => "Any other Black background",
        Chne = "CHNE" => "Chinese",
        Ooth = "OOTH" => "Any other ethnic group",
        Refu = "REFU" => "Refused",
        Nobt = "NOBT" => "Information not yet obtained",
    }
}

/// The five groups DfE's tables report ethnicity in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EthnicGroup {
    White,
    Mixed,
    Asian,
    Black,
    Other,
    NotKnown,
}

impl Ethnicity {
    pub const fn group(self) -> EthnicGroup {
        match self.code().as_bytes()[0] {
            b'W' => EthnicGroup::White,
            b'M' => EthnicGroup::Mixed,
            b'A' => EthnicGroup::Asian,
            b'B' => EthnicGroup::Black,
            _ => match self {
                Self::Refu | Self::Nobt => EthnicGroup::NotKnown,
                _ => EthnicGroup::Other,
            },
        }
    }
}

code_list! {
    /// SEX as reported from 2024/25: M, F or U.
    pub enum Sex ("sex") {
        Male = "M" => "Male",
        Female = "F" => "Female",
        Unknown = "U" => "Not known",
    }
}

impl Sex {
    /// The 1/2 codes used up to 2023/24.
    pub const fn legacy_code(self) -> Option<&'static str> {
        match self {
            Self::Male => Some("1"),
            Self::Female => Some("2"),
            Self::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_reject_unknowns() {
        for p in PlacementType::ALL {
            assert_eq!(PlacementType::parse(p.code()).ok(), Some(*p));
        }
        assert_eq!(ReasonEpisodeCeased::parse("e4a").ok(), Some(ReasonEpisodeCeased::E4a));
        let err = LegalStatus::parse("Q9").unwrap_err();
        assert_eq!(err.field, "legal_status");
        assert!(err.message.contains("C2"), "{}", err.message);
    }

    #[test]
    fn collection_year_validity_follows_dfe() {
        assert!(PlacementType::H5.valid_in(2025));
        assert!(!PlacementType::H5.valid_in(2026));
        assert!(!PlacementType::K3.valid_in(2024));
        assert!(PlacementType::Z12.valid_in(2026));
        assert!(!PlacementType::Z1.valid_in(2026));
    }

    #[test]
    fn ethnic_groups() {
        assert_eq!(Ethnicity::Mwbc.group(), EthnicGroup::Mixed);
        assert_eq!(Ethnicity::Nobt.group(), EthnicGroup::NotKnown);
        assert_eq!(Ethnicity::Chne.group(), EthnicGroup::Other);
    }
}
