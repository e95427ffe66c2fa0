//! One batch per output folder at a time: an advisory lock (flock) on the output folder itself,
//! held for the whole run, so no lock file is left behind. The operating system releases it when the process ends, however it ends, so a
//! killed run never leaves a folder locked; a second batch into the same folder is refused
//! with a message instead of racing on the manifest. While the lock is held, temporary files
//! left by an earlier run that was killed (`kill -9`) are removed.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::input::io_zh;

/// The held lock; released when dropped or when the process ends.
#[derive(Debug)]
pub struct BatchLock {
    _file: File,
    pub path: PathBuf,
}

impl BatchLock {
    /// Lock `out_dir` (which must exist) or explain why not.
    pub fn acquire(out_dir: &Path) -> Result<BatchLock, Diagnostic> {
        let path = out_dir.to_path_buf();
        // A folder opened read-only can carry a flock on Linux and the BSDs.
        let file = File::open(&path).map_err(|e| {
            Diagnostic::error(
                "io",
                "",
                format!("无法打开输出目录 {}：{}", path.display(), io_zh(&e)),
                format!("cannot open the output folder {}: {e}", path.display()),
            )
        })?;
        match file.try_lock() {
            Ok(()) => Ok(BatchLock { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(Diagnostic::error(
                "batch-locked",
                "",
                format!("另一个批量任务正在写入 {}，本次未做任何处理", out_dir.display()),
                format!("another batch is writing to {}; nothing was done", out_dir.display()),
            )
            .with_hint("等它结束后再运行，或换一个输出目录 / wait for it to finish, or use another output folder")),
            Err(TryLockError::Error(e)) => Err(Diagnostic::error(
                "io",
                "",
                format!("无法锁定输出目录 {}：{}", out_dir.display(), io_zh(&e)),
                format!("cannot lock the output folder {}: {e}", out_dir.display()),
            )),
        }
    }
}

/// Remove the temporary files an interrupted earlier run left below `out_dir`; returns how many.
/// Call only while holding the folder's [`BatchLock`]: then none of them belongs to a live run.
pub fn clean_stale_temp_files(out_dir: &Path, _lock: &BatchLock) -> usize {
    crate::output::stale_temp_files(out_dir).into_iter().filter(|p| std::fs::remove_file(p).is_ok()).count()
}
