//! The DOCX output: its Word structure read back from the package (styles, grid, footers,
//! merged table cells, properties), a round trip through docx-rs' reader, and a rendering by a
//! real client (LibreOffice) compared with nianbao's own PDF.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use nianbao::build::{build_report, BuildOptions, Engine, EngineOptions, OutputKind};
use nianbao::fonts::{FontOptions, FontPolicy};
use nianbao::inspect::check_bytes;
use nianbao::profile::Profile;
use nianbao::render::docx::{render, DocxFonts, DocxOptions};
use nianbao::render::{load_seal, SealImage};
use nianbao::resolve::{resolve, CellKind, Resolved, Seal};
use roxmltree::{Document, Node};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";

const WENDENG: &str = "wendeng-emergency-2021.json";
const LANSHAN: &str = "lanshan-market-2023.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn resolved(sample: &str) -> Resolved {
    let path = root().join("samples").join(sample);
    let bytes = std::fs::read(&path).unwrap();
    let checked = check_bytes(&bytes, None);
    assert!(!checked.has_errors(), "{sample}: {:?}", checked.diagnostics);
    resolve(checked.report.as_ref().unwrap(), path.parent())
}

/// The sample resolved as if its input named a seal (the signature is then laid out for one).
fn resolved_sealed(sample: &str) -> Resolved {
    let path = root().join("samples").join(sample);
    let bytes = std::fs::read(&path).unwrap();
    let checked = check_bytes(&bytes, None);
    let mut report = checked.report.unwrap();
    report.signature.seal = Some("seal.png".into());
    resolve(&report, path.parent())
}

/// The DOCX as `build` makes it: with the space after each table that the PDF's layout left.
fn docx(doc: &Resolved, fonts: DocxFonts, seal: Option<&SealImage>) -> Vec<u8> {
    let engine = crate::common::bundled_engine();
    let typeset = engine.pdf().typeset(doc, engine.profile(), seal).expect("the report lays out");
    let after = nianbao::render::pdf::after_tables(&typeset.document);
    render(doc, &Profile::builtin(), seal, &DocxOptions { fonts }, &after).unwrap()
}

/// Every part of the package, by name.
fn parts(bytes: &[u8]) -> HashMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

fn text(parts: &HashMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts.get(name).unwrap_or_else(|| panic!("missing part {name}")).clone()).unwrap()
}

fn w<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.has_tag_name((W, name)))
}

fn wattr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

/// `<parent><name w:attr=…/>` → the attribute.
fn child_attr<'a>(n: Node<'a, '_>, child: &str, attr: &str) -> Option<&'a str> {
    w(n, child).and_then(|c| wattr(c, attr))
}

fn all<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.descendants().filter(move |c| c.has_tag_name((W, name)))
}

fn para_text(p: Node) -> String {
    all(p, "t").filter_map(|t| t.text()).collect()
}

fn style<'a, 'i>(styles: &'a Document<'i>, id: &str) -> Node<'a, 'i> {
    let found: Vec<_> = all(styles.root(), "style").filter(|s| wattr(*s, "styleId") == Some(id)).collect();
    assert_eq!(found.len(), 1, "style {id} defined {} times", found.len());
    found[0]
}

fn fonts_of(n: Node) -> (String, String, String) {
    let f = all(n, "rFonts").next().expect("rFonts");
    let get = |a: &str| wattr(f, a).unwrap_or_default().to_string();
    (get("eastAsia"), get("ascii"), get("hAnsi"))
}

fn assert_font(n: Node, name: &str) {
    let (ea, ascii, hansi) = fonts_of(n);
    assert_eq!((ea.as_str(), ascii.as_str(), hansi.as_str()), (name, name, name));
}

