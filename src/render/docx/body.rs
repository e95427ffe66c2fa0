//! The document body in reading order: title, preamble, headings, paragraphs, tables, then the
//! signature.

use super::*;

impl Writer<'_> {
    pub(super) fn text(&mut self, style: &str, text: &str) -> Paragraph {
        self.para(style).add_run(text_run(text))
    }

    pub(super) fn blank_lines(&mut self, mut docx: Docx, n: u32) -> Docx {
        for _ in 0..n {
            docx = docx.add_paragraph(self.para(NORMAL));
        }
        docx
    }

    pub(super) fn body(
        &mut self,
        mut docx: Docx,
        doc: &Resolved,
        seal: Option<(&SealImage, &[u8])>,
    ) -> Result<Docx, Diagnostic> {
        let n = doc.title_lines.len();
        let after = self.title_space_after(&doc.title_lines);
        for (i, line) in doc.title_lines.iter().enumerate() {
            let mut para = self.text(TITLE, line);
            if i + 1 == n && after > 0 {
                para = para.line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(pt_to_twips(self.p.title.line_pitch_pt))
                        .before(0)
                        .after(after as u32),
                );
            }
            docx = docx.add_paragraph(para);
        }
        docx = self.blank_lines(docx, self.p.title.blank_lines_after);
        for para in &doc.preamble {
            docx = docx.add_paragraph(self.text(NORMAL, para));
        }
        for section in &doc.sections {
            docx = docx.add_paragraph(self.text(HEADING1, &section.heading));
            for para in &section.paragraphs {
                docx = docx.add_paragraph(self.text(NORMAL, para));
            }
            for sub in &section.subsections {
                docx = docx.add_paragraph(self.text(HEADING2, &sub.heading));
                for para in &sub.paragraphs {
                    docx = docx.add_paragraph(self.text(NORMAL, para));
                }
            }
            if let Some(table) = &section.table {
                docx = self.blank_lines(docx, self.p.table.lines_before);
                if let Some(caption) = &table.caption {
                    docx = docx.add_paragraph(self.text(CAPTION, caption));
                }
                docx = docx.add_table(self.table(table)?);
                docx = self.after_table(docx, &table.key);
            }
        }
        // The last paragraph stays on the page of the signature (official-format §1.6: the
        // 署名 and seal are never alone on a page).
        if let Some(docx_rs::DocumentChild::Paragraph(last)) = docx.document.children.last_mut() {
            **last = last.as_ref().clone().keep_next(true);
        }
        Ok(self.signature(docx, doc, seal))
    }

    /// The space after table `key`: down to the grid line the PDF's text after it starts on,
    /// in one paragraph of that exact height (the table's blank lines included), or a page
    /// break where the PDF's text starts the next page.
    fn after_table(&mut self, docx: Docx, key: &str) -> Docx {
        let Some(at) = self.after_tables.iter().find(|a| a.table == key) else {
            return self.blank_lines(docx, self.p.table.lines_after);
        };
        if at.line < 0 {
            self.break_before = true;
            return docx;
        }
        // The grid's lines start at the top margin.
        let table_end = pt_to_twips(at.end);
        let line_top = mm_to_twips(self.p.page.top_margin_mm) + i32::try_from(at.line).unwrap_or(0) * self.u.line_twips;
        let space = line_top - table_end;
        if space < 20 {
            return docx;
        }
        // Off the document grid: a paragraph on it is as high as the grid's lines, whatever its
        // exact height says (LibreOffice).
        let spacer = self
            .para(NORMAL)
            .snap_to_grid(false)
            .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(space).before(0).after(0));
        docx.add_paragraph(spacer)
    }

    /// Space after the title so that the title block takes whole body lines and the text
    /// below it stays on the body line pitch, as in the PDF: the title's lines (long ones
    /// wrapped at the type area less half a title character) rounded up to body lines.
    pub(super) fn title_space_after(&self, lines: &[String]) -> i32 {
        let t = &self.p.title;
        let width_pt = self.u.type_width_twips as f64 / 20.0 - 0.5 * t.size_pt;
        let per_line = (width_pt / t.size_pt).floor().max(1.0);
        let printed: f64 = lines.iter().map(|l| (text_chars(l) / per_line).ceil().max(1.0)).sum();
        let pitch = self.p.grid.line_pitch_pt;
        // Height of the title lines as the PDF measures it: the last line without its gap.
        let height = printed * t.line_pitch_pt - (t.line_pitch_pt - t.size_pt);
        let gap = pitch - self.p.body.size_pt;
        let slots = ((height + gap) / pitch - 0.001).ceil();
        pt_to_twips(slots * pitch - printed * t.line_pitch_pt).max(0)
    }
}
