//! The HTTP API and the app's files: one request in, one reply out.
//!
//! | Method and path | Body | Reply |
//! |---|---|---|
//! | `GET /`, `/app.js`, `/app.css` | – | the web application ([`super::assets`]) |
//! | `GET /api/schema` | – | the input format's JSON Schema |
//! | `GET /api/layout` | – | sections, table grids with their JSON paths, formats ([`super::layout`]) |
//! | `GET /api/blank?agency=&year=` | – | a blank report that passes `check` |
//! | `GET /api/health` | – | `{"ok":true}` (the app polls it to notice a stopped server) |
//! | `POST /api/check` | report or envelope | the diagnostics of `check --message-format json` |
//! | `POST /api/build?format=pdf,docx` | report or envelope | the file, or a zip of the files |
//! | `POST /api/preview` | report or envelope | pages as SVG, only those the client lacks |
//! | `POST /api/import[?form=web\|pdf\|docx]` | a published report's bytes | the report JSON |
//!
//! A body is a report (input-format JSON) or an envelope
//! `{"report": …, "previous": …, "seal": "<base64>", "have": ["<page hash>", …]}`, where `report`
//! and `previous` are a report object or its text as a JSON string (kept byte for byte, so
//! the JSON the app downloads is the very text that was built). Uploads are bytes: a seal is
//! decoded from the envelope, `signature.seal` is never opened as a path.
//!
//! Status codes: 200; 400 the body is not JSON or not a report; 403 foreign Host or Origin; 404;
//! 405; 413 too large; 422 the report's checks failed (build) or an upload is unusable; 500
//! only for a fault of the server itself, never for input. Every error body is the
//! `--message-format json` diagnostics document.

use std::collections::HashSet;
use std::io::{Cursor, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{guard, layout, preview, State};
use crate::build::{build_report, default_file_stem, BuildOptions, Output, OutputKind, SealSource};
use crate::diag::{to_json, Diagnostic, Diagnostics};
use crate::inspect::{check_bytes, check_bytes_with, Checked};
use crate::model::Report;
use crate::render::SealImage;
use crate::resolve::resolve;

/// The name reports are given in diagnostics.
const REPORT_NAME: &str = "report.json";

/// One reply.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply { status, content_type: content_type.to_string(), body: body.into(), headers: Vec::new() }
    }

    fn json(status: u16, value: &Value) -> Reply {
        Reply::new(status, "application/json; charset=utf-8", serde_json::to_vec_pretty(value).unwrap_or_default())
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// The diagnostics document (`{"files": [{file, errors, warnings, diagnostics}]}`).
    fn diagnostics(status: u16, file: &str, diags: &Diagnostics) -> Reply {
        Reply::json(status, &files_doc(file, diags))
    }

    fn error(status: u16, d: Diagnostic) -> Reply {
        Reply::diagnostics(status, "request", &Diagnostics(vec![d]))
    }
}

fn files_doc(file: &str, diags: &Diagnostics) -> Value {
    json!({ "files": [to_json(file, diags)] })
}

fn bad_request(zh: String, en: String) -> Reply {
    Reply::error(400, Diagnostic::error("serve-bad-request", "", zh, en))
}

/// Guard, read and answer one HTTP request. A panic inside a handler becomes a 500 for this
/// request only; the worker goes on serving.
pub fn respond(state: &State, mut request: tiny_http::Request) {
    let reply = guarded(state, &mut request);
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        ("Content-Type".to_string(), reply.content_type),
        ("Cache-Control".to_string(), "no-store".to_string()),
        ("X-Content-Type-Options".to_string(), "nosniff".to_string()),
        ("X-Frame-Options".to_string(), "DENY".to_string()),
        ("Referrer-Policy".to_string(), "no-referrer".to_string()),
        (
            "Content-Security-Policy".to_string(),
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'".to_string(),
        ),
    ];
    headers.extend(reply.headers);
    for (name, value) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

fn header(request: &tiny_http::Request, name: &str) -> Option<String> {
    request.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.to_string())
}

fn guarded(state: &State, request: &mut tiny_http::Request) -> Reply {
    let allowed = &state.config.allowed_hosts;
    let host = header(request, "Host").unwrap_or_default();
    if !guard::host_allowed(&host, state.port, allowed) {
        return Reply::error(403, guard::refused_host(&host));
    }
    if let Some(origin) = header(request, "Origin") {
        if !guard::origin_allowed(&origin, state.port, allowed) {
            return Reply::error(403, guard::refused_origin(&origin));
        }
    }
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let body = if method == "POST" {
        let declared = request.body_length();
        match guard::read_body(request.as_reader(), declared, state.config.max_body_bytes) {
            Ok(b) => b,
            Err(d) => {
                let status = if d.rule == "serve-too-large" { 413 } else { 400 };
                return Reply::error(status, d).header("Connection", "close");
            }
        }
    } else {
        Vec::new()
    };
    catch_unwind(AssertUnwindSafe(|| handle(state, &method, path, query, &body))).unwrap_or_else(|_| {
        Reply::error(
            500,
            Diagnostic::error(
                "serve-internal",
                "",
                "服务内部错误，本次请求未完成；服务仍在运行",
                "internal server error; this request was not completed, the server is still running",
            ),
        )
    })
}

