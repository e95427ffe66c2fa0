//! The generated official seal of a sample report, as SVG.

/// A generated official seal as SVG: a red ring, the agency's name along the upper arc and a
/// five-pointed star. The name is drawn as glyph outlines of the bundled FandolSong (vector
/// paths, no `<text>`), so the PDF (Typst) and the DOCX (rasterised) show the same image
/// whatever fonts the machine has.
pub fn seal_svg(agency: &str) -> String {
    const RED: &str = "#d7141a";
    let (cx, cy) = (100.0f64, 100.0f64);
    let star: Vec<String> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { 26.0 } else { 10.0 };
            let a = std::f64::consts::PI * (i as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
            format!("{:.2},{:.2}", cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    let mut out = String::new();
    out.push_str(r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">"#);
    out.push('\n');
    out.push_str(&format!(r#"<circle cx="100" cy="100" r="94" fill="none" stroke="{RED}" stroke-width="6"/>"#));
    out.push('\n');
    out.push_str(&format!(r#"<polygon points="{}" fill="{RED}"/>"#, star.join(" ")));
    out.push('\n');
    out.push_str(&seal_name(agency, cx, cy, RED));
    out.push_str("</svg>\n");
    out
}

/// The agency name along the upper arc, each character upright towards the rim.
fn seal_name(agency: &str, cx: f64, cy: f64, colour: &str) -> String {
    let Some(face) = seal_face() else { return String::new() };
    let chars: Vec<char> = agency.chars().collect();
    let n = chars.len().max(1) as f64;
    // The name spans up to 250° of the rim; the glyph size follows from the arc per character.
    let span = (n * 20.0).min(250.0).to_radians();
    let baseline = 58.0;
    let step = if chars.len() > 1 { span / (n - 1.0) } else { 0.0 };
    let height = (baseline * step * 1.05).clamp(14.0, 30.0);
    let units = f64::from(face.units_per_em());
    let sy = height / units;
    let sx = sy * 0.78;
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(glyph) = face.glyph_index(c) else { continue };
        let mut path = SvgPath(String::new());
        if face.outline_glyph(glyph, &mut path).is_none() {
            continue;
        }
        let advance = face.glyph_hor_advance(glyph).map(f64::from).unwrap_or(units);
        let phi = -std::f64::consts::FRAC_PI_2 - span / 2.0 + step * i as f64;
        let (px, py) = (cx + baseline * phi.cos(), cy + baseline * phi.sin());
        out.push_str(&format!(
            "<path fill=\"{colour}\" transform=\"translate({px:.2} {py:.2}) rotate({:.2}) scale({sx:.5} {:.5}) translate({:.1} 0)\" d=\"{}\"/>\n",
            phi.to_degrees() + 90.0,
            -sy,
            -advance / 2.0,
            path.0.trim_end()
        ));
    }
    out
}

/// FandolSong Regular (bundled) for the seal lettering.
fn seal_face() -> Option<ttf_parser::Face<'static>> {
    let (_, data) = crate::fonts::bundled_files().find(|(name, _)| *name == "FandolSong-Regular.otf")?;
    ttf_parser::Face::parse(data, 0).ok()
}

/// Glyph outline → SVG path data, in font units.
struct SvgPath(String);

impl ttf_parser::OutlineBuilder for SvgPath {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("M{x} {y} "));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.push_str(&format!("L{x} {y} "));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.push_str(&format!("Q{x1} {y1} {x} {y} "));
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.push_str(&format!("C{x1} {y1} {x2} {y2} {x} {y} "));
    }
    fn close(&mut self) {
        self.0.push_str("Z ");
    }
}
