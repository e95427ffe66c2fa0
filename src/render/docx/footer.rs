//! The odd and even footers: the page number around a PAGE field (official-format §1.3).

use super::*;

impl Writer<'_> {
    /// 「— 1 —」 with a PAGE field: odd pages at the right, even pages at the left, one 4号
    /// character in from the edge of the type area (official-format §1.3).
    pub(super) fn footer(&mut self, odd: bool) -> Footer {
        let p = self.p;
        let face = self.face("page_number");
        let size = pt_to_half_points(p.page_number.size_pt);
        let side = pt_to_twips(p.page_number.size_pt * p.page_number.side_indent_chars as f64);
        let run = || {
            let r = Run::new().fonts(run_fonts(&face.name)).size(size);
            if face.bold {
                r.bold()
            } else {
                r
            }
        };
        let mut para = self.para(FOOTER);
        para = if odd {
            para.align(AlignmentType::Right).indent(None, None, Some(side), None)
        } else {
            para.align(AlignmentType::Left).indent(Some(side), None, None, None)
        };
        let text = &self.page_number;
        para = para
            .add_run(run().add_text(&text.prefix))
            .add_run(run().add_field_char(FieldCharType::Begin, false))
            .add_run(run().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
            .add_run(run().add_field_char(FieldCharType::Separate, false))
            .add_run(run().add_text("1"))
            .add_run(run().add_field_char(FieldCharType::End, false))
            .add_run(run().add_text(&text.suffix));
        Footer::new().add_paragraph(para)
    }
}
