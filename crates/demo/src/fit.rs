//! Joining two published breakdowns into one table. DfE publishes each council's children by
//! placement type and, separately, by provider (and by location): never crossed. Iterative
//! proportional fitting finds the table closest to a plausible starting pattern whose rows and
//! columns add up to both published breakdowns; rounding then keeps every row total exact.

/// Scales `seed` (rows × columns, zero where a combination is impossible) until its row sums are
/// `rows` and its column sums approach `cols`, no cell above its bound in `cap` (a cell's supply,
/// such as the places a sector's children's homes have).
pub fn proportional_fit(seed: &[Vec<f64>], rows: &[f64], cols: &[f64], cap: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut m: Vec<Vec<f64>> = seed.to_vec();
    for _ in 0..200 {
        fit_rows(&mut m, rows, cap);
        let mut worst: f64 = 0.0;
        for (c, target) in cols.iter().enumerate() {
            let sum: f64 = m.iter().map(|r| r[c]).sum();
            worst = worst.max((sum - target).abs());
            if sum > 0.0 {
                m.iter_mut().for_each(|r| r[c] *= target / sum);
            }
        }
        if worst < 1e-6 {
            break;
        }
    }
    // End on the rows: they are the totals that must hold exactly.
    fit_rows(&mut m, rows, cap);
    m
}

/// Scales each row to its total, holding capped cells at their caps and spreading what they cannot
/// take over the row's other cells (in proportion; evenly over the allowed ones if all are zero).
fn fit_rows(m: &mut [Vec<f64>], rows: &[f64], cap: &[Vec<f64>]) {
    for ((r, target), bound) in m.iter_mut().zip(rows).zip(cap) {
        let mut fixed = vec![false; r.len()];
        for _ in 0..r.len() {
            let free_sum: f64 = r.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(x, _)| x).sum();
            let fixed_sum: f64 = r.iter().zip(&fixed).filter(|(_, f)| **f).map(|(x, _)| x).sum();
            if free_sum <= 0.0 {
                break;
            }
            let scale = (target - fixed_sum).max(0.0) / free_sum;
            let mut clamped = false;
            for ((x, b), f) in r.iter_mut().zip(bound).zip(fixed.iter_mut()) {
                if *f {
                    continue;
                }
                *x *= scale;
                if *x > *b {
                    *x = *b;
                    *f = true;
                    clamped = true;
                }
            }
            if !clamped {
                break;
            }
        }
    }
}

/// No bounds: every cell may take any amount.
pub fn unbounded(rows: usize, cols: usize) -> Vec<Vec<f64>> {
    vec![vec![f64::INFINITY; cols]; rows]
}

/// Whole numbers that add up to `total`, each close to its share of `parts` (largest remainder).
pub fn round_to_total(parts: &[f64], total: u32) -> Vec<u32> {
    let sum: f64 = parts.iter().sum();
    if sum <= 0.0 || parts.is_empty() {
        let mut out = vec![0; parts.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let scaled: Vec<f64> = parts.iter().map(|p| p / sum * f64::from(total)).collect();
    let mut out: Vec<u32> = scaled.iter().map(|x| x.floor() as u32).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Ties go to the earlier part, so the result never depends on sort stability.
    order.sort_by(|&a, &b| (scaled[b] - scaled[b].floor()).total_cmp(&(scaled[a] - scaled[a].floor())).then(a.cmp(&b)));
    let short = total.saturating_sub(out.iter().sum());
    for &i in order.iter().cycle().take(short as usize) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_both_margins_when_it_can() {
        let seed = vec![vec![1.0, 1.0, 0.0], vec![1.0, 0.0, 1.0]];
        let m = proportional_fit(&seed, &[10.0, 20.0], &[12.0, 6.0, 12.0], &unbounded(2, 3));
        let row: Vec<f64> = m.iter().map(|r| r.iter().sum()).collect();
        assert!((row[0] - 10.0).abs() < 1e-6 && (row[1] - 20.0).abs() < 1e-6);
        for (c, want) in [12.0, 6.0, 12.0].iter().enumerate() {
            assert!((m.iter().map(|r| r[c]).sum::<f64>() - want).abs() < 1e-3);
        }
        assert_eq!(m[0][2], 0.0, "impossible cells stay empty");
    }

    #[test]
    fn caps_hold_and_the_row_total_still_does() {
        let seed = vec![vec![1.0, 1.0]];
        let cap = vec![vec![2.0, f64::INFINITY]];
        let m = proportional_fit(&seed, &[10.0], &[5.0, 5.0], &cap);
        assert!((m[0][0] - 2.0).abs() < 1e-9 && (m[0][1] - 8.0).abs() < 1e-9, "{m:?}");
    }

    #[test]
    fn rounding_keeps_the_total() {
        assert_eq!(round_to_total(&[1.0, 1.0, 1.0], 10), vec![4, 3, 3]);
        assert_eq!(round_to_total(&[0.0, 0.0], 3), vec![3, 0]);
        assert_eq!(round_to_total(&[2.6, 0.4], 3).iter().sum::<u32>(), 3);
    }
}
