//! HTML output: the page an office publishes in its 政府信息公开专栏.
//!
//! One self-contained UTF-8 HTML5 file per report (`lang="zh-CN"`), or with
//! [`HtmlOptions::fragment`] the `<article>` alone with every style written inline, for pasting
//! into a portal's editor (CMS editors drop `<style>` blocks but keep `style` attributes).
//!
//! Everything printed comes from [`Resolved`], in the order of the PDF: the title as `h1`, the
//! six headings as `h2`, subsection headings as `h3`, paragraphs, and tables 二, 三 and 四 as real
//! tables — `<caption>`, `<thead>`, `<th scope>` and the `rowspan`/`colspan` merges of the
//! resolved grid (official-format §2.3–2.5), numbers right-aligned — then the signature block,
//! right-aligned (official-format §1.6). Sizes and font roles come from the [`Profile`]; fonts
//! are named (the official name, the system families, the bundled fallback, a generic family),
//! never embedded.
//!
//! The page has no script and loads nothing: a `Content-Security-Policy` forbids both, and the
//! optional seal ([`HtmlOptions::seal`], off by default since portals publish unsealed text) is
//! a PNG data URI — an SVG seal is rasterised first, so nothing inside it can reach out. Report
//! text is data: every string is escaped, so nothing in a paragraph becomes markup. The output
//! depends only on the report and the profile (ids come from the section keys).

use std::fmt::Write as _;

use base64::Engine as _;

use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::resolve::{Cell, CellKind, Resolved, Table};

use super::SealImage;

/// What `--format html` writes.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlOptions {
    /// `--html-fragment`: the `<article>` alone, styles inline, no `<html>`/`<head>`.
    pub fragment: bool,
    /// `--html-seal`: draw the seal (when the report has one) as an inline image.
    pub seal: bool,
}

/// Text as HTML character data or an attribute value: `& < > " '` escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A CSS font-family list for a profile role: official name, system families, bundled family,
/// then the generic family.
fn families(profile: &Profile, role: &str, generic: &str) -> String {
    let f = profile.role(role);
    let mut names: Vec<&str> = vec![f.official.as_str()];
    names.extend(f.system.iter().map(String::as_str));
    names.push(f.bundled.as_str());
    let mut seen = Vec::new();
    for n in names {
        if !seen.contains(&n) {
            seen.push(n);
        }
    }
    let mut out: Vec<String> =
        seen.iter().map(|n| format!("'{}'", n.replace(['\'', '\\', ';', '<', '>'], ""))).collect();
    out.push(generic.to_string());
    out.join(", ")
}

