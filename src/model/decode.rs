//! JSON text → [`Report`], collecting every problem instead of stopping at the first.
//!
//! The text is parsed into a span-carrying syntax tree (strict JSON: no comments, no trailing
//! commas), then walked by hand against the input contract so that each unknown key, duplicate
//! key, wrong type, bad count or malformed row becomes its own diagnostic with its JSON path and
//! position. Rule 5 of input-format.md (types and ranges) lives here; the arithmetic rules 1–4, 6
//! and 7 live in [`crate::check`].

use std::collections::HashSet;
use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::tables::{
    DocColumn, DocRow, Heading, ResultGroup, Table4Column, Table4Group, ValueRow, REPORT_YEARS, TABLE3_ROWS,
};
use super::*;
use crate::diag::{index, join, Diagnostic, Diagnostics, SpanMap};

/// What decoding produced: the report when the input was complete enough to build one, the
/// position of every path, and every problem found (not yet located: see
/// [`Diagnostics::locate`], which [`decode`] already calls).
pub struct Decoded {
    pub report: Option<Report>,
    pub spans: SpanMap,
    pub diagnostics: Diagnostics,
    /// The text that was decoded (BOM removed), kept for source snippets.
    pub text: String,
}

/// Decode raw bytes: tolerates a UTF-8 BOM, reports invalid UTF-8 with its position.
pub fn decode_bytes(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => decode(text),
        Err(e) => {
            let good = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            // Position in the lossy text equals `good`: everything before it was valid.
            let mut diagnostics = Diagnostics::default();
            diagnostics.push(
                Diagnostic::error(
                    "encoding",
                    "",
                    format!("输入不是有效的 UTF-8 编码（第 {good} 字节处）"),
                    format!("input is not valid UTF-8 (at byte {good})"),
                )
                .with_span(good..good + 1)
                .with_hint("请将文件另存为 UTF-8 编码 / save the file as UTF-8"),
            );
            let spans = SpanMap::default();
            diagnostics.locate(&spans, &text);
            Decoded { report: None, spans, diagnostics, text }
        }
    }
}

/// Decode a report from JSON text (a leading BOM is tolerated).
pub fn decode(text: &str) -> Decoded {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    let mut dec = Decoder::default();
    let report = if text.trim().is_empty() {
        dec.diags.push(Diagnostic::error("json-syntax", "", "输入为空，没有报告内容", "the input is empty: no report"));
        None
    } else {
        match raw_control(&text) {
            Some(at) => {
                let c = text[at..].chars().next().unwrap_or('\0');
                dec.diags.push(
                    Diagnostic::error(
                        "json-syntax",
                        "",
                        format!("JSON 语法错误：字符串中有未转义的控制字符 {}", crate::diag::escape_char(c)),
                        format!("JSON syntax error: unescaped control character {} in a string", crate::diag::escape_char(c)),
                    )
                    .with_span(at..at + c.len_utf8())
                    .with_hint("RFC 8259 §7：控制字符须写成转义形式，如 \\n、\\t / control characters must be escaped, e.g. \\n, \\t"),
                );
                None
            }
            None => match jsonc_parser::parse_to_ast(&text, &CollectOptions::default(), &strict()) {
                Ok(parsed) => match parsed.value {
                    Some(v) => dec.report(&v),
                    None => {
                        dec.diags.push(Diagnostic::error(
                            "json-syntax",
                            "",
                            "输入为空，没有报告内容",
                            "the input is empty: no report",
                        ));
                        None
                    }
                },
                Err(e) => {
                    let r = e.range();
                    dec.diags.push(
                        Diagnostic::error(
                            "json-syntax",
                            "",
                            format!("JSON 语法错误：{}", syntax_zh(&e.kind().to_string())),
                            format!("JSON syntax error: {}", e.kind()),
                        )
                        .with_span(r.start..r.end.max(r.start + 1)),
                    );
                    None
                }
            },
        }
    };
    let Decoder { spans, mut diags, .. } = dec;
    diags.locate(&spans, &text);
    // A report with errors of rule 5 is still returned, so the checks can run on what is there;
    // callers decide with `diagnostics.has_errors()`.
    Decoded { report, spans, diagnostics: diags, text }
}

