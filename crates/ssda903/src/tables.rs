//! The CSV tables, each recognised by DfE's tools by its exact header, with `dd/mm/yyyy` dates; the
//! tables Hearth does not hold are written with their header only.

use crate::{CollectionYear, Ssda903Error};
use hearth_domain::Miles;
use jiff::civil::Date;

/// The files of an export that hold rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Header,
    Episodes,
    Uasc,
    /// Each episode with DfE's derived fields and Hearth's own distance beside them.
    Report,
    /// The self-check's problems.
    Problems,
}

impl Table {
    pub const ALL: [Table; 5] = [Self::Header, Self::Episodes, Self::Uasc, Self::Report, Self::Problems];

    pub fn parse(raw: &str) -> Result<Self, Ssda903Error> {
        let t = raw.trim();
        Self::ALL
            .into_iter()
            .find(|table| table.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| Ssda903Error::UnknownTable(t.to_owned()))
    }

    /// As asked for in `?table=` (`header`, `episodes`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Episodes => "episodes",
            Self::Uasc => "uasc",
            Self::Report => "report",
            Self::Problems => "problems",
        }
    }

    /// The file it is written to.
    pub const fn file(self) -> &'static str {
        match self {
            Self::Header => "Header.csv",
            Self::Episodes => "Episodes.csv",
            Self::Uasc => "UASC.csv",
            Self::Report => "report.csv",
            Self::Problems => "problems.csv",
        }
    }

    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Self::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Self::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            Self::Report => &[
                "ROW",
                "CHILD",
                "DECOM",
                "DEC",
                "PLACE",
                "HOME_POST",
                "PL_POST",
                "PL_DISTANCE",
                "PL_LA",
                "PL_LOCATION",
                "HEARTH_DISTANCE",
                "NOTE",
            ],
            Self::Problems => &["CHILD", "ROW", "FIELD", "RULE", "PROBLEM"],
        }
    }
}

/// A table of the return Hearth holds nothing for: its file, its header, and since when it exists.
#[derive(Debug, Clone, Copy)]
pub struct EmptyTable {
    pub file: &'static str,
    pub columns: &'static str,
    pub what: &'static str,
    /// The first collection year (by its ending) with this table.
    pub from: i16,
}

pub const EMPTY_TABLES: &[EmptyTable] = &[
    EmptyTable { file: "Reviews.csv", columns: "CHILD,DOB,REVIEW,REVIEW_CODE", what: "looked-after reviews", from: 0 },
    EmptyTable {
        file: "OC2.csv",
        columns: "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
        what: "outcomes of children looked after for 12 months or more",
        from: 0,
    },
    EmptyTable { file: "OC3.csv", columns: "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM", what: "care leavers", from: 0 },
    EmptyTable {
        file: "AD1.csv",
        columns: "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
        what: "children adopted during the year",
        from: 0,
    },
    EmptyTable {
        file: "PlacedAdoption.csv",
        columns: "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
        what: "decisions that a child should be placed for adoption",
        from: 0,
    },
    EmptyTable {
        file: "PrevPerm.csv",
        columns: "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
        what: "previous permanence",
        from: 0,
    },
    EmptyTable {
        file: "Missing.csv",
        columns: "CHILD,DOB,MISSING,MIS_START,MIS_END",
        what: "missing or away from placement",
        from: 0,
    },
    EmptyTable {
        file: "SWEpisodes.csv",
        columns: "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
        what: "social worker episodes",
        from: 2024,
    },
    EmptyTable {
        file: "DoLo.csv",
        columns: "CHILD,DOB,DOLO_START,DOLO_END",
        what: "deprivation of liberty orders",
        from: 2027,
    },
];

/// The header-only tables the year's return has.
pub fn empty_tables(year: CollectionYear) -> impl Iterator<Item = &'static EmptyTable> {
    EMPTY_TABLES.iter().filter(move |t| t.from <= year.ending())
}

/// `dd/mm/yyyy`, as every date in the return.
pub fn ddmmyyyy(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Miles with one decimal, as PL_DISTANCE is written.
pub fn miles(m: Miles) -> String {
    format!("{:.1}", m.0)
}
