//! The package parts docx-rs writes incompletely: core properties and the font table.

use super::*;

/// docProps/core.xml: docx-rs has no setters for title, creator, subject, keywords or language
/// (it writes `dc:creator` "unknown"), so the part is written here. Created and modified are
/// the signature date, never the clock; without a date they are left out.
pub(super) fn core_properties(m: &Metadata) -> String {
    let mut x = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    ));
    x.push_str(&format!("<dc:title>{}</dc:title>", escape_xml(&m.title)));
    x.push_str(&format!("<dc:subject>{}</dc:subject>", escape_xml(&m.subject)));
    x.push_str(&format!("<dc:creator>{}</dc:creator>", escape_xml(&m.author)));
    x.push_str(&format!("<cp:keywords>{}</cp:keywords>", escape_xml(&m.keywords.join(", "))));
    x.push_str(&format!("<dc:language>{}</dc:language>", escape_xml(&m.language)));
    x.push_str(&format!("<cp:lastModifiedBy>{}</cp:lastModifiedBy>", escape_xml(&m.author)));
    x.push_str("<cp:revision>1</cp:revision>");
    if let Some(date) = &m.date {
        let stamp = format!("{}T00:00:00Z", escape_xml(date));
        x.push_str(&format!(r#"<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>"#));
        x.push_str(&format!(r#"<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>"#));
    }
    x.push_str("</cp:coreProperties>");
    x
}

/// fontTable.xml: docx-rs lists only Times New Roman, Symbol and Arial. List the document's
/// fonts with the GB2312 character set, so that Word on a machine without one of them
/// substitutes a Chinese face instead of a Latin one.
pub(super) fn patch_font_table(table: &[u8], names: &[String]) -> Result<Vec<u8>, Diagnostic> {
    let mut xml = utf8("fontTable.xml", table)?;
    let end = xml.rfind("</w:fonts>").ok_or_else(|| patch_error("fontTable.xml", "w:fonts"))?;
    let entries: String = names
        .iter()
        .map(|n| {
            format!(
                r#"<w:font w:name="{}"><w:charset w:val="{CHARSET_GB2312}" /><w:family w:val="auto" /><w:pitch w:val="variable" /></w:font>"#,
                escape_xml(n)
            )
        })
        .collect();
    xml.insert_str(end, &entries);
    Ok(xml.into_bytes())
}
