//! One serving process per embedded data dir. Two servers on one SQLite database both
//! start and both serve, but each caches what it read (catalogue, schedules) and the second
//! serves stale answers for minutes; so `serve` takes an exclusive lock on the data dir
//! (an OS file lock on `<data-dir>/.lock`, released by the OS when the process ends, even
//! on kill -9) and a second server exits at once with a clear error.
//! External databases (PostgreSQL) are shared by design and need no lock.
//!
//! The lock also tells the job workers they are alone ([`DataDirLock::is_held`]): jobs
//! found running at start were orphaned by a crash of the previous server and resume at
//! once instead of waiting out their lease.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::PlatformConfig;

/// The data dirs this process holds locked (canonical paths).
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// One spelling per directory (`./data`, `data/` and its absolute path are the same).
fn canonical(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// Held for the life of the serving process.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
    pub path: PathBuf,
    /// The locked dir as recorded in `HELD`.
    dir: PathBuf,
}

impl DataDirLock {
    /// Locks the data dir when the embedded database is in use; `None` otherwise.
    pub fn for_serving(config: &PlatformConfig) -> anyhow::Result<Option<DataDirLock>> {
        if config.database.url.is_some() {
            return Ok(None);
        }
        Self::acquire(&config.data_dir).map(Some)
    }

    pub fn acquire(dir: &Path) -> anyhow::Result<DataDirLock> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create data dir {}: {e}", dir.display()))?;
        let path = dir.join(".lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                anyhow::bail!(
                    "the data dir {} is in use by another server{}; stop it first, or give \
                     this one its own --data-dir",
                    dir.display(),
                    if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (process {holder})")
                    }
                );
            }
            Err(TryLockError::Error(e)) => {
                anyhow::bail!("cannot lock {}: {e}", path.display())
            }
        }
        // Who holds it, for the next one's message (best effort: the lock is what counts).
        let _ = file.set_len(0);
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        let dir = canonical(dir);
        if let Ok(mut held) = HELD.lock() {
            held.push(dir.clone());
        }
        Ok(DataDirLock {
            _file: file,
            path,
            dir,
        })
    }

    /// Whether this process holds `dir` locked (so no other process serves it).
    pub fn is_held(dir: &Path) -> bool {
        let dir = canonical(dir);
        HELD.lock().is_ok_and(|held| held.contains(&dir))
    }
}

impl Drop for DataDirLock {
    fn drop(&mut self) {
        if let Ok(mut held) = HELD.lock()
            && let Some(i) = held.iter().position(|d| *d == self.dir)
        {
            held.swap_remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!DataDirLock::is_held(dir.path()));
        let first = DataDirLock::acquire(dir.path()).unwrap();
        assert!(DataDirLock::is_held(dir.path()));
        let err = DataDirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(err.contains("in use by another server"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(first);
        DataDirLock::acquire(dir.path()).unwrap();
    }
}
