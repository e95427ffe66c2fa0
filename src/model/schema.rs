//! JSON Schema (draft 2020-12) of the input format, for editors and for platforms that validate
//! before they submit.
//!
//! The schema is generated from the same lists the decoder walks ([`super::tables`]: table rows,
//! groups, columns and section headings), so it cannot drift from what `check` accepts. Every
//! property carries a Chinese `title` and a `description` (Chinese first, English after) so that
//! editors show them on hover. `schemas/report-2021.schema.json` is a committed copy of
//! [`to_string`]; a test keeps the two equal.
//!
//! What a schema cannot say and the decoder still enforces: a count must be written without a
//! decimal point (`5.0` is refused), `fees` in plain decimal notation (no `1e3`), and the
//! arithmetic rules (勾稽关系) of `check`.

use serde_json::{json, Map, Value};

use super::tables::{
    DocColumn, DocRow, Heading, ResultGroup, Table3Column, Table4Column, Table4Group, ValueRow, REPORT_YEARS,
    TABLE3_RESULTS_LABEL, TABLE3_ROWS, TABLE4_LITIGATION_HEAD,
};
use super::{FORMAT_2021, TOP_LEVEL_KEYS};

/// Stable identifier of this schema (a URN: it names the schema without claiming a web address).
pub const SCHEMA_ID: &str = "urn:nianbao:schema:report-2021";
/// The JSON Schema dialect used.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
/// File name of the committed copy under `schemas/`, and the `$schema` value `init` writes.
pub const FILE_NAME: &str = "report-2021.schema.json";

/// The schema as a JSON value.
pub fn schema() -> Value {
    let mut top = Map::new();
    top.insert("$schema".into(), json!(DRAFT_2020_12));
    top.insert("$id".into(), json!(SCHEMA_ID));
    top.insert("title".into(), json!("政府信息公开工作年度报告（2021 年格式）输入数据"));
    top.insert(
        "description".into(),
        json!(
            "一份政府信息公开工作年度报告的结构化数据，供 nianbao 检查并排版。未知的键是错误（通常是拼写错误）；以 $ 或 x- 开头的键被忽略，可用作注释或扩展。 / One 政府信息公开工作年度报告 in the 2021 national format, as nianbao reads it. Unknown keys are errors; keys starting with `$` or `x-` are ignored."
        ),
    );
    let required: Vec<&str> = TOP_LEVEL_KEYS.iter().filter(|(_, required)| *required).map(|(k, _)| *k).collect();
    let body = strict_object(top_properties(), &required);
    merge(&mut top, body);
    top.insert("$defs".into(), defs());
    Value::Object(top)
}

/// The schema as pretty-printed JSON text with a final newline: what `nianbao schema` prints and
/// what `schemas/report-2021.schema.json` holds.
pub fn to_string() -> String {
    // Serialising a `Value` built from strings and integers cannot fail.
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

/// `schema` with a title and a description in front (key order is kept in the output).
fn field(title: &str, description: &str, schema: Value) -> Value {
    let mut m = Map::new();
    m.insert("title".into(), json!(title));
    m.insert("description".into(), json!(description));
    merge(&mut m, schema);
    Value::Object(m)
}

fn merge(into: &mut Map<String, Value>, from: Value) {
    if let Value::Object(from) = from {
        for (k, v) in from {
            into.insert(k, v);
        }
    }
}

fn reference(def: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{def}") })
}

/// An object that allows exactly `properties`, plus ignored `$…` and `x-…` keys.
fn strict_object(properties: Map<String, Value>, required: &[&str]) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!("object"));
    m.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        m.insert("required".into(), json!(required));
    }
    m.insert(
        "patternProperties".into(),
        json!({
            "^\\$": { "description": "以 $ 开头的键（如 $schema）被忽略 / keys starting with `$` are ignored" },
            "^x-": { "description": "以 x- 开头的扩展字段被忽略，可用作注释 / `x-` extension keys are ignored (usable as comments)" }
        }),
    );
    m.insert("additionalProperties".into(), json!(false));
    Value::Object(m)
}

