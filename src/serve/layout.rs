//! What the form needs to lay out a report (`GET /api/layout`): the six sections, the three
//! official tables as grids, the output formats and the limits.
//!
//! The grids are [`crate::resolve`]'s, the very cells and merges both renderers draw, so the
//! form's tables look like the printed ones. Each number cell is given the JSON path it edits
//! and, for a total, the paths it sums (the form computes totals as the clerk types); both come
//! from the row and column lists of [`crate::model::tables`], in the order `resolve` fills the
//! cells.

use serde_json::{json, Value};

use crate::build::OutputKind;
use crate::model::tables::{
    row, DocColumn, DocRow, Heading, Table3Column, Table4Column, Table4Group, ValueRow, APPLICANTS, TABLE3_ROWS,
};
use crate::model::{Report, FORMAT_2021};
use crate::resolve::{resolve, CellKind};

/// An editable number cell: the path it edits and, for a total, what it sums.
struct NumberCell {
    path: String,
    sum_of: Vec<String>,
}

fn cell(path: String) -> NumberCell {
    NumberCell { path, sum_of: Vec::new() }
}

/// The number cells of the table of `section` in reading order (the order `resolve` emits
/// them); none for a narrative section.
fn number_cells(section: Heading) -> Vec<NumberCell> {
    let mut out = Vec::new();
    match section {
        Heading::ActiveDisclosure => {
            for r in DocRow::ALL {
                for c in DocColumn::ALL {
                    out.push(cell(format!("active_disclosure.{}.{}", r.key(), c.key())));
                }
            }
            for v in ValueRow::ALL {
                out.push(cell(format!("active_disclosure.{}", v.key())));
            }
        }
        Heading::Applications => {
            for (i, def) in TABLE3_ROWS.iter().enumerate() {
                let path = |c: usize| format!("applications.{}[{c}]", def.key);
                for c in Table3Column::APPLICANTS.map(Table3Column::index) {
                    let mut n = cell(path(c));
                    if i == row::RESULTS_TOTAL {
                        n.sum_of =
                            TABLE3_ROWS[row::RESULTS].iter().map(|r| format!("applications.{}[{c}]", r.key)).collect();
                    }
                    out.push(n);
                }
                out.push(NumberCell { path: path(APPLICANTS), sum_of: (0..APPLICANTS).map(path).collect() });
            }
        }
        Heading::ReviewLitigation => {
            for g in Table4Group::ALL {
                for col in Table4Column::ALL {
                    let path = |c: Table4Column| format!("review_litigation.{}.{}", g.key(), c.key());
                    let sum_of = match col {
                        Table4Column::Total => Table4Column::PARTS.map(path).to_vec(),
                        _ => Vec::new(),
                    };
                    out.push(NumberCell { path: path(col), sum_of });
                }
            }
        }
        Heading::Overview | Heading::Problems | Heading::OtherMatters => {}
    }
    out
}

/// A report with every number zero, to lay the grids out.
fn zero_report() -> Report {
    Report {
        format: FORMAT_2021.to_string(),
        agency: String::new(),
        year: 2021,
        title: None,
        preamble: None,
        contact: Default::default(),
        overview: Default::default(),
        active_disclosure: Default::default(),
        applications: Default::default(),
        review_litigation: Default::default(),
        problems: Default::default(),
        other_matters: Default::default(),
        signature: Default::default(),
        headings: Default::default(),
        id: None,
    }
}

/// The layout document. `max_body_bytes` is shown so the app can refuse a too-large upload
/// before sending it.
pub fn layout(max_body_bytes: u64) -> Value {
    let resolved = resolve(&zero_report(), None);
    let mut tables = Vec::new();
    for section in &resolved.sections {
        let Some(table) = &section.table else { continue };
        let Some(heading) = Heading::from_key(&section.key) else { continue };
        let mut numbers = number_cells(heading).into_iter();
        let rows: Vec<Value> = table
            .rows
            .iter()
            .map(|r| {
                Value::Array(
                    r.iter()
                        .map(|c| {
                            let mut v =
                                json!({ "text": c.text, "kind": c.kind, "colspan": c.colspan, "rowspan": c.rowspan });
                            if c.kind == CellKind::Number {
                                if let Some(n) = numbers.next() {
                                    v["text"] = Value::String(String::new());
                                    v["path"] = Value::String(n.path);
                                    if !n.sum_of.is_empty() {
                                        v["sum_of"] = json!(n.sum_of);
                                    }
                                }
                            }
                            v
                        })
                        .collect(),
                )
            })
            .collect();
        tables.push(json!({
            "key": table.key,
            "section": section.key,
            "column_fractions": table.column_fractions,
            "header_rows": table.header_rows,
            "rows": rows,
        }));
    }
    let narrative: Vec<&str> = zero_report().narrative().iter().map(|(h, _)| h.key()).collect();
    let sections: Vec<Value> = Heading::ALL
        .iter()
        .map(|h| {
            let key = h.key();
            json!({ "key": key, "number": h.number(), "title": h.label(), "narrative": narrative.contains(&key) })
        })
        .collect();
    let formats: Vec<&str> = <OutputKind as clap::ValueEnum>::value_variants().iter().map(|k| k.extension()).collect();
    json!({
        "sections": sections,
        "tables": tables,
        "formats": formats,
        "max_body_bytes": max_body_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number cell of every grid got a path, and no path was left over: the walk above
    /// matches `resolve`'s order.
    #[test]
    fn every_number_cell_has_a_path() {
        let resolved = resolve(&zero_report(), None);
        for s in &resolved.sections {
            let Some(h) = Heading::from_key(&s.key) else { panic!("section {} has a heading", s.key) };
            let numbers = s.table.iter().flat_map(|t| t.rows.iter().flatten()).filter(|c| c.kind == CellKind::Number);
            assert_eq!(numbers.count(), number_cells(h).len(), "{}", s.key);
        }
        let doc = layout(1);
        assert_eq!(doc["tables"].as_array().map(Vec::len), Some(3));
        assert_eq!(doc["formats"][0], "pdf");
    }
}
