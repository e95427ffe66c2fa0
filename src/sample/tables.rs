//! The statistical tables of one sample year (tables 二, 三 and 四), whose 勾稽 rules hold by
//! construction, and how the next year follows on from the previous one.

use crate::model::tables::{row, APPLICANTS, TABLE3_ROWS};
use crate::model::{Amount, Applications, CaseGroup, DocCounts, Row};

use super::agency::Style;
use super::material::Department;
use super::rng::Rng;

/// The numbers of one year.
#[derive(Clone)]
pub(super) struct Tables {
    pub(super) regulations: DocCounts,
    pub(super) normative: DocCounts,
    pub(super) licensing: u64,
    pub(super) penalty: u64,
    pub(super) coercion: u64,
    pub(super) fees: Amount,
    pub(super) new: [u64; APPLICANTS],
    pub(super) carried_over: [u64; APPLICANTS],
    /// The 21 result rows, in TABLE3_ROWS order from RESULTS_FIRST.
    results: [[u64; APPLICANTS]; row::RESULT_ROWS],
    pub(super) carried_forward: [u64; APPLICANTS],
    pub(super) t4: [CaseGroup; 3],
}

/// Relative weight of each result row (予以公开 … 其他) in a typical office.
const RESULT_WEIGHTS: [u64; 21] = [40, 10, 1, 2, 1, 4, 2, 3, 2, 3, 20, 4, 3, 5, 3, 1, 1, 2, 3, 1, 2];
/// Share of each applicant column in new applications.
const APPLICANT_WEIGHTS: [u64; APPLICANTS] = [75, 14, 1, 2, 5, 3];

fn scaled(rng: &mut Rng, (lo, hi): (u64, u64), busy: u64) -> u64 {
    if hi == 0 {
        return 0;
    }
    let top = lo + (hi - lo) * busy / 100;
    rng.range(lo, top.max(lo))
}

impl Tables {
    /// A year with no known predecessor.
    pub(super) fn fresh(rng: &mut Rng, p: &Style, d: &Department) -> Tables {
        let carried_over = if rng.chance(60) {
            [0; 6]
        } else {
            let n = rng.range(1, 6);
            spread(rng, n, &APPLICANT_WEIGHTS)
        };
        let in_force = |rng: &mut Rng, max: u64| if max == 0 { 0 } else { rng.range(0, max * 4) };
        let regulations = DocCounts { issued: 0, repealed: 0, in_force: 0 };
        let normative = DocCounts { issued: 0, repealed: 0, in_force: in_force(rng, d.load.documents.1) };
        Tables::year(rng, p, d, carried_over, regulations, normative)
    }

    /// The year after `prev`: carried over what it carried forward, documents in force follow.
    pub(super) fn following(rng: &mut Rng, p: &Style, d: &Department, prev: &Tables) -> Tables {
        Tables::year(rng, p, d, prev.carried_forward, prev.regulations, prev.normative)
    }

    fn year(
        rng: &mut Rng,
        p: &Style,
        d: &Department,
        carried_over: [u64; APPLICANTS],
        regulations_before: DocCounts,
        normative_before: DocCounts,
    ) -> Tables {
        let l = d.load;
        let docs = |rng: &mut Rng, before: DocCounts, max: u64| {
            let issued = if max == 0 { 0 } else { scaled(rng, l.documents, p.busy) };
            let repealed = rng.range(0, before.in_force.min(3));
            DocCounts { issued, repealed, in_force: before.in_force + issued - repealed }
        };
        let regulations = docs(rng, regulations_before, 0);
        let normative = docs(rng, normative_before, l.documents.1);
        let fees = if p.fees && rng.chance(70) {
            let cents = rng.range(50, 250_000);
            let text = match rng.below(3) {
                0 => format!("{}.{:02}", cents / 100, cents % 100),
                1 => format!("{}.{}", cents / 100, cents % 100 / 10),
                _ => (cents / 100).to_string(),
            };
            Amount::parse(&text).unwrap_or_default()
        } else {
            Amount::zero()
        };
        let new_total = if rng.chance(8) { 0 } else { scaled(rng, l.applications, p.busy) };
        let new = spread(rng, new_total, &APPLICANT_WEIGHTS);
        let mut results = [[0u64; 6]; 21];
        let mut carried_forward = [0u64; 6];
        // Per column: everything received is either decided this year or carried forward
        // (rule 1); a few pending cases, the rest spread over the result rows.
        let weights: Vec<u64> = RESULT_WEIGHTS.iter().map(|&w| if rng.chance(25) { 0 } else { w }).collect();
        let weights = if weights.iter().all(|&w| w == 0) { RESULT_WEIGHTS.to_vec() } else { weights };
        for c in 0..APPLICANTS {
            let available = new[c] + carried_over[c];
            let forward = if available == 0 || rng.chance(50) { 0 } else { rng.range(0, available.div_ceil(8)) };
            carried_forward[c] = forward;
            for _ in 0..available - forward {
                results[rng.weighted(&weights)][c] += 1;
            }
        }
        let case = |rng: &mut Rng, max: u64| {
            let n = if max == 0 || rng.chance(55) { 0 } else { rng.range(1, max) };
            let parts = spread(rng, n, &[50, 15, 15, 20, 0, 0]);
            CaseGroup {
                upheld: parts[0],
                corrected: parts[1],
                other: parts[2],
                pending: parts[3],
                total: p.table4_totals.then_some(n),
            }
        };
        let busy_cases = (new_total / 15).clamp(1, 12);
        let t4 = [case(rng, busy_cases), case(rng, busy_cases / 2 + 1), case(rng, busy_cases / 3 + 1)];
        Tables {
            regulations,
            normative,
            licensing: scaled(rng, l.licensing, p.busy),
            penalty: scaled(rng, l.penalty, p.busy),
            coercion: scaled(rng, l.coercion, p.busy),
            fees,
            new,
            carried_over,
            results,
            carried_forward,
            t4,
        }
    }

    /// The sum of the six cells of result row `i` (an index in `TABLE3_ROWS`).
    pub(super) fn result_row_sum(&self, i: usize) -> u64 {
        self.results[i - row::RESULTS_FIRST].iter().sum()
    }

    pub(super) fn applications(&self, p: &Style) -> Applications {
        let mut a = Applications::default();
        let mk = |cells: [u64; APPLICANTS]| Row { cells, total: p.row_totals.then(|| cells.iter().sum()), given: true };
        a.rows[row::NEW] = mk(self.new);
        a.rows[row::CARRIED_OVER] = mk(self.carried_over);
        for (i, cells) in self.results.iter().enumerate() {
            a.rows[row::RESULTS_FIRST + i] = mk(*cells);
        }
        let mut total = [0u64; 6];
        for r in &self.results {
            for (t, v) in total.iter_mut().zip(r) {
                *t += v;
            }
        }
        a.rows[row::RESULTS_TOTAL] = if p.results_total { mk(total) } else { Row::default() };
        a.rows[row::CARRIED_FORWARD] = mk(self.carried_forward);
        debug_assert_eq!(TABLE3_ROWS.len(), a.rows.len());
        a
    }
}

/// Split `n` into six parts with the given weights.
fn spread(rng: &mut Rng, n: u64, weights: &[u64; APPLICANTS]) -> [u64; APPLICANTS] {
    let mut out = [0u64; 6];
    for _ in 0..n {
        out[rng.weighted(weights)] += 1;
    }
    out
}
