//! Reading inputs from disk, with I/O failures as diagnostics and a size limit per kind of
//! input ([`crate::limits`]): a path must name a regular file (a device, FIFO or folder is
//! refused before it is opened, so nothing blocks or reads forever) and a file larger than its
//! limit is refused from its size, before any of it is read.

use std::io::Read;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::limits::{mib, REPORT_FILE_BYTES_MAX};

/// Read a whole report file (at most [`REPORT_FILE_BYTES_MAX`]); a failure names the path, in
/// Chinese and English.
pub fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    read_limited(path, REPORT_FILE_BYTES_MAX)
}

/// Read a whole regular file of at most `max_bytes`.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(
            "io",
            "",
            format!("无法读取文件 {}：{}", path.display(), io_zh(&e)),
            format!("cannot read {}: {e}", path.display()),
        )
    };
    // The kind is checked before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(io)?;
    check_regular(path, &meta)?;
    check_size(path, meta.len(), max_bytes)?;
    let file = open_nonblocking(path).map_err(io)?;
    // Checked again on the open file: the path may have been replaced in between.
    let meta = file.metadata().map_err(io)?;
    check_regular(path, &meta)?;
    check_size(path, meta.len(), max_bytes)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read stops at the limit.
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(io)?;
    check_size(path, bytes.len() as u64, max_bytes)?;
    Ok(bytes)
}

/// Open for reading without blocking on a FIFO or a device that waits (the kind is checked
/// again on the open file).
pub fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// A path that must be a regular file is one.
pub fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    if meta.is_file() {
        return Ok(());
    }
    let (zh, en) = if meta.is_dir() {
        ("目录", "a folder")
    } else {
        ("设备、管道或套接字", "a device, FIFO or socket")
    };
    Err(Diagnostic::error(
        "input-not-file",
        "",
        format!("{} 不是普通文件，而是{zh}，未读取", path.display()),
        format!("{} is not a regular file but {en}; it was not read", path.display()),
    ))
}

/// A file of `len` bytes is within `max_bytes`.
pub fn check_size(path: &Path, len: u64, max_bytes: u64) -> Result<(), Diagnostic> {
    if len <= max_bytes {
        return Ok(());
    }
    Err(Diagnostic::error(
        "input-too-large",
        "",
        format!("{} 大小超过上限 {}，未读取", path.display(), mib(max_bytes)),
        format!("{} is larger than the limit of {}; it was not read", path.display(), mib(max_bytes)),
    )
    .with_involved("bytes", len)
    .with_hint("见 README「安全与限制」/ see README, Safety and limits"))
}

/// A Chinese gloss of common I/O errors.
pub fn io_zh(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件或目录不存在",
        PermissionDenied => "没有访问权限",
        AlreadyExists => "文件已存在",
        IsADirectory => "这是一个目录",
        NotADirectory => "路径中有一部分不是目录",
        StorageFull => "磁盘空间不足",
        ReadOnlyFilesystem => "文件系统只读",
        _ => "输入输出错误",
    }
}
