//! Choosing real postcodes under DfE's distance rules: "in this council, within 20 miles of there",
//! "outside this council, more than 20 miles away". Draws are uniform over live postcodes (roughly
//! uniform over addresses) and rejected until they meet the rule; a grid of 5 km cells keeps the
//! "near" draws among nearby postcodes, and an exhaustive pass settles the rare rules that random
//! draws keep missing.

use crate::util::DemoRng;
use hearth_domain::GridRef;
use hearth_reference::Gazetteer;
use rand::Rng;

const CELL_M: i32 = 5_000;
const METRES_PER_MILE: f64 = 1609.3;
const TRIES: usize = 96;

/// Which councils a postcode may be in.
#[derive(Debug, Clone, Copy)]
pub enum Area<'a> {
    Inside(&'a str),
    /// Anywhere in the region except this council.
    Outside(&'a str),
    Anywhere,
}

impl Area<'_> {
    fn admits(self, utla: &str) -> bool {
        match self {
            Area::Inside(c) => utla == c,
            Area::Outside(c) => utla != c,
            Area::Anywhere => true,
        }
    }
}

/// How far from a centre, in DfE miles (20 miles means "20.0 or less" after rounding, as DfE counts).
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    Any,
    Within(f64),
    Beyond(f64),
}

impl Reach {
    pub fn is_any(self) -> bool {
        matches!(self, Reach::Any)
    }

    fn admits(self, centre: GridRef, p: GridRef) -> bool {
        let miles = centre.dfe_miles_to(p).0;
        match self {
            Reach::Any => true,
            Reach::Within(m) => miles <= m,
            Reach::Beyond(m) => miles > m,
        }
    }
}

/// Whether a place in council `utla` at `grid` is in `area` and, from `centre` (when known), within
/// `reach`.
pub fn meets(area: Area<'_>, centre: Option<GridRef>, reach: Reach, utla: &str, grid: GridRef) -> bool {
    area.admits(utla) && centre.is_none_or(|c| reach.admits(c, grid))
}

pub struct Space {
    pub g: &'static Gazetteer,
    min_e: i32,
    min_n: i32,
    cols: i32,
    rows: i32,
    cells: Vec<Vec<u32>>,
}

impl std::fmt::Debug for Space {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Space").field("cells", &self.cells.len()).finish()
    }
}

impl Space {
    pub fn new(g: &'static Gazetteer) -> Self {
        let (mut min_e, mut min_n, mut max_e, mut max_n) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for u in g.iter() {
            min_e = min_e.min(u.grid.easting);
            min_n = min_n.min(u.grid.northing);
            max_e = max_e.max(u.grid.easting);
            max_n = max_n.max(u.grid.northing);
        }
        let cols = (max_e - min_e) / CELL_M + 1;
        let rows = (max_n - min_n) / CELL_M + 1;
        let mut cells = vec![Vec::new(); (cols * rows).max(0) as usize];
        for u in g.iter() {
            let c = ((u.grid.easting - min_e) / CELL_M) + ((u.grid.northing - min_n) / CELL_M) * cols;
            cells[c as usize].push(u.index);
        }
        Self { g, min_e, min_n, cols, rows, cells }
    }

    pub fn grid(&self, index: u32) -> GridRef {
        self.g.unit(index).map_or(GridRef { easting: 0, northing: 0 }, |u| u.grid)
    }

