//! What is in a journal file and whether it is whole: counts for the
//! sysadmin, SQLite's integrity check, and the op log's hash chains.

use crate::apply::{FOREIGN_SEQ_BASE, OP_COLUMNS, op_from_row};
use crate::error::Result;
use crate::journal::Journal;
use classbook_domain::op::Op;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stats {
    pub students: i64,
    pub classes: i64,
    pub staff: i64,
    pub accounts: i64,
    pub lessons: i64,
    pub lessons_with_topic: i64,
    pub marks: i64,
    pub attendance_entries: i64,
    pub finals: i64,
    pub movements: i64,
    pub ops: i64,
    pub voided_ops: i64,
    pub outbox: i64,
    pub first_lesson: Option<String>,
    pub last_lesson: Option<String>,
}

/// Result of checking a journal file.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Integrity {
    /// SQLite's own verdict ("ok" when the file is sound).
    pub sqlite: String,
    pub devices: usize,
    pub ops_checked: usize,
    /// Russian descriptions of every break found in the op log.
    pub problems: Vec<String>,
}

impl Integrity {
    pub fn is_ok(&self) -> bool {
        self.sqlite == "ok" && self.problems.is_empty()
    }
}

const COUNTS: &str = "SELECT
    (SELECT COUNT(*) FROM student),
    (SELECT COUNT(*) FROM class),
    (SELECT COUNT(*) FROM staff),
    (SELECT COUNT(*) FROM account),
    (SELECT COUNT(*) FROM lesson),
    (SELECT COUNT(*) FROM lesson WHERE topic IS NOT NULL AND topic <> ''),
    (SELECT COUNT(*) FROM mark WHERE deleted = 0),
    (SELECT COUNT(*) FROM attendance WHERE code IS NOT NULL),
    (SELECT COUNT(*) FROM final_mark WHERE value IS NOT NULL),
    (SELECT COUNT(*) FROM movement),
    (SELECT COUNT(*) FROM op),
    (SELECT COUNT(*) FROM op WHERE voided = 1),
    (SELECT COUNT(*) FROM outbox),
    (SELECT MIN(date) FROM lesson),
    (SELECT MAX(date) FROM lesson)";

impl Stats {
    /// The counts of any connection to a journal's schema (a backup reads
    /// them from its in-memory snapshot, so they match the copy exactly).
    pub fn of_connection(conn: &rusqlite::Connection) -> Result<Stats> {
        Ok(conn.query_row(COUNTS, [], |r| {
            Ok(Stats {
                students: r.get(0)?,
                classes: r.get(1)?,
                staff: r.get(2)?,
                accounts: r.get(3)?,
                lessons: r.get(4)?,
                lessons_with_topic: r.get(5)?,
                marks: r.get(6)?,
                attendance_entries: r.get(7)?,
                finals: r.get(8)?,
                movements: r.get(9)?,
                ops: r.get(10)?,
                voided_ops: r.get(11)?,
                outbox: r.get(12)?,
                first_lesson: r.get(13)?,
                last_lesson: r.get(14)?,
            })
        })?)
    }
}

impl Journal {
    pub fn stats(&self) -> Result<Stats> {
        Stats::of_connection(self.conn())
    }

    /// SQLite's integrity check plus every device's hash chain: each op's
    /// hash matches its content and links to the device's previous op.
    pub fn check_integrity(&self) -> Result<Integrity> {
        let sqlite: String = self.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let mut report = Integrity { sqlite, ..Default::default() };
        let sql = format!("SELECT {OP_COLUMNS} FROM op ORDER BY device, device_seq");
        let mut stmt = self.conn().prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut last: Option<(uuid::Uuid, u64, String)> = None;
        while let Some(row) = rows.next()? {
            let op = match op_from_row(row) {
                Ok(op) => op,
                Err(e) => {
                    report.problems.push(format!("нечитаемая операция: {e}"));
                    continue;
                }
            };
            report.ops_checked += 1;
            if !op.hash_is_valid() {
                report.problems.push(format!("операция {} изменена после записи (не сходится хеш)", op.id));
            }
            match &last {
                Some((device, seq, hash)) if *device == op.device => {
                    if op.device_seq != seq + 1 {
                        report.problems.push(format!(
                            "в цепочке устройства {device} пропущены операции между № {seq} и № {}",
                            op.device_seq
                        ));
                    } else if op.prev_hash != *hash {
                        report
                            .problems
                            .push(format!("цепочка устройства {device} разорвана на операции № {}", op.device_seq));
                    }
                }
                _ => {
                    report.devices += 1;
                    if op.device_seq != 1 && op.prev_hash.is_empty() {
                        report
                            .problems
                            .push(format!("цепочка устройства {} начинается не с первой операции", op.device));
                    }
                }
            }
            last = Some((op.device, op.device_seq, op.hash.clone()));
        }
        let misplaced: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM op WHERE seq < ?1 AND (device <> ?2 OR seq <> device_seq)",
            rusqlite::params![FOREIGN_SEQ_BASE, self.device().to_string()],
            |r| r.get(0),
        )?;
        if misplaced > 0 {
            report.problems.push(format!("{misplaced} операций записаны среди операций этого ПК не на своих местах"));
        }
        Ok(report)
    }

    /// This PC's ops the server has not taken yet, in chain order, at most `limit`.
    pub fn outbox(&self, limit: usize) -> Result<Vec<Op>> {
        let sql = format!("SELECT {OP_COLUMNS} FROM outbox ORDER BY seq LIMIT ?1");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let ops = stmt.query_map([limit as i64], op_from_row)?.collect::<rusqlite::Result<Vec<Op>>>()?;
        Ok(ops)
    }
}
