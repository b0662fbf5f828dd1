//! The fourteen West Midlands councils that share the portal, with their DfE and ONS codes and the
//! councils whose areas touch theirs. A fixed fact table: the codes are what DfE and ONS publish, and
//! the neighbours were read off the ONS May 2024 district boundaries (see `data/README.md`).

use crate::DomainError;
use serde::Serialize;

/// A council with children's-services responsibilities (an upper-tier local authority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Council {
    /// DfE's 3-digit LA code (Coventry = 331), as used in the SSDA903 return.
    pub la_code: u16,
    /// ONS upper-tier code (Coventry = E08000026), as in DfE's PL_LA.
    pub ons_code: &'static str,
    pub name: &'static str,
    /// Councils whose boundary touches this one, by ONS code, inside or outside the region.
    /// (Herefordshire and Shropshire also border Wales, which the English boundary file does not show.)
    pub neighbours: &'static [&'static str],
}

impl Council {
    /// Whether `ons_code` is a council sharing a boundary with this one.
    pub fn borders(&self, ons_code: &str) -> bool {
        self.neighbours.contains(&ons_code)
    }
}

/// The councils outside the region that border it, for naming where children are placed.
pub const BORDERING_OUTSIDE_REGION: &[(&str, &str)] = &[
    ("E06000049", "Cheshire East"),
    ("E06000050", "Cheshire West and Chester"),
    ("E06000062", "West Northamptonshire"),
    ("E10000007", "Derbyshire"),
    ("E10000013", "Gloucestershire"),
    ("E10000018", "Leicestershire"),
    ("E10000025", "Oxfordshire"),
];

pub const WEST_MIDLANDS: &[Council] = &[
    Council {
        la_code: 330,
        ons_code: "E08000025",
        name: "Birmingham",
        neighbours: &["E08000027", "E08000028", "E08000029", "E08000030", "E10000028", "E10000031", "E10000034"],
    },
    Council { la_code: 331, ons_code: "E08000026", name: "Coventry", neighbours: &["E08000029", "E10000031"] },
    Council {
        la_code: 332,
        ons_code: "E08000027",
        name: "Dudley",
        neighbours: &["E08000025", "E08000028", "E08000030", "E08000031", "E10000028", "E10000034"],
    },
    Council {
        la_code: 333,
        ons_code: "E08000028",
        name: "Sandwell",
        neighbours: &["E08000025", "E08000027", "E08000030", "E08000031"],
    },
    Council {
        la_code: 334,
        ons_code: "E08000029",
        name: "Solihull",
        neighbours: &["E08000025", "E08000026", "E10000031", "E10000034"],
    },
    Council {
        la_code: 335,
        ons_code: "E08000030",
        name: "Walsall",
        neighbours: &["E08000025", "E08000027", "E08000028", "E08000031", "E10000028"],
    },
    Council {
        la_code: 336,
        ons_code: "E08000031",
        name: "Wolverhampton",
        neighbours: &["E08000027", "E08000028", "E08000030", "E10000028"],
    },
    Council {
        la_code: 860,
        ons_code: "E10000028",
        name: "Staffordshire",
        neighbours: &[
            "E06000020",
            "E06000021",
            "E06000049",
            "E06000051",
            "E08000025",
            "E08000027",
            "E08000030",
            "E08000031",
            "E10000007",
            "E10000018",
            "E10000031",
            "E10000034",
        ],
    },
    Council { la_code: 861, ons_code: "E06000021", name: "Stoke-on-Trent", neighbours: &["E10000028"] },
    Council {
        la_code: 884,
        ons_code: "E06000019",
        name: "Herefordshire",
        neighbours: &["E06000051", "E10000013", "E10000034"],
    },
    Council {
        la_code: 885,
        ons_code: "E10000034",
        name: "Worcestershire",
        neighbours: &[
            "E06000019",
            "E06000051",
            "E08000025",
            "E08000027",
            "E08000029",
            "E10000013",
            "E10000028",
            "E10000031",
        ],
    },
    Council {
        la_code: 893,
        ons_code: "E06000051",
        name: "Shropshire",
        neighbours: &["E06000019", "E06000020", "E06000049", "E06000050", "E10000028", "E10000034"],
    },
    Council {
        la_code: 894,
        ons_code: "E06000020",
        name: "Telford and Wrekin",
        neighbours: &["E06000051", "E10000028"],
    },
    Council {
        la_code: 937,
        ons_code: "E10000031",
        name: "Warwickshire",
        neighbours: &[
            "E06000062",
            "E08000025",
            "E08000026",
            "E08000029",
            "E10000007",
            "E10000013",
            "E10000018",
            "E10000025",
            "E10000028",
            "E10000034",
        ],
    },
];

/// Finds a portal council by its DfE code (`331`) or ONS code (`E08000026`).
pub fn council(code: &str) -> Result<&'static Council, DomainError> {
    let t = code.trim();
    WEST_MIDLANDS
        .iter()
        .find(|c| c.ons_code.eq_ignore_ascii_case(t) || c.la_code.to_string() == t)
        .ok_or_else(|| {
            DomainError::new(
                "council",
                format!("'{t}' is not one of the portal's 14 councils; give a DfE code such as 331 or an ONS code such as E08000026"),
            )
        })
}

pub fn council_by_la_code(la_code: u16) -> Option<&'static Council> {
    WEST_MIDLANDS.iter().find(|c| c.la_code == la_code)
}

/// A council's name for people to read: "Council 999" for a code outside the region.
pub fn council_name(la_code: u16) -> String {
    council_by_la_code(la_code).map_or_else(|| format!("Council {la_code}"), |c| c.name.to_owned())
}

pub fn council_by_ons(ons: &str) -> Option<&'static Council> {
    WEST_MIDLANDS.iter().find(|c| c.ons_code == ons)
}

/// Where a placement is relative to the child's council, as the intelligence tables group it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    InsideCouncil,
    NeighbouringCouncil,
    Further,
}

impl Council {
    pub fn locality_of(&self, placement_utla: &str) -> Locality {
        if placement_utla == self.ons_code {
            Locality::InsideCouncil
        } else if self.borders(placement_utla) {
            Locality::NeighbouringCouncil
        } else {
            Locality::Further
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourteen_councils_with_symmetric_neighbours() {
        assert_eq!(WEST_MIDLANDS.len(), 14);
        for c in WEST_MIDLANDS {
            for n in c.neighbours {
                if let Some(other) = council_by_ons(n) {
                    assert!(other.borders(c.ons_code), "{} borders {} but not back", c.name, other.name);
                } else {
                    assert!(BORDERING_OUTSIDE_REGION.iter().any(|(code, _)| code == n), "{n} unnamed");
                }
            }
        }
    }

    #[test]
    fn lookup_by_either_code() {
        assert_eq!(council("331").unwrap().name, "Coventry");
        assert_eq!(council("e08000026").unwrap().la_code, 331);
        assert_eq!(council("999").unwrap_err().field, "council");
        let cov = council("331").unwrap();
        assert_eq!(cov.locality_of("E10000031"), Locality::NeighbouringCouncil);
        assert_eq!(cov.locality_of("E08000031"), Locality::Further);
    }
}
