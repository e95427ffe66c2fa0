//! The signature block where `resolve` placed it, and the floating seal picture.

use super::*;

impl Writer<'_> {
    /// 署名 and 成文日期 (official-format §1.6, GB/T 9704 §7.3.5), where `resolve` placed
    /// them: left-aligned lines indented from the left by the decided number of 字 (so they
    /// start exactly where the PDF's do), the seal floating in front of both, centred where
    /// `resolve` says, its centre raised by the profile's `seal_raise_lines` so that name and
    /// date sit slightly below it.
    pub(super) fn signature(&mut self, mut docx: Docx, doc: &Resolved, seal: Option<(&SealImage, &[u8])>) -> Docx {
        let s = &doc.signature;
        let pl = &s.placement;
        let sp = &self.p.signature;
        let zi_twips = layout::zi_pt(self.p) * 20.0;
        let indent = |chars: f64| (chars * zi_twips).round() as i32;
        let has_date = pl.date_left_chars.is_some();
        let blank = pl.blank_lines_before;
        for _ in 0..blank {
            docx = docx.add_paragraph(self.para(SIGNATURE));
        }

        let mut name = self.para(SIGNATURE).indent(Some(indent(pl.agency_left_chars)), None, Some(0), None);
        if let (Some((img, png)), Some(centre)) = (seal, pl.seal_centre_chars) {
            let centre_x = centre * zi_twips;
            let (pitch, size) = (self.u.line_twips as f64, self.u.char_twips as f64);
            let width = mm_to_pt(sp.seal_diameter_mm) * 20.0;
            let height = if img.width > 0.0 && img.height > 0.0 { width * img.height / img.width } else { width };
            // The middle of the 署名 and date text, from the top of the 署名 line. Word and
            // LibreOffice set text at the foot of a line of exact height, so a line's text spans
            // its last `size`. The seal's top stays below the text of the line above the blank
            // lines (within one line of it: official-format §1.6).
            let n = pl.agency_lines.len().max(1) as f64;
            let pair_mid = if has_date { ((n + 2.0) * pitch - size) / 2.0 } else { ((n + 1.0) * pitch - size) / 2.0 };
            let top = (pair_mid - sp.seal_raise_lines * pitch - height / 2.0).max(-(blank as f64 * pitch));
            name =
                name.add_run(Run::new().add_image(seal_picture(img, png, centre_x - width / 2.0, top, width, height)));
        }
        // The 署名's lines as `resolve` broke them, in one paragraph (the seal is anchored to it).
        for (i, l) in pl.agency_lines.iter().enumerate() {
            if i > 0 {
                name = name.add_run(Run::new().add_break(BreakType::TextWrapping));
            }
            name = name.add_run(text_run(l));
        }
        docx = docx.add_paragraph(name);
        if let Some(left) = pl.date_left_chars {
            let date = self.para(SIGNATURE).indent(Some(indent(left)), None, Some(0), None);
            docx = docx.add_paragraph(date.add_run(text_run(&s.date_text)));
        }
        docx
    }
}

/// The seal as a floating picture in front of the text, anchored to the 署名 paragraph; `x`
/// is from the left edge of the type area and `y` from the top of the paragraph, all in twips.
pub(super) fn seal_picture(img: &SealImage, png: &[u8], x: f64, y: f64, width: f64, height: f64) -> Pic {
    let (x, y) = (x * EMU_PER_TWIP, y * EMU_PER_TWIP);
    let (w, h) = (width * EMU_PER_TWIP, height * EMU_PER_TWIP);
    Pic::new_with_dimensions(png.to_vec(), img.width.round().max(1.0) as u32, img.height.round().max(1.0) as u32)
        .id(SEAL_REL_ID)
        .size(w.round() as u32, h.round() as u32)
        .floating()
        .overlapping()
        .relative_from_h(RelativeFromHType::Margin)
        .relative_from_v(RelativeFromVType::Paragraph)
        .position_h(DrawingPosition::Offset(x.round() as i32))
        .position_v(DrawingPosition::Offset(y.round() as i32))
}

/// document.xml: docx-rs writes a drawing's position offset as `offset as u32`, so a negative
/// offset (the seal reaching above its paragraph) comes out as a huge number. Restore the
/// signed value.
pub(super) fn patch_negative_offsets(document: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    const OPEN: &str = "<wp:posOffset>";
    let xml = utf8("document.xml", document)?;
    if !xml.contains(OPEN) {
        return Ok(document.to_vec());
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(i) = rest.find(OPEN) {
        let start = i + OPEN.len();
        let end = start + rest[start..].find('<').ok_or_else(|| patch_error("document.xml", "wp:posOffset"))?;
        out.push_str(&rest[..start]);
        match rest[start..end].parse::<u32>() {
            Ok(v) => out.push_str(&(v as i32).to_string()),
            Err(_) => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(out.into_bytes())
}
