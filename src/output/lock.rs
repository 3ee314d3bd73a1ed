//! One build at a time per output folder. A cron job and an editor's
//! manual publish may start together; two builds staging beside one
//! folder would clear each other's staging and fail half-way. The second
//! waits for the first, told who holds the folder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::error::{io_diag, BuildError};

/// Held while a build stages and swaps in its output; released on drop
/// (and by the system if the process dies).
#[derive(Debug)]
pub struct BuildLock {
    _file: File,
}

/// Takes the lock of the output folder `name` in `parent`, calling `wait`
/// with the holder's description first if another build has it.
pub fn acquire(parent: &Path, name: &str, wait: &dyn Fn(&str)) -> Result<BuildLock, BuildError> {
    let path = parent.join(format!(".{name}.lock"));
    let failed =
        |e: std::io::Error| BuildError::Output(io_diag(&path, "lock the output folder", &e));
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            wait(if holder.is_empty() {
                "another build"
            } else {
                holder
            });
            file.lock().map_err(failed)?;
        }
        Err(TryLockError::Error(e)) => return Err(failed(e)),
    }
    // Who holds it, for the next build that has to wait.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "dateline build, process {}", std::process::id());
    let _ = file.flush();
    Ok(BuildLock { _file: file })
}
