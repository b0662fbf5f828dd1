//! Disclosure control: small counts withheld, and nothing withheld can be worked out again.

use hearth_intel::disclosure::{THRESHOLD, protect, recoverable};
use hearth_intel::table::{CellRef, Column, Table, Value};
use proptest::prelude::*;

fn table(rows: &[&[u64]], column_total: bool) -> Table {
    let cols = rows.first().map_or(0, |r| r.len());
    let mut columns: Vec<Column> = (0..cols).map(|j| Column::count(format!("c{j}"))).collect();
    if column_total {
        columns.push(Column::count("Total"));
    }
    let mut t = Table::new("t", "T", "Row").columns(columns);
    for (i, r) in rows.iter().enumerate() {
        let mut values: Vec<Value> = r.iter().map(|n| Value::Count(*n)).collect();
        if column_total {
            values.push(Value::Count(r.iter().sum()));
        }
        t.push_row(format!("r{i}"), values);
    }
    let t = t.with_total_row("Total", |v| v.to_vec());
    if column_total { t.with_column_total(cols, &(0..cols).collect::<Vec<_>>()) } else { t }
}

fn withheld(t: &Table) -> Vec<CellRef> {
    let mut out = vec![];
    for (i, r) in t.rows.iter().enumerate() {
        for (j, v) in r.values.iter().enumerate() {
            if *v == Value::Suppressed {
                out.push((i, j));
            }
        }
    }
    out
}

/// An attack that knows nothing of linear algebra: try every change of -1, 0 or +1 to the withheld
/// cells that keeps every published sum true. A withheld cell that no such change can move is given
/// away. (The sums here are network constraints, whose every freedom is a move of ±1 around a cycle,
/// so changes of ±1 find every freedom there is.)
fn given_away_by_trying(t: &Table) -> Vec<CellRef> {
    let cells = withheld(t);
    let n = cells.len();
    assert!(n <= 9, "too many to try");
    let mut movable = vec![false; n];
    let mut d = vec![-1i64; n];
    loop {
        let delta = |c: &CellRef| cells.iter().position(|x| x == c).map_or(0, |k| d[k]);
        if t.sums.iter().all(|s| delta(&s.total) == s.parts.iter().map(delta).sum::<i64>()) {
            for k in 0..n {
                movable[k] |= d[k] != 0;
            }
        }
        let mut k = 0;
        while k < n && d[k] == 1 {
            d[k] = -1;
            k += 1;
        }
        if k == n {
            break;
        }
        d[k] += 1;
    }
    cells.into_iter().zip(movable).filter(|(_, m)| !m).map(|(c, _)| c).collect()
}

#[test]
fn one_small_count_takes_the_next_smallest_with_it() {
    let t = protect(&table(&[&[40], &[3], &[12], &[25]], false));
    assert_eq!(withheld(&t), vec![(1, 0), (2, 0)], "3 is withheld, and 12 so that 80 − 40 − 25 does not give it");
    assert_eq!(t.cell((4, 0)), Value::Count(80), "the total stays");
    assert!(recoverable(&t).is_empty());
}

#[test]
fn two_small_counts_protect_each_other() {
    let t = protect(&table(&[&[40], &[3], &[2], &[25]], false));
    assert_eq!(withheld(&t), vec![(1, 0), (2, 0)]);
}

#[test]
fn zeros_are_shown_and_a_small_total_is_withheld() {
    let t = protect(&table(&[&[0], &[4], &[0]], false));
    assert_eq!(t.cell((0, 0)), Value::Count(0));
    assert_eq!(t.cell((3, 0)), Value::Suppressed, "the total, 4, is small itself");
    assert!(recoverable(&t).is_empty());
}

#[test]
fn a_cross_table_needs_a_rectangle() {
    let t = protect(&table(&[&[20, 3, 30], &[40, 50, 60], &[70, 80, 90]], true));
    assert_eq!(withheld(&t).len(), 4, "{:?}", withheld(&t));
    assert!(withheld(&t).contains(&(0, 1)));
    assert!(recoverable(&t).is_empty());
    assert!(given_away_by_trying(&t).is_empty());
}

#[test]
fn shares_and_measures_follow_their_counts_and_public_figures_never_hide() {
    let mut t = Table::new("t", "T", "Row").columns(vec![
        Column::count("n"),
        Column::share_of_total("%", 0),
        Column::measure("mean", 0),
        Column::public("places"),
    ]);
    for (n, places) in [(30, 2), (4, 3), (10, 1)] {
        t.push_row("r", vec![Value::Count(n), Value::NotApplicable, Value::Number(1.5), Value::Count(places)]);
    }
    let t = protect(&t.with_total_row("All", |v| v.to_vec()).fill_shares());
    assert_eq!(t.rows[1].values, vec![Value::Suppressed, Value::Suppressed, Value::Suppressed, Value::Count(3)]);
    assert_eq!(t.rows[2].values[1], Value::Suppressed, "10 is withheld to protect 4, and so is its share");
    assert_eq!(t.rows[0].values[1], Value::Percent(30.0 * 100.0 / 44.0));
}

#[test]
fn the_attack_finds_what_a_careless_table_gives_away() {
    // Only the 3 withheld: the total gives it straight back, and both checks say so.
    let mut t = table(&[&[40], &[3], &[12]], false);
    t.rows[1].values[0] = Value::Suppressed;
    assert_eq!(recoverable(&t), vec![(1, 0)]);
    assert_eq!(given_away_by_trying(&t), vec![(1, 0)]);
}

fn count() -> impl Strategy<Value = u64> {
    prop_oneof![3 => 1..=THRESHOLD, 1 => Just(0u64), 3 => 6u64..=40]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn nothing_withheld_can_be_worked_out(
        rows in prop::collection::vec(prop::collection::vec(count(), 3), 1..=5),
        column_total in any::<bool>(),
        width in 1usize..=3,
    ) {
        let rows: Vec<Vec<u64>> = rows.into_iter().map(|r| r[..width].to_vec()).collect();
        let refs: Vec<&[u64]> = rows.iter().map(|r| r.as_slice()).collect();
        let original = table(&refs, column_total);
        let t = protect(&original);
        for (i, r) in original.rows.iter().enumerate() {
            for (j, v) in r.values.iter().enumerate() {
                match (v, t.rows[i].values[j]) {
                    (Value::Count(n), got) if (1..=THRESHOLD).contains(n) => prop_assert_eq!(got, Value::Suppressed),
                    (v, got) => prop_assert!(got == *v || got == Value::Suppressed),
                }
            }
        }
        prop_assert!(recoverable(&t).is_empty(), "{:?}", t.rows);
        if withheld(&t).len() <= 9 {
            prop_assert!(given_away_by_trying(&t).is_empty(), "{:?}", t.rows);
        }
        prop_assert_eq!(withheld(&protect(&t)), withheld(&t), "protecting twice changes nothing");
    }
}
