//! OFD output (GB/T 33190-2016), the national fixed-layout format for 电子公文 and their
//! archives, written from the same Typst layout as the PDF: no second layout.
//!
//! [`render`] takes the [`PagedDocument`] the PDF is exported from and writes the package
//! (GB/T 33190-2016 §6, a ZIP container):
//!
//! ```text
//! OFD.xml                       main entry (§7.4): DocInfo (DocID from the content, title,
//!                               author = agency, creation date = signature date), DocRoot
//! Doc_0/Document.xml            document root (§7.5): CommonData (MaxUnitID, A4 PageArea in
//!                               mm, PublicRes, DocumentRes), the page tree (§7.6)
//! Doc_0/PublicRes.xml           fonts (§7.9, §11.1), each with its subset file in Doc_0/Res/
//! Doc_0/DocumentRes.xml         multimedia (§7.9, §10.1): the seal as PNG/JPEG, in Doc_0/Res/
//! Doc_0/Pages/Page_N/Content.xml  one Body layer (§7.7) of TextObject, PathObject, ImageObject
//! ```
//!
//! `content` turns frames into objects, `fonts` subsets the faces, `xml` holds the escaping and
//! number format. Same input, same bytes: entries in a fixed order with a fixed timestamp, ids
//! numbered in drawing order, DocID the SHA-256 of every other part.
//!
//! `DocType="OFD-A"` (GB/T 42133-2022, the archival profile) is written only when the rules of
//! it that apply here hold — see [`Conformance`]; otherwise `DocType="OFD"` and a warning.

mod content;
mod fonts;
mod xml;

use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, Diagnostics};
use crate::resolve::Resolved;

use super::SealImage;
use content::{Object, Placement, Rgba};
use xml::{escape, num, nums, DECL, NS};

/// The OFD-A rules (GB/T 42133-2022) that apply to what this writer produces, each checked on
/// the package as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conformance {
    /// Every font a text object uses is embedded in PublicRes (always: fonts are subset, never
    /// referenced by name only).
    pub fonts_embedded: bool,
    /// Every image is PNG or JPEG (a PNG seal as it is, an SVG seal rasterised).
    pub images_png_or_jpeg: bool,
    /// No resource outside the package: every `FontFile`/`MediaFile` is a package entry.
    pub no_external_resources: bool,
    /// No actions, scripts, permissions or encryption: the writer has none to write.
    pub no_actions_or_permissions: bool,
    /// DocInfo has title, author and creation date (the signature date; without one there is
    /// no date to write, since the wall clock is never read).
    pub metadata_complete: bool,
}

impl Conformance {
    pub fn holds(&self) -> bool {
        self.fonts_embedded
            && self.images_png_or_jpeg
            && self.no_external_resources
            && self.no_actions_or_permissions
            && self.metadata_complete
    }
}

