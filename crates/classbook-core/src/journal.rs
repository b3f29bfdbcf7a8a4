//! `Journal`: one open journal file on this PC. Every user action goes
//! through `Journal::write`, which opens one IMMEDIATE transaction in which
//! the permission check, the op append, the outbox entry and the state change
//! all happen — or none of them does.

use crate::apply::{self, Applied};
use crate::cache::{self, FactsCache, Learned};
use crate::db;
use crate::error::{JournalError, Result};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use classbook_domain::hlc::{Clock, Hlc};
use classbook_domain::ids::new_id;
use classbook_domain::op::{Op, OpKind};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub struct Journal {
    pub(crate) conn: Connection,
    path: PathBuf,
    device: Uuid,
    pub(crate) clock: Clock,
    /// A fixed "now" for replaying history (the demo school) and for tests of
    /// time rules; `None` means the PC's clock.
    fixed_now: Option<DateTime<Utc>>,
    /// Facts entries reuse while nothing else is written (see `cache`).
    pub(crate) cache: FactsCache,
    /// Copies the WAL into the file in the background; stops with the journal.
    _checkpointer: crate::checkpoint::Checkpointer,
}

impl Journal {
    /// Open (or create) the journal file at `path`.
    pub fn open(path: &Path) -> Result<Journal> {
        let conn = db::open(path)?;
        let device = match local_get(&conn, "device_id")? {
            Some(text) => text.parse().map_err(|_| JournalError::Corrupt("неверный код устройства".into()))?,
            None => {
                let id = new_id();
                local_set(&conn, "device_id", &id.to_string())?;
                id
            }
        };
        // The clock resumes after the latest stamp this PC made or saw: its
        // own last op (not saved separately, to keep each entry's commit
        // small) or the remote stamps saved with each batch it applied.
        let parse = |text: String| text.parse::<Hlc>().map_err(|e| JournalError::Corrupt(format!("{e}")));
        let seen = local_get(&conn, "clock")?.map(parse).transpose()?;
        let own = apply::own_head(&conn, device)?.map(|(_, _, hlc)| hlc);
        let clock = match seen.into_iter().chain(own).max() {
            Some(last) => Clock::resume(Hlc { device, ..last }),
            None => Clock::new(device),
        };
        conn.pragma_update(None, "wal_autocheckpoint", db::WAL_BACKSTOP_PAGES)?;
        Ok(Journal {
            _checkpointer: crate::checkpoint::Checkpointer::start(path),
            conn,
            path: path.to_owned(),
            device,
            clock,
            fixed_now: None,
            cache: FactsCache::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn device(&self) -> Uuid {
        self.device
    }

    /// Use `now` as the current time instead of the PC's clock.
    pub fn set_fixed_now(&mut self, now: Option<DateTime<Utc>>) {
        self.fixed_now = now;
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The school's local date at `at` (lesson dates are local school dates).
    pub fn school_date(&self, at: DateTime<Utc>) -> Result<NaiveDate> {
        Ok(at.with_timezone(&self.school_offset()?).date_naive())
    }

    /// The school's time zone (a setting; Moscow time unless set).
    pub fn school_offset(&self) -> Result<FixedOffset> {
        let minutes: i32 = self.setting("utc_offset_minutes")?.and_then(|v| v.parse().ok()).unwrap_or(180);
        Ok(FixedOffset::east_opt(minutes * 60).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC")))
    }

    /// A school-wide setting stored by `SaveRecord` on the `setting` entity.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// Run `work` in one transaction; ops it records are committed together.
    pub(crate) fn write<T>(&mut self, work: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let now = self.now();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?;
        self.cache.check_version(version);
        let (seq, prev_hash) = match &self.cache.head {
            Some(head) => head.clone(),
            None => apply::own_head(&tx, self.device)?.map(|(seq, hash, _)| (seq, hash)).unwrap_or((0, String::new())),
        };
        let mut writer = Writer {
            tx,
            device: self.device,
            clock: &mut self.clock,
            now,
            seq,
            prev_hash,
            received_at: now.timestamp_millis(),
            cache: &self.cache,
            learned: Learned::default(),
            as_of: None,
        };
        let value = work(&mut writer)?;
        let (head, learned) = writer.commit()?;
        self.cache.commit(learned, head);
        Ok(value)
    }

    /// Apply ops made elsewhere (another PC, the server): stored, applied,
    /// not queued for sending. Returns how many were new.
    pub fn apply_remote(&mut self, ops: &[Op]) -> Result<usize> {
        // A pulled batch commits without waiting for the disk: were it lost
        // in a power cut, it would be lost together with what followed it in
        // the WAL (SQLite keeps a prefix of the commits), so the pull cursor
        // saved with it (issue 4) goes back too and the batch is pulled
        // again. An entry typed on this PC still waits (FULL).
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let applied = self.apply_remote_batch(ops);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        applied
    }

    fn apply_remote_batch(&mut self, ops: &[Op]) -> Result<usize> {
        let now = self.now();
        let received_at = now.timestamp_millis();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut new = 0;
        let mut batch = apply::RemoteBatch::new(&tx, self.device)?;
        for op in ops {
            if batch.apply(&tx, op, received_at)? == Applied::New {
                new += 1;
            }
            self.clock.observe(op.hlc, now.timestamp_millis());
        }
        local_set(&tx, "clock", &self.clock.last().encode())?;
        crate::history::index_cells(&tx)?;
        tx.commit()?;
        // Remote ops may be of any kind, this PC's own among them (after a restore).
        self.cache.clear();
        Ok(new)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// An open write transaction that can record ops authored on this PC.
pub(crate) struct Writer<'a> {
    pub tx: Transaction<'a>,
    device: Uuid,
    clock: &'a mut Clock,
    pub now: DateTime<Utc>,
    seq: u64,
    prev_hash: String,
    received_at: i64,
    /// Facts read by earlier entries (not to be used once this transaction
    /// has changed any of them; see `Writer::cache`).
    cache: &'a FactsCache,
    pub learned: Learned,
    /// Judge time rules as of this clock stamp (the server re-checking an op
    /// made offline: a period closed after the op was made does not refuse it).
    pub as_of: Option<Hlc>,
}

impl Writer<'_> {
    /// The cached facts, unless this transaction has already changed some.
    pub fn cache(&self) -> Option<&FactsCache> {
        (!self.learned.changes_facts).then_some(self.cache)
    }

    /// Commit; returns this PC's chain head after it and what was learned.
    fn commit(self) -> Result<(cache::ChainHead, Learned)> {
        self.tx.commit()?;
        Ok(((self.seq, self.prev_hash), self.learned))
    }

    /// Append an op by `author` made now and apply it; it waits in the outbox.
    pub fn record(&mut self, author: Uuid, kind: OpKind) -> Result<Op> {
        let at = self.now;
        self.record_at(author, at, kind)
    }

    /// Append an op entered at `at` (a replayed history keeps its times).
    pub fn record_at(&mut self, author: Uuid, at: DateTime<Utc>, kind: OpKind) -> Result<Op> {
        if !cache::keeps_facts(&kind) {
            self.learned.changes_facts = true;
        }
        let hlc: Hlc = self.clock.tick(at.timestamp_millis());
        self.seq += 1;
        let op = Op {
            id: new_id(),
            author,
            device: self.device,
            device_seq: self.seq,
            hlc,
            entered_at: at,
            prev_hash: std::mem::take(&mut self.prev_hash),
            hash: String::new(),
            kind,
        }
        .seal();
        // In the outbox by being this device's op past the push cursor.
        apply::apply_own(&self.tx, &op, self.received_at)?;
        self.prev_hash = op.hash.clone();
        Ok(op)
    }
}

pub(crate) fn local_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT value FROM local WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?)
}

pub(crate) fn local_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO local (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}
