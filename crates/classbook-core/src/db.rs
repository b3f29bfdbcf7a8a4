//! Opening a journal file: pragmas for durability, and migrations — each in
//! one transaction with its `user_version`, a copy taken before migrating an
//! existing file, and a file from a newer program refused.

use crate::error::{JournalError, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// The client schema, in order. `user_version` = how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/client/0001_journal.sql"),
    include_str!("../../../migrations/client/0002_sync.sql"),
    include_str!("../../../migrations/client/0003_backups.sql"),
    include_str!("../../../migrations/client/0004_archive.sql"),
    include_str!("../../../migrations/client/0005_cell_log.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The page cache per connection, in KiB (negative in the pragma: a size, not a page count).
pub const CACHE_KIB: i64 = -64 * 1024;
/// WAL pages after which a commit checkpoints (SQLite's default is 1000).
pub const WAL_CHECKPOINT_PAGES: i64 = 4000;
/// The journal's own connection leaves checkpoints to its background thread
/// (`checkpoint`) and only checkpoints itself past this many WAL pages.
pub const WAL_BACKSTOP_PAGES: i64 = 16_000;

pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| JournalError::Io { path: dir.to_owned(), source })?;
    }
    let existed = path.exists();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    migrate(&conn, path, existed)?;
    Ok(conn)
}

/// The pragmas every journal connection runs with (public so benchmarks can
/// give a bare table the same ones).
pub fn configure(conn: &Connection) -> Result<()> {
    // WAL + FULL: an entry the UI showed as saved survives a power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    // A school's journal is hundreds of megabytes: with SQLite's default
    // 2 MB page cache every entry re-reads index pages from the OS.
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    // Checkpoint after 16 MB of WAL instead of 4 MB: pages a day's entries
    // touch again and again are copied into the file once, not every few entries.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

fn migrate(conn: &Connection, path: &Path, existed: bool) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(JournalError::TooNew { path: path.to_owned(), found, known: SCHEMA_VERSION });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    if existed && found > 0 {
        let copy = path.with_extension(format!("before-v{}.db", SCHEMA_VERSION));
        let _ = std::fs::remove_file(&copy);
        conn.execute("VACUUM INTO ?1", [copy.to_string_lossy()])?;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(conn);
        let err = open(&path).unwrap_err();
        assert_eq!(err.code(), "database_too_new");
        assert!(err.to_string().contains("обновите программу"));
    }

    #[test]
    fn reopening_keeps_the_schema_and_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(open(&path).unwrap());
        let conn = open(&path).unwrap();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}
