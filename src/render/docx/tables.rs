//! The resolved tables as Word tables: the grid, merges (`gridSpan` / `vMerge`), cell styles,
//! repeated header rows.

use super::*;

impl Writer<'_> {
    /// Column widths in twips: the fractions of the type area width, the last column taking
    /// the rounding remainder so that the table is exactly as wide as the type area.
    pub(super) fn grid(&self, fractions: &[f64]) -> Vec<i32> {
        let total: f64 = fractions.iter().sum();
        let width = self.u.type_width_twips;
        let mut cols: Vec<i32> = fractions.iter().map(|f| (f / total * width as f64).round() as i32).collect();
        let used: i32 = cols.iter().sum();
        if let Some(last) = cols.last_mut() {
            *last += width - used;
        }
        cols
    }

    /// One resolved table as a Word table.
    pub(super) fn table(&mut self, t: &ResolvedTable) -> Result<Table, Diagnostic> {
        let grid = self.grid(&t.column_fractions);
        let placed = place(t)?;
        let span_width = |col: usize, span: usize| grid[col..col + span].iter().sum::<i32>().max(0) as usize;
        let mut rows = Vec::with_capacity(placed.len());
        for slots in &placed {
            let mut cells = Vec::with_capacity(slots.len());
            for slot in slots {
                let tc = match *slot {
                    Slot::Cell { cell, col, span } => {
                        // Alignment and font role as `resolve` decided them.
                        let mut para = self.text(cell_style(cell.role), &cell.text);
                        if cell.align == CellAlign::Left {
                            para = para.align(AlignmentType::Left);
                        }
                        let mut tc = TableCell::new().width(span_width(col, span), WidthType::Dxa);
                        if span > 1 {
                            tc = tc.grid_span(span);
                        }
                        if cell.rowspan > 1 {
                            tc = tc.vertical_merge(VMergeType::Restart);
                        }
                        tc.vertical_align(VAlignType::Center).add_paragraph(para)
                    }
                    // Word needs the cells a row span covers: empty, marked as continuing it.
                    Slot::Continue { role, col, span } => TableCell::new()
                        .width(span_width(col, span), WidthType::Dxa)
                        .grid_span(span)
                        .vertical_merge(VMergeType::Continue)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(self.para(cell_style(role))),
                };
                cells.push(tc);
            }
            rows.push(TableRow::new(cells).cant_split());
        }
        self.header_rows.push(t.header_rows.min(t.rows.len()));
        Ok(Table::new(rows)
            .set_grid(grid.iter().map(|&w| w.max(0) as usize).collect())
            .width(self.u.type_width_twips.max(0) as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
            .style(TABLE_STYLE)
            .set_borders(self.table_borders())
            .margins(self.cell_margins()))
    }
}

/// Where a cell of a resolved table sits in the Word grid.
pub(super) enum Slot<'t> {
    /// A cell of the resolved grid, starting at grid column `col`.
    Cell { cell: &'t Cell, col: usize, span: usize },
    /// A place covered by a row span from above.
    Continue { role: &'static str, col: usize, span: usize },
}

/// Lay a resolved table out on its grid. The resolved rows omit the cells covered by a row
/// span from above; the occupancy of each grid column is tracked to put them back.
pub(super) fn place(t: &ResolvedTable) -> Result<Vec<Vec<Slot<'_>>>, Diagnostic> {
    struct Cover {
        rows_left: usize,
        span: usize,
        role: &'static str,
    }
    let bad = |zh: String, en: String| {
        Diagnostic::error(
            "docx-table",
            "",
            format!("表格 {} 的网格不一致：{zh}", t.key),
            format!("table {} has an inconsistent grid: {en}", t.key),
        )
    };
    let ncols = t.column_fractions.len();
    let mut cover: Vec<Option<Cover>> = (0..ncols).map(|_| None).collect();
    let mut out = Vec::with_capacity(t.rows.len());
    for (ri, row) in t.rows.iter().enumerate() {
        let mut slots = Vec::new();
        let mut given = row.iter();
        let mut col = 0;
        while col < ncols {
            if let Some(c) = cover[col].as_mut() {
                let (span, role) = (c.span, c.role);
                c.rows_left -= 1;
                if c.rows_left == 0 {
                    cover[col] = None;
                }
                slots.push(Slot::Continue { role, col, span });
                col += span;
                continue;
            }
            let Some(cell) = given.next() else {
                return Err(bad(format!("第 {} 行缺少单元格", ri + 1), format!("row {} is short of cells", ri + 1)));
            };
            let span = cell.colspan.max(1);
            if col + span > ncols {
                return Err(bad(format!("第 {} 行超出列数", ri + 1), format!("row {} is wider than the grid", ri + 1)));
            }
            if cell.rowspan > 1 {
                cover[col] = Some(Cover { rows_left: cell.rowspan - 1, span, role: cell.role });
            }
            slots.push(Slot::Cell { cell, col, span });
            col += span;
        }
        if given.next().is_some() {
            return Err(bad(format!("第 {} 行单元格过多", ri + 1), format!("row {} has too many cells", ri + 1)));
        }
        out.push(slots);
    }
    if cover.iter().any(Option::is_some) {
        return Err(bad("纵向合并超出表格末行".into(), "a row span runs past the last row".into()));
    }
    Ok(out)
}

/// The paragraph style of a cell printed in font `role` (`resolve` decides the role).
pub(super) fn cell_style(role: &str) -> &'static str {
    if role == "table_header" {
        TABLE_HEAD
    } else {
        TABLE_TEXT
    }
}

/// document.xml: docx-rs has no `w:tblHeader` (repeat as header row on each page). Mark the
/// first `header_rows[k]` rows of the k-th table. Every row carries `<w:cantSplit />`, written
/// by docx-rs, which the flag is placed after (CT_TrPr allows them in any order).
pub(super) fn patch_table_header_rows(document: &[u8], header_rows: &[usize]) -> Result<Vec<u8>, Diagnostic> {
    const ROW_PR: &str = "<w:trPr><w:cantSplit />";
    let xml = utf8("document.xml", document)?;
    let mut out = String::with_capacity(xml.len() + 512);
    let mut rest = xml.as_str();
    for &n in header_rows {
        let t = rest.find("<w:tbl>").ok_or_else(|| patch_error("document.xml", "w:tbl"))?;
        out.push_str(&rest[..t]);
        rest = &rest[t..];
        let table_end = rest.find("</w:tbl>").ok_or_else(|| patch_error("document.xml", "/w:tbl"))?;
        let mut table = &rest[..table_end];
        for _ in 0..n {
            let r = table.find(ROW_PR).ok_or_else(|| patch_error("document.xml", "w:trPr"))?;
            out.push_str(&table[..r + ROW_PR.len()]);
            out.push_str("<w:tblHeader />");
            table = &table[r + ROW_PR.len()..];
        }
        out.push_str(table);
        rest = &rest[table_end..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}