/// Answer a request that passed the guards.
pub fn handle(state: &State, method: &str, path: &str, query: &str, body: &[u8]) -> Reply {
    let routes: [(&str, &str); 12] = [
        ("GET", "/"),
        ("GET", "/index.html"),
        ("GET", "/app.js"),
        ("GET", "/app.css"),
        ("GET", "/api/schema"),
        ("GET", "/api/layout"),
        ("GET", "/api/blank"),
        ("GET", "/api/health"),
        ("POST", "/api/check"),
        ("POST", "/api/build"),
        ("POST", "/api/preview"),
        ("POST", "/api/import"),
    ];
    let method = if method == "HEAD" { "GET" } else { method };
    if !routes.contains(&(method, path)) {
        if routes.iter().any(|(_, p)| *p == path) {
            return Reply::error(
                405,
                Diagnostic::error(
                    "serve-method",
                    "",
                    format!("{path} 不接受 {method} 请求"),
                    format!("{path} does not take {method}"),
                ),
            );
        }
        return Reply::error(
            404,
            Diagnostic::error(
                "serve-not-found",
                "",
                format!("没有 {path} 这个地址"),
                format!("no such address: {path}"),
            ),
        );
    }
    match path {
        "/" | "/index.html" => Reply::new(200, "text/html; charset=utf-8", super::assets::INDEX_HTML),
        "/app.js" => Reply::new(200, "text/javascript; charset=utf-8", super::assets::APP_JS),
        "/app.css" => Reply::new(200, "text/css; charset=utf-8", super::assets::APP_CSS),
        "/api/schema" => Reply::new(200, "application/schema+json", crate::model::schema::to_string()),
        "/api/layout" => Reply::json(200, &layout::layout(state.config.max_body_bytes)),
        "/api/health" => Reply::json(200, &json!({ "ok": true, "version": env!("CARGO_PKG_VERSION") })),
        "/api/blank" => blank(query),
        "/api/import" => import(query, body),
        _ => {
            let sub = match Submission::parse(body) {
                Ok(s) => s,
                Err(r) => return r,
            };
            let prepared = match prepare(state, &sub) {
                Ok(p) => p,
                Err(r) => return r,
            };
            match path {
                "/api/check" => check(prepared),
                "/api/build" => build(state, query, &sub, prepared),
                _ => preview(state, &sub, prepared),
            }
        }
    }
}

/// The value of `name` in a query string, percent-decoded.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').filter_map(|kv| kv.split_once('=').or(Some((kv, "")))).find(|(k, _)| *k == name).map(|(_, v)| {
        let bytes = v.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        Some(b) => {
                            out.push(b);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    })
}

fn blank(query: &str) -> Reply {
    let agency = query_param(query, "agency").unwrap_or_default();
    let agency = agency.trim();
    let year = query_param(query, "year").unwrap_or_default();
    let Some(year) = year.trim().parse::<i64>().ok().filter(|y| (2008..=2100).contains(y)) else {
        return bad_request(
            format!("年度“{year}”无效，应为 2008 至 2100 的整数"),
            format!("year `{year}` is invalid: a whole number from 2008 to 2100"),
        );
    };
    if agency.is_empty() {
        return bad_request("请填写机关全称".into(), "the agency's full name is missing".into());
    }
    Reply::new(200, "application/json; charset=utf-8", crate::starter::starter_text(agency, year))
}

fn import(query: &str, body: &[u8]) -> Reply {
    let form = query_param(query, "form").and_then(|f| crate::import::Form::parse(&f));
    let imported = crate::import::import(body, form);
    let mut diags = imported.diagnostics.clone();
    diags.extend(imported.check(None));
    match imported.to_json("upload") {
        Some(j) => {
            let mut doc = files_doc("upload", &diags);
            doc["report"] = Value::String(j.to_pretty());
            doc["form"] = Value::String(imported.form.name().to_string());
            Reply::json(200, &doc)
        }
        None => Reply::diagnostics(422, "upload", &diags),
    }
}

