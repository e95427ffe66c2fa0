//! Reading inputs from disk, with I/O failures as diagnostics.

use std::path::Path;

use crate::diag::Diagnostic;

/// Read a whole file; a failure names the path, in Chinese and English.
pub fn read(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            "io",
            "",
            format!("无法读取文件 {}：{}", path.display(), io_zh(&e)),
            format!("cannot read {}: {e}", path.display()),
        )
    })
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
