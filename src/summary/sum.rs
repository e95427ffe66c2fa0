//! Adding the departments' values cell by cell: counts in 128 bits, fees in exact decimal
//! arithmetic (never floating point), and the error for a sum beyond what can be written.

use std::fmt;

use rust_decimal::Decimal;

use crate::diag::{Diagnostic, Diagnostics};

use super::breakdown::BreakdownRow;
use super::cells::{CellDef, Value};

/// Column sums. Counts saturate (a sum beyond `u64` is refused when the report is built, and no
/// real set of reports comes near 2^128); a fee sum beyond the decimal range is reported.
pub(super) fn sum_columns(cells: &[CellDef], rows: &[BreakdownRow], errors: &mut Diagnostics) -> Vec<Value> {
    cells
        .iter()
        .enumerate()
        .map(|(k, cell)| {
            if cell.is_amount() {
                let mut sum = Decimal::ZERO;
                for r in rows {
                    let Value::Amount(v) = r.values[k] else { continue };
                    match sum.checked_add(v) {
                        Some(s) => sum = s,
                        None => {
                            errors.push(overflow(cell, "decimal"));
                            break;
                        }
                    }
                }
                Value::Amount(sum)
            } else {
                let sum = rows
                    .iter()
                    .map(|r| match r.values[k] {
                        Value::Count(n) => n,
                        Value::Amount(_) => 0,
                    })
                    .fold(0u128, u128::saturating_add);
                Value::Count(sum)
            }
        })
        .collect()
}

pub(super) fn overflow(cell: &CellDef, value: impl fmt::Display) -> Diagnostic {
    Diagnostic::error(
        "count-overflow",
        cell.path.clone(),
        format!("“{}”的合计 {value} 超出可处理的范围", cell.name),
        format!("the sum for {} ({value}) is beyond the largest value that can be written", cell.path),
    )
}
