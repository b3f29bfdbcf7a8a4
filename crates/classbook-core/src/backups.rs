//! The log of backups made of this journal on this PC (`backup_log`, a local
//! table that is never synced): what `classbook-backup` wrote, where, with
//! which hash, and whether it was read back and verified. «The last good
//! backup» shown to the administrator is the newest verified row.

use crate::error::Result;
use crate::journal::Journal;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// One backup attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BackupRecord {
    /// The backup file (or the file it was to be, when it failed).
    pub path: String,
    pub created_at: DateTime<Utc>,
    /// SHA-256 (hex) of the whole file as read back from the medium.
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    /// Read back and its hash checked against the manifest.
    pub verified: bool,
    /// The Russian reason it failed.
    pub error: Option<String>,
}

const COLUMNS: &str = "path, created_at, sha256, bytes, verified, error";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BackupRecord> {
    let created: String = r.get(1)?;
    let created_at = DateTime::parse_from_rfc3339(&created)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(BackupRecord {
        path: r.get(0)?,
        created_at,
        sha256: r.get(2)?,
        bytes: r.get::<_, Option<i64>>(3)?.map(|b| b as u64),
        verified: r.get(4)?,
        error: r.get(5)?,
    })
}

impl Journal {
    /// Note a backup attempt in this PC's log.
    pub fn record_backup(&self, record: &BackupRecord) -> Result<()> {
        self.conn()
            .prepare_cached(&format!("INSERT INTO backup_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"))?
            .execute(params![
                record.path,
                record.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                record.sha256,
                record.bytes.map(|b| b as i64),
                record.verified,
                record.error,
            ])?;
        Ok(())
    }

    /// The log, newest first, at most `limit` rows.
    pub fn backups(&self, limit: usize) -> Result<Vec<BackupRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM backup_log ORDER BY created_at DESC, id DESC LIMIT ?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([limit as i64], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest backup that was read back from its medium and verified.
    pub fn last_good_backup(&self) -> Result<Option<BackupRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM backup_log WHERE verified = 1 AND error IS NULL \
             ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        Ok(self.conn().prepare_cached(&sql)?.query_row([], from_row).optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, minute: u32, verified: bool) -> BackupRecord {
        BackupRecord {
            path: path.into(),
            created_at: format!("2026-05-26T10:{minute:02}:00Z").parse().unwrap(),
            sha256: verified.then(|| "ab".repeat(32)),
            bytes: Some(1000),
            verified,
            error: (!verified).then(|| "На носителе закончилось место".into()),
        }
    }

    #[test]
    fn the_last_good_backup_is_the_newest_verified_one() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.db")).unwrap();
        assert_eq!(journal.last_good_backup().unwrap(), None);
        journal.record_backup(&record("/media/a.cbbackup", 1, true)).unwrap();
        journal.record_backup(&record("/media/b.cbbackup", 3, false)).unwrap();
        journal.record_backup(&record("/media/c.cbbackup", 2, true)).unwrap();
        assert_eq!(journal.last_good_backup().unwrap().unwrap().path, "/media/c.cbbackup");
        let all = journal.backups(10).unwrap();
        assert_eq!(
            all.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
            ["/media/b.cbbackup", "/media/c.cbbackup", "/media/a.cbbackup"]
        );
        assert_eq!(all[0], record("/media/b.cbbackup", 3, false));
    }
}
