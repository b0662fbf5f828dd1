//! The fields DfE derives from the postcodes rather than taking from the upload: PL_DISTANCE, PL_LA and
//! PL_LOCATION. Computed here the way DfE computes them, so that the export's figures, Hearth's own
//! "over 20 miles" and DfE's published ones agree.

use crate::Episode;
use hearth_domain::council::Council;
use hearth_domain::geo::dfe_distance;
use hearth_domain::{GridRef, Miles, Postcode};
use hearth_reference::Gazetteer;

/// Where a postcode is: OS National Grid eastings and northings and the upper-tier council (ONS code).
pub trait Locator {
    fn locate(&self, postcode: &Postcode) -> Option<(GridRef, &str)>;
}

/// The postcodes Hearth ships (OS Code-Point Open for the West Midlands, with the April 2023
/// LTLA→UTLA lookup).
#[derive(Debug, Clone, Copy)]
pub struct GazetteerLocator(pub &'static Gazetteer);

impl GazetteerLocator {
    /// The embedded gazetteer, parsed once per process.
    pub fn embedded() -> Self {
        Self(Gazetteer::get())
    }
}

impl Locator for GazetteerLocator {
    fn locate(&self, postcode: &Postcode) -> Option<(GridRef, &str)> {
        self.0.lookup(postcode).map(|u| (u.grid, u.utla_code))
    }
}

/// PL_LOCATION: inside or outside the responsible council's boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlLocation {
    In,
    Out,
}

impl PlLocation {
    pub const fn code(self) -> &'static str {
        match self {
            Self::In => "IN",
            Self::Out => "OUT",
        }
    }
}

/// Why DfE's distance is unknown for an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    NoHomePostcode,
    NoPlacementPostcode,
    HomePostcodeNotFound,
    PlacementPostcodeNotFound,
}

impl Unknown {
    pub const fn sentence(self) -> &'static str {
        match self {
            Self::NoHomePostcode => "the child's home postcode (HOME_POST) is missing",
            Self::NoPlacementPostcode => "the placement's postcode (PL_POST) is missing",
            Self::HomePostcodeNotFound => "the child's home postcode is not a known English postcode",
            Self::PlacementPostcodeNotFound => "the placement's postcode is not a known postcode in the gazetteer",
        }
    }
}

/// An episode's derived fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// Miles, one decimal; 999.9 when a postcode is missing or unknown; `None` (blank) for UASC and
    /// V3/V4 short breaks, which DfE does not measure.
    pub pl_distance: Option<Miles>,
    /// Why the distance is 999.9, when it is.
    pub unknown: Option<Unknown>,
    /// The placement's upper-tier council, ONS code.
    pub pl_la: Option<String>,
    pub pl_location: Option<PlLocation>,
}

/// DfE's derived fields for one episode of `council`'s, with `stored_utla` (the placement's recorded
/// council) standing in for PL_LA when the placement postcode is not in the gazetteer.
pub fn derive(
    episode: &Episode,
    uasc: bool,
    council: &Council,
    stored_utla: Option<&str>,
    locator: &impl Locator,
) -> Derived {
    let placed = episode.pl_post.as_ref().and_then(|p| locator.locate(p));
    let pl_la = placed.map(|(_, utla)| utla).or(stored_utla).map(str::to_owned);
    let pl_location = pl_la.as_deref().map(|la| if la == council.ons_code { PlLocation::In } else { PlLocation::Out });
    let measured = !uasc && !episode.ls.is_short_break();
    let (pl_distance, unknown) = if measured {
        let home = episode.home_post.as_ref().and_then(|p| locator.locate(p));
        let unknown = match (&episode.home_post, home, &episode.pl_post, placed) {
            (None, ..) => Some(Unknown::NoHomePostcode),
            (_, None, ..) => Some(Unknown::HomePostcodeNotFound),
            (_, _, None, _) => Some(Unknown::NoPlacementPostcode),
            (_, _, _, None) => Some(Unknown::PlacementPostcodeNotFound),
            _ => None,
        };
        (Some(dfe_distance(home.map(|h| h.0), placed.map(|p| p.0))), unknown)
    } else {
        (None, None)
    };
    Derived { pl_distance, unknown, pl_la, pl_location }
}
