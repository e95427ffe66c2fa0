//! The printed cells of tables 二, 三 and 四 that a summary adds up: their list in print order,
//! their names and JSON paths (from [`crate::model::tables`], official-format §2.3–2.5, so that no
//! label is written twice), their values, and the value of each in one department's report as
//! its document prints it.

use std::fmt;

use rust_decimal::Decimal;

use crate::diag::Diagnostic;
use crate::model::printed;
use crate::model::tables::{
    DocColumn, DocRow, Heading, RowPlace, Table3Column, Table4Column, Table4Group, ValueRow, TABLE3_ROWS,
    TABLE4_LITIGATION_HEAD,
};
use crate::model::{Amount, Report};

/// Separator between the parts of a column name: table · row · column.
pub const NAME_SEPARATOR: &str = "·";

/// Where a cell's value lives in a [`Report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// Table 二, 第（一）项.
    Doc(DocRow, DocColumn),
    /// Table 二, a one-number row counted in items (one of [`ValueRow::COUNTS`]).
    Item(ValueRow),
    /// Table 二, 行政事业性收费 (万元, decimal).
    Fees,
    /// Table 三: row index in `TABLE3_ROWS`, column.
    Table3(usize, Table3Column),
    /// Table 四: group, column (`total` included).
    Table4(Table4Group, Table4Column),
}

/// One printed cell of tables 二, 三 or 四.
#[derive(Debug, Clone)]
pub struct CellDef {
    /// JSON path in the input format: `active_disclosure.fees`, `applications.new[0]` (index 6 is
    /// the row's 总计), `review_litigation.review.total`.
    pub path: String,
    /// Column name in the breakdown: table · row (with its group) · column, e.g.
    /// `表三·一、本年新收政府信息公开申请数量·自然人`, `表三·（三）不予公开·1.属于国家秘密·总计`,
    /// `表四·行政诉讼·复议后起诉·结果维持`.
    pub name: String,
    pub(super) slot: Slot,
}

impl CellDef {
    /// Whether the cell is a money amount (the fees), summed in decimal.
    pub fn is_amount(&self) -> bool {
        self.slot == Slot::Fees
    }
}

/// The value of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A count; 128 bits so that a sum is never wrapped (it is refused beyond `u64`).
    Count(u128),
    /// A money amount, exact.
    Amount(Decimal),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Amount(d) => write!(f, "{d}"),
        }
    }
}

/// `表二` for the table of [`Heading::ActiveDisclosure`]: tables are named by their section's
/// number.
fn table_name(section: Heading) -> String {
    format!("表{}", section.number())
}

fn name(parts: &[&str]) -> String {
    parts.join(NAME_SEPARATOR)
}

/// Every printed cell of tables 二, 三 and 四, in print order: table 二 row by row, table 三 row
/// by row with its seven columns, table 四 group by group.
pub fn cells() -> Vec<CellDef> {
    let mut out = Vec::new();
    let t2 = table_name(Heading::ActiveDisclosure);
    for r in DocRow::ALL {
        for c in DocColumn::ALL {
            out.push(CellDef {
                path: format!("active_disclosure.{}.{}", r.key(), c.key()),
                name: name(&[&t2, r.label(), c.label()]),
                slot: Slot::Doc(r, c),
            });
        }
    }
    for v in ValueRow::ALL {
        out.push(CellDef {
            path: format!("active_disclosure.{}", v.key()),
            name: name(&[&t2, v.label(), v.value_head()]),
            slot: if v == ValueRow::Fees { Slot::Fees } else { Slot::Item(v) },
        });
    }
    let t3 = table_name(Heading::Applications);
    for (r, def) in TABLE3_ROWS.iter().enumerate() {
        let row_name = match def.place {
            RowPlace::Member(g) => name(&[g.label(), def.label]),
            RowPlace::Top | RowPlace::Result => def.label.to_string(),
        };
        for c in Table3Column::ALL {
            out.push(CellDef {
                path: format!("applications.{}[{}]", def.key, c.index()),
                name: name(&[&t3, &row_name, c.label()]),
                slot: Slot::Table3(r, c),
            });
        }
    }
    let t4 = table_name(Heading::ReviewLitigation);
    for g in Table4Group::ALL {
        // The two litigation groups sit under one 行政诉讼 header (official-format §2.5).
        let group = match g {
            Table4Group::Review => g.label().to_string(),
            Table4Group::LitigationDirect | Table4Group::LitigationAfterReview => {
                name(&[TABLE4_LITIGATION_HEAD, g.label()])
            }
        };
        for c in Table4Column::ALL {
            out.push(CellDef {
                path: format!("review_litigation.{}.{}", g.key(), c.key()),
                name: name(&[&t4, &group, c.label()]),
                slot: Slot::Table4(g, c),
            });
        }
    }
    out
}

/// An amount as an exact decimal; `None` when it has more digits than 96-bit decimal
/// arithmetic holds (it would be rounded, and a sum must never be).
fn exact_decimal(a: &Amount) -> Option<Decimal> {
    let d = a.to_decimal()?;
    let frac_digits = a.as_str().split_once('.').map_or(0, |(_, f)| f.len());
    (d.scale() as usize == frac_digits).then_some(d)
}

/// The value of every cell of `report` as its document prints it, in the order of `cells`.
pub fn printed_values(report: &Report, cells: &[CellDef]) -> Result<Vec<Value>, Diagnostic> {
    let a = &report.active_disclosure;
    cells
        .iter()
        .map(|cell| {
            Ok(match cell.slot {
                Slot::Doc(r, c) => Value::Count(a.doc_row(r).get(c).into()),
                Slot::Item(key) => Value::Count(a.count(key).unwrap_or(0).into()),
                Slot::Fees => Value::Amount(exact_decimal(&a.fees).ok_or_else(|| {
                    Diagnostic::error(
                        "summary-fees",
                        "active_disclosure.fees",
                        format!("{}：收费金额 {} 位数过多，无法精确相加", report.agency, a.fees),
                        format!(
                            "{}: the fee amount {} has too many digits to be summed exactly",
                            report.agency, a.fees
                        ),
                    )
                    .with_involved("active_disclosure.fees", a.fees.as_str())
                })?),
                Slot::Table3(r, c) => Value::Count(printed::table3(report, r, c)),
                Slot::Table4(g, col) => Value::Count(printed::table4(report, g, col)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_has_a_distinct_name_and_path() {
        let cells = cells();
        assert_eq!(cells.len(), 2 * 3 + 4 + 25 * 7 + 3 * 5);
        let names: std::collections::HashSet<_> = cells.iter().map(|c| &c.name).collect();
        let paths: std::collections::HashSet<_> = cells.iter().map(|c| &c.path).collect();
        assert_eq!(names.len(), cells.len());
        assert_eq!(paths.len(), cells.len());
        assert_eq!(cells.iter().filter(|c| c.is_amount()).count(), 1);
    }

    #[test]
    fn amounts_that_decimal_cannot_hold_exactly_are_refused() {
        let a = Amount::parse("0.12345678901234567890123456789012").unwrap();
        assert_eq!(exact_decimal(&a), None);
        assert_eq!(exact_decimal(&Amount::parse("12.50").unwrap()).map(|d| d.to_string()), Some("12.50".into()));
    }
}