/// The style of every element class, from the profile.
struct Styles {
    rules: Vec<(&'static str, String)>,
}

impl Styles {
    fn new(p: &Profile) -> Styles {
        let body = p.body.size_pt;
        let pitch = p.grid.line_pitch_pt / body;
        let indent = p.body.first_line_indent_chars;
        let justify = if p.body.justify { "justify" } else { "left" };
        let t = &p.table;
        let cell = format!(
            "border: {rule}pt solid #000; padding: {pad}mm; vertical-align: middle; line-height: {lh:.3}; ",
            rule = t.rule_pt,
            pad = t.cell_padding_mm,
            lh = t.line_pitch_pt / t.size_pt,
        );
        let head_font = families(p, "table_header", "sans-serif");
        let sig = &p.signature;
        let rules = vec![
            (
                "nb-report",
                format!(
                    "font-family: {}; font-size: {body}pt; line-height: {pitch:.3}; color: #000; background: #fff; max-width: {w}mm; margin: 0 auto; padding: 1em;",
                    families(p, "body", "serif"),
                    w = p.type_area_width_mm(),
                ),
            ),
            (
                "nb-title",
                format!(
                    "font-family: {}; font-size: {}pt; line-height: {:.3}; font-weight: normal; text-align: center; margin: 0 0 {}em 0;",
                    families(p, "title", "serif"),
                    p.title.size_pt,
                    p.title.line_pitch_pt / p.title.size_pt,
                    f64::from(p.title.blank_lines_after) * pitch,
                ),
            ),
            ("nb-p", format!("margin: 0; text-indent: {indent}em; text-align: {justify};")),
            (
                "nb-h2",
                format!(
                    "font-family: {}; font-size: {body}pt; font-weight: normal; margin: 0; text-indent: {indent}em;",
                    families(p, "heading1", "sans-serif")
                ),
            ),
            (
                "nb-h3",
                format!(
                    "font-family: {}; font-size: {body}pt; font-weight: normal; margin: 0; text-indent: {indent}em;",
                    families(p, "heading2", "serif")
                ),
            ),
            ("nb-scroll", format!("overflow-x: auto; margin: {}em 0 {}em 0;", t.lines_before as f64 * pitch, t.lines_after as f64 * pitch)),
            (
                "nb-table",
                format!(
                    "border-collapse: collapse; width: 100%; font-family: {}; font-size: {}pt; text-indent: 0;",
                    families(p, "table", "serif"),
                    t.size_pt
                ),
            ),
            // A caption for assistive technology: the heading above already shows it, so it
            // is not drawn twice (the words on the page are those of the PDF).
            (
                "nb-caption",
                "position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;".to_string(),
            ),
            ("nb-head", format!("{cell}font-family: {head_font}; font-weight: normal; text-align: center;")),
            ("nb-band", format!("{cell}font-family: {head_font}; font-weight: normal; text-align: left;")),
            ("nb-label", format!("{cell}font-weight: normal; text-align: left;")),
            ("nb-group", format!("{cell}font-weight: normal; text-align: center;")),
            ("nb-num", format!("{cell}text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;")),
            ("nb-note", format!("{cell}font-weight: normal; text-align: left;")),
            ("nb-sig", format!("margin: {}em {}em 0 0; text-align: right;", f64::from(sig.blank_lines_before) * pitch, sig.unsealed_right_indent_chars)),
            ("nb-sig-block", "display: inline-block; text-align: left;".to_string()),
            ("nb-sig-line", "margin: 0;".to_string()),
            ("nb-date", format!("margin: 0; padding-left: {}em;", sig.unsealed_date_shift_chars)),
            ("nb-seal", format!("display: block; width: {d}mm; height: {d}mm; margin: 0 auto;", d = sig.seal_diameter_mm)),
        ];
        Styles { rules }
    }

    fn get(&self, class: &str) -> &str {
        self.rules.iter().find(|(c, _)| *c == class).map_or("", |(_, s)| s.as_str())
    }

    /// The style sheet of a whole page: the classes, and a print style sheet with the
    /// profile's page (official-format §1.1).
    fn sheet(&self, p: &Profile) -> String {
        let mut s = String::from("body { margin: 0; background: #fff; }\n");
        for (class, rule) in &self.rules {
            let _ = writeln!(s, ".{class} {{ {rule} }}");
        }
        let pg = &p.page;
        let _ = write!(
            s,
            "@media print {{\n  @page {{ size: {}mm {}mm; margin: {}mm {}mm {}mm {}mm; }}\n  .nb-report {{ max-width: none; padding: 0; }}\n  .nb-scroll {{ overflow: visible; }}\n  thead {{ display: table-header-group; }}\n  tr, .nb-sig {{ break-inside: avoid; }}\n  h1, h2, h3 {{ break-after: avoid; }}\n  p {{ orphans: 2; widows: 2; }}\n}}\n",
            pg.width_mm, pg.height_mm, pg.top_margin_mm, pg.right_margin_mm, pg.bottom_margin_mm, pg.left_margin_mm
        );
        s
    }
}

/// Writes elements with a class, and in a fragment the class's style inline.
struct Writer<'a> {
    out: String,
    styles: &'a Styles,
    inline: bool,
}

impl Writer<'_> {
    /// ` class="c"` (and ` style="…"` in a fragment).
    fn class(&self, class: &str) -> String {
        if self.inline {
            format!(" class=\"{class}\" style=\"{}\"", escape(self.styles.get(class)))
        } else {
            format!(" class=\"{class}\"")
        }
    }

    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn para(&mut self, text: &str) {
        let c = self.class("nb-p");
        self.line(&format!("<p{c}>{}</p>", escape(text)));
    }
}