/// A request body: a report, or the envelope around it.
pub struct Submission {
    pub report: Vec<u8>,
    pub previous: Option<Vec<u8>>,
    pub seal: Option<Vec<u8>>,
    /// Page hashes the client holds (preview).
    pub have: HashSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope<'a> {
    #[serde(borrow)]
    report: &'a RawValue,
    #[serde(borrow, default)]
    previous: Option<&'a RawValue>,
    #[serde(default)]
    seal: Option<String>,
    #[serde(default)]
    have: Vec<String>,
}

/// A report given as an object (its text as sent) or as a string holding its text.
fn report_text(raw: &RawValue) -> Vec<u8> {
    let text = raw.get();
    if text.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(text) {
            return s.into_bytes();
        }
    }
    text.as_bytes().to_vec()
}

impl Submission {
    pub fn parse(body: &[u8]) -> Result<Submission, Reply> {
        // Anything that is not exactly an envelope is taken as the report itself, so a bad report
        // gets the decoder's precise messages.
        let Ok(env) = serde_json::from_slice::<Envelope>(body) else {
            return Ok(Submission { report: body.to_vec(), previous: None, seal: None, have: HashSet::new() });
        };
        let seal = match env.seal.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => {
                // A data URL (`data:image/png;base64,…`) as a browser's FileReader gives it.
                let b64 = s.split_once("base64,").map_or(s, |(_, b)| b);
                match base64::engine::general_purpose::STANDARD.decode(b64) {
                    Ok(b) => Some(b),
                    Err(e) => {
                        return Err(Reply::error(
                            400,
                            Diagnostic::error(
                                "serve-bad-request",
                                "seal",
                                format!("印章不是有效的 base64 数据：{e}"),
                                format!("the seal is not valid base64: {e}"),
                            ),
                        ))
                    }
                }
            }
        };
        Ok(Submission {
            report: report_text(env.report),
            previous: env.previous.filter(|p| p.get() != "null").map(report_text),
            seal,
            have: env.have.into_iter().collect(),
        })
    }
}

/// A submission checked: the report, last year's report, the seal, and findings about the
/// uploads themselves.
struct Prepared {
    checked: Checked,
    previous: Option<Report>,
    seal: Option<SealImage>,
    extra: Diagnostics,
}

impl Prepared {
    fn all_diagnostics(&self) -> Diagnostics {
        let mut d = self.checked.diagnostics.clone();
        d.extend(self.extra.0.iter().cloned());
        d
    }
}

fn prepare(state: &State, sub: &Submission) -> Result<Prepared, Reply> {
    let previous = match &sub.previous {
        None => None,
        Some(bytes) => {
            let prev = check_bytes(bytes, None);
            match prev.report {
                Some(r) if !prev.diagnostics.has_errors() => Some(r),
                _ => {
                    let mut d = Diagnostics(vec![Diagnostic::error(
                        "serve-previous-invalid",
                        "previous",
                        "上年报告有错误，无法用于跨年度核对",
                        "last year's report has errors and cannot anchor the cross-year rules",
                    )]);
                    d.extend(prev.diagnostics.0.into_iter().filter(Diagnostic::is_error));
                    return Err(Reply::diagnostics(422, "previous.json", &d));
                }
            }
        }
    };
    let checked = check_bytes_with(&sub.report, previous.as_ref(), &state.config.lint);
    let Some(report) = &checked.report else {
        return Err(Reply::diagnostics(400, REPORT_NAME, &checked.diagnostics));
    };
    let mut extra = Diagnostics::default();
    let seal = match &sub.seal {
        Some(bytes) => match crate::render::seal_from_bytes(bytes.clone(), Path::new("seal")) {
            Ok(img) => Some(img),
            Err(d) => {
                extra.push(d);
                None
            }
        },
        None => None,
    };
    if seal.is_none() && sub.seal.is_none() && report.signature.seal.is_some() {
        extra.push(
            Diagnostic::warning(
                "serve-seal-not-uploaded",
                "signature.seal",
                "报告写有印章文件路径，但未上传印章图片；服务不读取本机文件，文档中不盖章",
                "the report names a seal file but no seal image was uploaded; the server never reads files of the machine, so no seal is printed",
            )
            .with_hint("在“署名与印章”处上传 PNG 或 SVG 印章 / upload a PNG or SVG seal under “署名与印章”"),
        );
    }
    Ok(Prepared { checked, previous, seal, extra })
}

fn check(prepared: Prepared) -> Reply {
    Reply::diagnostics(200, REPORT_NAME, &prepared.all_diagnostics())
}

/// MIME type of an output, by its extension.
fn content_type(kind: OutputKind) -> &'static str {
    match kind.extension() {
        "pdf" => "application/pdf",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html" => "text/html; charset=utf-8",
        "ofd" => "application/ofd",
        _ => "application/octet-stream",
    }
}

