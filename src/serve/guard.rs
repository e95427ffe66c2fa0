//! The request rules that keep the machine safe, checked before a request reaches the API.
//!
//! - **Host** must name this server: `localhost`, an IP literal, or a name given with
//!   `--allow-host`, with the server's port. A web page on another domain that re-points its
//!   DNS name at 127.0.0.1 (DNS rebinding) sends its own name as Host and is refused (403).
//! - **Origin**, when a browser sends one, must be this server; other sites are refused, so a
//!   page the clerk visits cannot post to the local API.
//! - **Body size**: a declared `Content-Length` above the limit is refused (413) before a byte of
//!   the body is read (a client waiting on `Expect: 100-continue` never sends it); a chunked body
//!   is read to at most the limit plus one byte.

use std::io::Read;

use crate::diag::Diagnostic;

/// Whether `host` (a Host header, or an Origin's host part with its port) names this server.
pub fn host_allowed(host: &str, port: u16, allowed: &[String]) -> bool {
    let (name, host_port) = split_host_port(host);
    // Browsers always send the port for a non-default one; `curl http://localhost/` on port 80
    // sends none.
    let port_ok = match host_port {
        Some(p) => p == port,
        None => port == 80,
    };
    if !port_ok {
        return false;
    }
    let name = name.to_ascii_lowercase();
    // An IP literal cannot be re-pointed by DNS; names other than localhost must be asked for.
    name == "localhost"
        || name.parse::<std::net::IpAddr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok())
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

/// `name:port` → (`name`, port); `[::1]:8023` keeps its brackets. A port that does not parse
/// is 0, which matches no server.
fn split_host_port(host: &str) -> (&str, Option<u16>) {
    let port = |p: &str| Some(p.parse().unwrap_or(0));
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => (&host[..=end], host[end + 1..].strip_prefix(':').and_then(port)),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, p)) if !name.contains(':') => (name, port(p)),
        _ => (host, None),
    }
}

/// Whether an `Origin` header is this server (`http://host:port`). `null` (a sandboxed page, a
/// file) is refused too.
pub fn origin_allowed(origin: &str, port: u16, allowed: &[String]) -> bool {
    origin.strip_prefix("http://").is_some_and(|rest| !rest.contains('/') && host_allowed(rest, port, allowed))
}

pub fn refused_host(host: &str) -> Diagnostic {
    Diagnostic::error(
        "serve-host",
        "",
        format!("请求的 Host “{host}”不是本服务的地址，已拒绝（防止 DNS 重绑定）"),
        format!("Host `{host}` is not this server's address; refused (DNS rebinding guard)"),
    )
    .with_hint("用 http://127.0.0.1:端口/ 或 http://localhost:端口/ 访问；其他主机名须以 --allow-host 允许 / use http://127.0.0.1:PORT/ or http://localhost:PORT/; allow other names with --allow-host")
}

pub fn refused_origin(origin: &str) -> Diagnostic {
    Diagnostic::error(
        "serve-origin",
        "",
        format!("来自 “{origin}” 的请求不是本服务的页面发出的，已拒绝"),
        format!("a request from `{origin}` did not come from this server's page; refused"),
    )
}

pub fn too_large(limit: u64, declared: Option<usize>) -> Diagnostic {
    let size = declared.map(|n| format!("（{n} 字节）")).unwrap_or_default();
    let size_en = declared.map(|n| format!(" ({n} bytes)")).unwrap_or_default();
    Diagnostic::error(
        "serve-too-large",
        "",
        format!("请求体{size}超过上限 {limit} 字节"),
        format!("the request body{size_en} is larger than the limit of {limit} bytes"),
    )
    .with_hint("启动时用 --max-body 调整上限 / raise the limit with --max-body")
}

/// Read a body of at most `limit` bytes. `declared` is the `Content-Length`: above the limit the
/// body is never read.
pub fn read_body(reader: &mut dyn Read, declared: Option<usize>, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    if declared.is_some_and(|n| n as u64 > limit) {
        return Err(too_large(limit, declared));
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    reader.take(limit.saturating_add(1)).read_to_end(&mut body).map_err(|e| {
        Diagnostic::error(
            "serve-bad-request",
            "",
            format!("请求体读取失败：{e}"),
            format!("cannot read the request body: {e}"),
        )
    })?;
    if body.len() as u64 > limit {
        return Err(too_large(limit, None));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(host_allowed("127.0.0.1:8023", 8023, &[]));
        assert!(host_allowed("localhost:8023", 8023, &[]));
        assert!(host_allowed("LOCALHOST:8023", 8023, &[]));
        assert!(host_allowed("[::1]:8023", 8023, &[]));
        assert!(host_allowed("192.168.1.5:8023", 8023, &[]));
        assert!(!host_allowed("127.0.0.1:9999", 8023, &[]));
        assert!(!host_allowed("evil.example:8023", 8023, &[]));
        assert!(!host_allowed("localhost.evil.example:8023", 8023, &[]));
        assert!(host_allowed("nianbao.lan:8023", 8023, &["nianbao.lan".into()]));
        assert!(!host_allowed("", 8023, &[]));
    }

    #[test]
    fn origins() {
        assert!(origin_allowed("http://127.0.0.1:8023", 8023, &[]));
        assert!(!origin_allowed("http://evil.example:8023", 8023, &[]));
        assert!(!origin_allowed("null", 8023, &[]));
        assert!(!origin_allowed("https://127.0.0.1:8023", 8023, &[]));
    }

    #[test]
    fn body_limit() {
        let data = [b'x'; 10];
        assert!(read_body(&mut &data[..], Some(10), 10).is_ok());
        assert_eq!(read_body(&mut &data[..], Some(11), 10).unwrap_err().rule, "serve-too-large");
        assert_eq!(read_body(&mut &data[..], None, 9).unwrap_err().rule, "serve-too-large");
    }
}