/// A finished OFD package.
#[derive(Debug, Clone)]
pub struct Ofd {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// `OFD-A` or `OFD`.
    pub doc_type: &'static str,
    pub conformance: Conformance,
    /// The embedded font families, in order of first use.
    pub fonts: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Write the OFD of `doc` from its laid-out `document`.
pub fn render(document: &PagedDocument, doc: &Resolved, seal: Option<&SealImage>) -> Result<Ofd, Diagnostics> {
    let collected = content::collect(document, seal).map_err(|d| Diagnostics(vec![d]))?;
    let mut errors = Vec::new();
    let mut subsets = Vec::new();
    for (i, font) in collected.fonts.iter().enumerate() {
        match fonts::Subset::new(font, &collected.glyphs[i], &collected.chars[i]) {
            Ok(s) => subsets.push(s),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }

    // Ids (ST_ID, §7.3): fonts, then images, then per page the page, its layer and objects.
    let mut next_id = 0u32;
    let mut id = || {
        next_id += 1;
        next_id
    };
    let font_ids: Vec<u32> = subsets.iter().map(|_| id()).collect();
    let media_ids: Vec<u32> = collected.media.iter().map(|_| id()).collect();

    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut page_refs = Vec::new();
    for (n, page) in collected.pages.iter().enumerate() {
        let page_id = id();
        let layer_id = id();
        let mut x = String::new();
        x.push_str(DECL);
        let _ = write!(x, "<ofd:Page xmlns:ofd=\"{NS}\">");
        let first = collected.pages.first();
        if first.is_some_and(|f| (f.width_mm, f.height_mm) != (page.width_mm, page.height_mm)) {
            let _ = write!(x, "<ofd:Area><ofd:PhysicalBox>{}</ofd:PhysicalBox></ofd:Area>", page_box(page));
        }
        let _ = write!(x, "<ofd:Content><ofd:Layer ID=\"{layer_id}\" Type=\"Body\">");
        for object in &page.objects {
            match object {
                Object::Text(t) => write_text(&mut x, id(), t, &subsets[t.font], font_ids[t.font]),
                Object::Path(p) => write_path(&mut x, id(), p),
                Object::Image(i) => {
                    let _ = write!(
                        x,
                        "<ofd:ImageObject ID=\"{}\"{} ResourceID=\"{}\"/>",
                        id(),
                        placement(&i.at),
                        media_ids[i.media]
                    );
                }
            }
        }
        x.push_str("</ofd:Layer></ofd:Content></ofd:Page>\n");
        let loc = format!("Pages/Page_{n}/Content.xml");
        page_refs.push((page_id, loc.clone()));
        parts.push((format!("Doc_0/{loc}"), x.into_bytes()));
    }
    let max_id = id() - 1;

    // PublicRes: the fonts (§11.1, table 43), files relative to BaseLoc.
    let mut res = String::from(DECL);
    let _ = write!(res, "<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\">");
    if !subsets.is_empty() {
        res.push_str("<ofd:Fonts>");
        for (s, fid) in subsets.iter().zip(&font_ids) {
            let family = escape(&s.family);
            let _ = write!(res, "<ofd:Font ID=\"{fid}\" FontName=\"{family}\" FamilyName=\"{family}\"");
            if s.bold {
                res.push_str(" Bold=\"true\"");
            }
            if s.italic {
                res.push_str(" Italic=\"true\"");
            }
            let _ = write!(res, "><ofd:FontFile>font_{fid}.{}</ofd:FontFile></ofd:Font>", s.extension);
        }
        res.push_str("</ofd:Fonts>");
    }
    res.push_str("</ofd:Res>\n");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (s, fid) in subsets.iter().zip(&font_ids) {
        files.push((format!("Doc_0/Res/font_{fid}.{}", s.extension), s.data.clone()));
    }

    // DocumentRes: the seal (§10.1, table 41).
    let mut doc_res = String::from(DECL);
    let _ = write!(doc_res, "<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\">");
    if !collected.media.is_empty() {
        doc_res.push_str("<ofd:MultiMedias>");
        for (m, mid) in collected.media.iter().zip(&media_ids) {
            let ext = if m.format == "PNG" { "png" } else { "jpg" };
            let _ = write!(
                doc_res,
                "<ofd:MultiMedia ID=\"{mid}\" Type=\"Image\" Format=\"{}\"><ofd:MediaFile>image_{mid}.{ext}</ofd:MediaFile></ofd:MultiMedia>",
                m.format
            );
            files.push((format!("Doc_0/Res/image_{mid}.{ext}"), m.bytes.clone()));
        }
        doc_res.push_str("</ofd:MultiMedias>");
    }
    doc_res.push_str("</ofd:Res>\n");

    // Document root (§7.5, table 5 CommonData; §7.6 Pages).
    let area = collected.pages.first().map(page_box).unwrap_or_else(|| "0 0 210 297".into());
    let mut document_xml = String::from(DECL);
    let _ = write!(
        document_xml,
        "<ofd:Document xmlns:ofd=\"{NS}\"><ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{area}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>"
    );
    for (pid, loc) in &page_refs {
        let _ = write!(document_xml, "<ofd:Page ID=\"{pid}\" BaseLoc=\"{loc}\"/>");
    }
    document_xml.push_str("</ofd:Pages></ofd:Document>\n");

    let mut body: Vec<(String, Vec<u8>)> = vec![
        ("Doc_0/Document.xml".into(), document_xml.into_bytes()),
        ("Doc_0/PublicRes.xml".into(), res.into_bytes()),
        ("Doc_0/DocumentRes.xml".into(), doc_res.into_bytes()),
    ];
    body.extend(parts);
    body.extend(files);

    let date = doc.metadata.date.as_deref().filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    let conformance = Conformance {
        fonts_embedded: true,
        images_png_or_jpeg: collected.media.iter().all(|m| m.format == "PNG" || m.format == "JPEG"),
        no_external_resources: true,
        no_actions_or_permissions: true,
        metadata_complete: date.is_some() && !doc.metadata.title.is_empty() && !doc.agency.is_empty(),
    };
    let doc_type = if conformance.holds() { "OFD-A" } else { "OFD" };
    let mut warnings = Vec::new();
    if !conformance.holds() {
        warnings.push(
            Diagnostic::warning(
                "ofd-archival",
                "signature.date",
                "OFD 缺少成文日期，不满足 OFD-A（GB/T 42133-2022）对文档元数据的要求，按普通 OFD（DocType=\"OFD\"）写出",
                "the OFD has no signature date, which OFD-A (GB/T 42133-2022) needs as creation date; written with DocType=\"OFD\"",
            )
            .with_hint("填写 signature.date / give signature.date"),
        );
    }

    // DocID: 128 bits of the SHA-256 of every other part, names and bytes (§7.4, table 4).
    let mut h = Sha256::new();
    for (name, bytes) in &body {
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    let doc_id: String = h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();

    // Main entry (§7.4, tables 3 and 4; DocInfo children in the schema's order).
    let mut ofd_xml = String::from(DECL);
    let _ = write!(
        ofd_xml,
        "<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"{doc_type}\"><ofd:DocBody><ofd:DocInfo>"
    );
    let _ = write!(ofd_xml, "<ofd:DocID>{doc_id}</ofd:DocID>");
    let _ = write!(ofd_xml, "<ofd:Title>{}</ofd:Title>", escape(&doc.metadata.title));
    let _ = write!(ofd_xml, "<ofd:Author>{}</ofd:Author>", escape(&doc.agency));
    if !doc.metadata.subject.is_empty() {
        let _ = write!(ofd_xml, "<ofd:Subject>{}</ofd:Subject>", escape(&doc.metadata.subject));
    }
    if let Some(d) = date {
        let _ = write!(ofd_xml, "<ofd:CreationDate>{d}</ofd:CreationDate>");
    }
    if !doc.metadata.keywords.is_empty() {
        ofd_xml.push_str("<ofd:Keywords>");
        for k in &doc.metadata.keywords {
            let _ = write!(ofd_xml, "<ofd:Keyword>{}</ofd:Keyword>", escape(k));
        }
        ofd_xml.push_str("</ofd:Keywords>");
    }
    let _ = writeln!(
        ofd_xml,
        "<ofd:Creator>nianbao</ofd:Creator><ofd:CreatorVersion>{}</ofd:CreatorVersion></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        env!("CARGO_PKG_VERSION")
    );

    let mut entries = vec![("OFD.xml".to_string(), ofd_xml.into_bytes())];
    entries.extend(body);
    let bytes = zip_package(&entries).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            "ofd-package",
            "",
            format!("无法写出 OFD 压缩包：{e}"),
            format!("cannot write the OFD container: {e}"),
        )])
    })?;
    Ok(Ofd {
        bytes,
        pages: collected.pages.len(),
        doc_type,
        conformance,
        fonts: subsets.iter().map(|s| s.family.clone()).collect(),
        warnings,
    })
}