/// `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266).
fn attachment(name: &str, ext: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"report.{ext}\"; filename*=UTF-8''{encoded}")
}

fn zip(stem: &str, outputs: &[Output]) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: zip::result::ZipError| {
        Diagnostic::error("serve-internal", "", format!("无法打包：{e}"), format!("cannot write the zip: {e}"))
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    // A fixed time: the same report gives the same zip.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for o in outputs {
        w.start_file(format!("{stem}.{}", o.kind.extension()), options).map_err(fail)?;
        w.write_all(&o.data).map_err(|e| fail(e.into()))?;
    }
    Ok(w.finish().map_err(fail)?.into_inner())
}

fn build(state: &State, query: &str, sub: &Submission, prepared: Prepared) -> Reply {
    let formats = match OutputKind::parse_list(&query_param(query, "format").unwrap_or_else(|| "pdf".into())) {
        Ok(f) => f,
        Err(d) => return Reply::error(400, Diagnostic { rule: "serve-bad-request", ..d }),
    };
    let options = BuildOptions {
        formats,
        docx: state.config.docx.clone(),
        lint: state.config.lint.clone(),
        seal: SealSource::Given(prepared.seal.clone()),
        ..BuildOptions::default()
    };
    let outcome = build_report(&state.engine, &sub.report, REPORT_NAME, None, prepared.previous.as_ref(), &options);
    let mut diags = outcome.diagnostics.clone();
    diags.extend(prepared.extra.0.iter().cloned());
    if !outcome.succeeded() || outcome.outputs.is_empty() || diags.has_errors() {
        return Reply::diagnostics(422, REPORT_NAME, &diags);
    }
    let stem =
        outcome.resolved.as_ref().map(|r| default_file_stem(&r.agency, r.year)).unwrap_or_else(|| "report".to_string());
    let warnings = diags.warnings().to_string();
    if let [one] = outcome.outputs.as_slice() {
        let ext = one.kind.extension();
        return Reply::new(200, content_type(one.kind), one.data.clone())
            .header("Content-Disposition", attachment(&format!("{stem}.{ext}"), ext))
            .header("X-Nianbao-Sha256", one.sha256.clone())
            .header("X-Nianbao-Warnings", warnings);
    }
    match zip(&stem, &outcome.outputs) {
        Ok(bytes) => Reply::new(200, "application/zip", bytes)
            .header("Content-Disposition", attachment(&format!("{stem}.zip"), "zip"))
            .header("X-Nianbao-Warnings", warnings),
        Err(d) => Reply::error(500, d),
    }
}

fn preview(state: &State, sub: &Submission, prepared: Prepared) -> Reply {
    let Some(report) = &prepared.checked.report else {
        return Reply::diagnostics(400, REPORT_NAME, &prepared.checked.diagnostics);
    };
    let resolved = resolve(report, None);
    let p = preview::preview(&state.engine, &resolved, prepared.seal.as_ref(), &sub.have);
    let mut diags = prepared.all_diagnostics();
    diags.extend(p.diagnostics.0.iter().cloned());
    let mut doc = files_doc(REPORT_NAME, &diags);
    doc["pages"] = serde_json::to_value(&p.pages).unwrap_or_default();
    doc["compile_ms"] = json!(p.compile_ms);
    doc["sent"] = json!(p.sent);
    Reply::json(200, &doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded() {
        assert_eq!(query_param("format=pdf,docx", "format").as_deref(), Some("pdf,docx"));
        assert_eq!(query_param("a=1&agency=%E5%B1%80&year=2024", "agency").as_deref(), Some("局"));
        assert_eq!(query_param("agency=a+b%2", "agency").as_deref(), Some("a b%2"));
        assert_eq!(query_param("x=1", "agency"), None);
    }

    #[test]
    fn envelope_or_report() {
        let plain = Submission::parse(br#"{"format":"2021"}"#).ok().unwrap();
        assert_eq!(plain.report, br#"{"format":"2021"}"#);
        let env = Submission::parse(
            br#"{"report":"{\"format\": \"2021\"}","seal":"data:image/png;base64,AAEC","have":["x"]}"#,
        )
        .ok()
        .unwrap();
        assert_eq!(env.report, br#"{"format": "2021"}"#);
        assert_eq!(env.seal.as_deref(), Some(&[0u8, 1, 2][..]));
        assert!(env.have.contains("x"));
        let obj = Submission::parse(br#"{"report": {"format": "2021"}}"#).ok().unwrap();
        assert_eq!(obj.report, br#"{"format": "2021"}"#);
    }
}