/// Byte offset of the first raw control character (U+0000–U+001F) inside a JSON string:
/// RFC 8259 §7 requires them escaped, and the parser would otherwise accept them.
fn raw_control(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        match (in_string, b[i]) {
            (false, b'"') => in_string = true,
            (true, b'"') => in_string = false,
            (true, b'\\') => i += 1,
            (true, c) if c < 0x20 => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

pub use crate::diag::is_unprintable;

fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// A short Chinese gloss of the parser's English message.
fn syntax_zh(en: &str) -> &'static str {
    let en = en.to_ascii_lowercase();
    if en.contains("unterminated") {
        "内容不完整（括号或引号未闭合，文件可能被截断）"
    } else if en.contains("comma") {
        "逗号使用不当"
    } else if en.contains("comment") {
        "JSON 中不允许注释"
    } else if en.contains("colon") {
        "缺少冒号"
    } else if en.contains("string") {
        "字符串格式错误"
    } else if en.contains("depth") {
        "嵌套层数过深"
    } else {
        "出现意外的字符"
    }
}

type Span = Range<usize>;

fn span(v: &Value) -> Span {
    let r = match v {
        Value::StringLit(x) => x.range,
        Value::NumberLit(x) => x.range,
        Value::BooleanLit(x) => x.range,
        Value::Object(x) => x.range,
        Value::Array(x) => x.range,
        Value::NullKeyword(x) => x.range,
    };
    r.start..r.end
}

fn type_name(v: &Value) -> (&'static str, &'static str) {
    match v {
        Value::StringLit(_) => ("字符串", "string"),
        Value::NumberLit(_) => ("数字", "number"),
        Value::BooleanLit(_) => ("布尔值", "boolean"),
        Value::Object(_) => ("对象", "object"),
        Value::Array(_) => ("数组", "array"),
        Value::NullKeyword(_) => ("null", "null"),
    }
}

/// The members of one object, after duplicate and unknown keys were reported.
struct Fields<'v, 'a> {
    path: String,
    span: Span,
    members: Vec<(&'v str, &'v Value<'a>)>,
}

impl<'v, 'a> Fields<'v, 'a> {
    fn get(&self, key: &str) -> Option<&'v Value<'a>> {
        self.members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

#[derive(Default)]
struct Decoder {
    spans: SpanMap,
    diags: Diagnostics,
    /// Characters of every string read so far, for [`crate::limits::REPORT_TEXT_CHARS_MAX`].
    text_chars: usize,
}

impl Decoder {
    fn wrong_type(&mut self, v: &Value, path: &str, zh: &str, en: &str) {
        let (gzh, gen) = type_name(v);
        let (wzh, wen) = if path.is_empty() { ("报告顶层", "the report") } else { (path, path) };
        self.diags.push(
            Diagnostic::error(
                "wrong-type",
                path,
                format!("{wzh} 应为{zh}，实际为{gzh}"),
                format!("{wen} must be {en}, found {gen}"),
            )
            .with_span(span(v)),
        );
    }

    fn missing(&mut self, parent: &Fields, key: &str, zh: &str) {
        let path = parent.path(key);
        let where_ = if parent.path.is_empty() { "顶层".to_string() } else { parent.path.clone() };
        self.diags.push(
            Diagnostic::error(
                "missing-field",
                &path,
                format!("缺少必填字段 {key}（{zh}），应位于 {where_}"),
                format!(
                    "missing required field `{key}` in {}",
                    if parent.path.is_empty() { "the top level" } else { &parent.path }
                ),
            )
            .with_span(parent.span.start..parent.span.start + 1),
        );
    }

    /// Check that `v` is an object; report duplicate keys and keys outside `allowed`.
    fn object<'v, 'a>(&mut self, v: &'v Value<'a>, path: &str, allowed: &[&str]) -> Option<Fields<'v, 'a>> {
        let Value::Object(obj) = v else {
            self.wrong_type(v, path, "对象", "an object");
            return None;
        };
        self.spans.insert(path, span(v));
        let mut seen = HashSet::new();
        let mut members = Vec::new();
        for prop in &obj.properties {
            let (key, krange) = match &prop.name {
                ObjectPropName::String(s) => (s.value.as_ref(), s.range),
                ObjectPropName::Word(w) => (w.value, w.range),
            };
            let kpath = join(path, key);
            let kspan = krange.start..krange.end;
            if !seen.insert(key) {
                self.diags.push(
                    Diagnostic::error(
                        "duplicate-key",
                        &kpath,
                        format!("键 \"{key}\" 在同一对象中重复出现，报告含义不明确"),
                        format!("key `{key}` appears more than once in the same object: the report is ambiguous"),
                    )
                    .with_span(kspan)
                    .with_hint("删除重复的键 / remove one of the duplicates"),
                );
                continue;
            }
            if key.starts_with('$') || key.starts_with("x-") {
                continue;
            }
            if !allowed.contains(&key) {
                let mut d = Diagnostic::error(
                    "unknown-key",
                    &kpath,
                    format!("未知的键 \"{key}\""),
                    format!("unknown key `{key}`"),
                )
                .with_span(kspan);
                d = match closest(key, allowed) {
                    Some(s) => d.with_hint(format!(
                        "是否应为 \"{s}\"？/ did you mean `{s}`? (扩展字段请以 x- 开头 / extension keys start with x-)"
                    )),
                    None => d.with_hint(format!(
                        "此处允许的键 / keys allowed here: {}；扩展字段请以 x- 开头 / extension keys start with x-",
                        allowed.join(", ")
                    )),
                };
                self.diags.push(d);
                continue;
            }
            self.spans.insert(&kpath, span(&prop.value));
            members.push((key, &prop.value));
        }
        Some(Fields { path: path.to_string(), span: span(v), members })
    }

    fn string(&mut self, v: &Value, path: &str) -> Option<String> {
        self.spans.insert(path, span(v));
        match v {
            Value::StringLit(s) => {
                if let Some(c) = s.value.chars().find(|&c| is_unprintable(c)) {
                    let e = crate::diag::escape_char(c);
                    self.diags.push(
                        Diagnostic::error(
                            "text-control",
                            path,
                            format!("{path} 含有不可打印的字符 {e}（控制字符、双向覆盖符或 NUL）"),
                            format!("{path} contains the unprintable character {e} (a control character, bidi override or NUL)"),
                        )
                        .with_span(span(v))
                        .with_hint("删除该字符；换行请分段 / remove it; use separate paragraphs for line breaks"),
                    );
                }
                let chars = s.value.chars().count();
                if chars > crate::limits::TEXT_CHARS_MAX {
                    self.diags.push(
                        Diagnostic::error(
                            "text-too-long",
                            path,
                            format!("{path} 有 {chars} 个字符，超过上限 {}", crate::limits::TEXT_CHARS_MAX),
                            format!(
                                "{path} has {chars} characters, more than the limit of {}",
                                crate::limits::TEXT_CHARS_MAX
                            ),
                        )
                        .with_span(span(v).start..span(v).start + 1),
                    );
                    return None;
                }
                let before = self.text_chars;
                self.text_chars += chars;
                let max = crate::limits::REPORT_TEXT_CHARS_MAX;
                if self.text_chars > max {
                    if before <= max {
                        self.diags.push(
                            Diagnostic::error(
                                "text-too-long",
                                path,
                                format!("报告的文字共超过 {max} 个字符（至 {path} 处），超过上限"),
                                format!("the report's texts exceed the limit of {max} characters in all (at {path})"),
                            )
                            .with_span(span(v).start..span(v).start + 1),
                        );
                    }
                    return None;
                }
                Some(s.value.to_string())
            }
            _ => {
                self.wrong_type(v, path, "字符串", "a string");
                None
            }
        }
    }

    /// A required member, read by `read`; a missing one is reported and `absent` stands in.
    fn required<'v, 'a, T>(
        &mut self,
        f: &Fields<'v, 'a>,
        key: &str,
        zh: &str,
        absent: T,
        read: impl FnOnce(&mut Self, &'v Value<'a>) -> T,
    ) -> T {
        match f.get(key) {
            Some(v) => read(self, v),
            None => {
                self.missing(f, key, zh);
                absent
            }
        }
    }

    fn required_string(&mut self, f: &Fields, key: &str, zh: &str) -> Option<String> {
        self.required(f, key, zh, None, |d, v| {
            let s = d.string(v, &f.path(key))?;
            if s.trim().is_empty() {
                d.diags.push(
                    Diagnostic::error(
                        "empty-text",
                        f.path(key),
                        format!("{zh}不能为空"),
                        format!("`{key}` must not be empty"),
                    )
                    .with_span(span(v)),
                );
            }
            Some(s)
        })
    }

    fn optional_string(&mut self, f: &Fields, key: &str) -> Option<String> {
        let v = f.get(key)?;
        self.string(v, &f.path(key))
    }

    /// A count: a JSON integer ≥ 0 that fits in 64 bits (input-format.md, general rules).
    fn count(&mut self, v: &Value, path: &str) -> Option<u64> {
        self.spans.insert(path, span(v));
        let Value::NumberLit(n) = v else {
            self.wrong_type(v, path, "非负整数", "a non-negative integer");
            return None;
        };
        let text = n.value;
        let err = |zh: String, en: String| Diagnostic::error("count-invalid", path, zh, en).with_span(span(v));
        if text.starts_with('-') {
            let zero = text.trim_start_matches('-').bytes().all(|b| b == b'0' || b == b'.');
            if !zero {
                self.diags.push(
                    Diagnostic::error(
                        "count-negative",
                        path,
                        format!("{path} 为负数 {text}，件数不能小于 0"),
                        format!("{path} is negative ({text}); counts cannot be below 0"),
                    )
                    .with_span(span(v))
                    .with_involved(path, text),
                );
                return None;
            }
        }
        if text.contains(['.', 'e', 'E']) {
            // 5.0 is an integer value written as a decimal; 5.5 and 1e3 are refused alike so the
            // printed table never depends on how a number was spelled.
            self.diags.push(
                err(format!("{path} 应为整数，实际为 {text}"), format!("{path} must be a whole number, found {text}"))
                    .with_involved(path, text),
            );
            return None;
        }
        match text.trim_start_matches('-').parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.diags.push(
                    err(
                        format!("{path} 数值 {text} 过大，超出可处理范围（最大 {}）", u64::MAX),
                        format!("{path} = {text} is too large (maximum {})", u64::MAX),
                    )
                    .with_involved(path, text),
                );
                None
            }
        }
    }

    fn count_field(&mut self, f: &Fields, key: &str) -> u64 {
        match f.get(key) {
            Some(v) => self.count(v, &f.path(key)).unwrap_or(0),
            None => 0,
        }
    }

    /// A row of table 三: `[]`, six counts, or six counts and their 总计.
    fn row(&mut self, v: &Value, path: &str) -> Row {
        self.spans.insert(path, span(v));
        let Value::Array(arr) = v else {
            self.wrong_type(
                v,
                path,
                "数组（6 个件数，可选第 7 个总计）",
                "an array of 6 counts (and an optional 7th total)",
            );
            return Row::default();
        };
        let n = arr.elements.len();
        if n != 0 && n != 6 && n != 7 {
            self.diags.push(
                Diagnostic::error(
                    "row-length",
                    path,
                    format!("{path} 有 {n} 个数，应为 6 个（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他），可加第 7 个总计"),
                    format!("{path} has {n} cells; a row has 6 (plus an optional 7th total)"),
                )
                .with_span(span(v))
                .with_involved("cells", n),
            );
            return Row { given: true, ..Row::default() };
        }
        let mut row = Row { given: true, ..Row::default() };
        for (i, e) in arr.elements.iter().enumerate() {
            let c = self.count(e, &index(path, i)).unwrap_or(0);
            if i < 6 {
                row.cells[i] = c;
            } else {
                row.total = Some(c);
            }
        }
        row
    }

    fn section(&mut self, f: &Fields, key: &str, zh: &str) -> Section {
        let path = f.path(key);
        let Some(v) = f.get(key) else {
            self.missing(f, key, zh);
            return Section::default();
        };
        let Some(s) = self.object(v, &path, &["paragraphs", "subsections"]) else {
            return Section::default();
        };
        let paragraphs = self.paragraphs(&s, "paragraphs");
        let mut subsections = Vec::new();
        if let Some(v) = s.get("subsections") {
            let spath = s.path("subsections");
            if let Value::Array(arr) = v {
                for (i, e) in arr.elements.iter().enumerate() {
                    let epath = index(&spath, i);
                    if let Some(sub) = self.object(e, &epath, &["title", "paragraphs"]) {
                        let title = self.required_string(&sub, "title", "小节标题").unwrap_or_default();
                        let paragraphs = self.paragraphs(&sub, "paragraphs");
                        subsections.push(Subsection { title, paragraphs });
                    }
                }
            } else {
                self.wrong_type(v, &spath, "数组", "an array");
            }
        }
        Section { paragraphs, subsections }
    }

    fn paragraphs(&mut self, f: &Fields, key: &str) -> Vec<String> {
        let Some(v) = f.get(key) else { return Vec::new() };
        let path = f.path(key);
        let Value::Array(arr) = v else {
            self.wrong_type(v, &path, "字符串数组", "an array of strings");
            return Vec::new();
        };
        arr.elements.iter().enumerate().filter_map(|(i, e)| self.string(e, &index(&path, i))).collect()
    }

    fn report(&mut self, v: &Value) -> Option<Report> {
        let top: Vec<&str> = TOP_LEVEL_KEYS.iter().map(|(k, _)| *k).collect();
        let f = self.object(v, "", &top)?;

        let format = self.required(&f, "format", "格式版本，应为 \"2021\"", None, |d, v| {
            let s = d.string(v, "format");
            if let Some(s) = &s {
                if s != FORMAT_2021 {
                    d.diags.push(
                        Diagnostic::error(
                            "format-version",
                            "format",
                            format!("不支持的格式版本 \"{s}\"：本版本只支持 \"2021\"（国办公开办函〔2021〕30号格式）"),
                            format!("unsupported format `{s}`: this release reads \"2021\" only"),
                        )
                        .with_span(span(v)),
                    );
                }
            }
            s
        });
        let agency = self.required_string(&f, "agency", "机关全称");
        let year = self.required(&f, "year", "报告年度", None, |d, v| {
            d.count(v, "year").and_then(|y| {
                if let Some(y) = i64::try_from(y).ok().filter(|y| REPORT_YEARS.contains(y)) {
                    Some(y)
                } else {
                    d.diags.push(
                        Diagnostic::error(
                            "year-range",
                            "year",
                            format!(
                                "报告年度 {y} 不合理（应在 {} 至 {} 之间）",
                                REPORT_YEARS.start(),
                                REPORT_YEARS.end()
                            ),
                            format!(
                                "report year {y} is implausible (expected {}–{})",
                                REPORT_YEARS.start(),
                                REPORT_YEARS.end()
                            ),
                        )
                        .with_involved("year", y),
                    );
                    None
                }
            })
        });
        let title = self.optional_string(&f, "title");
        let preamble = f.get("preamble").map(|_| self.paragraphs(&f, "preamble"));
        let id = self.optional_string(&f, "id");

        let contact = self.required(&f, "contact", "联系方式", None, Self::contact);
        let [overview, problems, other_matters] = [Heading::Overview, Heading::Problems, Heading::OtherMatters]
            .map(|h| self.section(&f, h.key(), &h.numbered()));

        let active_disclosure = self.required(
            &f,
            "active_disclosure",
            "表二 主动公开政府信息情况",
            ActiveDisclosure::default(),
            Self::active_disclosure,
        );
        let applications = self.required(
            &f,
            "applications",
            "表三 收到和处理政府信息公开申请情况",
            Applications::default(),
            Self::applications,
        );
        let review_litigation = self.required(
            &f,
            "review_litigation",
            "表四 行政复议、行政诉讼情况",
            ReviewLitigation::default(),
            Self::review_litigation,
        );
        let signature = self.required(&f, "signature", "署名和成文日期", None, Self::signature);
        let headings = match f.get("headings") {
            Some(v) => self.headings(v),
            None => Headings::default(),
        };

        Some(Report {
            format: format?,
            agency: agency?,
            year: year?,
            title,
            preamble,
            contact: contact?,
            overview,
            active_disclosure,
            applications,
            review_litigation,
            problems,
            other_matters,
            signature: signature?,
            headings,
            id,
        })
    }

    fn contact(&mut self, v: &Value) -> Option<Contact> {
        let f = self.object(
            v,
            "contact",
            &["office", "address", "postcode", "phone", "fax", "website_name", "website_url", "email"],
        )?;
        let office = self.required_string(&f, "office", "联系机构（如办公室）");
        let c = Contact {
            office: office.unwrap_or_default(),
            address: self.optional_string(&f, "address"),
            postcode: self.optional_string(&f, "postcode"),
            phone: self.optional_string(&f, "phone"),
            fax: self.optional_string(&f, "fax"),
            website_name: self.optional_string(&f, "website_name"),
            website_url: self.optional_string(&f, "website_url"),
            email: self.optional_string(&f, "email"),
        };
        if c.phone.is_none() && c.email.is_none() {
            self.diags.push(
                Diagnostic::error(
                    "missing-field",
                    "contact",
                    "联系方式中 phone（电话）和 email（电子邮箱）至少要填一项",
                    "contact needs `phone` or `email`",
                )
                .with_span(f.span.start..f.span.start + 1),
            );
        }
        Some(c)
    }

    fn signature(&mut self, v: &Value) -> Option<Signature> {
        let f = self.object(v, "signature", &["agency", "date", "seal"])?;
        let agency = self.optional_string(&f, "agency");
        let seal = self.optional_string(&f, "seal");
        let date = self.required(&f, "date", "成文日期", None, |d, v| {
            d.string(v, "signature.date").and_then(|s| match parse_iso_date(&s) {
                Some(date) => Some(date),
                None => {
                    d.diags.push(
                        Diagnostic::error(
                            "invalid-date",
                            "signature.date",
                            format!("成文日期 \"{s}\" 不是有效日期，应写作 YYYY-MM-DD（如 2022-01-28）"),
                            format!("signature.date `{s}` is not a real date in YYYY-MM-DD form"),
                        )
                        .with_span(span(v)),
                    );
                    None
                }
            })
        });
        Some(Signature { agency, date, seal })
    }

    fn headings(&mut self, v: &Value) -> Headings {
        let keys = Heading::ALL.map(Heading::key);
        let mut h = Headings::default();
        let Some(f) = self.object(v, "headings", &keys) else { return h };
        for k in Heading::ALL {
            *h.slot_mut(k) = self.optional_string(&f, k.key());
        }
        h
    }

    fn active_disclosure(&mut self, v: &Value) -> ActiveDisclosure {
        let mut t = ActiveDisclosure::default();
        let keys: Vec<&str> =
            DocRow::ALL.map(DocRow::key).into_iter().chain(ValueRow::ALL.map(ValueRow::key)).collect();
        let Some(f) = self.object(v, "active_disclosure", &keys) else {
            return t;
        };
        let cols = DocColumn::ALL.map(DocColumn::key);
        for key in DocRow::ALL {
            let Some(rv) = f.get(key.key()) else { continue };
            let Some(rf) = self.object(rv, &f.path(key.key()), &cols) else { continue };
            let counts = t.doc_row_mut(key);
            for col in DocColumn::ALL {
                *counts.get_mut(col) = self.count_field(&rf, col.key());
            }
        }
        for row in ValueRow::COUNTS {
            let n = self.count_field(&f, row.key());
            if let Some(slot) = t.count_mut(row) {
                *slot = n;
            }
        }
        if let Some(v) = f.get(ValueRow::Fees.key()) {
            t.fees = self.amount(v, "active_disclosure.fees").unwrap_or_default();
        }
        t
    }

    /// `fees`: a JSON number ≥ 0 kept as written (input-format.md, general rules).
    fn amount(&mut self, v: &Value, path: &str) -> Option<Amount> {
        self.spans.insert(path, span(v));
        let Value::NumberLit(n) = v else {
            self.wrong_type(v, path, "非负数（单位：万元）", "a non-negative number (万元)");
            return None;
        };
        if n.value.starts_with('-') {
            self.diags.push(
                Diagnostic::error(
                    "amount-invalid",
                    path,
                    format!("{path} 为负数 {}，收费金额不能小于 0", n.value),
                    format!("{path} is negative ({})", n.value),
                )
                .with_span(span(v))
                .with_involved(path, n.value),
            );
            return None;
        }
        match Amount::parse(n.value) {
            Some(a) => Some(a),
            None => {
                self.diags.push(
                    Diagnostic::error(
                        "amount-invalid",
                        path,
                        format!("{path} 应写成普通小数（如 12.50），不能用科学计数法：{}", n.value),
                        format!("{path} must be written as a plain decimal such as 12.50, found {}", n.value),
                    )
                    .with_span(span(v)),
                );
                None
            }
        }
    }

    fn applications(&mut self, v: &Value) -> Applications {
        let mut t = Applications::default();
        // Walk the nesting of TABLE3_ROWS keys: `results` and its four groups are objects.
        let top = first_segments(TABLE3_ROWS.iter().map(|r| r.key));
        let Some(f) = self.object(v, "applications", &top) else {
            return t;
        };
        let results = f.get("results").and_then(|rv| {
            let keys = first_segments(TABLE3_ROWS.iter().filter_map(|r| r.key.strip_prefix("results.")));
            self.object(rv, "applications.results", &keys)
        });
        let mut groups: Vec<(&str, Option<Fields>)> = Vec::new();
        if let Some(r) = &results {
            for gkey in ResultGroup::ALL.map(ResultGroup::key) {
                let short = gkey.trim_start_matches("results.");
                let members: Vec<&str> = TABLE3_ROWS
                    .iter()
                    .filter_map(|row| row.key.strip_prefix(gkey).and_then(|k| k.strip_prefix('.')))
                    .collect();
                let g = r.get(short).and_then(|gv| self.object(gv, &r.path(short), &members));
                groups.push((gkey, g));
            }
        }
        for (i, def) in TABLE3_ROWS.iter().enumerate() {
            let path = join("applications", def.key);
            let value = match def.key.rsplit_once('.') {
                None => f.get(def.key),
                Some(("results", k)) => results.as_ref().and_then(|r| r.get(k)),
                Some((g, k)) => {
                    groups.iter().find(|(gk, _)| *gk == g).and_then(|(_, o)| o.as_ref()).and_then(|o| o.get(k))
                }
            };
            if let Some(v) = value {
                t.rows[i] = self.row(v, &path);
            }
        }
        t
    }

    fn review_litigation(&mut self, v: &Value) -> ReviewLitigation {
        let mut t = ReviewLitigation::default();
        let groups = Table4Group::ALL.map(Table4Group::key);
        let Some(f) = self.object(v, "review_litigation", &groups) else { return t };
        let cols = Table4Column::ALL.map(Table4Column::key);
        for g in Table4Group::ALL {
            let Some(gv) = f.get(g.key()) else { continue };
            let Some(gf) = self.object(gv, &f.path(g.key()), &cols) else { continue };
            let [upheld, corrected, other, pending] = Table4Column::PARTS.map(|c| self.count_field(&gf, c.key()));
            let total_key = Table4Column::Total.key();
            let total = gf.get(total_key).and_then(|tv| self.count(tv, &gf.path(total_key)));
            *t.group_mut(g) = CaseGroup { upheld, corrected, other, pending, total };
        }
        t
    }
}

/// The distinct first path segments of `keys`, in order (`results.denied.x` → `results`).
fn first_segments<'k>(keys: impl Iterator<Item = &'k str>) -> Vec<&'k str> {
    let mut out: Vec<&str> = Vec::new();
    for k in keys {
        let first = k.split('.').next().unwrap_or(k);
        if !out.contains(&first) {
            out.push(first);
        }
    }
    out
}

/// `YYYY-MM-DD`, four-two-two digits, a real calendar date.
pub fn parse_iso_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The allowed key nearest to a misspelt one, when it is near enough to be a typo.
fn closest<'k>(key: &str, allowed: &[&'k str]) -> Option<&'k str> {
    allowed
        .iter()
        .map(|a| (crate::text::edit_distance(key, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}