fn page_box(p: &content::PageContent) -> String {
    nums(&[0.0, 0.0, p.width_mm, p.height_mm])
}

fn placement(at: &Placement) -> String {
    let mut s = format!(" Boundary=\"{}\"", nums(&at.boundary));
    if let Some(ctm) = &at.ctm {
        let _ = write!(s, " CTM=\"{}\"", nums(ctm));
    }
    s
}

fn color_xml(name: &str, c: Rgba) -> String {
    let alpha = if c[3] < 255 { format!(" Alpha=\"{}\"", c[3]) } else { String::new() };
    format!("<ofd:{name} Value=\"{} {} {}\"{alpha}/>", c[0], c[1], c[2])
}

/// A text object (§11.3, tables 45–46): one TextCode with the first character's X/Y and the
/// DeltaX/DeltaY steps between characters; a CGTransform (§11.4, table 47) for each cluster
/// whose glyphs are not what the embedded `cmap` gives for its character (ligatures, several
/// glyphs for one character, glyphs chosen by shaping).
fn write_text(x: &mut String, id: u32, t: &content::Text, font: &fonts::Subset, font_id: u32) {
    let _ =
        write!(x, "<ofd:TextObject ID=\"{id}\"{} Font=\"{font_id}\" Size=\"{}\">", placement(&t.at), num(t.size_mm));
    if t.fill != [0, 0, 0, 255] {
        x.push_str(&color_xml("FillColor", t.fill));
    }
    let mut text = String::new();
    let mut position = 0usize;
    for c in &t.clusters {
        let new: Vec<u16> = c.glyphs.iter().map(|g| font.new_id(*g)).collect();
        let one_to_one = c.chars.len() == 1 && new.len() == 1 && font.cmap_maps(c.chars[0], new[0]);
        if !one_to_one {
            let glyphs: Vec<String> = new.iter().map(|g| g.to_string()).collect();
            let _ = write!(
                x,
                "<ofd:CGTransform CodePosition=\"{position}\" CodeCount=\"{}\" GlyphCount=\"{}\"><ofd:Glyphs>{}</ofd:Glyphs></ofd:CGTransform>",
                c.chars.len(),
                new.len(),
                glyphs.join(" ")
            );
        }
        position += c.chars.len();
        text.extend(c.chars.iter());
    }
    let (x0, y0) = t.positions.first().copied().unwrap_or((0.0, 0.0));
    let _ = write!(x, "<ofd:TextCode X=\"{}\" Y=\"{}\"", num(x0), num(y0));
    if t.positions.len() > 1 {
        let dx: Vec<f64> = t.positions.windows(2).map(|w| w[1].0 - w[0].0).collect();
        let _ = write!(x, " DeltaX=\"{}\"", nums(&dx));
        let dy: Vec<f64> = t.positions.windows(2).map(|w| w[1].1 - w[0].1).collect();
        if dy.iter().any(|d| d.abs() >= 0.0005) {
            let _ = write!(x, " DeltaY=\"{}\"", nums(&dy));
        }
    }
    let _ = write!(x, ">{}</ofd:TextCode></ofd:TextObject>", escape(&text));
}