#[test]
fn styles_fonts_grid_and_page_follow_the_profile() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Official, None));
    let styles_xml = text(&p, "word/styles.xml");
    let styles = Document::parse(&styles_xml).unwrap();

    // Normal: 仿宋_GB2312 三号, exact line pitch of the grid, first line indented 2 characters.
    let normal = style(&styles, "Normal");
    assert_eq!(wattr(normal, "default"), Some("1"));
    assert_font(normal, "仿宋_GB2312");
    let rpr = w(normal, "rPr").unwrap();
    assert_eq!(child_attr(rpr, "sz", "val"), Some("32"));
    let ppr = w(normal, "pPr").unwrap();
    assert_eq!(child_attr(ppr, "spacing", "line"), Some("579"));
    assert_eq!(child_attr(ppr, "spacing", "lineRule"), Some("exact"));
    assert_eq!(child_attr(ppr, "ind", "firstLineChars"), Some("200"));
    assert_eq!(child_attr(ppr, "ind", "firstLine"), Some("640"));
    assert_eq!(child_attr(ppr, "jc", "val"), Some("both"));
    assert_eq!(child_attr(ppr, "widowControl", "val"), Some("0"), "22 lines on every full page");
    // 28 characters per line (official-format §1.1) through tracking: the widest spacing, in
    // twentieths of a point, at which 28 × (16 pt + spacing) still fits 156 mm (8844 twips).
    let tracking: f64 = child_attr(rpr, "spacing", "val").unwrap().parse().unwrap();
    assert!(28.0 * (320.0 + tracking) <= 8844.0 && 28.0 * (320.0 + tracking + 1.0) > 8844.0, "{tracking}");

    // Title 方正小标宋简体 二号, centred, off the character grid, no indent.
    let title = style(&styles, "Title");
    assert_font(title, "方正小标宋简体");
    assert_eq!(child_attr(w(title, "rPr").unwrap(), "sz", "val"), Some("44"));
    let tppr = w(title, "pPr").unwrap();
    assert_eq!(child_attr(tppr, "jc", "val"), Some("center"));
    assert_eq!(child_attr(tppr, "ind", "firstLineChars"), Some("0"));
    assert_eq!(child_attr(tppr, "snapToGrid", "val"), Some("false"));
    assert_eq!(child_attr(w(title, "rPr").unwrap(), "spacing", "val"), Some("0"), "no body tracking");

    // Headings: names Word maps to its built-in 标题 1/2, outline levels for the navigation pane.
    let h1 = style(&styles, "Heading1");
    assert_eq!(child_attr(h1, "name", "val"), Some("heading 1"));
    assert_font(h1, "黑体");
    assert_eq!(child_attr(w(h1, "pPr").unwrap(), "outlineLvl", "val"), Some("0"));
    let h2 = style(&styles, "Heading2");
    assert_eq!(child_attr(h2, "name", "val"), Some("heading 2"));
    assert_font(h2, "楷体_GB2312");
    assert_eq!(child_attr(w(h2, "pPr").unwrap(), "outlineLvl", "val"), Some("1"));

    let table_text = style(&styles, "TableText");
    assert_font(table_text, "仿宋_GB2312");
    assert_eq!(child_attr(w(table_text, "rPr").unwrap(), "sz", "val"), Some("21"));
    assert_eq!(child_attr(w(table_text, "pPr").unwrap(), "jc", "val"), Some("center"));
    assert_font(style(&styles, "TableHead"), "黑体");
    assert_font(style(&styles, "Footer"), "宋体");
    let table_style = style(&styles, "TableGrid");
    assert_eq!(wattr(table_style, "type"), Some("table"));

    // Language of the document defaults: Chinese for East Asian text.
    let defaults = all(styles.root(), "rPrDefault").next().unwrap();
    let lang = all(defaults, "lang").next().expect("w:lang in rPrDefault");
    assert_eq!(wattr(lang, "eastAsia"), Some("zh-CN"));
    assert_font(defaults, "仿宋_GB2312");

    // Page: A4, margins 37/35/28/26 mm, a grid of 22 lines.
    let document_xml = text(&p, "word/document.xml");
    let document = Document::parse(&document_xml).unwrap();
    let sect = all(document.root(), "sectPr").last().unwrap();
    assert_eq!(child_attr(sect, "pgSz", "w"), Some("11906"));
    assert_eq!(child_attr(sect, "pgSz", "h"), Some("16838"));
    let mar = w(sect, "pgMar").unwrap();
    let m = |a: &str| wattr(mar, a).unwrap().parse::<i32>().unwrap();
    assert_eq!((m("top"), m("bottom"), m("left"), m("right")), (2098, 1984, 1587, 1474));
    let grid = w(sect, "docGrid").unwrap();
    assert_eq!(wattr(grid, "type"), Some("lines"));
    let pitch: i32 = wattr(grid, "linePitch").unwrap().parse().unwrap();
    assert_eq!(pitch, 579);
    assert!(pitch * 22 <= 12756 && (pitch + 1) * 22 > 12756, "22 lines fill the 225 mm type area");
    // The character pitch for Word's 「指定行和字符网格」, should an office switch to it.
    let char_space: f64 = wattr(grid, "charSpace").unwrap().parse().unwrap();
    let char_pitch_twips = (16.0 + char_space / 4096.0) * 20.0;
    assert_eq!((8844.0 / char_pitch_twips).floor(), 28.0, "28 characters per line (charSpace {char_space})");

    // Every paragraph names a defined style; the text is in the order of the report.
    let defined: Vec<&str> = all(styles.root(), "style").filter_map(|s| wattr(s, "styleId")).collect();
    let body = all(document.root(), "body").next().unwrap();
    let paras: Vec<Node> = all(body, "p").collect();
    for para in &paras {
        let id = w(*para, "pPr").and_then(|ppr| child_attr(ppr, "pStyle", "val")).unwrap_or("Normal");
        assert!(defined.contains(&id), "undefined style {id}");
    }
    let with_style = |id: &str| -> Vec<String> {
        paras
            .iter()
            .filter(|p| w(**p, "pPr").and_then(|ppr| child_attr(ppr, "pStyle", "val")) == Some(id))
            .map(|p| para_text(*p))
            .collect()
    };
    assert_eq!(with_style("Title"), doc.title_lines);
    // The title block takes whole body lines: 2 × 35 pt + 16.85 pt = 3 lines of 28.95 pt, then
    // one blank line, so the text starts on line 5 as in the PDF.
    let last_title =
        paras.iter().rfind(|p| w(**p, "pPr").and_then(|x| child_attr(x, "pStyle", "val")) == Some("Title")).unwrap();
    assert_eq!(child_attr(w(*last_title, "pPr").unwrap(), "spacing", "after"), Some("337"));
    let headings: Vec<String> = doc.sections.iter().map(|s| s.heading.clone()).collect();
    assert_eq!(with_style("Heading1"), headings);
    assert_eq!(headings[0], "一、总体情况");
    let subs: Vec<String> = doc.sections.iter().flat_map(|s| s.subsections.iter().map(|x| x.heading.clone())).collect();
    assert!(!subs.is_empty());
    assert_eq!(with_style("Heading2"), subs);
    // Body paragraphs carry no direct indent: the 2-character indent comes from Normal.
    let preamble = paras.iter().find(|p| para_text(**p) == doc.preamble[0]).expect("preamble paragraph");
    assert!(all(*preamble, "ind").next().is_none());
}

