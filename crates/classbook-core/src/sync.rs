//! Sync on the PC's side: which school this journal belongs to, what it
//! pushes (the outbox, in chain order), what it makes of the server's
//! verdicts (accepted ops leave the outbox; refused ones are taken back and
//! kept for their author), what it pulls (with the cursor saved in the same
//! transaction), and a digest of its state that two PCs can compare. No
//! network here: `classbook-sync` carries these to the server.

use crate::accounts::Session;
use crate::apply::{self, OP_COLUMNS_OF_O, op_from_row};
use crate::error::{JournalError, Result};
use crate::journal::{Journal, local_get, local_set};
use chrono::{DateTime, Utc};
use classbook_domain::entity::Entity;
use classbook_domain::ids::{named_id, new_id};
use classbook_domain::op::Op;
use classbook_domain::sync::{OpVerdict, PullPage, Rejection, Verdict};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// What settling one push did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Settled {
    pub accepted: usize,
    pub duplicate: usize,
    pub rejected: usize,
    /// Why the server did not take the rest (they stay in the outbox).
    pub deferred: Option<String>,
}

/// An entry the server refused, as its author sees it in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectedEntry {
    pub op_id: Uuid,
    /// The op's kind (`set_mark`, …).
    pub kind: String,
    pub author: Uuid,
    pub entered_at: DateTime<Utc>,
    pub lesson_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    /// Where: «5А, Математика, 12.05» for an entry on a lesson.
    pub place: Option<String>,
    /// What was entered: the mark, the attendance code, the topic …
    pub value: Option<String>,
    pub code: String,
    pub message: String,
}

/// What the sync indicator shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncState {
    /// The server this PC is registered with.
    pub server: Option<String>,
    /// Entries made here that the server has not taken yet.
    pub queued: u64,
    /// Refused entries kept in the inbox.
    pub rejected: u64,
    pub last_sync: Option<DateTime<Utc>>,
}

const SCHOOL_ID: &str = "school_id";
/// The `local` key of the server's address.
const SYNC_SERVER: &str = "sync_server";