/// A path object (§9.1, tables 35–36): stroke and fill as the layout drew them.
fn write_path(x: &mut String, id: u32, p: &content::Path) {
    let _ = write!(x, "<ofd:PathObject ID=\"{id}\"{}", placement(&p.at));
    match &p.stroke {
        Some(s) => {
            let _ = write!(x, " LineWidth=\"{}\"", num(s.width_mm));
            if s.cap != "Butt" {
                let _ = write!(x, " Cap=\"{}\"", s.cap);
            }
            if s.join != "Miter" {
                let _ = write!(x, " Join=\"{}\"", s.join);
            }
            let _ = write!(x, " MiterLimit=\"{}\"", num(s.miter_limit));
            if let Some((phase, array)) = &s.dash_mm {
                let _ = write!(x, " DashOffset=\"{}\" DashPattern=\"{}\"", num(*phase), nums(array));
            }
        }
        None => x.push_str(" Stroke=\"false\""),
    }
    if p.fill.is_some() {
        x.push_str(" Fill=\"true\"");
        if p.even_odd {
            x.push_str(" Rule=\"Even-Odd\"");
        }
    }
    x.push('>');
    if let Some(s) = &p.stroke {
        x.push_str(&color_xml("StrokeColor", s.color));
    }
    if let Some(f) = p.fill {
        x.push_str(&color_xml("FillColor", f));
    }
    let _ = write!(x, "<ofd:AbbreviatedData>{}</ofd:AbbreviatedData></ofd:PathObject>", p.data);
}

/// The ZIP container (§6): entries in the given order, deflated, all with the ZIP epoch as
/// timestamp, so equal parts give equal bytes.
fn zip_package(entries: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options)?;
        w.write_all(bytes)?;
    }
    Ok(w.finish()?.into_inner())
}
