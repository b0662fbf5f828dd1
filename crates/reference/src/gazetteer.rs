//! Where postcodes are: every live West Midlands unit postcode on the OS National Grid with its
//! district (LAD) and children's-services council (UTLA), and every GB postcode district's centroid.
//!
//! Coordinates are Code-Point Open's own eastings and northings, so [`GridRef::dfe_miles_to`] between
//! two of them gives exactly the PL_DISTANCE DfE computes for the SSDA903 return.

use crate::files;
use crate::{ReferenceError, for_each_record, for_each_row};
use hearth_domain::{GridRef, Postcode, PostcodeDistrict};
use rand::Rng;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// A unit postcode as the gazetteer holds it: 16 bytes, so the 146,544 West Midlands postcodes take
/// a few MB rather than a String each.
#[derive(Debug, Clone, Copy)]
struct Unit {
    /// Start of the postcode text in `Gazetteer::text` (each is 5–8 bytes).
    text_start: u32,
    text_len: u8,
    lad: u8,
    utla: u8,
    grid: GridRef,
}

/// A full postcode's record, borrowed from the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitPostcode<'a> {
    /// Position in the gazetteer, stable for one build: a compact handle for indexes built on top.
    pub index: u32,
    /// Normal form, e.g. `CV1 1AH`.
    pub postcode: &'a str,
    pub grid: GridRef,
    /// ONS local authority district (lower tier), e.g. `E07000192`.
    pub lad_code: &'a str,
    /// ONS upper-tier code: the children's-services council (DfE's PL_LA).
    pub utla_code: &'a str,
}

impl UnitPostcode<'_> {
    /// The outward code (`CV1`).
    pub fn district(&self) -> &str {
        self.postcode.split(' ').next().unwrap_or(self.postcode)
    }

    /// As the domain's parsed type. Every gazetteer postcode parses (the tests check all of them).
    pub fn to_postcode(&self) -> Postcode {
        Postcode::parse(self.postcode).expect("gazetteer postcodes are valid")
    }

    pub fn to_district(&self) -> PostcodeDistrict {
        PostcodeDistrict::parse(self.district()).expect("gazetteer districts are valid")
    }
}

/// A postcode district's postcode-weighted centroid (close to where people live, not the middle of
/// the area), with the district council that holds most of its postcodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictCentroid {
    pub district: String,
    pub grid: GridRef,
    pub live_postcodes: u32,
    pub main_lad_code: String,
    /// The upper-tier council of `main_lad_code` (England and Wales; `None` in Scotland).
    pub main_utla_code: Option<String>,
}

/// An ONS local authority district and the upper-tier council it belongs to (April 2023).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Lad {
    pub lad_code: String,
    pub lad_name: String,
    pub utla_code: String,
    pub utla_name: String,
}

/// The postcode gazetteer. Get the shared one with [`Gazetteer::get`].
#[derive(Debug)]
pub struct Gazetteer {
    /// Sorted by postcode text, so a district's postcodes are one run (a space sorts before digits).
    units: Vec<Unit>,
    text: String,
    /// LAD and UTLA codes, interned: a unit holds an index into this.
    area_codes: Vec<String>,
    by_utla: HashMap<String, Vec<u32>>,
    by_district: HashMap<String, Range<u32>>,
    districts: Vec<DistrictCentroid>,
    lads: Vec<Lad>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::load().expect("the embedded gazetteer parses"));

#[derive(Deserialize)]
struct UnitRow<'a> {
    postcode: &'a str,
    easting: i32,
    northing: i32,
    lad_code: &'a str,
    utla_code: &'a str,
}

#[derive(Deserialize)]
struct DistrictRow {
    outcode: String,
    easting: i32,
    northing: i32,
    live_postcodes: u32,
    main_lad_code: String,
}

