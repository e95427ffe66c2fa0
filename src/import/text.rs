//! Text sources: decoding the bytes, telling web text from `pdftotext` output, and the web text
//! front end.
//!
//! Web text is what a browser copies from a government website: every paragraph on one line,
//! tables flattened to one cell per line (often tab-indented, with full-width or no-break
//! spaces around the numbers), blank lines anywhere. Each non-empty line becomes one
//! [`Line`]; inside a table section its whitespace-separated words are the cells.

use super::source::{lines, words};
use super::{Ctx, Form, Item, Line};

/// The text of a source: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (the
/// encoding Chinese Windows saves "ANSI" text in). Line ends become `\n`.
pub fn decode(bytes: &[u8], ctx: &mut Ctx) -> Option<String> {
    let text = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        match std::str::from_utf8(rest) {
            Ok(s) => s.to_string(),
            Err(e) => return not_text(ctx, bytes, Some(e.valid_up_to() + 3)),
        }
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_string()
    } else if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (s, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return not_text(ctx, bytes, None);
        }
        s.into_owned()
    } else if bytes.starts_with(b"%PDF") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return not_text(ctx, bytes, None);
    } else {
        match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(s) => {
                ctx.warn(
                    "import-encoding",
                    None,
                    "输入不是 UTF-8 编码，已按 GB18030（GBK）读取".into(),
                    "the input is not UTF-8; it was read as GB18030 (GBK)".into(),
                );
                s.into_owned()
            }
            None => return not_text(ctx, bytes, None),
        }
    };
    if text.contains('\0') {
        return not_text(ctx, bytes, None);
    }
    Some(text.replace("\r\n", "\n").replace('\r', "\n"))
}

fn not_text(ctx: &mut Ctx, bytes: &[u8], at: Option<usize>) -> Option<String> {
    let (zh, en) = if bytes.starts_with(b"%PDF") {
        (
            "这是 PDF 文件：请先用 pdftotext -layout 提取文字，再导入得到的文本文件".to_string(),
            "this is a PDF: extract its text with `pdftotext -layout` and import that text file".to_string(),
        )
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        (
            "这是旧版 Word（.doc）文件：请在 Word 或 WPS 中另存为 .docx 后再导入".to_string(),
            "this is an old Word .doc file: save it as .docx in Word or WPS, then import it".to_string(),
        )
    } else {
        let at = at.map(|a| format!("（第 {a} 字节处）")).unwrap_or_default();
        (
            format!("输入既不是 DOCX，也不是 UTF-8 或 GB18030 编码的文本{at}"),
            "the input is neither DOCX nor text in UTF-8 or GB18030".to_string(),
        )
    };
    ctx.error("import-read", None, zh, en);
    None
}

/// Whether text looks like `pdftotext` output: page breaks (form feeds), page footers such as
/// `- 3 -`, or several lines that hold three or more space-separated numbers (table rows) —
/// but neither a tab (`pdftotext` writes none; a browser separates copied cells with tabs)
/// nor whole paragraphs on one long line (web text; `pdftotext` wraps at the page width).
pub fn detect(text: &str) -> Form {
    if text.contains('\u{c}') {
        return Form::Pdf;
    }
    let mut number_rows = 0;
    let mut long_paragraphs = 0;
    for line in text.lines() {
        if super::pdftext::is_footer(line.trim()) {
            return Form::Pdf;
        }
        let numbers = line.split_whitespace().filter(|w| super::tables::value(w).is_some()).count();
        if numbers >= 3 {
            number_rows += 1;
        }
        if line.chars().count() > 120 && line.contains(['。', '，']) {
            long_paragraphs += 1;
        }
    }
    if number_rows >= 3 && !text.contains('\t') && long_paragraphs < 2 {
        Form::Pdf
    } else {
        Form::Web
    }
}

/// Web text: one [`Line`] per non-empty line.
pub fn items(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut blank = false;
    for (no, start, raw) in lines(text) {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            blank = true;
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let span = start + lead..start + lead + trimmed.len();
        out.push(Item::Line(Line {
            no,
            text: trimmed.to_string(),
            span,
            tokens: words(raw, start, no),
            indent: 0,
            width: 0,
            page_break: false,
            page: 0,
            blank_before: blank,
        }));
        blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_is_read_with_a_warning() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("威海市文登区应急管理局\n");
        let mut ctx = Ctx::default();
        assert_eq!(decode(&bytes, &mut ctx).as_deref(), Some("威海市文登区应急管理局\n"));
        assert_eq!(ctx.diags.0[0].rule, "import-encoding");
    }

    #[test]
    fn forms_are_told_apart() {
        assert_eq!(detect("一、总体情况\n规章 0 0 0\n行政许可 1 2 3\n行政处罚 4 5 6\n"), Form::Pdf);
        assert_eq!(detect("规章\t0\t0\t0\n行政许可\t1\t2\t3\n行政处罚\t4\t5\t6\n"), Form::Web);
        let long = "本年度，".repeat(40) + "。";
        let web = format!("{long}\n{long}\n规章 0 0 0\n行政许可 1 2 3\n行政处罚 4 5 6\n");
        assert_eq!(detect(&web), Form::Web);
        assert_eq!(detect("正文\n\n              - 3 -\n"), Form::Pdf);
    }

    #[test]
    fn a_pdf_is_refused_with_advice() {
        let mut ctx = Ctx::default();
        assert!(decode(b"%PDF-1.7\n\x00\x01", &mut ctx).is_none());
        assert!(ctx.diags.0[0].message_zh.contains("pdftotext"));
    }
}
