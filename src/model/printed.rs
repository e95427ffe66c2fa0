//! The value every number cell of tables 二, 三 and 四 prints, computed once.
//!
//! The resolver (and so every renderer), the checks, the narrative lints and the summary read
//! these functions, so that a total cannot be computed one way for printing and another way for
//! checking. Sums are taken in 128 bits: the decoder bounds each count to 64 bits and no table
//! sums more than 25 of them, so a sum is always exact — `--allow-inconsistent` prints the true
//! total of counts near `u64::MAX`, never a saturated or wrapped one (the checks report it).

use super::tables::{row, Table3Column, Table4Column, Table4Group, APPLICANTS};
use super::{CaseGroup, Report, Row};

/// A printed count: wide enough for any sum of decoded counts.
pub type Count = u128;

/// The sum of a row's six cells (what its 总计 must be, and what a workbook's SUM computes).
pub fn cells_sum(r: &Row) -> Count {
    r.cells.iter().map(|&c| Count::from(c)).sum()
}

/// The six cells of a row and its 总计, as printed: the total the input gave, else the sum.
pub fn row(r: &Row) -> [Count; APPLICANTS + 1] {
    let mut out = [0; APPLICANTS + 1];
    for (o, &c) in out.iter_mut().zip(&r.cells) {
        *o = Count::from(c);
    }
    out[APPLICANTS] = r.total.map_or_else(|| cells_sum(r), Count::from);
    out
}

/// Table 三 row `i` (an index in `TABLE3_ROWS`) as printed: （七）总计, when the input does not
/// give it, is the column sums of the result rows （一）…（六）3 and their sum (official-format
/// §2.4, the row the office would have added up).
pub fn table3_row(report: &Report, i: usize) -> [Count; APPLICANTS + 1] {
    let rows = &report.applications.rows;
    if i != row::RESULTS_TOTAL || rows[i].given {
        return row(&rows[i]);
    }
    let mut out = [0; APPLICANTS + 1];
    for res in &rows[row::RESULTS] {
        for (o, &c) in out.iter_mut().zip(&res.cells) {
            *o += Count::from(c);
        }
    }
    out[APPLICANTS] = out[..APPLICANTS].iter().sum();
    out
}

/// One cell of table 三 as printed.
pub fn table3(report: &Report, i: usize, column: Table3Column) -> Count {
    table3_row(report, i)[column.index()]
}

/// The sum of the four outcome columns of a table 四 group.
pub fn table4_parts_sum(g: &CaseGroup) -> Count {
    g.parts().iter().map(|&c| Count::from(c)).sum()
}

/// One cell of table 四 as printed: 总计 is the total the input gave, else the sum of the four
/// outcome columns.
pub fn table4(report: &Report, group: Table4Group, column: Table4Column) -> Count {
    let g = report.review_litigation.group(group);
    match g.get(column) {
        Some(v) => Count::from(v),
        None => table4_parts_sum(g),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_exact_beyond_64_bits() {
        let m = u64::MAX;
        let r = Row { cells: [m, 1, 0, 0, 0, 0], total: None, given: true };
        assert_eq!(row(&r)[APPLICANTS], Count::from(m) + 1);
        let sample = include_str!("../../samples/wendeng-emergency-2021.json");
        let Some(mut report) = crate::model::decode(sample).report else { panic!("the sample decodes") };
        for r in &mut report.applications.rows[row::RESULTS_FIRST..=row::RESULTS_TOTAL] {
            *r = Row::default();
        }
        report.applications.rows[row::RESULTS_FIRST] = Row::new([m; APPLICANTS]);
        report.applications.rows[row::RESULTS_LAST] = Row::new([m; APPLICANTS]);
        assert_eq!(table3(&report, row::RESULTS_TOTAL, Table3Column::Other), 2 * Count::from(m));
        assert_eq!(table3(&report, row::RESULTS_TOTAL, Table3Column::Total), 12 * Count::from(m));
        report.review_litigation.review = CaseGroup { upheld: m, pending: m, ..Default::default() };
        assert_eq!(table4(&report, Table4Group::Review, Table4Column::Total), 2 * Count::from(m));
        assert_eq!(table4(&report, Table4Group::Review, Table4Column::Pending), Count::from(m));
    }
}
