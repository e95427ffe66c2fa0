//! The DOCX styles (Normal, Title, headings, table text and head, signature, footer, table
//! grid) from the profile, and the styles.xml patches docx-rs needs.

use super::*;

impl Writer<'_> {
    pub(super) fn styles(&self) -> Vec<Style> {
        let p = self.p;
        let exact = |twips: i32| LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips).before(0).after(0);
        let no_indent = |s: Style| s.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None);
        let face = |s: Style, role: &str| {
            let f = self.face(role);
            let s = s.fonts(run_fonts(&f.name));
            if f.bold {
                s.bold()
            } else {
                s
            }
        };
        // Titles, tables and page numbers are set at their natural width, off the body's
        // tracking (see Normal below).
        let untracked = |mut s: Style| {
            s.run_property = s.run_property.character_spacing(0);
            s
        };
        let keep_next = |mut s: Style| {
            s.paragraph_property = s.paragraph_property.keep_next(true);
            s
        };

        // Normal: 3号仿宋, exact line pitch, first line indented 2 字 (official-format §1.2,
        // §1.4 正文). The indent is written in twips here and as firstLineChars by
        // `patch_styles`, so Word keeps it at 2 characters when the size changes.
        let normal = Style::new(NORMAL, StyleType::Paragraph)
            .name("Normal")
            .size(pt_to_half_points(p.body.size_pt))
            .line_spacing(exact(self.u.line_twips))
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(self.u.chars(p.body.first_line_indent_chars as f64))),
                Some(0),
                None,
            )
            .align(if p.body.justify { AlignmentType::Both } else { AlignmentType::Left });
        let mut normal = face(normal, "body");
        // Tracking that fits 28 characters of 16 pt into 156 mm (official-format §1.1), as
        // the PDF does; see the document grid in `setup` for why not a character grid.
        normal.run_property = normal.run_property.character_spacing(self.body_tracking_twentieths());
        // A full page holds exactly its 22 lines: no line moves to the next page to avoid a
        // widow or an orphan (the PDF does the same).
        normal.paragraph_property = normal.paragraph_property.widow_control(false);

        // Title: 2号小标宋, centred (official-format §1.4 标题). Off the document grid, so that
        // an office switching Word to a character grid does not get 22 pt characters spread
        // over two 16 pt cells each.
        let title = Style::new(TITLE, StyleType::Paragraph)
            .name("Title")
            .based_on(NORMAL)
            .next(NORMAL)
            .size(pt_to_half_points(p.title.size_pt))
            .line_spacing(exact(pt_to_twips(p.title.line_pitch_pt)))
            .align(AlignmentType::Center)
            .snap_to_grid(false);
        let title = keep_next(untracked(face(no_indent(title), "title")));

        // Headings 「一、」黑体 and 「（一）」楷体 (official-format §1.2), indented like the body.
        let h1 =
            Style::new(HEADING1, StyleType::Paragraph).name("heading 1").based_on(NORMAL).next(NORMAL).outline_lvl(0);
        let h1 = keep_next(face(h1, "heading1"));
        let h2 =
            Style::new(HEADING2, StyleType::Paragraph).name("heading 2").based_on(NORMAL).next(NORMAL).outline_lvl(1);
        let h2 = keep_next(face(h2, "heading2"));

        // Table cells: the table size and pitch, centred, off the document grid (as the title).
        let table_text = Style::new(TABLE_TEXT, StyleType::Paragraph)
            .name("Table Text")
            .based_on(NORMAL)
            .size(pt_to_half_points(p.table.size_pt))
            .line_spacing(exact(pt_to_twips(p.table.line_pitch_pt)))
            .align(AlignmentType::Center)
            .snap_to_grid(false);
        let table_text = untracked(face(no_indent(table_text), "table"));
        let table_head = Style::new(TABLE_HEAD, StyleType::Paragraph).name("Table Head").based_on(TABLE_TEXT);
        let table_head = face(table_head, "table_header");

        let caption = Style::new(CAPTION, StyleType::Paragraph)
            .name("Table Caption")
            .based_on(NORMAL)
            .align(AlignmentType::Center);
        let caption = keep_next(no_indent(caption));

        // Signature lines are placed by their left indent (see `signature`).
        let signature =
            Style::new(SIGNATURE, StyleType::Paragraph).name("Signature").based_on(NORMAL).align(AlignmentType::Left);
        let signature = keep_next(no_indent(signature));

        // Page number: 4号宋体 (official-format §1.3), one line of its own size.
        let footer = Style::new(FOOTER, StyleType::Paragraph)
            .name("footer")
            .based_on(NORMAL)
            .size(pt_to_half_points(p.page_number.size_pt))
            .line_spacing(exact(pt_to_twips(p.page_number.size_pt)))
            .snap_to_grid(false);
        let footer = untracked(face(no_indent(footer), "page_number"));

        let table = Style::new(TABLE_STYLE, StyleType::Table)
            .name("Table Grid")
            .table_property(TableProperty::new().set_borders(self.table_borders()).set_margins(self.cell_margins()));

        vec![normal, title, h1, h2, table_text, table_head, caption, signature, footer, table]
    }

    pub(super) fn table_borders(&self) -> TableBorders {
        // Border widths are in eighths of a point.
        let size = (self.p.table.rule_pt * 8.0).round().max(1.0) as usize;
        let mut b = TableBorders::new();
        for pos in [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            b = b.set(TableBorder::new(pos).border_type(BorderType::Single).size(size).color("000000"));
        }
        b
    }

    /// The cell padding. Left and right as the profile says; top and bottom less half the gap
    /// between table lines, which Word's exact line height already holds (the PDF's lines are
    /// one size high with the gap between them), and less half the rule: Word and LibreOffice
    /// add a row's borders to its height, where the PDF strokes them on the cell boundary. So
    /// rows are as high as in the PDF.
    pub(super) fn cell_margins(&self) -> TableCellMargins {
        let t = &self.p.table;
        let pad = mm_to_twips(t.cell_padding_mm).max(0);
        let gap = pt_to_twips(t.line_pitch_pt - t.size_pt).max(0);
        let rule = pt_to_twips(t.rule_pt).max(0);
        let vertical = (pad - gap / 2 - rule / 2).max(0) as usize;
        TableCellMargins::new().margin(vertical, pad as usize, vertical, pad as usize)
    }
}