impl Gazetteer {
    /// The gazetteer built from the embedded files, parsed on first use (about 0.1 s).
    pub fn get() -> &'static Gazetteer {
        &GAZETTEER
    }

    /// Parses the embedded files into a new gazetteer.
    pub fn load() -> Result<Self, ReferenceError> {
        let lads = crate::read_all(files::LAD_LOOKUP, |l: Lad| Ok(l))?;
        let utla_of: HashMap<&str, &str> = lads.iter().map(|l| (l.lad_code.as_str(), l.utla_code.as_str())).collect();

        let mut area_codes: Vec<String> = Vec::new();
        let mut units = Vec::with_capacity(150_000);
        let mut text = String::with_capacity(150_000 * 8);
        for_each_record(files::POSTCODES, |record, headers| {
            let row: UnitRow<'_> = record.deserialize(Some(headers)).map_err(|e| e.to_string())?;
            let text_len =
                u8::try_from(row.postcode.len()).map_err(|_| format!("postcode '{}' too long", row.postcode))?;
            let text_start = u32::try_from(text.len()).map_err(|_| "too many postcodes".to_owned())?;
            text.push_str(row.postcode);
            units.push(Unit {
                text_start,
                text_len,
                lad: intern(&mut area_codes, row.lad_code)?,
                utla: intern(&mut area_codes, row.utla_code)?,
                grid: GridRef { easting: row.easting, northing: row.northing },
            });
            Ok(())
        })?;
        // The file is written sorted; sorting again costs little and keeps lookups correct if a
        // hand-edited file is not.
        let key = |u: &Unit| &text[u.text_start as usize..u.text_start as usize + usize::from(u.text_len)];
        if !units.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
            units.sort_by(|a, b| key(a).cmp(key(b)));
        }

        let mut by_utla: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_district: HashMap<String, Range<u32>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            let i = i as u32;
            by_utla.entry(area_codes[usize::from(u.utla)].clone()).or_default().push(i);
            let pc = key(u);
            let district = pc.split(' ').next().unwrap_or(pc);
            by_district.entry(district.to_owned()).and_modify(|r| r.end = i + 1).or_insert(i..i + 1);
        }

        let mut districts = Vec::with_capacity(3_000);
        for_each_row(files::DISTRICTS, |r: DistrictRow| {
            let main_utla_code = utla_of.get(r.main_lad_code.as_str()).map(|s| (*s).to_owned());
            districts.push(DistrictCentroid {
                district: r.outcode,
                grid: GridRef { easting: r.easting, northing: r.northing },
                live_postcodes: r.live_postcodes,
                main_lad_code: r.main_lad_code,
                main_utla_code,
            });
            Ok(())
        })?;
        districts.sort_by(|a, b| a.district.cmp(&b.district));

        Ok(Self { units, text, area_codes, by_utla, by_district, districts, lads })
    }

    fn view(&self, index: u32) -> UnitPostcode<'_> {
        let u = &self.units[index as usize];
        let start = u.text_start as usize;
        UnitPostcode {
            index,
            postcode: &self.text[start..start + usize::from(u.text_len)],
            grid: u.grid,
            lad_code: &self.area_codes[usize::from(u.lad)],
            utla_code: &self.area_codes[usize::from(u.utla)],
        }
    }

    /// How many unit postcodes the gazetteer holds.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The postcode at `index` (from [`UnitPostcode::index`] or [`Gazetteer::indices_in_council`]).
    pub fn unit(&self, index: u32) -> Option<UnitPostcode<'_>> {
        ((index as usize) < self.units.len()).then(|| self.view(index))
    }

    /// Every unit postcode, in postcode order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = UnitPostcode<'_>> + '_ {
        (0..self.units.len() as u32).map(|i| self.view(i))
    }

    /// Looks up a full postcode; `None` when it is not a live West Midlands postcode.
    pub fn lookup(&self, postcode: &Postcode) -> Option<UnitPostcode<'_>> {
        let want = postcode.as_str();
        self.units
            .binary_search_by(|u| {
                let start = u.text_start as usize;
                self.text[start..start + usize::from(u.text_len)].cmp(want)
            })
            .ok()
            .map(|i| self.view(i as u32))
    }

    /// Looks up a postcode typed by a person (any case and spacing).
    pub fn lookup_str(&self, raw: &str) -> Option<UnitPostcode<'_>> {
        Postcode::parse(raw).ok().and_then(|p| self.lookup(&p))
    }

    /// The positions of a council's postcodes, by its ONS upper-tier code (`E08000026`); empty for a
    /// council outside the region.
    pub fn indices_in_council(&self, utla_code: &str) -> &[u32] {
        self.by_utla.get(utla_code).map_or(&[], Vec::as_slice)
    }

    /// The positions of a district's West Midlands postcodes (an empty range outside the region).
    pub fn indices_in_district(&self, district: &str) -> Range<u32> {
        self.by_district.get(district).cloned().unwrap_or(0..0)
    }

    /// The councils (UTLA codes) the gazetteer covers, in no particular order.
    pub fn councils(&self) -> impl Iterator<Item = &str> {
        self.by_utla.keys().map(String::as_str)
    }

    /// A postcode chosen uniformly among a council's live postcodes. Postcodes hold roughly equal
    /// numbers of addresses, so this approximates picking an address at random.
    pub fn random_in_council<R: Rng + ?Sized>(&self, rng: &mut R, utla_code: &str) -> Option<UnitPostcode<'_>> {
        let all = self.indices_in_council(utla_code);
        (!all.is_empty()).then(|| self.view(all[rng.random_range(0..all.len())]))
    }

    /// A postcode chosen uniformly within a West Midlands postcode district.
    pub fn random_in_district<R: Rng + ?Sized>(&self, rng: &mut R, district: &str) -> Option<UnitPostcode<'_>> {
        let r = self.indices_in_district(district);
        (!r.is_empty()).then(|| self.view(rng.random_range(r)))
    }

    /// A GB postcode district's centroid.
    pub fn district(&self, district: &str) -> Option<&DistrictCentroid> {
        let d = district.trim().to_ascii_uppercase();
        self.districts.binary_search_by(|c| c.district.as_str().cmp(&d)).ok().map(|i| &self.districts[i])
    }

    /// Every GB postcode district, in order.
    pub fn districts(&self) -> &[DistrictCentroid] {
        &self.districts
    }

    /// The ONS district → upper-tier lookup (England and Wales, April 2023).
    pub fn lads(&self) -> &[Lad] {
        &self.lads
    }

    /// The upper-tier council a district council belongs to.
    pub fn utla_of_lad(&self, lad_code: &str) -> Option<&str> {
        self.lads.iter().find(|l| l.lad_code == lad_code).map(|l| l.utla_code.as_str())
    }

    /// A district council's name (`E07000192` → `Cannock Chase`).
    pub fn lad_name(&self, lad_code: &str) -> Option<&str> {
        self.lads.iter().find(|l| l.lad_code == lad_code).map(|l| l.lad_name.as_str())
    }
}

