//! A consistent copy of the live journal while the app keeps writing.
//!
//! SQLite's online backup API run in small steps restarts whenever another
//! connection writes between steps (it may never finish while teachers keep
//! working), so the whole file is copied in ONE step from a separate read
//! connection: in WAL mode the read transaction of that step sees one commit
//! and never blocks the writer. The copy goes into an in-memory database
//! (no temporary file to write, sync and delete; measured faster than
//! `VACUUM INTO`, docs/BENCHMARKS.md), from which the counts and op-log head
//! of the manifest are read, so they describe exactly the copied image.

use crate::error::{BackupError, Result};
use crate::format::{DeviceHead, OpLogHead};
use classbook_core::Stats;
use rusqlite::{Connection, MAIN_DB, OpenFlags, OptionalExtension};
use std::path::Path;
use uuid::Uuid;

/// The in-memory copy and what the manifest says of it.
pub struct Snapshot {
    pub conn: Connection,
    pub facts: Facts,
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

/// Copy the journal at `path` in one step into memory and check it.
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
    let mut conn = Connection::open_in_memory()?;
    {
        let backup = rusqlite::backup::Backup::new(&source, &mut conn)?;
        // -1: every page in one step, under one read transaction.
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                // Busy/Locked: the writer holds a lock a moment (a checkpoint
                // resetting the WAL); the step starts over, still as one step.
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    drop(source);
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(BackupError::JournalBroken { path: path.to_owned(), detail: check });
    }
    let facts = facts(&conn, path)?;
    Ok(Snapshot { conn, facts })
}

impl Snapshot {
    /// The SQLite image of the copy, as a database file holds it.
    pub fn image(&self) -> Result<rusqlite::serialize::Data<'_>> {
        Ok(self.conn.serialize(MAIN_DB)?)
    }
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
    // SQLite returns the row of the MAX with a bare column: each device's head.
    let mut stmt = conn.prepare("SELECT device, MAX(device_seq), hash FROM op GROUP BY device ORDER BY device")?;
    let devices = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Vec<u8>>(2)?)))?
        .map(|row| {
            let (device, seq, hash) = row?;
            Ok(DeviceHead { device: device.parse().unwrap_or_default(), seq: seq as u64, hash: hex::encode(hash) })
        })
        .collect::<Result<Vec<_>>>()?;
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