fn props(items: Vec<(&str, Value)>) -> Map<String, Value> {
    items.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn top_properties() -> Map<String, Value> {
    props(vec![
        (
            "format",
            field(
                "格式版本",
                "表格格式版本，目前只能为 \"2021\"（国办公开办函〔2021〕30号格式，适用于 2021 年度起的报告）。 / Table layout version; only \"2021\" is supported.",
                json!({ "const": FORMAT_2021 }),
            ),
        ),
        (
            "agency",
            field(
                "机关全称",
                "编制报告的行政机关全称，如“威海市文登区应急管理局”；用于默认标题、默认前言和署名。 / Full name of the agency.",
                reference("text"),
            ),
        ),
        (
            "year",
            field(
                "报告年度",
                "统计年度（公历年份），如 2021；统计期为该年1月1日至12月31日。 / The report (statistics) year.",
                json!({ "type": "integer", "minimum": REPORT_YEARS.start(), "maximum": REPORT_YEARS.end() }),
            ),
        ),
        (
            "title",
            field(
                "标题（可选）",
                "替换默认标题。默认标题为两行：机关全称、“{年度}年政府信息公开工作年度报告”；用换行符 \\n 分行。 / Overrides the default two-line title; separate lines with \\n.",
                json!({ "type": "string" }),
            ),
        ),
        (
            "preamble",
            field(
                "前言（可选）",
                "第一部分之前的段落。省略时按机关全称、报告年度和联系方式自动生成标准前言。 / Paragraphs before section 一; generated from agency, year and contact when omitted.",
                reference("paragraphs"),
            ),
        ),
        ("contact", field("联系方式", "用于前言中“如对本报告有任何疑问”一句。 / Contact details named in the preamble.", reference("contact"))),
        ("overview", field(&Heading::Overview.numbered(), "第一部分的段落和小节。 / Section 一.", reference("section"))),
        (
            "active_disclosure",
            field(&Heading::ActiveDisclosure.numbered(), "表二 主动公开政府信息情况。 / Table 二.", active_disclosure()),
        ),
        (
            "applications",
            field(
                &Heading::Applications.numbered(),
                "表三 收到和处理政府信息公开申请情况。每行为 6 个件数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他），可加第 7 个总计；省略的行或 [] 表示全为 0。勾稽关系：第一项加第二项之和，等于第三项加第四项之和。 / Table 三: rows of 6 counts (optional 7th total); an omitted row or [] means zeros.",
                applications(),
            ),
        ),
        (
            "review_litigation",
            field(&Heading::ReviewLitigation.numbered(), "表四 行政复议、行政诉讼情况。 / Table 四.", review_litigation()),
        ),
        ("problems", field(&Heading::Problems.numbered(), "第五部分的段落和小节。 / Section 五.", reference("section"))),
        ("other_matters", field(&Heading::OtherMatters.numbered(), "第六部分的段落和小节。 / Section 六.", reference("section"))),
        ("signature", field("署名和成文日期", "落款机关、成文日期和可选的印章图片。 / Signature block.", reference("signature"))),
        (
            "headings",
            field(
                "标题措辞（可选）",
                "替换六个固定部分标题的措辞（不含“一、”等序号）。 / Wording overrides of the six section headings (without their numbers).",
                headings(),
            ),
        ),
        (
            "id",
            field(
                "标识（可选）",
                "批量处理时使用的稳定标识（如统一社会信用代码），用于输出文件名和清单。 / Stable identifier used in batch file names and the manifest.",
                json!({ "type": "string" }),
            ),
        ),
    ])
}

fn defs() -> Value {
    let mut d = Map::new();
    d.insert(
        "text".into(),
        field("文字", "不能为空的文字。 / Non-empty text.", json!({ "type": "string", "pattern": "\\S" })),
    );
    d.insert(
        "paragraph".into(),
        field(
            "段落",
            "一个自然段，按原文打印；#、*、$、< 等字符原样输出，不是排版标记。 / One paragraph, printed literally (never markup).",
            json!({ "type": "string" }),
        ),
    );
    d.insert(
        "paragraphs".into(),
        field(
            "段落列表",
            "按顺序排列的段落。 / Paragraphs in order.",
            json!({ "type": "array", "items": reference("paragraph") }),
        ),
    );
    d.insert(
        "section".into(),
        field("部分", "段落，然后是自动编号（一）（二）……的小节。 / Paragraphs, then numbered subsections.", section()),
    );
    d.insert(
        "count".into(),
        field(
            "件数",
            "不小于 0 的整数，不带小数点。 / A whole number ≥ 0, written without a decimal point.",
            json!({ "type": "integer", "minimum": 0, "maximum": u64::MAX }),
        ),
    );
    d.insert("row".into(), row());
    d.insert("date".into(), field(
        "日期",
        "公历日期，写作 YYYY-MM-DD（如 2022-01-28），打印为“2022年1月28日”。 / An ISO date, printed as 2022年1月28日.",
        json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }),
    ));
    d.insert("contact".into(), contact());
    d.insert("signature".into(), signature());
    Value::Object(d)
}

