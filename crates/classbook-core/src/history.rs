//! The change log: every change of a mark, an attendance cell or a lesson,
//! who made it and when, old value → new value, including voided changes
//! (shown, marked void). It is a query over the op log, which is append-only.

use crate::accounts::Session;
use crate::apply::FOREIGN_SEQ_BASE;
use crate::error::Result;
use crate::journal::Journal;
use crate::journal::{local_get, local_set};
use chrono::{DateTime, Utc};
use classbook_domain::op::{Effect, OpKind};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub op_id: Uuid,
    pub kind: String,
    pub author_login: String,
    pub entered_at: DateTime<Utc>,
    /// The record the change is about (a mark's id, the lesson's id …).
    pub record_id: Uuid,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Voided as made under a compromised account: shown, not in force.
    pub voided: bool,
}

/// The ops of a cell, or of a lesson's own fields (student '').
const CELL_OPS: &str = "SELECT o.id, o.kind, COALESCE(a.login, o.author), o.entered_at, o.payload, o.voided
    FROM op_cell c JOIN op o ON o.seq = c.seq LEFT JOIN account a ON a.id = o.author
    WHERE c.lesson_id = ?1 AND c.student_id = ?2
    ORDER BY o.hlc_ms, o.hlc_counter, o.device";

/// Each op of a cell with what the reports read of it (migration 0005): a
/// mark's id is taken from the payload once, here, not by every report. One
/// part per range of the log, each a walk of `op` by its primary key.
const INDEX_CELLS: &str =
    "INSERT OR IGNORE INTO op_cell (lesson_id, student_id, seq, kind, entered_at, author, mark_id)
    SELECT lesson_id, COALESCE(student_id, ''), seq, kind, entered_at, author,
           CASE WHEN kind IN ('set_mark', 'delete_mark') THEN json_extract(payload, '$.data.mark_id') END
    FROM op
    WHERE seq > ?1 AND seq <= ?2 AND lesson_id IS NOT NULL
    UNION ALL
    SELECT lesson_id, COALESCE(student_id, ''), seq, kind, entered_at, author,
           CASE WHEN kind IN ('set_mark', 'delete_mark') THEN json_extract(payload, '$.data.mark_id') END
    FROM op
    WHERE seq > ?3 AND seq <= ?4 AND lesson_id IS NOT NULL";

/// Index the ops stored since the last call in `op_cell`, in the caller's
/// (write) transaction. Two places in `local` say how far each part of the
/// log is indexed: this PC's ops and those from elsewhere (see
/// `apply::FOREIGN_SEQ_BASE`).
pub(crate) fn index_cells(conn: &Connection) -> Result<()> {
    let Some((own, own_end, foreign, foreign_end)) = unindexed(conn)? else { return Ok(()) };
    conn.prepare_cached(INDEX_CELLS)?.execute(params![own, own_end, foreign, foreign_end])?;
    local_set(conn, "cells_own", &own_end.to_string())?;
    local_set(conn, "cells_foreign", &foreign_end.to_string())?;
    Ok(())
}

/// The parts of the log not yet in `op_cell` (`seq` ranges, exclusive of
/// their starts: this PC's ops, then those from elsewhere), if any.
fn unindexed(conn: &Connection) -> Result<Option<(i64, i64, i64, i64)>> {
    let mark = |key: &str, default: i64| -> Result<i64> {
        Ok(local_get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(default))
    };
    let (own, foreign) = (mark("cells_own", 0)?, mark("cells_foreign", FOREIGN_SEQ_BASE - 1)?);
    let last = |sql: &str| -> Result<Option<i64>> {
        Ok(conn.prepare_cached(sql)?.query_row([FOREIGN_SEQ_BASE], |r| r.get(0)).optional()?)
    };
    let own_end = last("SELECT seq FROM op WHERE seq < ?1 ORDER BY seq DESC LIMIT 1")?.unwrap_or(0);
    let foreign_end =
        last("SELECT seq FROM op WHERE seq >= ?1 ORDER BY seq DESC LIMIT 1")?.unwrap_or(FOREIGN_SEQ_BASE - 1);
    Ok((own_end > own || foreign_end > foreign).then_some((own, own_end, foreign, foreign_end)))
}

/// Fields that say which cell a record belongs to, not what it holds.
const IDENTITY: [&str; 2] = ["lesson_id", "student_id"];

