//! The table cells a figure may state ([`Cell`]) and their values as printed, with the JSON path
//! and the name a finding gives them.

use rust_decimal::Decimal;

use crate::model::printed::{self, Count};
use crate::model::tables::{
    row, DocColumn, DocRow, Outcome, Table3Column, Table4Column, Table4Group, ValueRow, APPLICANTS, TABLE3_ROWS,
};
use crate::model::Report;

/// A table cell (or a sum of cells as printed) a figure may state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    New,
    CarriedOver,
    /// 本年新收 + 上年结转: what many reports call 共受理/共需办理.
    NewPlusCarried,
    Handled,
    CarriedForward,
    /// One of the results （一）–（六） of table 三.
    Result(Outcome),
    Review,
    /// Both 行政诉讼 groups.
    Litigation,
    LitigationDirect,
    LitigationAfterReview,
    /// A count of table 二's 第二十条第（一）项.
    Doc(DocRow, DocColumn),
    /// One of [`ValueRow::COUNTS`] (行政许可, 行政处罚, 行政强制).
    Item(ValueRow),
    Fees,
}

/// The value of a cell as printed, where it is and what it is called.
pub(super) struct TableValue {
    pub(super) path: String,
    pub(super) label: String,
    pub(super) value: Decimal,
    /// Part of the report the value depends on (for refused inputs).
    pub(super) scope: String,
}

/// A printed count as a decimal; `None` beyond 96 bits (only an inconsistent report holds such
/// a sum, and the checks report it).
fn decimal(n: Count) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(i128::try_from(n).ok()?, 0).ok()
}

/// The 总计 of table 三 row `i` as printed.
fn table3_total(r: &Report, i: usize) -> Count {
    printed::table3(r, i, Table3Column::Total)
}

pub(super) fn lookup(r: &Report, cell: Cell) -> Option<TableValue> {
    let total_col = Table3Column::Total.label();
    let t3 = |i: usize| -> Option<TableValue> {
        let d = &TABLE3_ROWS[i];
        Some(TableValue {
            path: format!("applications.{}[{APPLICANTS}]", d.key),
            label: format!("表三“{}”{total_col}", d.label),
            value: decimal(table3_total(r, i))?,
            scope: "applications".into(),
        })
    };
    let case_total = |g: Table4Group| printed::table4(r, g, Table4Column::Total);
    let t4 = |g: Table4Group| -> Option<TableValue> {
        Some(TableValue {
            path: format!("review_litigation.{}.total", g.key()),
            label: format!("表四“{}”{}", g.label(), Table4Column::Total.label()),
            value: decimal(case_total(g))?,
            scope: format!("review_litigation.{}", g.key()),
        })
    };
    Some(match cell {
        Cell::New => t3(row::NEW)?,
        Cell::CarriedOver => t3(row::CARRIED_OVER)?,
        Cell::CarriedForward => t3(row::CARRIED_FORWARD)?,
        Cell::NewPlusCarried => TableValue {
            path: format!("applications.new[{APPLICANTS}] + applications.carried_over[{APPLICANTS}]"),
            label: format!(
                "表三“{}”与“{}”{total_col}之和",
                TABLE3_ROWS[row::NEW].label,
                TABLE3_ROWS[row::CARRIED_OVER].label
            ),
            value: decimal(table3_total(r, row::NEW) + table3_total(r, row::CARRIED_OVER))?,
            scope: "applications".into(),
        },
        Cell::Handled => TableValue {
            path: format!("applications.results.total[{APPLICANTS}]"),
            label: format!("表三“{}”{total_col}", TABLE3_ROWS[row::RESULTS_TOTAL].label),
            value: decimal(table3_total(r, row::RESULTS_TOTAL))?,
            scope: "applications".into(),
        },
        Cell::Result(Outcome::Row(i)) => t3(i)?,
        Cell::Result(Outcome::Group(g)) => {
            let (key, label) = (g.key(), g.label());
            TableValue {
                path: format!("applications.{key}"),
                label: format!("表三“{label}”各项{total_col}之和"),
                value: decimal(g.rows().map(|i| table3_total(r, i)).sum())?,
                scope: "applications".into(),
            }
        }
        Cell::Review => t4(Table4Group::Review)?,
        Cell::LitigationDirect => t4(Table4Group::LitigationDirect)?,
        Cell::LitigationAfterReview => t4(Table4Group::LitigationAfterReview)?,
        Cell::Litigation => {
            let (g1, g2) = (Table4Group::LitigationDirect, Table4Group::LitigationAfterReview);
            TableValue {
                path: format!("review_litigation.{}.total + review_litigation.{}.total", g1.key(), g2.key()),
                label: format!("表四 行政诉讼“{}”与“{}”{}之和", g1.label(), g2.label(), Table4Column::Total.label()),
                value: decimal(case_total(g1) + case_total(g2))?,
                scope: "review_litigation".into(),
            }
        }
        Cell::Doc(rw, col) => {
            let (rkey, rlabel) = (rw.key(), rw.label());
            let (ckey, clabel) = (col.key(), col.label());
            TableValue {
                path: format!("active_disclosure.{rkey}.{ckey}"),
                label: format!("表二“{rlabel}”{clabel}"),
                value: Decimal::from(r.active_disclosure.doc_row(rw).get(col)),
                scope: format!("active_disclosure.{rkey}"),
            }
        }
        Cell::Item(k) => {
            let (key, col, label) = (k.key(), k.value_head(), k.label());
            TableValue {
                path: format!("active_disclosure.{key}"),
                label: format!("表二“{label}”{col}"),
                value: Decimal::from(r.active_disclosure.count(k)?),
                scope: format!("active_disclosure.{key}"),
            }
        }
        Cell::Fees => {
            let v = ValueRow::Fees;
            let (key, col, label) = (v.key(), v.value_head(), v.label());
            TableValue {
                path: format!("active_disclosure.{key}"),
                label: format!("表二“{label}”{col}"),
                value: r.active_disclosure.fees.to_decimal()?,
                scope: format!("active_disclosure.{key}"),
            }
        }
    })
}
