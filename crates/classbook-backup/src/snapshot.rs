//! A consistent copy of the live journal while the app keeps writing.
//!
//! SQLite's online backup API run in small steps restarts whenever another
//! connection writes between steps (it may never finish while teachers keep
//! working), so the whole file is copied in ONE step from a separate read
//! connection: in WAL mode the read transaction of that step sees one commit
//! and never blocks the writer. The copy goes into an in-memory database
//! (no temporary file to write, sync and delete; measured faster than
//! `VACUUM INTO`, docs/BENCHMARKS.md). The read transaction stays open for
//! `check`, so the quick_check, counts and op-log heads of the manifest are
//! of exactly the copied commit.

use crate::error::{BackupError, Result};
use crate::format::{DeviceHead, OpLogHead};
use classbook_core::Stats;
use rusqlite::{Connection, MAIN_DB, OpenFlags, OptionalExtension};
use std::path::Path;
use uuid::Uuid;

/// How long a snapshot waits for a lock another connection holds.
const BUSY_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// The in-memory copy, and the read transaction on the journal it was
/// copied in (still open: its checks and counts read the same commit).
pub struct Snapshot {
    pub source: Connection,
    pub conn: Connection,
    pub school_id: Uuid,
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub school_id: Uuid,
    pub school_name: Option<String>,
    pub first_op: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub schema_version: i64,
    pub op_log: OpLogHead,
    pub counts: Stats,
}

/// Copy the journal at `path` in one step into memory.
pub fn take(path: &Path) -> Result<Snapshot> {
    if !path.is_file() {
        return Err(BackupError::Io {
            what: "открыть журнал",
            path: path.to_owned(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let source = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    source.busy_timeout(std::time::Duration::from_secs(10))?;
    // One read transaction for the copy and everything the manifest says
    // of it: the backup step reuses a transaction its source already has.
    source.execute_batch("BEGIN")?;
    let Some((school_id, _)) = school_identity(&source)? else {
        return Err(BackupError::EmptyJournal { path: path.to_owned() });
    };
    let mut conn = memory_database()?;
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut conn)?;
        // -1: every page in one step.
        let started = std::time::Instant::now();
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                // Busy/Locked: another connection holds a lock a moment (a
                // checkpoint resetting the WAL); the step starts over, still whole.
                _ if started.elapsed() < BUSY_FOR => std::thread::sleep(std::time::Duration::from_millis(20)),
                _ => return Err(BackupError::Busy { path: path.to_owned(), seconds: BUSY_FOR.as_secs() }),
            }
        }
    }
    Ok(Snapshot { source, conn, school_id })
}

/// An in-memory database on SQLite's memdb VFS: serializing it hands out
/// its own buffer (no second copy of a journal of hundreds of MB, as a
/// plain `:memory:` database's serialize makes).
fn memory_database() -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Without a leading "/" the name is private to this connection.
    let conn = Connection::open_with_flags("file:classbook-snapshot?vfs=memdb", flags)?;
    // memdb caps a database at 1 GiB by default; a journal may outgrow that.
    let mut limit: i64 = i64::MAX;
    // SAFETY: a file-control call on this open connection's main database,
    // with a pointer to an i64 as SQLITE_FCNTL_SIZE_LIMIT expects.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_file_control(
            conn.handle(),
            c"main".as_ptr(),
            rusqlite::ffi::SQLITE_FCNTL_SIZE_LIMIT,
            (&mut limit as *mut i64).cast(),
        )
    };
    if rc != rusqlite::ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rc), None).into());
    }
    Ok(conn)
}

impl Snapshot {
    /// The SQLite image of the copy, as a database file holds it (memdb's
    /// own buffer, not a copy).
    pub fn image(&self) -> Result<rusqlite::serialize::Data<'_>> {
        Ok(self.conn.serialize(MAIN_DB)?)
    }
}

/// `PRAGMA quick_check` and the manifest's facts, read in the snapshot's
/// transaction on the journal (the very pages the copy holds), so they can
/// run on another thread while the copy is compressed and written; the
/// image's SHA-256 then ties the copy to them.
pub fn check(source: Connection, path: &Path) -> Result<Facts> {
    let check: String = source.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(BackupError::JournalBroken { path: path.to_owned(), detail: check });
    }
    let facts = facts(&source, path)?;
    source.execute_batch("COMMIT")?;
    Ok(facts)
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?.flatten())
}

/// The school's identity, read from any connection to a journal: its
/// `school_id` setting, or — for a school that has never been registered on
/// a server — the id of its first op, the same on every copy of it.
pub fn school_identity(conn: &Connection) -> Result<Option<(Uuid, Option<Uuid>)>> {
    let first_op: Option<Uuid> = conn
        .query_row("SELECT id FROM op ORDER BY seq LIMIT 1", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|id| id.parse().ok());
    let school = setting(conn, "school_id")?.and_then(|id| id.parse().ok()).or(first_op);
    Ok(school.map(|s| (s, first_op)))
}

fn facts(conn: &Connection, path: &Path) -> Result<Facts> {
    let Some((school_id, first_op)) = school_identity(conn)? else {
        return Err(BackupError::EmptyJournal { path: path.to_owned() });
    };
    let device_id = conn
        .query_row("SELECT value FROM local WHERE key = 'device_id'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|id| id.parse().ok());
    let schema_version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    // Each device's head: this PC's last op by its place (seq = device_seq
    // below 2^32), the others' through the chain index of ops from elsewhere
    // (its heads from the covering index, then one lookup each) — no scan of the log.
    let mut stmt = conn.prepare(
        "SELECT device, device_seq, hash FROM op WHERE seq = (SELECT MAX(seq) FROM op WHERE seq < 4294967296)
         UNION ALL
         SELECT o.device, o.device_seq, o.hash FROM
           (SELECT device AS d, MAX(device_seq) AS s FROM op WHERE seq >= 4294967296 GROUP BY device) h
           JOIN op o ON o.device = h.d AND o.device_seq = h.s AND o.seq >= 4294967296",
    )?;
    let devices = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Vec<u8>>(2)?)))?
        .map(|row| {
            let (device, seq, hash) = row?;
            Ok(DeviceHead { device: device.parse().unwrap_or_default(), seq: seq as u64, hash: hex::encode(hash) })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut devices = devices;
    devices.sort_by_key(|d| d.device);
    let counts = Stats::of_connection(conn)?;
    Ok(Facts {
        school_id,
        school_name: setting(conn, "school_name")?,
        first_op,
        device_id,
        schema_version,
        op_log: OpLogHead { ops: counts.ops as u64, devices },
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_is_serialized_without_a_copy() {
        let conn = memory_database().unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
        let image = conn.serialize(MAIN_DB).unwrap();
        assert!(matches!(image, rusqlite::serialize::Data::Shared(_)), "memdb hands out its buffer");
        assert!(image.starts_with(b"SQLite format 3\0"));
    }
}
