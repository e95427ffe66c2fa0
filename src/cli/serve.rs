//! `nianbao serve [--addr 127.0.0.1:8023] [--open] [--max-body 16M] [--allow-host NAME]…
//! [--threads N]` plus the document options of `build` (fonts, profile, template, lints).

use std::net::SocketAddr;

use super::build::DocumentArgs;
use super::{Failure, Messages, Outcome, EXIT_OK};
use nianbao::serve::{Config, Server, DEFAULT_MAX_BODY_BYTES};

#[derive(clap::Args)]
pub struct Args {
    /// 监听地址；默认只在本机可访问 / address to listen on; by default reachable from this machine only
    #[arg(long, default_value = "127.0.0.1:8023")]
    pub addr: SocketAddr,
    /// 启动后在浏览器中打开 / open the form in the browser once listening
    #[arg(long)]
    pub open: bool,
    /// 请求体上限（字节，可带 K/M/G）/ largest request body (bytes, or with K/M/G)
    #[arg(long = "max-body", value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_body: u64,
    /// 另外允许的主机名（Host 检查，防 DNS 重绑定），可重复 / another host name to accept (Host check against DNS rebinding), repeatable
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// 同时处理的请求数 / requests handled at the same time
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub document: DocumentArgs,
    #[command(flatten)]
    pub messages: super::MessageFormat,
}

/// `16M`, `512K`, `1G` or a plain byte count.
fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&t[..i], t[i..].trim()),
        None => (t, ""),
    };
    let factor: u64 = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("大小无效 / invalid size `{text}` (e.g. 16M, 512K, 1000000)")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("大小无效 / invalid size `{text}` (e.g. 16M, 512K, 1000000)"))
}

pub fn run(args: Args, _messages: &mut Messages) -> Outcome {
    let (engine, lint) = args.document.prepare()?;
    let threads =
        args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8));
    let config = Config {
        addr: args.addr,
        max_body_bytes: if args.max_body == 0 { DEFAULT_MAX_BODY_BYTES } else { args.max_body },
        allowed_hosts: args.allow_host.clone(),
        threads,
        lint,
        docx: args.document.docx_options(),
    };
    let server = Server::start(engine, config).map_err(|d| Failure::usage(d, ""))?;
    let addr = server.addr();
    let ip = addr.ip();
    let url = if ip.is_unspecified() || ip.is_loopback() {
        format!("http://127.0.0.1:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    };
    // Printing must never stop the server: whoever started it may have closed our stdout.
    use std::io::Write as _;
    let mut out = std::io::stdout();
    if ip.is_loopback() {
        let _ = writeln!(out, "nianbao serve: {url}  (只在本机可访问 / reachable from this machine only)");
    } else {
        let _ = writeln!(out, "nianbao serve: {url}  (listening on {addr})");
        eprintln!(
            "warning: 正在监听 {addr}，其他电脑也能访问本服务；报告内容会经网络明文传输 / listening on {addr}: other machines can reach this server, and reports travel the network unencrypted"
        );
    }
    let _ = writeln!(out, "按 Ctrl+C 停止 / press Ctrl+C to stop");
    if args.open {
        open_browser(&url);
    }
    server.wait();
    Ok(EXIT_OK)
}

/// Ask the desktop to open `url`; a failure is only a note (the address is printed anyway).
fn open_browser(url: &str) {
    let opener: (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let spawned = std::process::Command::new(opener.0)
        .args(opener.1)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("无法自动打开浏览器，请手动访问 {url} / cannot open a browser; visit {url}");
    }
}