/// Render the page (or the fragment) as UTF-8 bytes.
pub fn render(
    doc: &Resolved,
    profile: &Profile,
    seal: Option<&SealImage>,
    options: &HtmlOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let styles = Styles::new(profile);
    let seal_png = match (options.seal, seal) {
        (true, Some(s)) => Some(s.bitmap()?.into_owned()),
        _ => None,
    };
    let mut w = Writer { out: String::new(), styles: &styles, inline: options.fragment };
    if !options.fragment {
        head(&mut w, doc, &styles, profile);
    }
    article(&mut w, doc, seal_png.as_deref());
    if !options.fragment {
        w.line("</main>");
        w.line("</body>");
        w.line("</html>");
    }
    Ok(w.out.into_bytes())
}

fn head(w: &mut Writer, doc: &Resolved, styles: &Styles, profile: &Profile) {
    let m = &doc.metadata;
    w.line("<!DOCTYPE html>");
    w.line(&format!("<html lang=\"{}\">", escape(&m.language)));
    w.line("<head>");
    w.line("<meta charset=\"utf-8\">");
    // The page runs no script and loads nothing; the seal, if shown, is a data URI.
    w.line("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">");
    w.line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    w.line(&format!("<title>{}</title>", escape(&m.title)));
    w.line(&format!("<meta name=\"author\" content=\"{}\">", escape(&m.author)));
    w.line(&format!("<meta name=\"description\" content=\"{}\">", escape(&m.subject)));
    w.line(&format!("<meta name=\"keywords\" content=\"{}\">", escape(&m.keywords.join(","))));
    if let Some(d) = &m.date {
        w.line(&format!("<meta name=\"dcterms.date\" content=\"{}\">", escape(d)));
    }
    w.line("<meta name=\"generator\" content=\"nianbao\">");
    w.line("<style>");
    w.out.push_str(&styles.sheet(profile));
    w.line("</style>");
    w.line("</head>");
    w.line("<body>");
    w.line("<main>");
}

fn article(w: &mut Writer, doc: &Resolved, seal_png: Option<&[u8]>) {
    let c = w.class("nb-report");
    w.line(&format!("<article{c} lang=\"{}\">", escape(&doc.metadata.language)));
    let c = w.class("nb-title");
    let title: Vec<String> = doc.title_lines.iter().map(|l| escape(l)).collect();
    w.line(&format!("<h1{c}>{}</h1>", title.join("<br>")));
    for p in &doc.preamble {
        w.para(p);
    }
    for s in &doc.sections {
        let id = format!("nb-{}", escape(&s.key));
        w.line(&format!("<section aria-labelledby=\"{id}\">"));
        let c = w.class("nb-h2");
        w.line(&format!("<h2{c} id=\"{id}\">{}</h2>", escape(&s.heading)));
        for p in &s.paragraphs {
            w.para(p);
        }
        for sub in &s.subsections {
            let c = w.class("nb-h3");
            w.line(&format!("<h3{c}>{}</h3>", escape(&sub.heading)));
            for p in &sub.paragraphs {
                w.para(p);
            }
        }
        if let Some(t) = &s.table {
            // The caption names the table for screen readers: the table's own caption, else
            // the heading's words without its number.
            let caption = t
                .caption
                .clone()
                .unwrap_or_else(|| s.heading.split_once('、').map_or(s.heading.as_str(), |(_, rest)| rest).to_string());
            table(w, t, &caption);
        }
        w.line("</section>");
    }
    signature(w, doc, seal_png);
    w.line("</article>");
}

fn is_header_row(row: &[Cell]) -> bool {
    row.iter().all(|c| matches!(c.kind, CellKind::Head | CellKind::Band | CellKind::Note))
}

fn table(w: &mut Writer, t: &Table, caption: &str) {
    // A wide table scrolls on a narrow screen; the scrolling region is focusable and named so
    // that it can be scrolled from the keyboard (WCAG 2.1.1).
    let c = w.class("nb-scroll");
    w.line(&format!("<div{c} role=\"region\" aria-label=\"{}\" tabindex=\"0\">", escape(caption)));
    let c = w.class("nb-table");
    w.line(&format!("<table{c} id=\"nb-{}\">", escape(&t.key)));
    let c = w.class("nb-caption");
    w.line(&format!("<caption{c}>{}</caption>", escape(caption)));
    w.line("<colgroup>");
    for f in &t.column_fractions {
        w.line(&format!("<col style=\"width: {:.2}%\">", f * 100.0));
    }
    w.line("</colgroup>");
    // The header: the resolved header rows, or (table 二, whose header is not repeated) the
    // leading rows of bands and column heads. The rest is one body, or (table 二) one body per
    // 第二十条 band.
    let head_rows =
        if t.header_rows > 0 { t.header_rows } else { t.rows.iter().take_while(|r| is_header_row(r)).count() };
    w.line("<thead>");
    for row in &t.rows[..head_rows.min(t.rows.len())] {
        table_row(w, row);
    }
    w.line("</thead>");
    let mut open = false;
    for row in t.rows.iter().skip(head_rows) {
        if !open || row.first().is_some_and(|c| c.kind == CellKind::Band) {
            if open {
                w.line("</tbody>");
            }
            w.line("<tbody>");
            open = true;
        }
        table_row(w, row);
    }
    if open {
        w.line("</tbody>");
    }
    w.line("</table>");
    w.line("</div>");
}

fn table_row(w: &mut Writer, row: &[Cell]) {
    let mut s = String::from("<tr>");
    for cell in row {
        let (tag, class, scope) = match cell.kind {
            CellKind::Band => ("th", "nb-band", Some("colgroup")),
            CellKind::Head if cell.colspan > 1 => ("th", "nb-head", Some("colgroup")),
            CellKind::Head => ("th", "nb-head", Some("col")),
            CellKind::Label => ("th", "nb-label", Some("row")),
            CellKind::Group => ("th", "nb-group", Some("row")),
            CellKind::Number => ("td", "nb-num", None),
            CellKind::Note => ("td", "nb-note", None),
        };
        let _ = write!(s, "<{tag}{}", w.class(class));
        if let Some(scope) = scope {
            let _ = write!(s, " scope=\"{scope}\"");
        }
        if cell.colspan > 1 {
            let _ = write!(s, " colspan=\"{}\"", cell.colspan);
        }
        if cell.rowspan > 1 {
            let _ = write!(s, " rowspan=\"{}\"", cell.rowspan);
        }
        let _ = write!(s, ">{}</{tag}>", escape(&cell.text));
    }
    s.push_str("</tr>");
    w.line(&s);
}

fn signature(w: &mut Writer, doc: &Resolved, seal_png: Option<&[u8]>) {
    let sig = &doc.signature;
    let c = w.class("nb-sig");
    w.line(&format!("<div{c}>"));
    let c = w.class("nb-sig-block");
    w.line(&format!("<div{c}>"));
    if let Some(png) = seal_png {
        let c = w.class("nb-seal");
        let data = base64::engine::general_purpose::STANDARD.encode(png);
        w.line(&format!(
            "<img{c} src=\"data:image/png;base64,{data}\" alt=\"{}\">",
            escape(&format!("{}印章", sig.agency))
        ));
    }
    let c = w.class("nb-sig-line");
    w.line(&format!("<p{c}>{}</p>", escape(&sig.agency)));
    if !sig.date_text.is_empty() {
        let c = w.class("nb-date");
        let time = match &sig.date_iso {
            Some(iso) => format!("<time datetime=\"{}\">{}</time>", escape(iso), escape(&sig.date_text)),
            None => escape(&sig.date_text),
        };
        w.line(&format!("<p{c}>{time}</p>"));
    }
    w.line("</div>");
    w.line("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(escape("本年度"), "本年度");
    }
}
