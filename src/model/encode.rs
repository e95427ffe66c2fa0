//! [`Report`] → input-format JSON text, for the commands that write reports (`init`, `sample`,
//! `import`, `summary`).
//!
//! A small writer of its own rather than `serde_json`: fees must come out exactly as the decimal
//! text they hold (`12.50`), and table rows read best on one line.

use super::tables::{row as table3, DocColumn, DocRow, Heading, Table4Column, Table4Group, ValueRow, TABLE3_ROWS};
use super::*;

/// A JSON value as the encoder builds it.
#[derive(Debug, Clone)]
pub enum Json {
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
    /// A row of counts, printed on one line.
    Row(Vec<u64>),
    String(String),
    /// A number (or literal) written verbatim.
    Raw(String),
}

impl Json {
    fn obj() -> Json {
        Json::Object(Vec::new())
    }

    /// Add a member (objects only).
    pub fn with(mut self, key: &str, value: Json) -> Json {
        if let Json::Object(m) = &mut self {
            m.push((key.to_string(), value));
        }
        self
    }

    fn num(n: impl ToString) -> Json {
        Json::Raw(n.to_string())
    }

    /// Member at a dotted path, creating objects on the way.
    fn insert_path(&mut self, path: &str, value: Json) {
        let Json::Object(members) = self else { return };
        match path.split_once('.') {
            None => members.push((path.to_string(), value)),
            Some((head, rest)) => {
                if !members.iter().any(|(k, _)| k == head) {
                    members.push((head.to_string(), Json::obj()));
                }
                if let Some((_, child)) = members.iter_mut().find(|(k, _)| k == head) {
                    child.insert_path(rest, value);
                }
            }
        }
    }

    /// Pretty-printed text with two-space indentation and a final newline.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Json::Object(m) if m.is_empty() => out.push_str("{}"),
            Json::Object(m) => write_block(out, depth, ('{', '}'), m.iter().map(|(k, v)| (Some(k.as_str()), v))),
            Json::Array(a) if a.is_empty() => out.push_str("[]"),
            Json::Array(a) => write_block(out, depth, ('[', ']'), a.iter().map(|v| (None, v))),
            Json::Row(r) => {
                out.push('[');
                let cells: Vec<String> = r.iter().map(u64::to_string).collect();
                out.push_str(&cells.join(", "));
                out.push(']');
            }
            Json::String(s) => write_string(out, s),
            Json::Raw(r) => out.push_str(r),
        }
    }
}

/// The members of an object or the elements of an array, one per line between `open` and
/// `close`, each with its key when it has one.
fn write_block<'a>(
    out: &mut String,
    depth: usize,
    (open, close): (char, char),
    items: impl ExactSizeIterator<Item = (Option<&'a str>, &'a Json)>,
) {
    let pad = |out: &mut String, d: usize| out.extend(std::iter::repeat_n("  ", d));
    out.push(open);
    out.push('\n');
    let n = items.len();
    for (i, (key, v)) in items.enumerate() {
        pad(out, depth + 1);
        if let Some(key) = key {
            write_string(out, key);
            out.push_str(": ");
        }
        v.write(out, depth + 1);
        if i + 1 < n {
            out.push(',');
        }
        out.push('\n');
    }
    pad(out, depth);
    out.push(close);
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn strings(v: &[String]) -> Json {
    Json::Array(v.iter().cloned().map(Json::String).collect())
}

fn section(s: &Section) -> Json {
    let subs = s
        .subsections
        .iter()
        .map(|sub| {
            Json::obj().with("title", Json::String(sub.title.clone())).with("paragraphs", strings(&sub.paragraphs))
        })
        .collect();
    Json::obj().with("paragraphs", strings(&s.paragraphs)).with("subsections", Json::Array(subs))
}

fn row(r: &Row) -> Json {
    let mut cells = r.cells.to_vec();
    if let Some(t) = r.total {
        cells.push(t);
    }
    Json::Row(cells)
}

/// The report as an input-format JSON tree. Every table row is written out in full.
pub fn to_json(r: &Report) -> Json {
    let mut root = Json::obj()
        .with("format", Json::String(r.format.clone()))
        .with("agency", Json::String(r.agency.clone()))
        .with("year", Json::num(r.year));
    if let Some(id) = &r.id {
        root = root.with("id", Json::String(id.clone()));
    }
    if let Some(t) = &r.title {
        root = root.with("title", Json::String(t.clone()));
    }
    if let Some(p) = &r.preamble {
        root = root.with("preamble", strings(p));
    }
    let c = &r.contact;
    let mut contact = Json::obj().with("office", Json::String(c.office.clone()));
    for (k, v) in [
        ("address", &c.address),
        ("postcode", &c.postcode),
        ("phone", &c.phone),
        ("fax", &c.fax),
        ("website_name", &c.website_name),
        ("website_url", &c.website_url),
        ("email", &c.email),
    ] {
        if let Some(v) = v {
            contact = contact.with(k, Json::String(v.clone()));
        }
    }
    root = root.with("contact", contact).with("overview", section(&r.overview));

    let a = &r.active_disclosure;
    let mut t2 = Json::obj();
    for key in DocRow::ALL {
        let counts = a.doc_row(key);
        let mut o = Json::obj();
        for col in DocColumn::ALL {
            o = o.with(col.key(), Json::num(counts.get(col)));
        }
        t2 = t2.with(key.key(), o);
    }
    for v in ValueRow::ALL {
        t2 = t2.with(v.key(), a.count(v).map_or_else(|| Json::Raw(a.fees.as_str().to_string()), Json::num));
    }
    root = root.with("active_disclosure", t2);

    let mut t3 = Json::obj();
    // Rows come in print order, so nested objects appear in the official order too.
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        let r3 = &r.applications.rows[i];
        if i == table3::RESULTS_TOTAL && !r3.given {
            continue;
        }
        t3.insert_path(def.key, row(r3));
    }
    root = root.with("applications", t3);

    let mut t4 = Json::obj();
    for g in Table4Group::ALL {
        let grp = r.review_litigation.group(g);
        let mut o = Json::obj();
        for col in Table4Column::ALL {
            if let Some(v) = grp.get(col) {
                o = o.with(col.key(), Json::num(v));
            }
        }
        t4 = t4.with(g.key(), o);
    }
    root = root
        .with("review_litigation", t4)
        .with("problems", section(&r.problems))
        .with("other_matters", section(&r.other_matters));

    let s = &r.signature;
    let mut sig = Json::obj();
    if let Some(a) = &s.agency {
        sig = sig.with("agency", Json::String(a.clone()));
    }
    if let Some(d) = s.date {
        sig = sig.with("date", Json::String(d.format("%Y-%m-%d").to_string()));
    }
    if let Some(seal) = &s.seal {
        sig = sig.with("seal", Json::String(seal.clone()));
    }
    root = root.with("signature", sig);

    let mut headings = Json::obj();
    let mut any = false;
    for key in Heading::ALL {
        if let Some(h) = r.headings.get(key) {
            headings = headings.with(key.key(), Json::String(h.to_string()));
            any = true;
        }
    }
    if any {
        root = root.with("headings", headings);
    }
    root
}

/// The report as pretty-printed input-format JSON.
pub fn to_string(r: &Report) -> String {
    to_json(r).to_pretty()
}