#[test]
fn bundled_fonts_name_the_fandol_families() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Bundled, None));
    let styles_xml = text(&p, "word/styles.xml");
    let styles = Document::parse(&styles_xml).unwrap();
    assert_font(style(&styles, "Normal"), "FandolFang R");
    assert_font(style(&styles, "Heading1"), "FandolHei");
    assert_font(style(&styles, "Heading2"), "FandolKai");
    assert_font(style(&styles, "Footer"), "FandolSong");
    // 小标宋 has no free equivalent; the stand-in is Song in bold (profile bundled_weight).
    let title = style(&styles, "Title");
    assert_font(title, "FandolSong");
    assert!(w(w(title, "rPr").unwrap(), "b").is_some());
    assert!(!styles_xml.contains("仿宋_GB2312") && !styles_xml.contains("方正小标宋简体"));
    let fonts = text(&p, "word/fontTable.xml");
    assert!(fonts.contains(r#"w:name="FandolFang R""#), "{fonts}");
}

#[test]
fn footers_carry_page_fields_odd_right_even_left() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Official, None));
    let settings_xml = text(&p, "word/settings.xml");
    let settings = Document::parse(&settings_xml).unwrap();
    assert!(all(settings.root(), "evenAndOddHeaders").next().is_some());

    let rels_xml = text(&p, "word/_rels/document.xml.rels");
    let rels = Document::parse(&rels_xml).unwrap();
    let target = |id: &str| -> String {
        let rel = rels.descendants().find(|r| r.attribute("Id") == Some(id)).unwrap_or_else(|| panic!("no rel {id}"));
        format!("word/{}", rel.attribute("Target").unwrap())
    };
    let document_xml = text(&p, "word/document.xml");
    let document = Document::parse(&document_xml).unwrap();
    let sect = all(document.root(), "sectPr").last().unwrap();
    let refs: HashMap<&str, String> = all(sect, "footerReference")
        .map(|f| (wattr(f, "type").unwrap(), target(f.attribute((R, "id")).unwrap())))
        .collect();
    assert_eq!(refs.len(), 2, "{refs:?}");

    // The 一字线 (the middle of the 14 pt footer line) is 7 mm below the type area: the footer
    // distance, to the bottom of that line, is 35 − 7 mm − 7 pt = 1587 − 140 twips.
    assert_eq!(child_attr(sect, "pgMar", "footer"), Some("1447"));

    for (kind, jc, side) in [("default", "right", "right"), ("even", "left", "left")] {
        let xml = text(&p, &refs[kind]);
        let footer = Document::parse(&xml).unwrap();
        let para = all(footer.root(), "p").next().unwrap();
        let ppr = w(para, "pPr").unwrap();
        assert_eq!(child_attr(ppr, "pStyle", "val"), Some("Footer"));
        assert_eq!(child_attr(ppr, "jc", "val"), Some(jc), "{kind}");
        // One 4号 character (14 pt = 280 twips) in from the edge of the type area.
        assert_eq!(child_attr(ppr, "ind", side), Some("280"), "{kind}");
        let instr: String = all(para, "instrText").filter_map(|t| t.text()).collect();
        assert_eq!(instr.trim(), "PAGE", "{kind}");
        let chars: Vec<&str> = all(para, "fldChar").filter_map(|f| wattr(f, "fldCharType")).collect();
        assert_eq!(chars, ["begin", "separate", "end"], "{kind}");
        assert_eq!(para_text(para), "— 1 —");
        for run in all(para, "r") {
            assert_font(run, "宋体");
            assert_eq!(child_attr(w(run, "rPr").unwrap(), "sz", "val"), Some("28"));
        }
    }
}

/// A table read back: its grid and, per row, the cells as (gridSpan, vMerge, text, jc).
struct XTable {
    grid: Vec<i32>,
    width: i32,
    rows: Vec<XRow>,
}

struct XRow {
    header: bool,
    cant_split: bool,
    cells: Vec<XCell>,
}

#[derive(Debug)]
struct XCell {
    span: usize,
    vmerge: Option<String>,
    text: String,
    style: String,
    jc: Option<String>,
    width: i32,
}