/// A counter this PC keeps in `local` (0 until set).
fn local_number(conn: &rusqlite::Connection, key: &str) -> Result<u64> {
    Ok(local_get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Keep why the server refused an op (learned from a push, a pull, or, on
/// the server, its own re-check); once per op.
pub(crate) fn note_rejection(
    conn: &rusqlite::Connection,
    op_id: Uuid,
    rejection: &Rejection,
    at_ms: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO sync_rejected (op_id, code, message, learned_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![op_id.to_string(), rejection.code, rejection.message, at_ms])?;
    Ok(())
}

impl Journal {
    /// The school this journal belongs to (a setting every PC of the school
    /// shares), once it has one.
    pub fn school_id(&self) -> Result<Option<Uuid>> {
        Ok(self.setting(SCHOOL_ID)?.and_then(|id| id.parse().ok()))
    }

    /// The school's id, recorded by `session` (an administrator) when the
    /// journal has none yet: the first PC registering with a server names
    /// the school for everyone.
    pub fn ensure_school_id(&mut self, session: &Session) -> Result<Uuid> {
        if let Some(id) = self.school_id()? {
            return Ok(id);
        }
        let id = new_id();
        let fields = BTreeMap::from([
            ("key".to_owned(), serde_json::Value::from(SCHOOL_ID)),
            ("value".to_owned(), serde_json::Value::from(id.to_string())),
        ]);
        self.save_record(session, Entity::Setting, named_id("setting", SCHOOL_ID), fields)?;
        Ok(id)
    }

    /// The place of this PC's last op in its chain (0 before its first).
    pub fn own_head(&self) -> Result<u64> {
        Ok(apply::own_head(self.conn(), self.device())?.map_or(0, |(seq, _, _)| seq))
    }

    /// Where the next pull starts (the server's cursor after the last page applied).
    pub fn pull_cursor(&self) -> Result<u64> {
        local_number(self.conn(), "pull_cursor")
    }

    /// The server this PC is registered with (kept by this PC only, never synced).
    pub fn sync_server(&self) -> Result<Option<String>> {
        local_get(self.conn(), SYNC_SERVER)
    }

    /// Remember the server once the PC's token is safely in the keyring.
    pub fn set_sync_server(&mut self, base_url: &str) -> Result<()> {
        local_set(self.conn(), SYNC_SERVER, base_url)
    }

    /// Entries made here that the server has not taken yet.
    ///
    /// This PC's ops fill the places 1…head of the log without a gap, so
    /// that is the head less the push cursor: counting the outbox view would
    /// read every queued op (the whole log of a PC not yet synced), and the
    /// sync indicator asks every few seconds.
    pub fn outbox_len(&self) -> Result<u64> {
        Ok(self.own_head()?.saturating_sub(local_number(self.conn(), "pushed_seq")?))
    }

    pub fn sync_state(&self) -> Result<SyncState> {
        let rejected: i64 = self.conn().query_row("SELECT COUNT(*) FROM sync_rejected", [], |r| r.get(0))?;
        let last_sync = local_get(self.conn(), "last_sync")?
            .and_then(|ms| ms.parse().ok())
            .and_then(DateTime::<Utc>::from_timestamp_millis);
        Ok(SyncState { server: self.sync_server()?, queued: self.outbox_len()?, rejected: rejected as u64, last_sync })
    }

    /// Note a completed sync round (for the indicator's «last sync»).
    pub fn note_synced(&mut self, at: DateTime<Utc>) -> Result<()> {
        local_set(self.conn(), "last_sync", &at.timestamp_millis().to_string())
    }

    /// Apply the server's verdicts on `pushed` (the outbox's first ops, in
    /// chain order): accepted and duplicate ops leave the outbox; refused
    /// ones leave it too, are taken back here (the records they wrote are
    /// rebuilt without them) and wait in the inbox for their author; at the
    /// first deferred op the rest stays queued. One transaction.
    pub fn settle_push(&mut self, pushed: &[Op], verdicts: &[OpVerdict]) -> Result<Settled> {
        if pushed.len() != verdicts.len() || pushed.iter().zip(verdicts).any(|(op, v)| op.id != v.id) {
            return Err(JournalError::invalid(
                "Ответ сервера не соответствует отправленным записям: синхронизация будет повторена.",
            ));
        }
        let learned_at = self.now().timestamp_millis();
        let device = self.device();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut cursor = local_number(&tx, "pushed_seq")?;
        let mut settled = Settled::default();
        let mut refused = Vec::new();
        for (op, verdict) in pushed.iter().zip(verdicts) {
            if op.device != device || op.device_seq != cursor + 1 {
                // Already settled by an earlier answer (a retried round).
                if op.device == device && op.device_seq <= cursor {
                    continue;
                }
                return Err(JournalError::invalid("Записи отправлены не по порядку: синхронизация будет повторена."));
            }
            match &verdict.verdict {
                Verdict::Accepted => settled.accepted += 1,
                Verdict::Duplicate => settled.duplicate += 1,
                Verdict::Rejected(r) => {
                    note_rejection(&tx, op.id, r, learned_at)?;
                    refused.push(op.device_seq as i64);
                    settled.rejected += 1;
                }
                Verdict::Deferred { message } => {
                    settled.deferred = Some(message.clone());
                    break;
                }
            }
            cursor = op.device_seq;
        }
        apply::withdraw_own(&tx, &refused)?;
        local_set(&tx, "pushed_seq", &cursor.to_string())?;
        tx.commit()?;
        if !refused.is_empty() {
            self.cache.clear();
        }
        Ok(settled)
    }

    /// Apply a pulled page and move the pull cursor past it, in one
    /// transaction (a lost page goes back with its cursor). Refused ops are
    /// stored, voided, never applied. Returns how many ops were new.
    pub fn apply_pulled(&mut self, page: &PullPage) -> Result<usize> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let applied = self.apply_pulled_page(page);
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        applied
    }

    fn apply_pulled_page(&mut self, page: &PullPage) -> Result<usize> {
        let now = self.now().timestamp_millis();
        let device = self.device();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut batch = apply::RemoteBatch::new(&tx, device)?;
        let mut new = 0;
        // This PC's own ops served back (after a restore from an older copy)
        // are on the server: they leave the outbox.
        let mut own_served = 0;
        for pulled in &page.ops {
            if pulled.op.device == device {
                own_served = own_served.max(pulled.op.device_seq);
            }
            if let Some(r) = &pulled.rejected {
                note_rejection(&tx, pulled.op.id, r, now)?;
            }
            if batch.store(&tx, &pulled.op, now, pulled.rejected.is_some())? == apply::Applied::New {
                new += 1;
            }
            self.clock.observe(pulled.op.hlc, now);
        }
        local_set(&tx, "clock", &self.clock.last().encode())?;
        local_set(&tx, "pull_cursor", &page.cursor.to_string())?;
        if own_served > local_number(&tx, "pushed_seq")? {
            local_set(&tx, "pushed_seq", &own_served.to_string())?;
        }
        crate::history::index_cells(&tx)?;
        tx.commit()?;
        self.cache.clear();
        Ok(new)
    }

    /// The inbox of refused entries: all of them, or those `session` made.
    pub fn rejected_entries(&self, session: Option<&Session>) -> Result<Vec<RejectedEntry>> {
        let sql = format!(
            "SELECT {OP_COLUMNS_OF_O}, r.code, r.message, o.lesson_id, o.student_id,
                    l.date, c.grade || COALESCE(c.letter, ''), s.name
             FROM sync_rejected r JOIN op o ON o.id = r.op_id
             LEFT JOIN lesson l ON l.id = o.lesson_id
             LEFT JOIN class c ON c.id = l.class_id
             LEFT JOIN subject s ON s.id = l.subject_id
             WHERE ?1 IS NULL OR o.author = ?1 ORDER BY r.learned_at, o.seq"
        );
        let author = session.map(|s| s.account_id.to_string());
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([author], |r| {
            let op = op_from_row(r)?;
            let uuid = |i: usize| r.get::<_, Option<String>>(i).map(|t| t.and_then(|t| t.parse().ok()));
            let date: Option<String> = r.get(14)?;
            let place = date.map(|date| {
                let date = date.parse::<chrono::NaiveDate>().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or(date);
                let class: Option<String> = r.get(15).ok().flatten();
                let subject: Option<String> = r.get(16).ok().flatten();
                [class, subject, Some(date)].into_iter().flatten().collect::<Vec<_>>().join(", ")
            });
            Ok(RejectedEntry {
                op_id: op.id,
                value: entered_value(&op.kind),
                place,
                kind: op.kind.name().to_owned(),
                author: op.author,
                entered_at: op.entered_at,
                lesson_id: uuid(12)?,
                student_id: uuid(13)?,
                code: r.get(10)?,
                message: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A hash over the journal's state (every state table, row by row in id
    /// order, and the voids in force): equal on two PCs exactly when their
    /// journals show the same.
    pub fn digest(&self) -> Result<String> {
        let mut hasher = blake3::Hasher::new();
        let tables = Entity::ALL.iter().map(|e| (e.table(), "id")).chain([("void", "op_id")]);
        for (table, key) in tables {
            hasher.update(table.as_bytes());
            let mut stmt = self.conn().prepare(&format!("SELECT * FROM {table} ORDER BY {key}"))?;
            let columns = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for i in 0..columns {
                    use rusqlite::types::ValueRef;
                    match row.get_ref(i)? {
                        ValueRef::Null => hasher.update(b"N"),
                        ValueRef::Integer(v) => hasher.update(b"I").update(&v.to_le_bytes()),
                        ValueRef::Real(v) => hasher.update(b"R").update(&v.to_le_bytes()),
                        ValueRef::Text(t) => hasher.update(b"T").update(&(t.len() as u64).to_le_bytes()).update(t),
                        ValueRef::Blob(b) => hasher.update(b"B").update(&(b.len() as u64).to_le_bytes()).update(b),
                    };
                }
            }
        }
        Ok(hasher.finalize().to_hex()[..32].to_owned())
    }
}

/// What an entry put into the journal, in a few words.
fn entered_value(kind: &classbook_domain::op::OpKind) -> Option<String> {
    use classbook_domain::op::OpKind;
    match kind {
        OpKind::SetMark(m) => Some(m.value.clone()),
        OpKind::SetAttendance(a) => {
            Some(a.code.map_or_else(|| "отметка посещаемости снята".into(), |c| c.code().to_owned()))
        }
        OpKind::SetLessonTopic(t) => Some(t.topic.clone()),
        OpKind::SetHomework(h) => Some(h.text.clone()),
        OpKind::SetIndividualHomework(h) => Some(h.text.clone()),
        OpKind::SetLessonComment(c) => Some(c.comment.clone()),
        OpKind::SetFinalMark(f) => f.value.clone(),
        OpKind::SetAbsenceReason(a) => Some(a.reason.clone()),
        _ => None,
    }
}

impl Journal {
    /// Server side: the last place of `device`'s chain this journal holds (0 if none).
    pub fn device_head(&self, device: Uuid) -> Result<u64> {
        let head = if device == self.device() {
            apply::own_head(self.conn(), device)?
        } else {
            apply::foreign_head(self.conn(), device)?
        };
        Ok(head.map_or(0, |(seq, _, _)| seq))
    }

    /// Server side: the ops stored after `after` (the server's cursor, the
    /// op log's own order), without `device`'s own ops up to `own_head` (it
    /// has them), at most `limit`. Refused ops go too, marked, so every
    /// PC's copy of every chain stays whole.
    pub fn serve_pull(&self, after: u64, device: Uuid, own_head: u64, limit: usize) -> Result<PullPage> {
        let sql = format!(
            "SELECT {OP_COLUMNS_OF_O}, o.seq, r.code, r.message FROM op o LEFT JOIN sync_rejected r ON r.op_id = o.id
             WHERE o.seq > ?1 AND o.seq <= ?5 AND (o.device <> ?2 OR o.device_seq > ?3) ORDER BY o.seq LIMIT ?4"
        );
        // The last op stored now bounds the page, so an op stored meanwhile
        // is left for the next pull instead of being skipped by the cursor.
        let last: Option<i64> =
            self.conn().query_row("SELECT MAX(seq) FROM op", [], |r| r.get(0)).optional()?.flatten();
        let last = last.map_or(0, |l| l as u64);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut cursor = after;
        let mut ops = Vec::new();
        let mut rows =
            stmt.query(params![after as i64, device.to_string(), own_head as i64, limit as i64 + 1, last as i64])?;
        let mut more = false;
        while let Some(row) = rows.next()? {
            if ops.len() == limit {
                more = true;
                break;
            }
            let op = op_from_row(row)?;
            cursor = row.get::<_, i64>(10)? as u64;
            let code: Option<String> = row.get(11)?;
            let rejected = match code {
                Some(code) => Some(classbook_domain::sync::Rejection { code, message: row.get(12)? }),
                None => None,
            };
            ops.push(classbook_domain::sync::PulledOp { op, rejected });
        }
        if !more {
            // Nothing more to send: the cursor moves past the own ops skipped.
            cursor = cursor.max(last);
        }
        Ok(PullPage { ops, cursor, more })
    }
}
