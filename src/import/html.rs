//! The HTML front end: a saved portal page, or the HTML of the article alone, read with
//! `scraper` (html5ever, the HTML5 parsing algorithm browsers use).
//!
//! A portal page wraps the report in chrome: navigation, breadcrumbs, the publication line,
//! share buttons, "打印本页 / 关闭窗口", the footer — and older portals lay the whole page out in
//! tables. The article body is found as follows: an `<article>` that holds tables; else the
//! tightest element holding most of the page's text that is not link text, widened to take in
//! the report's title when the title stands beside it. Inside it, chrome elements (`nav`,
//! `footer`, `aside`, forms, scripts, elements whose class or id names navigation, sharing or a
//! footer) are skipped, and short lines after the last dated line are reported as unplaced.
//!
//! As for DOCX, the import writes a listing — one line per paragraph (and per `<br>`), one per
//! table row with its cells separated by ` | ` — and every position it reports is a line of it.
//! A table holding another table is layout and is read as blocks; the others are data tables:
//! their `rowspan`/`colspan` are resolved on a grid, each cell is one token for
//! [`super::tables`] (a merged cell once, as the official tables print it), and a blank or
//! `&nbsp;` cell where a number belongs is read as 0 with an `import-blank-cell` warning.
//!
//! Limits: a page larger than [`MAX_HTML_BYTES`] is refused before parsing; elements nested
//! deeper than [`MAX_HTML_DEPTH`] are not descended into (reported once), so no page can
//! exhaust the stack; spans are clamped to [`MAX_COLSPAN`] and [`MAX_ROWSPAN`] as in the HTML
//! standard.

use scraper::{ElementRef, Html, Node};

use super::blank_cells::{is_row_label, warn_blank};
use super::source::Listing;
use super::tables::{marker, value, Marker};
use super::{Ctx, Item, Token};

/// The largest page read (a portal page with its chrome is well under 2 MB).
pub const MAX_HTML_BYTES: usize = 32 * 1024 * 1024;
/// Elements nested deeper than this are not read.
pub const MAX_HTML_DEPTH: usize = 256;
/// The HTML standard's clamps for `colspan` and `rowspan`.
pub const MAX_COLSPAN: usize = 1000;
pub const MAX_ROWSPAN: usize = 65534;
/// Cells of one table read at most (grid rows × columns); a larger table is refused.
pub const MAX_TABLE_CELLS: usize = 200_000;

/// Whether decoded text is HTML rather than web text: it starts with a doctype or an `<html>`,
/// `<article>`, `<body>`, `<div>`, `<table>` or `<p>` tag (after a BOM, white space and comments).
pub fn looks_like_html(text: &str) -> bool {
    let mut t = text.trim_start_matches('\u{feff}').trim_start();
    while let Some(rest) = t.strip_prefix("<!--") {
        t = rest.split_once("-->").map_or("", |(_, r)| r).trim_start();
    }
    let head: String = t.chars().take(16).collect::<String>().to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<?xml",
        "<article",
        "<body",
        "<div",
        "<table",
        "<p>",
        "<p ",
        "<section",
        "<head",
        "<meta",
    ]
    .iter()
    .any(|p| head.starts_with(p))
}

/// Elements that are never part of the report.
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button", "select",
    "textarea", "iframe", "object", "embed", "svg", "canvas", "audio", "video", "map", "dialog",
];

/// Words in a class or id that mark portal chrome.
const CHROME_WORDS: &[&str] =
    &["nav", "menu", "breadcrumb", "crumb", "share", "footer", "sidebar", "toolbar", "copyright", "weizhi", "dqwz"];

/// Elements that end a line of text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "main",
    "blockquote",
    "center",
    "pre",
    "address",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "hr",
    "body",
    "html",
];

fn name(e: &ElementRef) -> String {
    e.value().name().to_ascii_lowercase()
}

fn is_chrome(e: &ElementRef) -> bool {
    let n = name(e);
    if SKIPPED.contains(&n.as_str()) {
        return true;
    }
    let attrs = [e.value().attr("class").unwrap_or(""), e.value().id().unwrap_or("")].join(" ").to_ascii_lowercase();
    let chrome = attrs
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| CHROME_WORDS.iter().any(|c| w == *c || (w.len() > c.len() && w.starts_with(c))));
    // Hidden elements (`hidden`, `aria-hidden`) are not read either; a chrome class on an
    // element that holds a data table is not trusted (some portals class the content box "nav").
    let hidden = e.value().attr("hidden").is_some() || e.value().attr("aria-hidden") == Some("true");
    hidden || (chrome && !has_descendant(e, "table"))
}