/// styles.xml, four docx-rs gaps:
/// - docx-rs always writes its own empty `Normal` style before the added ones, so ours would
///   be a duplicate: drop the empty one and mark ours as the default paragraph style;
/// - `firstLineChars` is accepted but never written (docx-rs #668): add it to every `w:ind`
///   with a `w:firstLine`, in hundredths of a body character, so "2 字" stays 2 characters;
/// - no `w:lang`: without `eastAsia="zh-CN"` LibreOffice picks a Japanese fallback face for a
///   missing Chinese font;
/// - no `w:autoSpaceDE` / `w:autoSpaceDN` (below).
pub(super) fn patch_styles(styles: &[u8], u: &Units, language: &str) -> Result<Vec<u8>, Diagnostic> {
    let mut xml = utf8("styles.xml", styles)?;
    const BARE_NORMAL: &str = r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /><w:pPr><w:rPr /></w:pPr><w:qFormat /></w:style>"#;
    const NORMAL_OPEN: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    let bare = xml.find(BARE_NORMAL).ok_or_else(|| patch_error("styles.xml", "Normal"))?;
    xml.replace_range(bare..bare + BARE_NORMAL.len(), "");
    if xml.matches(NORMAL_OPEN).count() != 1 {
        return Err(patch_error("styles.xml", "Normal"));
    }
    xml = xml.replace(NORMAL_OPEN, r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#);

    xml = add_first_line_chars(&xml, u.char_twips);

    // No CJK–Latin autospace: the PDF sets digits and Latin letters against Chinese text
    // without extra space, and Word or LibreOffice would otherwise add about a quarter em
    // around every number and move the line breaks.
    let normal = xml.find(r#"w:styleId="Normal">"#).ok_or_else(|| patch_error("styles.xml", "Normal"))?;
    let ppr = normal
        + xml[normal..].find("<w:pPr>").ok_or_else(|| patch_error("styles.xml", "Normal pPr"))?
        + "<w:pPr>".len();
    xml.insert_str(ppr, r#"<w:autoSpaceDE w:val="0" /><w:autoSpaceDN w:val="0" />"#);

    let lang = format!(r#"<w:lang w:val="en-US" w:eastAsia="{}" w:bidi="ar-SA" />"#, escape_xml(language));
    let start = xml.find("<w:rPrDefault>").ok_or_else(|| patch_error("styles.xml", "rPrDefault"))?;
    let rest = &xml[start..];
    if let Some(end) = rest.find("</w:rPr></w:rPrDefault>") {
        xml.insert_str(start + end, &lang);
    } else if rest.starts_with("<w:rPrDefault><w:rPr /></w:rPrDefault>") {
        xml.replace_range(
            start..start + "<w:rPrDefault><w:rPr /></w:rPrDefault>".len(),
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"),
        );
    } else {
        return Err(patch_error("styles.xml", "rPrDefault"));
    }
    Ok(xml.into_bytes())
}

/// Add `w:firstLineChars` after every `w:firstLine="N"` (docx-rs #668).
pub(super) fn add_first_line_chars(xml: &str, char_twips: i32) -> String {
    const ATTR: &str = r#" w:firstLine=""#;
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(i) = rest.find(ATTR) {
        let value_start = i + ATTR.len();
        let Some(len) = rest[value_start..].find('"') else { break };
        let value_end = value_start + len + 1;
        out.push_str(&rest[..value_end]);
        if let Ok(twips) = rest[value_start..value_start + len].parse::<i64>() {
            let hundredths = (twips * 100) as f64 / char_twips.max(1) as f64;
            out.push_str(&format!(r#" w:firstLineChars="{}""#, hundredths.round() as i64));
        }
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}
