//! Copying the WAL back into the journal file in the background.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its
//! threshold: a teacher's keystroke, or a pulled batch, then waits while
//! megabytes are copied and synced. Instead, each open journal has a thread
//! with its own connection that runs a PASSIVE checkpoint (it never blocks
//! the writer or readers) once the WAL has been written to and a moment has
//! passed. The writer's own automatic checkpoint stays as a backstop, at a
//! much larger WAL (`db::WAL_BACKSTOP_PAGES`), for when this thread cannot
//! keep up.

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

/// How often the thread looks at the WAL.
const LOOK_EVERY: Duration = Duration::from_millis(250);

pub(crate) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub fn start(path: &Path) -> Checkpointer {
        let (stop, stopped) = mpsc::channel::<()>();
        let path = path.to_owned();
        let thread =
            std::thread::Builder::new().name("classbook-checkpoint".into()).spawn(move || run(&path, &stopped)).ok();
        Checkpointer { stop: Some(stop), thread }
    }
}

fn run(path: &PathBuf, stopped: &mpsc::Receiver<()>) {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else { return };
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let mut seen: Option<SystemTime> = None;
    while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(LOOK_EVERY) {
        // The WAL changes on every commit; nothing new, nothing to copy.
        let modified = std::fs::metadata(&wal).and_then(|m| m.modified()).ok();
        if modified.is_none() || modified == seen {
            continue;
        }
        seen = modified;
        // A failure here (the file busy, a disk error) is the writer's to see
        // on its next commit; this thread simply tries again later.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