fn has_descendant(e: &ElementRef, tag: &str) -> bool {
    e.descendants().filter_map(ElementRef::wrap).any(|d| d.id() != e.id() && name(&d) == tag)
}

/// Characters of text (no white space), and those inside links, below `e` (chrome skipped).
fn text_weight(e: &ElementRef, depth: usize) -> (usize, usize) {
    if depth > MAX_HTML_DEPTH {
        return (0, 0);
    }
    let mut own = 0;
    let mut linked = 0;
    for child in e.children() {
        match child.value() {
            Node::Text(t) => own += t.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Element(_) => {
                if let Some(ce) = ElementRef::wrap(child) {
                    if is_chrome(&ce) {
                        continue;
                    }
                    let (o, l) = text_weight(&ce, depth + 1);
                    if name(&ce) == "a" {
                        linked += o + l;
                    } else {
                        own += o;
                        linked += l;
                    }
                }
            }
            _ => {}
        }
    }
    (own, linked)
}

/// The element holding the report.
fn article<'a>(doc: &'a Html) -> ElementRef<'a> {
    let root = doc.root_element();
    let elements: Vec<ElementRef> = root.descendants().filter_map(ElementRef::wrap).collect();
    // An <article> with tables (nianbao's own page, many CMS templates).
    let articles: Vec<&ElementRef> =
        elements.iter().filter(|e| name(e) == "article" && has_descendant(e, "table")).collect();
    if articles.len() == 1 {
        return *articles[0];
    }
    let body = elements.iter().find(|e| name(e) == "body").copied().unwrap_or(root);
    // Descend while one child holds most of the text that is not link text.
    let mut current = body;
    let mut depth = 0;
    loop {
        let (own, _) = text_weight(&current, depth);
        let best = current
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| !is_chrome(c))
            .map(|c| (text_weight(&c, depth + 1).0, c))
            .max_by_key(|(w, _)| *w);
        match best {
            Some((w, c)) if own > 0 && w * 10 >= own * 8 && depth < MAX_HTML_DEPTH => {
                current = c;
                depth += 1;
            }
            _ => break,
        }
    }
    // The title may stand beside the content box: widen to the nearest ancestor holding it.
    // It is the first heading (else the first element) whose own text — links aside, so not a
    // breadcrumb — names the annual report.
    let is_title = |e: &ElementRef| {
        let mut t = String::new();
        own_text(e, &mut t, 0);
        let t = t.trim();
        t.chars().count() <= 80
            && t.contains("年度报告")
            && !e
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| matches!(name(&a).as_str(), "a" | "head") || is_chrome(&a))
    };
    let title =
        elements.iter().find(|e| matches!(name(e).as_str(), "h1" | "h2" | "h3" | "h4") && is_title(e)).or_else(|| {
            elements.iter().find(|e| matches!(name(e).as_str(), "p" | "div" | "td" | "span" | "strong") && is_title(e))
        });
    if let Some(t) = title {
        if !t.ancestors().any(|a| a.id() == current.id()) && t.id() != current.id() {
            if let Some(common) =
                current.ancestors().filter_map(ElementRef::wrap).find(|a| t.ancestors().any(|b| b.id() == a.id()))
            {
                return common;
            }
        }
    }
    current
}

