//! England's 153 children's-services local authorities (DfE's list with ONS codes, postcode-weighted
//! centroids and the latest ILACS judgement), and DfE's statistical neighbours for the 14 portal councils.

use crate::{ReferenceError, embedded_table, files, opt_date};
use hearth_domain::GridRef;
use hearth_domain::home::Judgement;
use jiff::civil::Date;
use serde::Deserialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalAuthority {
    /// DfE's 3-digit code (Coventry = 331).
    pub la_code: u16,
    /// ONS upper-tier code (Coventry = E08000026).
    pub ons_code: String,
    pub name: String,
    /// DfE's region (London split into Inner and Outer, as DfE reports it).
    pub region_name: String,
    pub region_code: String,
    pub la_type: String,
    /// The district councils (LADs) that make up a county; the council itself for a unitary.
    pub ltla_codes: Vec<String>,
    /// Mean position of the authority's live postcodes.
    pub centroid: GridRef,
    pub live_postcodes: u32,
    /// Ofsted's latest ILACS overall effectiveness at 31 March 2025.
    pub ilacs_judgement: Option<Judgement>,
    pub ilacs_inspection_date: Option<Date>,
    pub west_midlands_portal: bool,
}

#[derive(Deserialize)]
struct LaRow {
    old_la_code: u16,
    new_la_code: String,
    la_name: String,
    region_name: String,
    region_code: String,
    la_type: String,
    ltla_codes_apr23: String,
    centroid_easting: i32,
    centroid_northing: i32,
    live_postcodes: u32,
    ilacs_overall_effectiveness_2025_03_31: String,
    ilacs_inspection_date: String,
    west_midlands_portal: String,
}

impl TryFrom<LaRow> for LocalAuthority {
    type Error = String;
    fn try_from(r: LaRow) -> Result<Self, String> {
        let west_midlands_portal = match r.west_midlands_portal.as_str() {
            "True" => true,
            "False" => false,
            other => return Err(format!("west_midlands_portal '{other}' is neither True nor False")),
        };
        Ok(Self {
            la_code: r.old_la_code,
            ons_code: r.new_la_code,
            name: r.la_name,
            region_name: r.region_name,
            region_code: r.region_code,
            la_type: r.la_type,
            ltla_codes: r.ltla_codes_apr23.split('|').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            centroid: GridRef { easting: r.centroid_easting, northing: r.centroid_northing },
            live_postcodes: r.live_postcodes,
            ilacs_judgement: Judgement::from_ofsted(&r.ilacs_overall_effectiveness_2025_03_31),
            ilacs_inspection_date: opt_date(&r.ilacs_inspection_date)?,
            west_midlands_portal,
        })
    }
}

embedded_table!(
    /// All 153 English children's-services authorities, by DfE code.
    local_authorities, load_local_authorities, LAS: LocalAuthority, LaRow, files::LA_LOOKUP
);

/// An authority by its DfE code (`331`).
pub fn by_la_code(la_code: u16) -> Option<&'static LocalAuthority> {
    LAS.iter().find(|l| l.la_code == la_code)
}

/// An authority by its ONS code (`E08000026`).
pub fn by_ons_code(ons_code: &str) -> Option<&'static LocalAuthority> {
    LAS.iter().find(|l| l.ons_code == ons_code)
}

/// An authority by name, ignoring case, `&`/`and`, punctuation and ONS's ", County of" / ", City of"
/// suffixes and DfE's "County " prefix: Ofsted writes "Telford & Wrekin", "Stoke On Trent" and "Herefordshire" where DfE writes
/// "Telford and Wrekin", "Stoke-on-Trent" and "Herefordshire, County of".
pub fn by_name(name: &str) -> Option<&'static LocalAuthority> {
    let want = name_key(name);
    LAS.iter().find(|l| name_key(&l.name) == want)
}

/// A name reduced to lower-case words, for matching names spelled by different publishers.
pub fn name_key(name: &str) -> String {
    let trimmed =
        [", County of", ", City of"].iter().fold(name.trim(), |n, suffix| n.strip_suffix(suffix).unwrap_or(n));
    // DfE's "County Durham" is Ofsted's "Durham".
    let trimmed = trimmed.strip_prefix("County ").unwrap_or(trimmed);
    let spaced: String = trimmed
        .replace('&', " and ")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One comparator authority and how close DfE's model puts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub la_code: u16,
    /// "Very close", "Close", "Somewhat close", ...
    pub closeness: String,
}

/// DfE's ten statistical neighbours (2025 model) of one portal council, closest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatisticalNeighbours {
    pub la_code: u16,
    pub name: String,
    pub neighbours: Vec<Neighbour>,
}

static NEIGHBOURS: LazyLock<Vec<StatisticalNeighbours>> =
    LazyLock::new(|| load_statistical_neighbours().expect("embedded statistical neighbours parse"));

pub fn load_statistical_neighbours() -> Result<Vec<StatisticalNeighbours>, ReferenceError> {
    // Twenty numbered columns (SN_1, SN_1P, ... SN_10P) read more plainly by position than by a
    // twenty-field struct.
    let mut out = Vec::new();
    crate::for_each_record(files::STAT_NEIGHBOURS, |record, _| {
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let la_code = field(0).parse().map_err(|_| format!("old_la_code '{}' is not a number", field(0)))?;
        let mut neighbours = Vec::with_capacity(10);
        for n in 0..10 {
            let code = field(4 + 2 * n);
            let la_code = code.parse().map_err(|_| format!("SN_{} '{code}' is not an LA code", n + 1))?;
            neighbours.push(Neighbour { la_code, closeness: field(5 + 2 * n).to_owned() });
        }
        out.push(StatisticalNeighbours { la_code, name: field(1).to_owned(), neighbours });
        Ok(())
    })?;
    Ok(out)
}

/// The statistical neighbours of each of the 14 portal councils.
pub fn statistical_neighbours() -> &'static [StatisticalNeighbours] {
    &NEIGHBOURS
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::council::WEST_MIDLANDS;

    #[test]
    fn authorities_parse_and_match_the_domain_table() {
        assert_eq!(local_authorities().len(), 153);
        for c in WEST_MIDLANDS {
            let la = by_la_code(c.la_code).expect("portal council in DfE's list");
            assert_eq!(la.ons_code, c.ons_code);
            assert!(la.west_midlands_portal);
            assert_eq!(by_name(c.name).map(|l| l.la_code), Some(c.la_code));
        }
        assert_eq!(local_authorities().iter().filter(|l| l.west_midlands_portal).count(), 14);
        let staffs = by_ons_code("E10000028").expect("Staffordshire");
        assert_eq!(staffs.ltla_codes.len(), 8);
        assert_eq!(by_name("Telford & Wrekin").map(|l| l.la_code), Some(894));
        assert_eq!(by_name("Stoke On Trent").map(|l| l.la_code), Some(861));
        assert!(by_name("Durham").is_some(), "Ofsted's name for County Durham");
        assert_eq!(by_la_code(894).and_then(|l| l.ilacs_judgement), Some(Judgement::Outstanding));
    }

    #[test]
    fn neighbours_of_coventry() {
        let all = statistical_neighbours();
        assert_eq!(all.len(), 14);
        let cov = all.iter().find(|s| s.la_code == 331).expect("Coventry");
        assert_eq!(cov.neighbours.len(), 10);
        assert_eq!(cov.neighbours[0], Neighbour { la_code: 831, closeness: "Very close".into() });
        assert_eq!(cov.neighbours[4].closeness, "Close", "trailing spaces are trimmed");
    }
}