    pub fn utla(&self, index: u32) -> &'static str {
        self.g.unit(index).map_or("", |u| u.utla_code)
    }

    fn ok(&self, index: u32, area: Area<'_>, centre: Option<GridRef>, reach: Reach) -> bool {
        self.g.unit(index).is_some_and(|u| meets(area, centre, reach, u.utla_code, u.grid))
    }

    /// A postcode in `area` whose distance from `centre` meets `reach`; the nearest miss when none
    /// does (so a rule the map cannot meet still yields a plausible place).
    pub fn pick(&self, rng: &mut DemoRng, area: Area<'_>, centre: Option<GridRef>, reach: Reach) -> Option<u32> {
        let pool: &[u32] = match area {
            Area::Inside(c) => self.g.indices_in_council(c),
            _ => &[],
        };
        let near = match (centre, reach) {
            (Some(c), Reach::Within(m)) => Some((c, m)),
            _ => None,
        };
        // "Near" rules draw from the cells around the centre; others from the council or the region.
        let cells = near.map(|(c, m)| self.cells_around(c, m)).unwrap_or_default();
        let cell_total: usize = cells.iter().map(|&i| self.cells[i].len()).sum();
        for _ in 0..TRIES {
            let candidate = if cell_total > 0 && (pool.is_empty() || pool.len() > cell_total) {
                let mut k = rng.random_range(0..cell_total);
                let mut chosen = 0;
                for &i in &cells {
                    if k < self.cells[i].len() {
                        chosen = self.cells[i][k];
                        break;
                    }
                    k -= self.cells[i].len();
                }
                chosen
            } else if !pool.is_empty() {
                pool[rng.random_range(0..pool.len())]
            } else {
                rng.random_range(0..self.g.len() as u32)
            };
            if self.ok(candidate, area, centre, reach) {
                return Some(candidate);
            }
        }
        self.exhaustive(rng, area, centre, reach)
    }

    /// Every postcode that meets the rule, one chosen at random; or the closest to meeting it.
    fn exhaustive(&self, rng: &mut DemoRng, area: Area<'_>, centre: Option<GridRef>, reach: Reach) -> Option<u32> {
        let mut hits = Vec::new();
        let mut best: Option<(f64, u32)> = None;
        for u in self.g.iter() {
            if !area.admits(u.utla_code) {
                continue;
            }
            let Some(c) = centre else {
                hits.push(u.index);
                continue;
            };
            if reach.admits(c, u.grid) {
                hits.push(u.index);
                continue;
            }
            let miles = c.raw_miles_to(u.grid);
            let miss = match reach {
                Reach::Within(m) => miles - m,
                Reach::Beyond(m) => m - miles,
                Reach::Any => 0.0,
            };
            if best.is_none_or(|(b, _)| miss < b) {
                best = Some((miss, u.index));
            }
        }
        if hits.is_empty() { best.map(|(_, i)| i) } else { Some(hits[rng.random_range(0..hits.len())]) }
    }

    fn cells_around(&self, centre: GridRef, miles: f64) -> Vec<usize> {
        let r = (miles * METRES_PER_MILE).ceil() as i32;
        let clamp_col = |e: i32| ((e - self.min_e) / CELL_M).clamp(0, self.cols - 1);
        let clamp_row = |n: i32| ((n - self.min_n) / CELL_M).clamp(0, self.rows - 1);
        let (c0, c1) = (clamp_col(centre.easting - r), clamp_col(centre.easting + r));
        let (r0, r1) = (clamp_row(centre.northing - r), clamp_row(centre.northing + r));
        let mut out = Vec::new();
        for row in r0..=r1 {
            for col in c0..=c1 {
                let i = (col + row * self.cols) as usize;
                if !self.cells[i].is_empty() {
                    out.push(i);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::stream;

    #[test]
    fn rules_are_met() {
        let g = Gazetteer::get();
        let space = Space::new(g);
        let mut rng = stream(1, "space", 0);
        let centre = g.lookup_str("CV1 1AH").map(|u| u.grid);
        for _ in 0..50 {
            let near_out = space.pick(&mut rng, Area::Outside("E08000026"), centre, Reach::Within(20.0));
            let u = near_out.and_then(|i| g.unit(i)).expect("a postcode");
            assert_ne!(u.utla_code, "E08000026");
            assert!(centre.is_some_and(|c| c.dfe_miles_to(u.grid).0 <= 20.0));

            let staffs = g.indices_in_council("E10000028");
            let from = g.unit(staffs[0]).map(|u| u.grid);
            let far_in = space.pick(&mut rng, Area::Inside("E10000028"), from, Reach::Beyond(20.0));
            let u = far_in.and_then(|i| g.unit(i)).expect("a postcode");
            assert_eq!(u.utla_code, "E10000028");
        }
        // Coventry is too small to hold two postcodes 20 miles apart: the nearest miss comes back.
        let miss = space.pick(&mut rng, Area::Inside("E08000026"), centre, Reach::Beyond(20.0));
        assert_eq!(miss.map(|i| space.utla(i)), Some("E08000026"));
    }
}
