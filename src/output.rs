//! Writing outputs atomically: a temporary file in the target folder, then a rename, so a
//! failed or interrupted run never leaves a half-written PDF, DOCX or manifest behind.

use std::io::Write;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::input::io_zh;

/// Names of the temporary files: hidden, and recognisable afterwards. A process killed between
/// creating one and renaming it (`kill -9`, a power cut) leaves it behind; `batch` removes
/// them from its output folder while it holds the folder's lock, and `manifest verify`
/// reports them.
pub const TEMP_PREFIX: &str = ".nianbao-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of our temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// Temporary files left below `dir` (symbolic links are not followed), in sorted order.
pub fn stale_temp_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() && e.file_name().to_str().is_some_and(is_temp_name) {
                found.push(e.path());
            }
        }
    }
    found.sort();
    found
}

/// The error of writing `path`.
fn write_failed(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "io",
        "",
        format!("无法写入 {}：{}", path.display(), io_zh(&e)),
        format!("cannot write {}: {e}", path.display()),
    )
}

/// `bytes` in a temporary file next to `path`, written and synced, ready to be renamed.
fn staged(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    // Temporary files are private (0600) by default; outputs are ordinary documents, so create
    // them as the umask allows, like any other file the user writes.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let tmp = staged(path, bytes).map_err(|e| write_failed(path, e))?;
    tmp.persist(path).map_err(|e| write_failed(path, e.error))?;
    Ok(())
}

/// Write several files as one: every temporary file is written and synced first, and only
/// then are they renamed into place, so a failure while writing (a full disk, an unwritable
/// folder) leaves none of them. `Err` carries the diagnostic and the paths that were already
/// renamed into place when a rename failed (almost never: renames within a folder do not
/// need space).
pub fn write_all_atomic(files: &[(&Path, &[u8])]) -> Result<(), (Diagnostic, Vec<std::path::PathBuf>)> {
    let mut temps = Vec::new();
    for (path, bytes) in files {
        let tmp = staged(path, bytes).map_err(|e| (write_failed(path, e), Vec::new()))?;
        temps.push((tmp, *path));
    }
    let mut done = Vec::new();
    for (tmp, path) in temps {
        if let Err(e) = tmp.persist(path) {
            return Err((write_failed(path, e.error), done));
        }
        done.push(path.to_path_buf());
    }
    Ok(())
}

/// Create an output folder (and its parents).
pub fn ensure_dir(dir: &Path) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(
            "io",
            "",
            format!("无法创建输出目录 {}：{}", dir.display(), io_zh(&e)),
            format!("cannot create output folder {}: {e}", dir.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leaving_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_are_readable_by_others_as_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_atomic(&p, b"x").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode & 0o044, 0, "mode {mode:o}: output should not be private like a temp file");
    }

    #[test]
    fn unwritable_folder_is_a_diagnostic() {
        let e = write_atomic(Path::new("/nonexistent-dir/x/a.pdf"), b"x").unwrap_err();
        assert_eq!(e.rule, "io");
        assert!(e.message_zh.contains("无法写入"));
    }
}