fn section() -> Value {
    let subsection = field(
        "小节",
        "小节标题不写序号，编号（一）（二）……由程序按顺序生成。 / A subsection; its number is added automatically.",
        strict_object(
            props(vec![
                (
                    "title",
                    field(
                        "小节标题",
                        "不含序号的小节标题，如“主动公开工作情况”。 / Title without its number.",
                        reference("text"),
                    ),
                ),
                ("paragraphs", field("段落", "小节的段落。 / The subsection's paragraphs.", reference("paragraphs"))),
            ]),
            &["title"],
        ),
    );
    strict_object(
        props(vec![
            (
                "paragraphs",
                field(
                    "段落",
                    "小节之前的段落，可为空或省略。 / Paragraphs before the subsections.",
                    reference("paragraphs"),
                ),
            ),
            (
                "subsections",
                field(
                    "小节",
                    "按顺序排列的小节，可为空或省略。 / Subsections in order.",
                    json!({ "type": "array", "items": subsection }),
                ),
            ),
        ]),
        &[],
    )
}

fn contact() -> Value {
    let text = |title: &str, desc: &str| field(title, desc, json!({ "type": "string" }));
    let mut c = strict_object(
        props(vec![
            (
                "office",
                field(
                    "联系机构",
                    "负责解答疑问的机构，如“××局办公室”（必填）。 / The office to contact (required).",
                    reference("text"),
                ),
            ),
            ("address", text("地址", "联系地址。 / Postal address.")),
            ("postcode", text("邮编", "邮政编码。 / Postcode.")),
            ("phone", text("电话", "联系电话；电话和电子邮箱至少填一项。 / Phone; phone or email is required.")),
            ("fax", text("传真", "传真号码。 / Fax.")),
            (
                "website_name",
                text("网站名称", "可查阅报告电子版的网站名称。 / Name of the website carrying the report."),
            ),
            ("website_url", text("网站地址", "可查阅报告电子版的网址。 / URL of that website.")),
            ("email", text("电子邮箱", "电子邮箱；电话和电子邮箱至少填一项。 / Email; phone or email is required.")),
        ]),
        &["office"],
    );
    if let Value::Object(m) = &mut c {
        m.insert("anyOf".into(), json!([{ "required": ["phone"] }, { "required": ["email"] }]));
    }
    field(
        "联系方式",
        "只列出填写了的项目；office 必填，phone 与 email 至少填一项。 / Only the fields given are printed; `office` and one of `phone`/`email` are required.",
        c,
    )
}