/// The text below `e` outside links.
fn own_text(e: &ElementRef, out: &mut String, depth: usize) {
    if depth > MAX_HTML_DEPTH {
        return;
    }
    for child in e.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                if let Some(ce) = ElementRef::wrap(child) {
                    if name(&ce) != "a" && !is_chrome(&ce) {
                        own_text(&ce, out, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Collapse white space (no-break spaces included) to single spaces.
fn collapse(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{3000}' {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// The text of a table cell: every text below it, white space collapsed, lines run together.
fn cell_text(e: &ElementRef) -> String {
    let mut s = String::new();
    for t in e.text() {
        collapse(t, &mut s);
    }
    s.trim().trim_matches('\u{3000}').trim().to_string()
}

/// A cell of a data table as read.
struct SourceCell {
    text: String,
    /// First grid column and row.
    col: usize,
    row: usize,
    rowspan: usize,
    in_head: bool,
}

fn span_attr(e: &ElementRef, attr: &str, max: usize) -> usize {
    e.value().attr(attr).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, max)
}

#[derive(Default)]
struct Reader {
    listing: Listing,
    /// The line being gathered.
    pending: String,
    too_deep: bool,
    too_large: Option<usize>,
}

impl Reader {
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.pending);
        let trimmed = line.trim().trim_matches('\u{3000}').trim();
        if trimmed.is_empty() {
            return;
        }
        self.listing.push_line(trimmed);
    }

    fn walk(&mut self, e: &ElementRef, depth: usize, ctx: &mut Ctx) {
        if depth > MAX_HTML_DEPTH {
            self.too_deep = true;
            return;
        }
        for child in e.children() {
            match child.value() {
                Node::Text(t) => collapse(t, &mut self.pending),
                Node::Element(_) => {
                    let Some(ce) = ElementRef::wrap(child) else { continue };
                    if is_chrome(&ce) {
                        continue;
                    }
                    let n = name(&ce);
                    if n == "br" {
                        self.flush();
                        continue;
                    }
                    if n == "table" && !has_descendant(&ce, "table") {
                        self.flush();
                        self.table(&ce, ctx);
                        continue;
                    }
                    if n == "caption" {
                        // A data table's caption repeats its heading; a layout table's is text.
                        self.flush();
                        continue;
                    }
                    let block = BLOCKS.contains(&n.as_str());
                    if block {
                        self.flush();
                    }
                    self.walk(&ce, depth + 1, ctx);
                    if block {
                        self.flush();
                    }
                }
                _ => {}
            }
        }
    }

    /// A data table: its grid resolved, each cell once, in reading order.
    fn table(&mut self, t: &ElementRef, ctx: &mut Ctx) {
        // Rows in document order: those of thead, tbody, tfoot and bare tr children (html5ever
        // wraps bare rows in a tbody anyway).
        let mut rows: Vec<(ElementRef, bool)> = Vec::new();
        for child in t.children().filter_map(ElementRef::wrap) {
            match name(&child).as_str() {
                "tr" => rows.push((child, false)),
                g @ ("thead" | "tbody" | "tfoot") => {
                    for r in child.children().filter_map(ElementRef::wrap).filter(|r| name(r) == "tr") {
                        rows.push((r, g == "thead"));
                    }
                }
                _ => {}
            }
        }
        // The grid: which columns of each row are taken by cells from rows above.
        let mut taken: Vec<Vec<bool>> = Vec::new();
        let mut cells: Vec<SourceCell> = Vec::new();
        let row_count = rows.len();
        for (r, (tr, in_head)) in rows.iter().enumerate() {
            if taken.len() <= r {
                taken.resize(r + 1, Vec::new());
            }
            let mut col = 0;
            for td in tr.children().filter_map(ElementRef::wrap).filter(|c| matches!(name(c).as_str(), "td" | "th")) {
                while taken[r].get(col).copied().unwrap_or(false) {
                    col += 1;
                }
                let colspan = span_attr(&td, "colspan", MAX_COLSPAN);
                let rowspan = span_attr(&td, "rowspan", MAX_ROWSPAN).min(row_count - r);
                if (col + colspan) * (r + rowspan) > MAX_TABLE_CELLS {
                    self.too_large = Some(MAX_TABLE_CELLS);
                    return;
                }
                if taken.len() < r + rowspan {
                    taken.resize(r + rowspan, Vec::new());
                }
                for row in &mut taken[r..r + rowspan] {
                    if row.len() < col + colspan {
                        row.resize(col + colspan, false);
                    }
                    for slot in &mut row[col..col + colspan] {
                        *slot = true;
                    }
                }
                cells.push(SourceCell { text: cell_text(&td), col, row: r, rowspan, in_head: *in_head });
                col += colspan;
            }
        }

        // One listing line and one token row per grid row.
        let mut out_rows = Vec::new();
        for r in 0..row_count {
            let own: Vec<&SourceCell> = cells.iter().filter(|c| c.row == r).collect();
            if own.is_empty() {
                continue;
            }
            let covering: Vec<&SourceCell> =
                cells.iter().filter(|c| c.row < r && c.row + c.rowspan > r && !c.text.is_empty()).collect();
            let has_value = own.iter().any(|c| value(&c.text).is_some());
            let labelled = own.iter().chain(covering.iter()).any(|c| is_row_label(&c.text));
            let in_head = own.iter().all(|c| c.in_head);
            // A blank cell stands for 0 in a row of numbers: one that has numbers, or whose label
            // names an official row, to the right of its label.
            let label_col = own
                .iter()
                .chain(covering.iter())
                .filter(|c| !c.text.is_empty() && value(&c.text).is_none())
                .map(|c| c.col)
                .min();
            let number_row = !in_head && (has_value || labelled);
            if own.iter().all(|c| c.text.is_empty()) && !number_row {
                continue;
            }
            let (no, row_start) = self.listing.new_line();
            let mut tokens = Vec::new();
            let mut blanks = 0;
            for (i, c) in own.iter().enumerate() {
                if c.text.is_empty() {
                    if i > 0 {
                        self.listing.text.push_str(" | ");
                    }
                    let start = self.listing.text.len();
                    let after_label = label_col.is_none_or(|l| c.col > l);
                    if number_row && after_label && (has_value || label_col.is_some()) {
                        blanks += 1;
                        tokens.push(Token { text: "0".into(), line: no, span: start..start });
                    }
                    continue;
                }
                tokens.push(self.listing.push_cell(no, i == 0, &c.text));
            }
            if blanks > 0 {
                let labels: Vec<&str> = covering
                    .iter()
                    .chain(own.iter())
                    .filter(|c| value(&c.text).is_none() && !c.text.is_empty())
                    .map(|c| c.text.as_str())
                    .collect();
                let label = labels.last().copied().unwrap_or("");
                warn_blank(ctx, no, row_start..self.listing.text.len(), label, blanks);
            }
            if !tokens.is_empty() {
                out_rows.push(tokens);
            }
        }
        if !out_rows.is_empty() {
            self.listing.items.push(Item::Table(out_rows));
        }
    }
}

/// Read an HTML page: its items and the listing they point into.
pub fn read(text: &str, ctx: &mut Ctx) -> Option<(Vec<Item>, String)> {
    if text.len() > MAX_HTML_BYTES {
        ctx.error(
            "import-read",
            None,
            format!("网页文件过大（{} 字节，上限 {MAX_HTML_BYTES} 字节）", text.len()),
            format!("the page is too large ({} bytes; the limit is {MAX_HTML_BYTES})", text.len()),
        );
        return None;
    }
    let doc = Html::parse_document(text);
    let body = article(&doc);
    let mut r = Reader::default();
    r.walk(&body, 0, ctx);
    r.flush();
    if r.too_deep {
        ctx.warn(
            "import-read",
            None,
            format!("网页元素嵌套超过 {MAX_HTML_DEPTH} 层，更深处的内容未读取"),
            format!("elements are nested deeper than {MAX_HTML_DEPTH} levels; what lies deeper was not read"),
        );
    }
    if let Some(max) = r.too_large {
        ctx.error(
            "import-table",
            None,
            format!("网页中的表格超过 {max} 个单元格，未读取"),
            format!("a table of the page has more than {max} cells and was not read"),
        );
    }
    publication_lines(&mut r.listing.items, ctx);
    trailing_chrome(&mut r.listing.items, ctx);
    Some((r.listing.items, r.listing.text))
}

/// The portal's publication line under the title (发布时间、来源、浏览次数、字号) is taken off
/// and reported as unplaced: it is not part of the report's preamble.
fn publication_lines(items: &mut Vec<Item>, ctx: &mut Ctx) {
    const WORDS: &[&str] = &["发布时间", "发布日期", "浏览次数", "点击数", "阅读次数", "访问量", "字体：", "字号："];
    // Only before the first section heading: the report's own text is never touched.
    let first_heading = items
        .iter()
        .position(|i| matches!(i, Item::Line(l) if matches!(marker(&l.text), Some((Marker::Top(1), _)))))
        .unwrap_or(items.len());
    let mut k = 0;
    items.retain(|i| {
        k += 1;
        let Item::Line(l) = i else { return true };
        let chrome = k <= first_heading && l.text.chars().count() <= 120 && WORDS.iter().any(|w| l.text.contains(w));
        if chrome {
            ctx.unplaced(l.no, l.span.clone(), &l.text, "网页的发布信息", "the page's publication data");
        }
        !chrome
    });
}

/// Short lines after the last line with a date (打印本页、关闭窗口、责任编辑 …) are the
/// portal's, not the report's: reported as unplaced and taken off, so that the signature is
/// found at the end.
fn trailing_chrome(items: &mut Vec<Item>, ctx: &mut Ctx) {
    let last_dated = items.iter().rposition(|i| match i {
        Item::Line(l) => super::document::find_date(&l.text).is_some(),
        Item::Table(_) => true,
    });
    let Some(k) = last_dated else { return };
    let tail = &items[k + 1..];
    let short = tail.iter().all(|i| matches!(i, Item::Line(l) if l.text.chars().count() <= 40));
    if tail.is_empty() || !short {
        return;
    }
    for item in items.drain(k + 1..) {
        if let Item::Line(l) = item {
            ctx.unplaced(l.no, l.span.clone(), &l.text, "落款之后的网页文字", "page text after the signature");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_told_from_text() {
        assert!(looks_like_html("<!DOCTYPE html>\n<html>"));
        assert!(looks_like_html("\u{feff}  <!-- saved -->\n<HTML lang=zh>"));
        assert!(looks_like_html("<article class=x>"));
        assert!(!looks_like_html("某某市某某区市场监督管理局\n2022年政府信息公开工作年度报告"));
        assert!(!looks_like_html("<不是标签>"));
    }
}
