//! Statistical disclosure control: what may be published about children in care without anyone
//! being able to pick out a child. DfE's and the GSS's convention: a count from 1 to 5 is withheld
//! and shown as `c`; so is any other count that, with the totals published beside it, would let a
//! withheld one be worked out by subtraction; and so is every percentage or average of a withheld count.
//!
//! "Worked out by subtraction" is taken in full: not only one total minus the rest of its row, but any
//! combination of the table's sums. A withheld count is safe exactly when the published figures
//! leave it free to change: the sums, restricted to the withheld cells, have a solution that moves
//! it. In linear-algebra terms, cell `k` is determined when the unit vector `e_k` lies in the row
//! space of the sums' matrix restricted to the withheld cells; [`recoverable`] checks that exactly,
//! with integer arithmetic, and [`protect`] withholds more cells until it holds for none.

use crate::table::{CellRef, ColumnKind, Denominator, Table, Value};
use std::collections::BTreeSet;

/// Counts from 1 to this are withheld (0 is shown: nobody can be picked out of nobody).
pub const THRESHOLD: u64 = 5;

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Which of `unknowns` the equations fix. Each equation is a list of (cell, coefficient) summing to a
/// known value; cells not in `unknowns` are published and drop out. Gauss–Jordan elimination over the
/// integers (rows kept in lowest terms): an unknown is fixed exactly when it is a pivot whose reduced
/// row has no other unknown in it.
fn determined(equations: &[Vec<(CellRef, i128)>], unknowns: &[CellRef]) -> Vec<CellRef> {
    let col = |c: &CellRef| unknowns.binary_search(c).ok();
    // Most tables are lists: no unknown in two sums. Then a sum gives away its unknown exactly when it
    // has only one, and no elimination is needed (a region's list of 750 block contracts included).
    let mut uses = vec![0u32; unknowns.len()];
    for eq in equations {
        for (cell, _) in eq {
            if let Some(j) = col(cell) {
                uses[j] += 1;
            }
        }
    }
    if uses.iter().all(|u| *u <= 1) {
        return equations
            .iter()
            .filter_map(|eq| {
                let mut inside = eq.iter().filter(|(c, _)| col(c).is_some());
                match (inside.next(), inside.next()) {
                    (Some((c, _)), None) => Some(*c),
                    _ => None,
                }
            })
            .collect();
    }
    let mut rows: Vec<Vec<i128>> = equations
        .iter()
        .map(|eq| {
            let mut r = vec![0i128; unknowns.len()];
            for (cell, coef) in eq {
                if let Some(j) = col(cell) {
                    r[j] += coef;
                }
            }
            r
        })
        .filter(|r| r.iter().any(|x| *x != 0))
        .collect();
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    for j in 0..unknowns.len() {
        let Some(p) = (next..rows.len()).find(|&i| rows[i][j] != 0) else { continue };
        rows.swap(next, p);
        for i in 0..rows.len() {
            if i != next && rows[i][j] != 0 {
                let (a, b) = (rows[next][j], rows[i][j]);
                let pivot = rows[next].clone();
                for (x, p) in rows[i].iter_mut().zip(&pivot) {
                    *x = *x * a - p * b;
                }
                let g = rows[i].iter().fold(0, |g, x| gcd(g, *x));
                if g > 1 {
                    rows[i].iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        pivots.push((next, j));
        next += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, j)| rows[r].iter().enumerate().all(|(k, x)| k == j || *x == 0))
        .map(|(_, j)| unknowns[j])
        .collect()
}

/// The table's sums as equations: total − parts = 0.
fn equations(t: &Table) -> Vec<Vec<(CellRef, i128)>> {
    t.sums.iter().map(|s| std::iter::once((s.total, 1)).chain(s.parts.iter().map(|p| (*p, -1))).collect()).collect()
}

fn is_count_column(t: &Table, j: usize) -> bool {
    t.columns.get(j).is_some_and(|c| c.kind == ColumnKind::Count)
}

fn suppressed_counts(t: &Table) -> Vec<CellRef> {
    let mut out = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        for (j, v) in r.values.iter().enumerate() {
            if *v == Value::Suppressed && is_count_column(t, j) {
                out.push((i, j));
            }
        }
    }
    out
}

/// The withheld counts of a published table that its other counts and sums give away exactly.
/// Empty for every table [`protect`] returns.
pub fn recoverable(table: &Table) -> Vec<CellRef> {
    determined(&equations(table), &suppressed_counts(table))
}

/// The next count to withhold so that `exposed` is no longer given away: the smallest published
/// count sharing a sum with it (else with any withheld count), preferring ones that are not
/// themselves totals and are not zero, then the first in reading order.
fn next_to_withhold(t: &Table, exposed: CellRef, withheld: &BTreeSet<CellRef>) -> Option<CellRef> {
    let totals: BTreeSet<CellRef> = t.sums.iter().map(|s| s.total).collect();
    let cells_of = |s: &crate::table::Sum| std::iter::once(s.total).chain(s.parts.iter().copied()).collect::<Vec<_>>();
    let pick = |near: &dyn Fn(&[CellRef]) -> bool| {
        t.sums
            .iter()
            .map(cells_of)
            .filter(|cells| near(cells))
            .flatten()
            .filter(|c| !withheld.contains(c) && is_count_column(t, c.1))
            .filter_map(|c| t.cell(c).count().map(|n| (totals.contains(&c), n == 0, n, c)))
            .min()
            .map(|(_, _, _, c)| c)
    };
    pick(&|cells| cells.contains(&exposed)).or_else(|| pick(&|cells| cells.iter().any(|c| withheld.contains(c))))
}

/// What withholding a cell costs: its value (so small cells go first), with totals made dear, since
/// a table without its totals says little; an already withheld cell is free.
fn cost(t: &Table, c: CellRef, withheld: &BTreeSet<CellRef>, totals: &BTreeSet<CellRef>) -> Option<u64> {
    if withheld.contains(&c) {
        return Some(0);
    }
    if !is_count_column(t, c.1) {
        return None;
    }
    t.cell(c).count().map(|n| n * 2 + u64::from(n == 0) + if totals.contains(&c) { 1_000 } else { 0 })
}

/// The cheapest cells to withhold so that `exposed` can move: in a single sum, one more of its cells;
/// in a cross-table (two sums through it), the other three corners of a rectangle, so that a change
/// can go round all four and leave every sum true.
fn cheapest_cover(t: &Table, exposed: CellRef, withheld: &BTreeSet<CellRef>) -> Option<Vec<CellRef>> {
    let totals: BTreeSet<CellRef> = t.sums.iter().map(|s| s.total).collect();
    let cells_of = |s: &crate::table::Sum| std::iter::once(s.total).chain(s.parts.iter().copied()).collect::<Vec<_>>();
    let through: Vec<Vec<CellRef>> = t.sums.iter().map(cells_of).filter(|c| c.contains(&exposed)).collect();
    let price = |c: CellRef| cost(t, c, withheld, &totals);
    match through.as_slice() {
        [] => None,
        [one] => one
            .iter()
            .filter(|c| **c != exposed && !withheld.contains(c))
            .filter_map(|c| price(*c).map(|p| (p, *c)))
            .min()
            .map(|(_, c)| vec![c]),
        [first, second, ..] => {
            let others: Vec<Vec<CellRef>> = t.sums.iter().map(cells_of).collect();
            let mut best: Option<(u64, Vec<CellRef>)> = None;
            for &x in first.iter().filter(|c| **c != exposed) {
                for &y in second.iter().filter(|c| **c != exposed) {
                    // The fourth corner shares a sum with x (not `first`) and one with y (not `second`).
                    let near = |a: CellRef, not: &Vec<CellRef>| -> BTreeSet<CellRef> {
                        others.iter().filter(|s| s != &not && s.contains(&a)).flatten().copied().collect()
                    };
                    let (nx, ny) = (near(x, first), near(y, second));
                    for &z in nx.intersection(&ny).filter(|z| **z != exposed && **z != x && **z != y) {
                        let (Some(px), Some(py), Some(pz)) = (price(x), price(y), price(z)) else { continue };
                        let total = px + py + pz;
                        if best.as_ref().is_none_or(|(b, _)| total < *b) {
                            best = Some((total, vec![x, y, z]));
                        }
                    }
                }
            }
            best.map(|(_, cells)| cells.into_iter().filter(|c| !withheld.contains(c)).collect())
        }
    }
}

/// The table as it may be published: small counts withheld, then whatever would give them away, then
/// the shares and measures of withheld counts.
pub fn protect(table: &Table) -> Table {
    let mut t = table.clone();
    let mut withheld: BTreeSet<CellRef> = BTreeSet::new();
    for (i, r) in t.rows.iter().enumerate() {
        for (j, v) in r.values.iter().enumerate() {
            if is_count_column(&t, j) && matches!(v, Value::Count(n) if (1..=THRESHOLD).contains(n)) {
                withheld.insert((i, j));
            }
        }
    }
    let eqs = equations(&t);
    loop {
        let unknowns: Vec<CellRef> = withheld.iter().copied().collect();
        let Some(&exposed) = determined(&eqs, &unknowns).first() else { break };
        let more = cheapest_cover(&t, exposed, &withheld)
            .or_else(|| next_to_withhold(&t, exposed, &withheld).map(|c| vec![c]))
            .filter(|cells| !cells.is_empty());
        match more {
            Some(cells) => withheld.extend(cells),
            None => break,
        }
    }
    for &(i, j) in &withheld {
        t.rows[i].values[j] = Value::Suppressed;
    }
    let last = t.rows.len().saturating_sub(1);
    for j in 0..t.columns.len() {
        let hidden = |i: usize, col: usize| withheld.contains(&(i, col));
        for i in 0..t.rows.len() {
            let suppress = match t.columns[j].kind {
                ColumnKind::Share { of, denominator } => {
                    hidden(i, of)
                        || match denominator {
                            Denominator::TotalRow => hidden(last, of),
                            Denominator::Column(d) => hidden(i, d),
                        }
                }
                ColumnKind::Measure { of } => hidden(i, of),
                ColumnKind::Count | ColumnKind::Public => false,
            };
            if suppress && !matches!(t.rows[i].values[j], Value::NotAvailable) {
                t.rows[i].values[j] = Value::Suppressed;
            }
        }
    }
    t
}

pub fn protect_all(tables: &[Table]) -> Vec<Table> {
    tables.iter().map(protect).collect()
}