fn text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Journal {
    /// Every change of one journal cell (marks, attendance, individual homework).
    pub fn cell_history(&self, session: &Session, lesson_id: Uuid, student_id: Uuid) -> Result<Vec<Change>> {
        let (_, place) = crate::facts::lesson_facts(self.conn(), lesson_id)?;
        self.check_view_class(session, place.class_id)?;
        self.history(lesson_id, student_id.to_string())
    }

    /// Every change of a lesson's own fields (topic, homework, substitute …).
    pub fn lesson_history(&self, session: &Session, lesson_id: Uuid) -> Result<Vec<Change>> {
        let (_, place) = crate::facts::lesson_facts(self.conn(), lesson_id)?;
        self.check_view_class(session, place.class_id)?;
        self.history(lesson_id, String::new())
    }

    fn history(&self, lesson_id: Uuid, student: String) -> Result<Vec<Change>> {
        // Bring the index up to date, taking the write lock only when the
        // log has grown since (reading a change log does not wait for a
        // teacher's entry otherwise).
        if unindexed(self.conn())?.is_some() {
            let tx = Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
            index_cells(&tx)?;
            tx.commit()?;
        }
        let mut stmt = self.conn().prepare_cached(CELL_OPS)?;
        let rows = stmt
            .query_map(params![lesson_id.to_string(), student], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Replaying in clock order gives each change its "old" value: the
        // value in force just before it (voided changes never are in force).
        let mut current: HashMap<(Uuid, &'static str), Option<String>> = HashMap::new();
        let mut changes = Vec::new();
        for (op_id, kind_name, login, entered_at, payload, voided) in rows {
            let kind: OpKind =
                serde_json::from_str(&payload).map_err(|e| crate::JournalError::Corrupt(e.to_string()))?;
            let Ok(Effect::Write(write)) = kind.effect() else { continue };
            let deleted = write.fields.iter().any(|(f, v)| *f == "deleted" && v == &Value::Bool(true));
            for (field, value) in &write.fields {
                if IDENTITY.contains(field) || *field == "deleted" {
                    continue;
                }
                let key = (write.id, *field);
                let old = current.get(&key).cloned().flatten();
                let new = text(value);
                if old == new && !voided {
                    continue;
                }
                if !voided {
                    current.insert(key, new.clone());
                }
                changes.push(change(&op_id, &kind_name, &login, &entered_at, write.id, field, old, new, voided));
            }
            if deleted {
                let key = (write.id, "value");
                let old = current.get(&key).cloned().flatten();
                if !voided {
                    current.insert(key, None);
                }
                changes.push(change(&op_id, &kind_name, &login, &entered_at, write.id, "value", old, None, voided));
            }
        }
        for change in &mut changes {
            for value in [&mut change.old, &mut change.new] {
                if let Some(id) = value.as_deref()
                    && let Some(name) = self.name_of(&change.field, id)?
                {
                    *value = Some(name);
                }
            }
        }
        Ok(changes)
    }

    /// The name a change log shows for an id-valued field (a teacher, a kind
    /// of work), or `None` to show the value as it is.
    fn name_of(&self, field: &str, id: &str) -> Result<Option<String>> {
        let sql = match field {
            "substitute_id" | "teacher_id" => "SELECT surname, first_name, patronymic FROM staff WHERE id = ?1",
            "work_type_id" => "SELECT name, NULL, NULL FROM work_type WHERE id = ?1",
            _ => return Ok(None),
        };
        let row = self
            .conn()
            .prepare_cached(sql)?
            .query_row([id], |r| {
                let part = |i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default);
                Ok((part(0)?, part(1)?, part(2)?))
            })
            .optional()?;
        Ok(row.map(|(a, b, c)| if b.is_empty() { a } else { crate::page::short_name(&a, &b, &c) }))
    }
}

#[allow(clippy::too_many_arguments)]
fn change(
    op_id: &str,
    kind: &str,
    login: &str,
    entered_at: &str,
    record_id: Uuid,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    voided: bool,
) -> Change {
    Change {
        op_id: op_id.parse().unwrap_or_default(),
        kind: kind.to_owned(),
        author_login: login.to_owned(),
        entered_at: DateTime::parse_from_rfc3339(entered_at).map(|t| t.to_utc()).unwrap_or_default(),
        record_id,
        field: field.to_owned(),
        old,
        new,
        voided,
    }
}