fn intern(codes: &mut Vec<String>, code: &str) -> Result<u8, String> {
    let i = match codes.iter().position(|c| c == code) {
        Some(i) => i,
        None => {
            codes.push(code.to_owned());
            codes.len() - 1
        }
    };
    u8::try_from(i).map_err(|_| "more than 256 distinct LAD/UTLA codes".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::Miles;
    use hearth_domain::council::WEST_MIDLANDS;
    use rand::SeedableRng;

    #[test]
    fn cv1_1ah_resolves_to_coventry() {
        let g = Gazetteer::get();
        let cv = g.lookup_str("cv11ah").expect("CV1 1AH is a live Coventry postcode");
        assert_eq!(cv.postcode, "CV1 1AH");
        assert_eq!(cv.utla_code, "E08000026");
        assert_eq!(cv.lad_code, "E08000026");
        assert_eq!(cv.district(), "CV1");
        // A postcode outside the region, and one that is not a postcode at all.
        assert!(g.lookup_str("SW1A 1AA").is_none());
        assert!(g.lookup_str("CV1").is_none());
    }

    #[test]
    fn dfe_distance_between_two_real_postcodes() {
        let g = Gazetteer::get();
        let a = g.lookup_str("CV1 1AH").expect("Coventry");
        let b = g.lookup_str("B1 1AY").expect("Birmingham");
        // Code-Point Open grid refs: CV1 1AH and B1 1AY (406523, 286448).
        assert_eq!(b.grid, GridRef { easting: 406_523, northing: 286_448 });
        let de = f64::from(a.grid.easting - b.grid.easting);
        let dn = f64::from(a.grid.northing - b.grid.northing);
        let expected = (de.hypot(dn) / 1000.0 / 1.6093 * 10.0).round() / 10.0;
        assert_eq!(a.grid.dfe_miles_to(b.grid), Miles(expected));
        assert!((17.0..19.0).contains(&expected), "Coventry to Birmingham centre is about 18 miles: {expected}");
    }

    #[test]
    fn every_council_has_its_postcodes_and_every_postcode_parses() {
        let g = Gazetteer::get();
        assert_eq!(g.len(), 146_544);
        for c in WEST_MIDLANDS {
            assert!(g.indices_in_council(c.ons_code).len() > 4_000, "{}", c.name);
        }
        assert_eq!(g.councils().count(), 14);
        for u in g.iter() {
            assert!(Postcode::parse(u.postcode).is_ok(), "{}", u.postcode);
        }
        let staffs = g.indices_in_council("E10000028");
        assert_eq!(staffs.len(), 23_007);
    }

    #[test]
    fn districts_and_lads() {
        let g = Gazetteer::get();
        let cv1 = g.district("cv1").expect("CV1");
        assert_eq!(cv1.grid, GridRef { easting: 433_664, northing: 279_160 });
        assert_eq!(cv1.main_utla_code.as_deref(), Some("E08000026"));
        assert!(g.district("AB10").is_some(), "the district file covers Great Britain");
        assert_eq!(g.utla_of_lad("E07000192"), Some("E10000028"));
        assert_eq!(g.lad_name("E07000192"), Some("Cannock Chase"));
        let r = g.indices_in_district("B1");
        assert!(!r.is_empty());
        assert!(g.iter().skip(r.start as usize).take(r.len()).all(|u| u.district() == "B1"));
    }

    #[test]
    fn random_postcodes_stay_inside_their_area() {
        let g = Gazetteer::get();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..200 {
            assert_eq!(g.random_in_council(&mut rng, "E06000019").map(|u| u.utla_code), Some("E06000019"));
            assert_eq!(
                g.random_in_district(&mut rng, "WV10").map(|u| u.district().to_owned()).as_deref(),
                Some("WV10")
            );
        }
        assert!(g.random_in_council(&mut rng, "E09000001").is_none());
    }
}
