//! Output names of a batch: `--name PATTERN` and the default name.

use std::path::PathBuf;

use crate::build::{default_file_stem, sanitize_file_name};
use crate::diag::Diagnostic;
use crate::inputs::Item;

/// What naming and previous-year matching need from a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub id: Option<String>,
    pub agency: String,
    pub year: i64,
}

/// Decode just enough of an item to name it; `None` when it does not decode (its build will
/// report why).
pub fn meta(item: &Item) -> Option<Meta> {
    let d = crate::workbook::decode_input(&item.bytes());
    d.report.map(|r| Meta { id: r.id, agency: r.agency, year: r.year })
}

/// `--name PATTERN`: the output file name (without extension) built from `{id}`, `{agency}`,
/// `{year}`, `{stem}` (the input file's name without extension) and `{seq}` (the input's
/// position, from 1). `/` makes sub-folders. Placeholder values are made safe for file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamePattern {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Id,
    Agency,
    Year,
    Stem,
    Seq,
    Separator,
}

impl NamePattern {
    pub fn parse(text: &str) -> Result<NamePattern, Diagnostic> {
        let bad = |zh: String, en: String| {
            Diagnostic::error("usage", "", zh, en).with_hint(
                "可用占位符 / placeholders: {id} {agency} {year} {stem} {seq}；例如 / e.g. --name '{year}/{id}'",
            )
        };
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let Some(close) = rest.find('}') else {
                    return Err(bad(
                        format!("--name 中的 “{{” 没有闭合：{text}"),
                        format!("unclosed `{{` in --name: {text}"),
                    ));
                };
                let key = &rest[1..close];
                let part = match key {
                    "id" => Part::Id,
                    "agency" => Part::Agency,
                    "year" => Part::Year,
                    "stem" => Part::Stem,
                    "seq" => Part::Seq,
                    _ => {
                        return Err(bad(
                            format!("--name 中有未知占位符 {{{key}}}"),
                            format!("unknown placeholder {{{key}}} in --name"),
                        ))
                    }
                };
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(part);
                rest = &rest[close + 1..];
            } else if c == '/' {
                if !literal.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut literal)));
                }
                parts.push(Part::Separator);
                rest = &rest[1..];
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        let has_placeholder = parts.iter().any(|p| !matches!(p, Part::Text(_) | Part::Separator));
        if !has_placeholder {
            return Err(bad(
                format!("--name 至少要有一个占位符，否则所有报告同名：{text}"),
                format!("--name needs a placeholder, or every report gets the same name: {text}"),
            ));
        }
        Ok(NamePattern { parts })
    }

    /// The relative output path without extension. `Err` when the pattern asks for `{id}` and
    /// the report has none.
    pub fn apply(&self, meta: &Meta, item: &Item) -> Result<PathBuf, Diagnostic> {
        let mut path = PathBuf::new();
        let mut component = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => component.push_str(t),
                Part::Id => match &meta.id {
                    Some(id) => component.push_str(id),
                    None => {
                        return Err(Diagnostic::error(
                            "name-pattern",
                            "id",
                            "--name 使用了 {id}，但这份报告没有 id",
                            "--name uses {id} but this report has no `id`",
                        ))
                    }
                },
                Part::Agency => component.push_str(&meta.agency),
                Part::Year => component.push_str(&meta.year.to_string()),
                Part::Stem => {
                    component.push_str(&item.source.path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default())
                }
                Part::Seq => component.push_str(&format!("{:04}", item.ordinal + 1)),
                Part::Separator => {
                    if !component.is_empty() {
                        path.push(sanitize_file_name(&component));
                    }
                    component.clear();
                }
            }
        }
        path.push(sanitize_file_name(&component));
        Ok(path)
    }
}

/// The default output name: the one `nianbao build` gives the same report,
/// `{agency}{year}年政府信息公开工作年度报告`, so a report has one name whichever command made it.
/// Names by `id` are asked for with `--name '{id}'` (or `'{id}-{year}'`).
pub fn default_name(meta: &Meta) -> PathBuf {
    PathBuf::from(default_file_stem(&meta.agency, meta.year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn items_of(name: &str, text: &str) -> Vec<Item> {
        crate::inputs::split_bytes(PathBuf::from(name), text.as_bytes().to_vec())
    }

    #[test]
    fn name_patterns() {
        let item = &items_of("dir/x.json", "{}")[0];
        let meta = Meta { id: Some("A/B".into()), agency: "某局".into(), year: 2023 };
        let p = NamePattern::parse("{year}/{id}-{agency}").unwrap();
        assert_eq!(p.apply(&meta, item).unwrap(), PathBuf::from("2023").join("A_B-某局"));
        let p = NamePattern::parse("{stem}").unwrap();
        assert_eq!(p.apply(&meta, item).unwrap(), PathBuf::from("x"));
        assert!(NamePattern::parse("fixed").is_err());
        assert!(NamePattern::parse("{nope}").is_err());
        assert_eq!(default_name(&meta), PathBuf::from(default_file_stem("某局", 2023)));
        let no_id = Meta { id: None, ..meta };
        assert_eq!(NamePattern::parse("{id}").unwrap().apply(&no_id, item).unwrap_err().rule, "name-pattern");
    }
}