fn signature() -> Value {
    field(
        "署名和成文日期",
        "落款机关和成文日期；有印章时按 GB/T 9704 加盖印章的格式排版。 / Signature agency and date; with a seal, the sealed layout of GB/T 9704 is used.",
        strict_object(
            props(vec![
                ("agency", field("落款机关", "署名的机关名称，默认为顶层的机关全称。 / Signing agency; defaults to the top-level agency.", reference("text"))),
                (
                    "date",
                    field(
                        "成文日期",
                        "写作 YYYY-MM-DD，打印为“2022年1月28日”；应在报告年度之后、次年1月31日之前（《条例》第四十九条）。 / YYYY-MM-DD; due by 31 January of the next year.",
                        reference("date"),
                    ),
                ),
                (
                    "seal",
                    field(
                        "印章图片（可选）",
                        "PNG 或 SVG 印章图片的路径，相对路径以报告文件所在目录为准；读取失败是错误。 / Path to a PNG or SVG seal, relative to the report's folder.",
                        json!({ "type": "string" }),
                    ),
                ),
            ]),
            &["date"],
        ),
    )
}

fn headings() -> Value {
    let items = Heading::ALL
        .iter()
        .map(|h| {
            let (number, default) = (h.number(), h.label());
            (
                h.key(),
                field(
                    &format!("{number}、{default}"),
                    &format!("替换第{number}部分标题“{default}”的措辞，不含序号“{number}、”。 / Wording of heading {number}, without its number."),
                    json!({ "type": "string" }),
                ),
            )
        })
        .collect();
    strict_object(props(items), &[])
}

fn count(title: &str, description: &str) -> Value {
    field(title, description, reference("count"))
}

fn active_disclosure() -> Value {
    let doc_row = |label: &str| {
        let cols = DocColumn::ALL
            .iter()
            .map(|c| (c.key(), count(c.label(), &format!("{label}：{}；省略表示 0。 / Omitted means 0.", c.label()))))
            .collect();
        field(
            label,
            &format!("第二十条第（一）项 {label}：本年制发、本年废止、现行有效件数。 / Issued, repealed and in-force counts."),
            strict_object(props(cols), &[]),
        )
    };
    let mut items: Vec<(&str, Value)> = DocRow::ALL.iter().map(|r| (r.key(), doc_row(r.label()))).collect();
    for v in ValueRow::ALL {
        let zh = format!("第二十条第（{}）项 {}", v.item(), v.label());
        let schema = match v {
            ValueRow::Licensing => count(v.label(), &format!("{zh}：本年处理决定数量。 / Licensing decisions this year.")),
            ValueRow::Penalty => count(v.label(), &format!("{zh}：本年处理决定数量。 / Penalty decisions this year.")),
            ValueRow::Coercion => count(v.label(), &format!("{zh}：本年处理决定数量。 / Coercion decisions this year.")),
            ValueRow::Fees => field(
                v.label(),
                &format!("{zh}：本年收费金额，单位：万元。按原样打印（12.50 打印为 12.50），须写成普通小数，不能用科学计数法。 / Fees collected this year in 万元, printed exactly as written; plain decimal notation."),
                json!({ "type": "number", "minimum": 0 }),
            ),
        };
        items.push((v.key(), schema));
    }
    strict_object(props(items), &[])
}