fn tables(document: &Document) -> Vec<XTable> {
    all(document.root(), "tbl")
        .map(|t| {
            let grid = all(t, "gridCol").map(|g| wattr(g, "w").unwrap().parse().unwrap()).collect();
            let width = child_attr(w(t, "tblPr").unwrap(), "tblW", "w").unwrap().parse().unwrap();
            let rows = t
                .children()
                .filter(|r| r.has_tag_name((W, "tr")))
                .map(|r| {
                    let trpr = w(r, "trPr");
                    XRow {
                        header: trpr.and_then(|x| w(x, "tblHeader")).is_some(),
                        cant_split: trpr.and_then(|x| w(x, "cantSplit")).is_some(),
                        cells: r
                            .children()
                            .filter(|c| c.has_tag_name((W, "tc")))
                            .map(|c| {
                                let tcpr = w(c, "tcPr").unwrap();
                                XCell {
                                    span: child_attr(tcpr, "gridSpan", "val").map_or(1, |v| v.parse().unwrap()),
                                    vmerge: w(tcpr, "vMerge")
                                        .map(|v| wattr(v, "val").unwrap_or("continue").to_string()),
                                    text: para_text(c),
                                    style: all(c, "pStyle")
                                        .next()
                                        .and_then(|s| wattr(s, "val"))
                                        .unwrap_or_default()
                                        .to_string(),
                                    jc: all(c, "jc").next().and_then(|j| wattr(j, "val")).map(String::from),
                                    width: child_attr(tcpr, "tcW", "w").unwrap().parse().unwrap(),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            XTable { grid, width, rows }
        })
        .collect()
}

fn count(t: &XTable, f: impl Fn(&XCell) -> bool) -> usize {
    t.rows.iter().flat_map(|r| &r.cells).filter(|c| f(c)).count()
}

/// Every row fills the grid; every continuation cell sits under a merged cell of the same span.
fn assert_consistent(t: &XTable, name: &str) {
    assert_eq!(t.grid.iter().sum::<i32>(), 8844, "{name}: the table is as wide as the type area (156 mm)");
    assert_eq!(t.width, 8844, "{name}");
    let mut above: Vec<Option<(usize, bool)>> = vec![None; t.grid.len()];
    for (ri, row) in t.rows.iter().enumerate() {
        assert!(row.cant_split, "{name}: row {ri} may split across pages");
        let mut col = 0;
        let mut now = vec![None; t.grid.len()];
        for c in &row.cells {
            assert_eq!(c.width, t.grid[col..col + c.span].iter().sum::<i32>(), "{name} row {ri}: cell width");
            if c.vmerge.as_deref() == Some("continue") {
                assert_eq!(above[col].map(|a| a.0), Some(c.span), "{name} row {ri} col {col}: continue under nothing");
                assert!(above[col].unwrap().1, "{name} row {ri} col {col}: continue under an unmerged cell");
                assert!(c.text.is_empty());
            }
            now[col] = Some((c.span, c.vmerge.is_some()));
            col += c.span;
        }
        assert_eq!(col, t.grid.len(), "{name} row {ri}: {:?}", row.cells);
        above = now;
    }
}

#[test]
fn tables_have_the_official_merged_structure() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Official, None));
    let document_xml = text(&p, "word/document.xml");
    let document = Document::parse(&document_xml).unwrap();
    let ts = tables(&document);
    assert_eq!(ts.len(), 3);
    for tbl in all(document.root(), "tbl") {
        let tblpr = w(tbl, "tblPr").unwrap();
        assert_eq!(child_attr(tblpr, "tblStyle", "val"), Some("TableGrid"));
        assert_eq!(child_attr(tblpr, "jc", "val"), Some("center"));
        assert_eq!(child_attr(tblpr, "tblLayout", "type"), Some("fixed"));
        // 0.5 pt rules (profile rule_pt), in eighths of a point.
        let borders = w(tblpr, "tblBorders").unwrap();
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            assert_eq!(child_attr(borders, side, "val"), Some("single"), "{side}");
            assert_eq!(child_attr(borders, side, "sz"), Some("4"), "{side}");
        }
        // 1 mm padding left and right; top and bottom less half the 3.5 pt gap that Word's
        // exact 14 pt table lines hold and less half the 0.5 pt rule that Word and LibreOffice
        // add to a row's height: 57 − 35 − 5 twips.
        let mar = w(tblpr, "tblCellMar").unwrap();
        let m = |side: &str| child_attr(mar, side, "w");
        assert_eq!((m("left"), m("right"), m("top"), m("bottom")), (Some("57"), Some("57"), Some("17"), Some("17")));
    }
    let (t2, t3, t4) = (&ts[0], &ts[1], &ts[2]);
    for (t, name) in [(t2, "二"), (t3, "三"), (t4, "四")] {
        assert_consistent(t, name);
    }

    // Table 二 (official-format §2.3): 4 columns; four 第二十条 bands across the width; the
    // single-value bands' header and value cells span 3 columns.
    assert_eq!(t2.grid.len(), 4);
    let bands: Vec<&str> =
        t2.rows.iter().flat_map(|r| &r.cells).filter(|c| c.span == 4).map(|c| c.text.as_str()).collect();
    assert_eq!(bands, ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]);
    assert_eq!(count(t2, |c| c.span == 3), 3 + 4);
    assert_eq!(count(t2, |c| c.vmerge.is_some()), 0);
    let licensing = t2.rows.iter().find(|r| r.cells[0].text == "行政许可").unwrap();
    assert_eq!(licensing.cells[1].text, "135");
    // Numbers centred (the TableText style); short labels centred too, heads in TableHead.
    assert_eq!((licensing.cells[1].style.as_str(), licensing.cells[1].jc.as_deref()), ("TableText", None));
    assert_eq!((licensing.cells[0].style.as_str(), licensing.cells[0].jc.as_deref()), ("TableText", None));
    assert_eq!(t2.rows[1].cells[0].style, "TableHead");

    // Table 三 (§2.4): 3 label + 7 number columns, 3 header rows + 25 rows.
    assert_eq!(t3.grid.len(), 10);
    assert_eq!(t3.rows.len(), 28);
    assert_eq!(t3.rows.iter().map(|r| r.header).collect::<Vec<_>>(), [vec![true; 3], vec![false; 25]].concat());
    // The 勾稽 note block covers 3 columns × 3 header rows.
    assert!(t3.rows[0].cells[0].text.contains("勾稽关系"));
    assert_eq!((t3.rows[0].cells[0].span, t3.rows[0].cells[0].vmerge.as_deref()), (3, Some("restart")));
    for r in 1..3 {
        assert_eq!((t3.rows[r].cells[0].span, t3.rows[r].cells[0].vmerge.as_deref()), (3, Some("continue")));
    }
    assert_eq!(t3.rows[0].cells[1].text, "申请人情况");
    assert_eq!(t3.rows[0].cells[1].span, 7);
    assert_eq!(t3.rows[1].cells[2].text, "法人或其他组织");
    assert_eq!(t3.rows[1].cells[2].span, 5);
    // 三、本年度办理结果 restarts a merge that runs down the first column over the 22 result
    // rows （一） … （七）总计: the restart and 21 continuation cells.
    let first = t3.rows.iter().position(|r| r.cells[0].text == "三、本年度办理结果").unwrap();
    assert_eq!(first, 5);
    assert_eq!(t3.rows[first].cells[0].vmerge.as_deref(), Some("restart"));
    for r in first + 1..first + 22 {
        assert_eq!(t3.rows[r].cells[0].vmerge.as_deref(), Some("continue"), "row {r}");
    }
    assert_eq!(t3.rows[first + 22].cells[0].text, "四、结转下年度继续办理");
    assert_eq!(t3.rows[first + 22].cells[0].vmerge, None);
    // Groups （三）–（六） restart merges over 8, 3, 5 and 3 rows.
    for (label, rows) in [("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)]
    {
        let r = t3.rows.iter().position(|r| r.cells.iter().any(|c| c.text == label)).unwrap();
        let col = r_col(&t3.rows[r], label);
        assert_eq!(cell_at(&t3.rows[r], col).vmerge.as_deref(), Some("restart"), "{label}");
        for k in 1..rows {
            assert_eq!(cell_at(&t3.rows[r + k], col).vmerge.as_deref(), Some("continue"), "{label} +{k}");
        }
        assert_ne!(cell_at(&t3.rows[r + rows], col).vmerge.as_deref(), Some("continue"), "{label} ends");
    }
    assert_eq!(count(t3, |c| c.vmerge.as_deref() == Some("restart")), 1 + 2 + 1 + 4);
    assert_eq!(count(t3, |c| c.vmerge.as_deref() == Some("continue")), 2 + 1 + 1 + 21 + 7 + 2 + 4 + 2);
    // Numbers: 本年新收 5 natural persons, total 5; centred.
    let new = &t3.rows[3];
    let numbers: Vec<&str> = new.cells[1..].iter().map(|c| c.text.as_str()).collect();
    assert_eq!(numbers, ["5", "0", "0", "0", "0", "0", "5"]);
    assert!(new.cells[1..].iter().all(|c| c.style == "TableText" && c.jc.is_none()));
    // Table 三's row labels are sentences: flush left.
    assert_eq!(new.cells[0].jc.as_deref(), Some("left"));

    // Table 四 (§2.5): 15 columns; 行政复议 5 | 行政诉讼 10; five heads merged over rows 2–3.
    assert_eq!(t4.grid.len(), 15);
    assert_eq!(t4.rows.len(), 4);
    assert_eq!(t4.rows.iter().map(|r| r.header).collect::<Vec<_>>(), [true, true, true, false]);
    let spans: Vec<(usize, &str)> = t4.rows[0].cells.iter().map(|c| (c.span, c.text.as_str())).collect();
    assert_eq!(spans, [(5, "行政复议"), (10, "行政诉讼")]);
    assert_eq!(count(t4, |c| c.vmerge.as_deref() == Some("restart")), 5);
    assert_eq!(count(t4, |c| c.vmerge.as_deref() == Some("continue")), 5);
    assert_eq!(t4.rows[3].cells.len(), 15);

    // The header flag is only on table rows that the resolved tables call header rows.
    assert_eq!(t2.rows.iter().filter(|r| r.header).count(), 0);
}

fn r_col(row: &XRow, text: &str) -> usize {
    let mut col = 0;
    for c in &row.cells {
        if c.text == text {
            return col;
        }
        col += c.span;
    }
    panic!("{text} not in row")
}

fn cell_at(row: &XRow, col: usize) -> &XCell {
    let mut at = 0;
    for c in &row.cells {
        if at == col {
            return c;
        }
        at += c.span;
    }
    panic!("no cell starts at column {col}")
}

#[test]
fn unsealed_signature_is_placed_by_left_indents_as_resolved() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Official, None));
    let document_xml = text(&p, "word/document.xml");
    let document = Document::parse(&document_xml).unwrap();
    let body = all(document.root(), "body").next().unwrap();
    let paras: Vec<Node> = body.children().filter(|c| c.has_tag_name((W, "p"))).collect();
    let n = paras.len();
    let (blank, name, date) = (paras[n - 3], paras[n - 2], paras[n - 1]);
    assert_eq!(para_text(blank), "");
    assert_eq!(para_text(name), "威海市文登区应急管理局");
    assert_eq!(para_text(date), "2022年1月28日");
    for p in [name, date] {
        let ppr = w(p, "pPr").unwrap();
        assert_eq!(child_attr(ppr, "pStyle", "val"), Some("Signature"));
    }
    // 署名 of 11 字 2 字 from the right: it starts 28 − 2 − 11 = 15 字 in (one 字 is 156 mm / 28 =
    // 315.86 twips); the date starts 2 字 right of the name's first character (GB/T 9704
    // §7.3.5.2), both left-aligned like the PDF's lines.
    let zi = 156.0 / 25.4 * 1440.0 / 28.0;
    let left = |p: Node| child_attr(w(p, "pPr").unwrap(), "ind", "left").unwrap().parse::<f64>().unwrap();
    assert!((left(name) - 15.0 * zi).abs() < 1.0, "{}", left(name));
    assert!((left(date) - 17.0 * zi).abs() < 1.0, "{}", left(date));
    assert_eq!(doc.signature.placement.agency_left_chars, 15.0);
    assert!(all(document.root(), "drawing").next().is_none());
}

