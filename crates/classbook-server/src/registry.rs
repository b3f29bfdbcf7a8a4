//! The registry database (`server.db`): which schools the server holds and
//! which PCs may sync with them. Its schema is `migrations/server/`; each
//! migration runs in one transaction with its `user_version`, and a file
//! from a newer program is refused.

use crate::error::{ServerError, StartError};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use uuid::Uuid;

const MIGRATIONS: &[&str] = &[include_str!("../../../migrations/server/0001_registry.sql")];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `last_seen` is rewritten at most this often per device: each write is an
/// fsync, and a PC syncing every few seconds needs no finer record.
const LAST_SEEN_STEP_SECONDS: i64 = 60;

pub fn open(path: &Path) -> Result<Connection, StartError> {
    let registry = |source| StartError::Registry { path: path.to_owned(), source };
    let conn = Connection::open(path).map_err(registry)?;
    // WAL + FULL: a token handed to a PC is on disk before the PC gets it.
    conn.pragma_update(None, "journal_mode", "WAL").map_err(registry)?;
    conn.pragma_update(None, "synchronous", "FULL").map_err(registry)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(registry)?;
    conn.pragma_update(None, "busy_timeout", 5000).map_err(registry)?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(registry)?;
    if found > SCHEMA_VERSION {
        return Err(StartError::RegistryTooNew { path: path.to_owned(), found, known: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.unchecked_transaction().map_err(registry)?;
        tx.execute_batch(sql).map_err(registry)?;
        tx.pragma_update(None, "user_version", index as i64 + 1).map_err(registry)?;
        tx.commit().map_err(registry)?;
    }
    Ok(conn)
}

/// A device row as authentication needs it.
pub struct DeviceRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub revoked_at: Option<String>,
}

/// Fixed-width UTC stamps (milliseconds, `Z`), so that they compare as strings.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn uuid_column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(index)?;
    text.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
}

pub fn school_exists(conn: &Connection, school: Uuid) -> Result<bool, ServerError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM schools WHERE id = ?1")?
        .query_row([school.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn schools(conn: &Connection) -> Result<Vec<Uuid>, ServerError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM schools ORDER BY created_at, id")?;
    let rows = stmt.query_map([], |r| uuid_column(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `false` if the school was there already.
pub fn insert_school(
    conn: &Connection,
    school: Uuid,
    name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let inserted = conn
        .prepare_cached("INSERT INTO schools (id, name, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING")?
        .execute(params![school.to_string(), name, stamp(now)])?;
    Ok(inserted == 1)
}

pub fn device(conn: &Connection, device: Uuid) -> Result<Option<DeviceRow>, ServerError> {
    Ok(conn
        .prepare_cached("SELECT id, school_id, revoked_at FROM devices WHERE id = ?1")?
        .query_row([device.to_string()], device_row)
        .optional()?)
}

pub fn device_by_token(conn: &Connection, token_hash: &[u8]) -> Result<Option<DeviceRow>, ServerError> {
    Ok(conn
        .prepare_cached("SELECT id, school_id, revoked_at FROM devices WHERE token_hash = ?1")?
        .query_row([token_hash], device_row)
        .optional()?)
}

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow { id: uuid_column(row, 0)?, school_id: uuid_column(row, 1)?, revoked_at: row.get(2)? })
}

/// A new registration, or a new token for a device registered before
/// (which also lifts a revocation: an administrator registered it).
pub fn upsert_device(
    conn: &Connection,
    device: Uuid,
    school: Uuid,
    name: &str,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    conn.prepare_cached(
        "INSERT INTO devices (id, school_id, name, token_hash, registered_at, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash,
             registered_at = excluded.registered_at, revoked_at = NULL, last_seen = excluded.last_seen",
    )?
    .execute(params![device.to_string(), school.to_string(), name, token_hash, stamp(now)])?;
    Ok(())
}

pub fn revoke_device(conn: &Connection, device: Uuid, now: DateTime<Utc>) -> Result<(), ServerError> {
    conn.prepare_cached("UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")?
        .execute(params![device.to_string(), stamp(now)])?;
    Ok(())
}

pub fn touch_device(conn: &Connection, device: Uuid, now: DateTime<Utc>) -> Result<(), ServerError> {
    let stale = now - chrono::Duration::seconds(LAST_SEEN_STEP_SECONDS);
    conn.prepare_cached("UPDATE devices SET last_seen = ?2 WHERE id = ?1 AND (last_seen IS NULL OR last_seen < ?3)")?
        .execute(params![device.to_string(), stamp(now), stamp(stale)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_registry_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        drop(open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(conn);
        let error = open(&path).unwrap_err();
        assert!(matches!(error, StartError::RegistryTooNew { .. }), "{error:?}");
        assert!(error.to_string().contains("обновите classbook-server"));
    }

    #[test]
    fn reopening_keeps_the_schema_in_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.db");
        drop(open(&path).unwrap());
        let conn = open(&path).unwrap();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn last_seen_is_rewritten_at_most_once_a_minute() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("server.db")).unwrap();
        let (school, device) = (Uuid::now_v7(), Uuid::now_v7());
        let t0 = Utc::now();
        insert_school(&conn, school, None, t0).unwrap();
        upsert_device(&conn, device, school, "ПК", b"hash", t0).unwrap();
        let last_seen = || -> String {
            conn.query_row("SELECT last_seen FROM devices WHERE id = ?1", [device.to_string()], |r| r.get(0)).unwrap()
        };
        touch_device(&conn, device, t0 + chrono::Duration::seconds(10)).unwrap();
        assert_eq!(last_seen(), stamp(t0));
        let later = t0 + chrono::Duration::seconds(90);
        touch_device(&conn, device, later).unwrap();
        assert_eq!(last_seen(), stamp(later));
    }
}