/// One row of table 三: `[]`, six counts, or six counts and their 总计.
fn row() -> Value {
    let mut prefix: Vec<Value> = Vec::new();
    for c in Table3Column::ALL {
        let (i, col) = (c.index(), c.label());
        let desc = if c == Table3Column::Total {
            "可选：本行总计，将与前六个数之和核对。 / Optional row total, checked against the sum of the six."
                .to_string()
        } else if i == 0 {
            format!("申请人情况：{col}。 / Applicants: natural persons.")
        } else {
            format!(
                "申请人情况：法人或其他组织 — {col}。 / Applicants: legal persons and other organisations — column {}.",
                i + 1
            )
        };
        prefix.push(field(col, &desc, reference("count")));
    }
    field(
        "表三的一行",
        &format!(
            "依次为 {} 六列的件数，可加第 7 个数为总计；[] 表示全为 0。 / Six counts in this column order, an optional 7th total; [] means zeros.",
            Table3Column::APPLICANTS.map(Table3Column::label).join("、")
        ),
        json!({
            "type": "array",
            "prefixItems": prefix,
            "items": false,
            "maxItems": 7,
            "anyOf": [{ "maxItems": 0 }, { "minItems": 6 }]
        }),
    )
}

/// Table 三 as nested objects, walking the row keys of [`TABLE3_ROWS`] in print order.
fn applications() -> Value {
    let mut root = strict_object(Map::new(), &[]);
    for (n, def) in TABLE3_ROWS.iter().enumerate() {
        let desc = format!(
            "表三第 {} 行“{}”：6 个件数，可加第 7 个总计；省略或 [] 表示全为 0。 / Row {} of table 三.",
            n + 1,
            def.label,
            n + 1
        );
        let leaf = field(def.label, &desc, reference("row"));
        insert_row(&mut root, "", def.key, leaf);
    }
    root
}

/// Put `leaf` at the dotted `key` below the object schema `obj`, creating the group objects
/// (三、本年度办理结果, （三）不予公开 …) on the way.
fn insert_row(obj: &mut Value, prefix: &str, key: &str, leaf: Value) {
    let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) else { return };
    match key.split_once('.') {
        None => {
            props.insert(key.to_string(), leaf);
        }
        Some((head, rest)) => {
            let full = if prefix.is_empty() { head.to_string() } else { format!("{prefix}.{head}") };
            let child = props.entry(head.to_string()).or_insert_with(|| {
                let label = group_label(&full);
                field(
                    &label,
                    &format!("{label}：以下各行的件数。 / The rows of this group in table 三."),
                    strict_object(Map::new(), &[]),
                )
            });
            insert_row(child, &full, rest, leaf);
        }
    }
}

fn group_label(path: &str) -> String {
    if path == "results" {
        return TABLE3_RESULTS_LABEL.to_string();
    }
    ResultGroup::from_key(path).map_or_else(|| path.to_string(), |g| g.label().to_string())
}

fn review_litigation() -> Value {
    let groups = Table4Group::ALL
        .iter()
        .map(|&g| {
            let glabel = g.label();
            let cols = Table4Column::ALL
                .iter()
                .map(|&c| {
                    let clabel = c.label();
                    let desc = if c == Table4Column::Total {
                        format!("{glabel}：{clabel}（可选，将与维持、纠正、其他、尚未审结之和核对）。 / Optional total, checked against the sum.")
                    } else {
                        format!("{glabel}：{clabel}；省略表示 0。 / Omitted means 0.")
                    };
                    (c.key(), count(clabel, &desc))
                })
                .collect();
            let title =
                if g == Table4Group::Review { glabel.to_string() } else { format!("{TABLE4_LITIGATION_HEAD}·{glabel}") };
            (
                g.key(),
                field(
                    &title,
                    &format!("{title}：结果维持、结果纠正、其他结果、尚未审结、总计。 / Upheld, corrected, other, pending, total."),
                    strict_object(props(cols), &[]),
                ),
            )
        })
        .collect();
    strict_object(props(groups), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table3_row_is_reachable_by_its_key() {
        let s = schema();
        let apps = &s["properties"]["applications"];
        for def in TABLE3_ROWS {
            let mut node = apps;
            for part in def.key.split('.') {
                node = &node["properties"][part];
            }
            assert_eq!(node["title"], json!(def.label), "{}", def.key);
            assert_eq!(node["$ref"], json!("#/$defs/row"), "{}", def.key);
        }
    }
}