/// A red ring PNG standing in for an office seal.
fn seal_png(dir: &Path) -> PathBuf {
    let size = 240u32;
    let img = image::RgbaImage::from_fn(size, size, |x, y| {
        let (dx, dy) = (x as f64 - 119.5, y as f64 - 119.5);
        let r = (dx * dx + dy * dy).sqrt();
        if (100.0..118.0).contains(&r) || r < 20.0 {
            image::Rgba([220, 20, 20, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let path = dir.join("seal.png");
    img.save(&path).unwrap();
    path
}

#[test]
fn seal_floats_in_front_centred_over_name_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = seal_png(dir.path());
    let seal = load_seal(&Seal { written: "seal.png".into(), path }).unwrap();
    let doc = resolved_sealed(WENDENG);
    let bytes = docx(&doc, DocxFonts::Official, Some(&seal));
    let p = parts(&bytes);
    let document_xml = text(&p, "word/document.xml");
    let document = Document::parse(&document_xml).unwrap();
    let anchor = document.descendants().find(|n| n.has_tag_name((WP, "anchor"))).expect("floating seal");
    assert_eq!(anchor.attribute("behindDoc"), Some("0"), "in front of the text");
    assert!(anchor.children().any(|c| c.has_tag_name((WP, "wrapNone"))));
    let pos = |axis: &str| {
        let n = anchor.children().find(|c| c.has_tag_name((WP, axis))).unwrap();
        let off: i64 =
            n.children().find(|c| c.has_tag_name((WP, "posOffset"))).unwrap().text().unwrap().parse().unwrap();
        (n.attribute("relativeFrom").unwrap().to_string(), off)
    };
    let extent = anchor.children().find(|c| c.has_tag_name((WP, "extent"))).unwrap();
    let cx: i64 = extent.attribute("cx").unwrap().parse().unwrap();
    assert_eq!(cx, 42 * 36_000, "42 mm seal");

    // The date 4 字 from the right, the name centred over it (GB/T 9704 §7.3.5.1), both placed
    // by left indents where `resolve` put them: the date is 3 字 and 7 digits of 0.493 字.
    let zi = 156.0 / 25.4 * 1440.0 / 28.0;
    let pl = &doc.signature.placement;
    let date_w = 3.0 + 7.0 * (8.0 + (zi / 20.0 - 16.0)) / (zi / 20.0);
    assert!((pl.date_left_chars.unwrap() - (24.0 - date_w)).abs() < 1e-6, "{pl:?} {date_w}");
    assert!((pl.agency_left_chars - (24.0 - date_w + (date_w - 11.0) / 2.0)).abs() < 1e-6);
    let left = |p: Node| child_attr(w(p, "pPr").unwrap(), "ind", "left").unwrap().parse::<f64>().unwrap();
    let body = all(document.root(), "body").next().unwrap();
    let paras: Vec<Node> = body.children().filter(|c| c.has_tag_name((W, "p"))).collect();
    let n = paras.len();
    let (name, date) = (paras[n - 2], paras[n - 1]);
    assert_eq!(para_text(name), "威海市文登区应急管理局");
    assert!((left(date) - pl.date_left_chars.unwrap() * zi).abs() < 1.0, "{}", left(date));
    assert!((left(name) - pl.agency_left_chars * zi).abs() < 1.0, "{}", left(name));
    assert_eq!(para_text(paras[n - 3]), "");
    assert_eq!(para_text(paras[n - 4]), "", "two blank lines leave room for the seal");
    assert!(name.descendants().any(|d| d == anchor), "anchored to the 署名 paragraph");

    // Horizontally its centre is the date's centre, from the left margin. Vertically half a line (seal_raise_lines) above the middle of the name and
    // date text, which sit at the foot of their 579-twip lines: (3 × 579 − 320) / 2 − 289.5.
    let (rel_h, x) = pos("positionH");
    assert_eq!(rel_h, "margin");
    let centre_x = (x + cx / 2) as f64 / 635.0;
    assert!((centre_x - (24.0 - date_w / 2.0) * zi).abs() < 1.0, "{centre_x}");
    let (rel_v, y) = pos("positionV");
    assert_eq!(rel_v, "paragraph");
    let cy: i64 = extent.attribute("cy").unwrap().parse().unwrap();
    let centre_y = (y + cy / 2) as f64 / 635.0;
    assert!((centre_y - ((3.0 * 579.0 - 320.0) / 2.0 - 289.5)).abs() < 1.0, "{centre_y}");
    assert!(y < 0, "the seal reaches above the name line into the blank lines");

    // The picture is in the package and linked from the document.
    assert!(p.contains_key("word/media/rIdSeal.png"), "{:?}", p.keys().collect::<Vec<_>>());
    let rels = text(&p, "word/_rels/document.xml.rels");
    assert!(rels.contains(r#"Target="media/rIdSeal.png""#), "{rels}");
    docx_rs::read_docx(&bytes).expect("docx-rs reads the sealed document");
}

#[test]
fn core_properties_come_from_the_report() {
    let doc = resolved(WENDENG);
    let p = parts(&docx(&doc, DocxFonts::Official, None));
    let xml = text(&p, "docProps/core.xml");
    let core = Document::parse(&xml).unwrap();
    let get = |name: &str| -> String {
        core.descendants().find(|n| n.tag_name().name() == name).and_then(|n| n.text()).unwrap_or_default().to_string()
    };
    assert_eq!(get("title"), "威海市文登区应急管理局2021年政府信息公开工作年度报告");
    assert_eq!(get("creator"), "威海市文登区应急管理局");
    assert_eq!(get("subject"), "政府信息公开工作年度报告");
    assert!(get("keywords").contains("政府信息公开"));
    assert_eq!(get("language"), "zh-CN");
    assert_eq!(get("created"), "2022-01-28T00:00:00Z");
    assert_eq!(get("modified"), "2022-01-28T00:00:00Z");
}

#[test]
fn same_input_gives_the_same_bytes() {
    let wendeng = resolved(WENDENG);
    let lanshan = resolved(LANSHAN);
    let first = docx(&wendeng, DocxFonts::Official, None);
    // Another document in between must not shift any id of the next one.
    let other = docx(&lanshan, DocxFonts::Official, None);
    let again = docx(&wendeng, DocxFonts::Official, None);
    assert!(first == again, "two renders of the same report differ");
    assert!(first != other);
    let from_thread = std::thread::spawn(move || docx(&wendeng, DocxFonts::Official, None)).join().unwrap();
    assert!(first == from_thread, "a render on another thread differs");
}

#[test]
fn round_trips_through_docx_rs() {
    let doc = resolved(LANSHAN);
    let bytes = docx(&doc, DocxFonts::Official, None);
    let read = docx_rs::read_docx(&bytes).expect("docx-rs reads the document back");
    let sp = &read.document.section_property;
    assert!(sp.even_footer.is_some() && sp.footer.is_some());
    let grid = sp.doc_grid.as_ref().expect("docGrid");
    // DocGrid's fields are private; its serialised form shows them.
    let grid = serde_json::to_value(grid).unwrap();
    assert_eq!(grid["linePitch"], 579, "{grid}");
    assert_eq!(grid["gridType"], "lines", "{grid}");
    let normal = read.styles.find_style_by_id("Normal").expect("Normal");
    let ind = normal.paragraph_property.indent.as_ref().expect("Normal indent");
    assert_eq!(ind.first_line_chars, Some(200));
    let h1 = read.styles.find_style_by_id("Heading1").expect("Heading1");
    assert!(h1.paragraph_property.outline_lvl.is_some());

    let mut texts = Vec::new();
    let mut tables = 0;
    for child in &read.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(p) => texts.push(p.raw_text()),
            docx_rs::DocumentChild::Table(_) => tables += 1,
            _ => {}
        }
    }
    assert_eq!(tables, 3);
    for s in &doc.sections {
        assert!(texts.contains(&s.heading), "{}", s.heading);
        for p in &s.paragraphs {
            assert!(texts.contains(p), "{p}");
        }
    }
    assert_eq!(texts.last().unwrap(), &doc.signature.date_text);
}

#[test]
fn build_command_writes_the_docx_under_the_report_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples").join(WENDENG);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .arg("build")
            .arg(&input)
            .arg("-o")
            .arg(dir.path())
            .args(args)
            .output()
            .expect("nianbao runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let name = dir.path().join("威海市文登区应急管理局2021年政府信息公开工作年度报告.docx");

    run(&["--format", "docx", "--fonts", "bundled", "--docx-fonts", "official"]);
    let official = std::fs::read(&name).unwrap();
    assert!(!dir.path().join("威海市文登区应急管理局2021年政府信息公开工作年度报告.pdf").exists());
    assert!(text(&parts(&official), "word/styles.xml").contains(r#"w:eastAsia="仿宋_GB2312""#));
    // The same report through the library gives the same bytes.
    assert!(official == docx(&resolved(WENDENG), DocxFonts::Official, None));

    run(&["--format", "pdf,docx", "--fonts", "bundled", "--docx-fonts", "bundled"]);
    let bundled = std::fs::read(&name).unwrap();
    assert!(dir.path().join("威海市文登区应急管理局2021年政府信息公开工作年度报告.pdf").exists());
    let styles = text(&parts(&bundled), "word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="FandolFang R""#) && !styles.contains("仿宋_GB2312"));
}

// ---------------------------------------------------------------------------------------------
// Rendering by a real client.

/// Convert a DOCX to PDF with LibreOffice, fonts restricted to the bundled ones with the
/// official names aliased (tests/fontconfig/fonts.conf). Returns the PDF path.
fn libreoffice_pdf(docx: &[u8], dir: &Path) -> PathBuf {
    let input = dir.join("report.docx");
    std::fs::write(&input, docx).unwrap();
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .env("FONTCONFIG_FILE", root().join("tests/fontconfig/fonts.conf"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("HOME", dir)
        .output()
        .expect("run soffice");
    let pdf = dir.join("report.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice did not convert: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

/// The text of a PDF (or one page) with its layout kept, so that a table row reads as one line.
fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.arg("-layout");
    if let Some(n) = page {
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|v| v.trim().parse().ok()).expect("page count")
}

/// Whole-number tokens of a text, in order.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end_matches('.').to_string());
            cur.clear();
        }
    }
    out
}

fn is_subsequence(needle: &[String], hay: &[String]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|n| it.any(|h| h == n))
}

#[test]
fn libreoffice_renders_the_official_structure_like_the_pdf() {
    if !crate::common::tool("soffice")
        || !crate::common::tool("pdftotext")
        || !crate::common::tool("pdfinfo")
        || !crate::common::tool("pdffonts")
    {
        return;
    }
    // Both documents through the build pipeline, bundled fonts for the PDF (reproducible),
    // official names in the DOCX (aliased to the same bundled fonts by the test's fontconfig).
    let engine = Engine::from_options(&EngineOptions {
        fonts: FontOptions { font_paths: vec![], policy: FontPolicy::Bundled },
        ..Default::default()
    })
    .unwrap();
    let path = root().join("samples").join(WENDENG);
    let input = std::fs::read(&path).unwrap();
    let options = BuildOptions { formats: vec![OutputKind::Pdf, OutputKind::Docx], ..Default::default() };
    let outcome = build_report(&engine, &input, WENDENG, path.parent(), None, &options);
    assert!(outcome.succeeded(), "{:?}", outcome.diagnostics);
    let doc = outcome.resolved.clone().unwrap();
    let pdf_pages = outcome.outputs.iter().find(|o| o.kind == OutputKind::Pdf).and_then(|o| o.pages).unwrap();
    let docx = &outcome.outputs.iter().find(|o| o.kind == OutputKind::Docx).unwrap().data;

    let dir = tempfile::tempdir().unwrap();
    let pdf = libreoffice_pdf(docx, dir.path());
    let lo_pages = pages(&pdf);
    assert!(lo_pages.abs_diff(pdf_pages) <= 1, "LibreOffice: {lo_pages} pages, nianbao's PDF: {pdf_pages}");

    // Fonts: only the bundled faces the official names were aliased to; no fallback face.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    for face in ["FandolFang", "FandolHei", "FandolKai", "FandolSong"] {
        assert!(fonts.contains(face), "{face} not used:\n{fonts}");
    }
    for line in fonts.lines().skip(2) {
        assert!(line.contains("Fandol"), "a face other than the aliased ones: {line}");
    }

    // Every heading, then every table's numbers, in reading order.
    let text = pdftotext(&pdf, None);
    // Headings are looked for without whitespace (a client may wrap or space them); numbers
    // in the text as extracted, where cells are separated. `origin[i]` is the byte offset in
    // `text` of the flat text's byte `i`.
    let mut flat = String::new();
    let mut origin = Vec::new();
    for (i, c) in text.char_indices().filter(|(_, c)| !c.is_whitespace()) {
        flat.push(c);
        origin.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    origin.push(text.len());
    let mut at = 0;
    let mut heading_at = Vec::new();
    let headings = doc.title_lines.iter().chain(
        doc.sections.iter().flat_map(|s| std::iter::once(&s.heading).chain(s.subsections.iter().map(|x| &x.heading))),
    );
    for h in headings {
        let h: String = h.chars().filter(|c| !c.is_whitespace()).collect();
        let found = flat[at..].find(&h).unwrap_or_else(|| panic!("heading {h} missing or out of order"));
        at += found + h.len();
        heading_at.push((h, at));
    }
    let section_start = |heading: &str| heading_at.iter().find(|(h, _)| h == heading).unwrap().1;
    for (i, section) in doc.sections.iter().enumerate() {
        let Some(table) = &section.table else { continue };
        let start = section_start(&section.heading);
        let end = doc.sections.get(i + 1).map_or(flat.len(), |s| section_start(&s.heading));
        let expected: Vec<String> =
            table.rows.iter().flatten().filter(|c| c.kind == CellKind::Number).map(|c| c.text.clone()).collect();
        let found = numbers(&text[origin[start]..origin[end]]);
        assert!(is_subsequence(&expected, &found), "{}: numbers {expected:?} not in order in {found:?}", table.key);
    }
    let signature = format!("{}{}", doc.signature.agency, doc.signature.date_text);
    assert!(flat[at..].contains(&signature), "the signature {signature} is not after the last heading");

    // Page numbers: the PAGE field counts pages, odd at the right, even at the left, one 4号
    // character in from the type area (28 mm + 14 pt from the left, 26 mm + 14 pt from the right).
    let mm = 72.0 / 25.4;
    for n in 1..=lo_pages.min(4) {
        let (text, x0, x1) = footer(&pdf, n, (297.0 - 35.0) * mm);
        assert_eq!(text, format!("—{n}—"), "page {n}");
        if n % 2 == 1 {
            assert!((x1 - ((210.0 - 26.0) * mm - 14.0)).abs() < 1.5, "page {n}: right edge {x1}");
        } else {
            assert!((x0 - (28.0 * mm + 14.0)).abs() < 1.5, "page {n}: left edge {x0}");
        }
    }
}

/// The words of page `n` below `y` (the footer): their text without spaces and their extent.
fn footer(pdf: &Path, n: usize, y: f64) -> (String, f64, f64) {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |line: &str, name: &str| -> f64 {
        let at = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[at..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut text, mut x0, mut x1) = (String::new(), f64::MAX, f64::MIN);
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
        if attr(line, "yMin") > y {
            text.push_str(line.split('>').nth(1).unwrap().split('<').next().unwrap());
            x0 = x0.min(attr(line, "xMin"));
            x1 = x1.max(attr(line, "xMax"));
        }
    }
    (text, x0, x1)
}

#[test]
fn libreoffice_renders_the_sealed_document() {
    if !crate::common::tool("soffice") || !crate::common::tool("pdftotext") || !crate::common::tool("pdfimages") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let seal = load_seal(&Seal { written: "seal.png".into(), path: seal_png(dir.path()) }).unwrap();
    let doc = resolved_sealed(LANSHAN);
    let pdf = libreoffice_pdf(&docx(&doc, DocxFonts::Bundled, Some(&seal)), dir.path());
    let text = pdftotext(&pdf, None);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(flat.contains(&doc.signature.agency) && flat.contains(&doc.signature.date_text));
    let images = Command::new("pdfimages").arg("-list").arg(&pdf).output().unwrap();
    let list = String::from_utf8_lossy(&images.stdout);
    assert!(list.lines().count() > 2, "the seal is not in the rendering:\n{list}");
}
