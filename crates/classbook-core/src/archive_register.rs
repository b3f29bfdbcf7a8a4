//! The archive register (`archive_register`, a local table that is never
//! synced): every yearly archive bundle made on this PC by
//! `classbook-archive` — its running number, year, who made it and when, the
//! SHA-256 of its manifest, the school key that signed it, where its copies
//! went, and when it was last checked. REQUIREMENTS §5: archive copies at the
//! end of a year are entered in an archive register.
//!
//! Also who may make the archive: it holds every class's journal and every
//! state table of the school, so it takes both rules the parts already have —
//! reading any class's journal (the PDFs) and the archive copy of all tables
//! (`archive_tables`: administrators and deputy heads).

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::{DateTime, Utc};
use classbook_domain::rules::{self, Action, Policy};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

/// A bundle to enter in the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NewArchiveRecord {
    /// «2025/2026».
    pub year: String,
    pub created_at: DateTime<Utc>,
    /// Who made it: «Фамилия И. О. (login)».
    pub who: String,
    /// The bundle's folder name, the same on every medium.
    pub bundle: String,
    /// SHA-256 (hex) of the bundle's `manifest.json`.
    pub manifest_sha256: String,
    /// The school key's public half (hex) that signed the manifest.
    pub signer: String,
    pub key_fingerprint: String,
    pub files: u64,
    pub bytes: u64,
    /// The folders the bundle was written to and read back from.
    pub destinations: Vec<String>,
}

/// A row of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ArchiveRecord {
    pub number: i64,
    #[serde(flatten)]
    pub bundle: NewArchiveRecord,
    pub verified_at: Option<DateTime<Utc>>,
    /// The outcome of the last check (`None`: never checked since made).
    pub verified_ok: Option<bool>,
}

const COLUMNS: &str = "number, year, created_at, who, bundle, manifest_sha256, signer, key_fingerprint, files, bytes, \
                       destinations, verified_at, verified_ok";

fn time(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let Some(text) = r.get::<_, Option<String>>(i)? else { return Ok(None) };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArchiveRecord> {
    let destinations: String = r.get(10)?;
    Ok(ArchiveRecord {
        number: r.get(0)?,
        bundle: NewArchiveRecord {
            year: r.get(1)?,
            created_at: time(r, 2)?.unwrap_or_default(),
            who: r.get(3)?,
            bundle: r.get(4)?,
            manifest_sha256: r.get(5)?,
            signer: r.get(6)?,
            key_fingerprint: r.get(7)?,
            files: r.get::<_, i64>(8)? as u64,
            bytes: r.get::<_, i64>(9)? as u64,
            destinations: destinations.lines().map(str::to_owned).collect(),
        },
        verified_at: time(r, 11)?,
        verified_ok: r.get(12)?,
    })
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Journal {
    /// May the session make the school's yearly archive? Administrators and
    /// deputy heads: the two rules its parts already have (reading every
    /// class's journal; the archive copy of all tables), checked up front so
    /// nothing is written for someone who would be refused half-way.
    pub fn check_makes_archive(&self, session: &Session) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let today = self.school_date(self.now())?;
        let any_class = Action::ViewClass { teaches: false, class_teacher: false };
        rules::check(&actor, &any_class, today, Policy::default())
            .and_then(|_| rules::check(&actor, &Action::PlanLessons, today, Policy::default()))
            .map_err(|denied| {
                JournalError::Denied(rules::Denied {
                    code: denied.code,
                    message: "Архив учебного года формируют администратор или заместитель директора: в него \
                              входят журналы всех классов и архивная копия всех таблиц журнала."
                        .to_owned(),
                })
            })
    }

    /// Enter a bundle in the register; its running number.
    pub fn record_archive(&self, record: &NewArchiveRecord) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "INSERT INTO archive_register (year, created_at, who, bundle, manifest_sha256, signer, \
                 key_fingerprint, files, bytes, destinations) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                record.year,
                rfc3339(record.created_at),
                record.who,
                record.bundle,
                record.manifest_sha256,
                record.signer,
                record.key_fingerprint,
                record.files as i64,
                record.bytes as i64,
                record.destinations.join("\n"),
            ])?;
        Ok(self.conn().last_insert_rowid())
    }

    /// The register in order of entry.
    pub fn archives(&self) -> Result<Vec<ArchiveRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM archive_register ORDER BY number");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest entry for the bundle named `bundle` (its folder name).
    pub fn archive_named(&self, bundle: &str) -> Result<Option<ArchiveRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM archive_register WHERE bundle = ?1 ORDER BY number DESC LIMIT 1");
        Ok(self.conn().prepare_cached(&sql)?.query_row([bundle], from_row).optional()?)
    }

    /// Note the outcome of a check of the bundle numbered `number`.
    pub fn record_archive_check(&self, number: i64, at: DateTime<Utc>, ok: bool) -> Result<()> {
        let changed = self
            .conn()
            .prepare_cached("UPDATE archive_register SET verified_at = ?2, verified_ok = ?3 WHERE number = ?1")?
            .execute(params![number, rfc3339(at), ok])?;
        if changed == 0 {
            return Err(JournalError::not_found(format!("В архивном реестре нет записи № {number}.")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(name: &str, minute: u32) -> NewArchiveRecord {
        NewArchiveRecord {
            year: "2025/2026".into(),
            created_at: format!("2026-06-30T10:{minute:02}:00Z").parse().unwrap(),
            who: "Иванова А. Б. (admin)".into(),
            bundle: name.into(),
            manifest_sha256: "ab".repeat(32),
            signer: "cd".repeat(32),
            key_fingerprint: "1a2b 3c4d 5e6f 7a8b".into(),
            files: 12,
            bytes: 34_000,
            destinations: vec!["/media/a/USB1".into(), "/media/a/USB 2".into()],
        }
    }

    #[test]
    fn bundles_are_numbered_in_order_and_keep_their_checks() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(&dir.path().join("j.db")).unwrap();
        assert!(journal.archives().unwrap().is_empty());
        assert_eq!(journal.record_archive(&bundle("a", 1)).unwrap(), 1);
        assert_eq!(journal.record_archive(&bundle("b", 2)).unwrap(), 2);
        let all = journal.archives().unwrap();
        assert_eq!(all.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(all[0].bundle, bundle("a", 1));
        assert_eq!(all[0].verified_ok, None);
        let at: DateTime<Utc> = "2031-06-30T10:00:00Z".parse().unwrap();
        journal.record_archive_check(2, at, false).unwrap();
        let b = journal.archive_named("b").unwrap().unwrap();
        assert_eq!((b.number, b.verified_at, b.verified_ok), (2, Some(at), Some(false)));
        assert!(journal.archive_named("c").unwrap().is_none());
        assert!(journal.record_archive_check(9, at, true).is_err());
    }
}
