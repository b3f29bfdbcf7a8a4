//! The server's re-check of pushed ops: the same rules the PC ran when the
//! entry was made, over the server's copy of the school's journal, judged at
//! the op's own time (its entry time for the edit window, its clock stamp
//! against the closing of a period) — an entry made offline before a deadline
//! stays valid when it arrives days later. Each device's ops must arrive in
//! chain order and link to the previous one. A refused op is still stored
//! (voided, never applied, with its reason), so the chain stays whole and its
//! author learns why; a retried push gets the same verdicts again.

use crate::apply::{self, Applied};
use crate::error::{JournalError, Result};
use crate::journal::{Journal, Writer};
use classbook_domain::entity::Entity;
use classbook_domain::grades::{FinalValue, MarkValue};
use classbook_domain::model::MovementKind;
use classbook_domain::op::{Op, OpKind};
use classbook_domain::rules::{self, Action, Area, LessonEntry};
use classbook_domain::sync::{OpVerdict, Rejection, Verdict};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

impl Journal {
    /// Re-check and store ops pushed by `device`, in one transaction; one
    /// verdict per op, in order.
    pub fn admit(&mut self, device: Uuid, ops: &[Op]) -> Result<Vec<OpVerdict>> {
        let received_at = self.now().timestamp_millis();
        let own_device = self.device();
        self.write(|w| {
            // Each op may change what the next one is judged by.
            w.learned.changes_facts = true;
            let mut batch = apply::RemoteBatch::new(&w.tx, own_device)?;
            let (mut head, mut head_hash) = match apply::foreign_head(&w.tx, device)? {
                Some((seq, hash, _)) => (seq, hash),
                None => (0, String::new()),
            };
            let mut verdicts = Vec::with_capacity(ops.len());
            for op in ops {
                let verdict = if op.device != device || device == own_device {
                    deferred("операция записана на другом устройстве: каждое устройство отправляет только свои записи")
                } else if !op.hash_is_valid() {
                    deferred("операция повреждена (не сходится контрольная сумма): проверьте журнал командой stats")
                } else if op.device_seq <= head {
                    w.known_verdict(op)?
                } else if op.device_seq != head + 1 {
                    deferred(&format!(
                        "пропуск в цепочке записей устройства: ожидалась № {}, пришла № {}",
                        head + 1,
                        op.device_seq
                    ))
                } else if op.prev_hash != head_hash {
                    deferred("цепочка записей устройства разорвана: запись не продолжает предыдущую")
                } else {
                    let refusal = match w.judge(op) {
                        Ok(()) => None,
                        Err(e @ (JournalError::Database(_) | JournalError::DiskFull | JournalError::Io { .. })) => {
                            return Err(e);
                        }
                        Err(e) => Some(Rejection { code: e.code().to_owned(), message: e.to_string() }),
                    };
                    if let Some(r) = &refusal {
                        crate::sync::note_rejection(&w.tx, op.id, r, received_at)?;
                    }
                    let stored = batch.store(&w.tx, op, received_at, refusal.is_some())?;
                    debug_assert_eq!(stored, Applied::New);
                    head = op.device_seq;
                    head_hash = op.hash.clone();
                    match refusal {
                        None => Verdict::Accepted,
                        Some(r) => Verdict::Rejected(r),
                    }
                };
                verdicts.push(OpVerdict { id: op.id, verdict });
            }
            crate::history::index_cells(&w.tx)?;
            Ok(verdicts)
        })
    }
}

fn deferred(message: &str) -> Verdict {
    Verdict::Deferred { message: format!("Запись не принята: {message}.") }
}

impl Writer<'_> {
    /// The verdict on an op at a place of its chain already stored: the
    /// same as the first time, if it is the same op.
    fn known_verdict(&self, op: &Op) -> Result<Verdict> {
        let stored: Option<(String, Option<String>, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT o.id, r.code, r.message FROM op o LEFT JOIN sync_rejected r ON r.op_id = o.id
                 WHERE o.seq >= 4294967296 AND o.device = ?1 AND o.device_seq = ?2",
            )?
            .query_row(params![op.device.to_string(), op.device_seq as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(match stored {
            Some((id, code, message)) if id == op.id.to_string() => match (code, message) {
                (Some(code), Some(message)) => Verdict::Rejected(Rejection { code, message }),
                _ => Verdict::Duplicate,
            },
            _ => deferred(&format!("под номером {} у устройства уже записана другая операция", op.device_seq)),
        })
    }

    /// Run the rules on `op` as they stood when it was made.
    fn judge(&mut self, op: &Op) -> Result<()> {
        self.now = op.entered_at;
        self.as_of = Some(op.hlc);
        // A school the server has just founded has no accounts to judge by:
        // its first PC uploads it, starting with its first administrator.
        let accounts: bool = self.tx.query_row("SELECT EXISTS (SELECT 1 FROM account)", [], |r| r.get(0))?;
        if !accounts {
            return Ok(());
        }
        let author = op.author;
        let entry = |w: &mut Self, lesson, entry, student| w.check_lesson(author, lesson, entry, student).map(|_| ());
        match &op.kind {
            OpKind::SetMark(m) => {
                let (_, place) = self.check_lesson(author, m.lesson_id, LessonEntry::Mark, Some(m.student_id))?;
                let system = self.grading(place.class_id, place.subject_id)?;
                MarkValue::parse(system, &m.value).map_err(|e| JournalError::Invalid(e.to_string()))?;
                self.same_cell(m.mark_id, m.lesson_id, m.student_id)
            }
            OpKind::DeleteMark(m) => {
                entry(self, m.lesson_id, LessonEntry::Mark, Some(m.student_id))?;
                self.same_cell(m.mark_id, m.lesson_id, m.student_id)
            }
            OpKind::SetAttendance(a) => entry(self, a.lesson_id, LessonEntry::Attendance, Some(a.student_id)),
            OpKind::SetLessonTopic(t) => entry(self, t.lesson_id, LessonEntry::Topic, None),
            OpKind::SetHomework(h) => entry(self, h.lesson_id, LessonEntry::Homework, None),
            OpKind::SetIndividualHomework(h) => entry(self, h.lesson_id, LessonEntry::Homework, Some(h.student_id)),
            OpKind::SetLessonComment(c) => entry(self, c.lesson_id, LessonEntry::Comment, None),
            OpKind::SetAbsenceReason(a) => {
                let actor = self.actor(author)?;
                let (lesson, _) = self.lesson(a.lesson_id)?;
                self.rule(&actor, Action::CorrectAbsence { lesson })
            }
            OpKind::SetFinalMark(f) => self.judge_final(author, f.student_id, f.subject_id, f.period_id, &f.value),
            OpKind::SaveRecord(r) => {
                if entity_typed_elsewhere(r.entity) || (r.entity == Entity::Period && r.fields.contains_key("closed")) {
                    return Err(JournalError::Invalid(format!(
                        "Записи «{}» меняются только через свои разделы журнала.",
                        r.entity.table()
                    )));
                }
                let actor = self.actor(author)?;
                let own = Area::of(r.entity) == Area::Ktp
                    && actor.staff_id.is_some_and(|staff| {
                        r.fields.get("teacher_id").and_then(Value::as_str) == Some(staff.to_string().as_str())
                    });
                self.rule(&actor, Action::EditReference { area: Area::of(r.entity), own })
            }
            OpKind::SetPassword(p) if p.account_id == author => {
                // Anyone may change their own password, a start one included.
                let (_, blocked, _) = crate::accounts::load_actor(&self.tx, author)?;
                if blocked {
                    return Err(JournalError::AccountBlocked(author.to_string()));
                }
                Ok(())
            }
            OpKind::SaveAccount(_) | OpKind::SetPassword(_) => self.simple_rule(author, Action::ManageAccounts),
            OpKind::ScheduleLesson(_) | OpKind::SetSubstitute(_) | OpKind::SetLessonStatus(_) => {
                self.simple_rule(author, Action::PlanLessons)
            }
            OpKind::ClosePeriod(_) => self.simple_rule(author, Action::ClosePeriod),
            OpKind::RecordMovement(_) => self.simple_rule(author, Action::RecordMovement),
            OpKind::SetConsent(_) => {
                self.simple_rule(author, Action::EditReference { area: Area::Contingent, own: false })
            }
            OpKind::VoidOps(_) => self.simple_rule(author, Action::VoidOps),
        }
    }

    fn rule(&mut self, actor: &rules::Actor, action: Action) -> Result<()> {
        let (today, policy) = (self.today()?, self.policy()?);
        Ok(rules::check(actor, &action, today, policy)?)
    }

    fn simple_rule(&mut self, author: Uuid, action: Action) -> Result<()> {
        let actor = self.actor(author)?;
        self.rule(&actor, action)
    }

    /// A mark changed or deleted stays in the cell it was entered in.
    fn same_cell(&self, mark_id: Uuid, lesson_id: Uuid, student_id: Uuid) -> Result<()> {
        let cell: Option<(String, String)> = self
            .tx
            .prepare_cached("SELECT lesson_id, student_id FROM mark WHERE id = ?1")?
            .query_row([mark_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match cell {
            Some((l, s)) if l != lesson_id.to_string() || s != student_id.to_string() => {
                Err(JournalError::Invalid("Отметка перенесена в другую клетку журнала: так исправлять нельзя.".into()))
            }
            _ => Ok(()),
        }
    }

    fn judge_final(
        &mut self,
        author: Uuid,
        student_id: Uuid,
        subject_id: Uuid,
        period_id: Uuid,
        value: &Option<String>,
    ) -> Result<()> {
        let actor = self.actor(author)?;
        // The student's class: their latest placement in the movement book.
        let class: Option<String> = self
            .tx
            .prepare_cached(
                "SELECT class_id, kind FROM movement WHERE student_id = ?1 AND kind <> 'debt_repaid'
                 ORDER BY date DESC, id DESC LIMIT 1",
            )?
            .query_row([student_id.to_string()], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?)))
            .optional()?
            .and_then(|(class, kind)| {
                serde_json::from_value::<MovementKind>(Value::String(kind))
                    .is_ok_and(MovementKind::places_in_class)
                    .then_some(class)
                    .flatten()
            });
        let class_id: Option<Uuid> = class.and_then(|c| c.parse().ok());
        let graded: bool = match class_id {
            Some(class) => self
                .tx
                .prepare_cached("SELECT COALESCE((SELECT graded FROM class WHERE id = ?1), 1)")?
                .query_row([class.to_string()], |r| r.get(0))?,
            None => true,
        };
        let closed: bool = self
            .tx
            .prepare_cached("SELECT COALESCE((SELECT closed FROM period WHERE id = ?1), 0)")?
            .query_row([period_id.to_string()], |r| r.get(0))?;
        let period_closed = closed && self.closed_before(period_id)?;
        let teaches_subject = match (actor.staff_id, class_id) {
            (Some(staff), Some(class)) => self
                .tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM assignment WHERE teacher_id = ?1 AND class_id = ?2
                     AND subject_id = ?3 AND active = 1)",
                )?
                .query_row(params![staff.to_string(), class.to_string(), subject_id.to_string()], |r| r.get(0))?,
            _ => false,
        };
        self.rule(&actor, Action::SetFinal { teaches_subject, graded, period_closed })?;
        if let (Some(value), Some(class)) = (value, class_id) {
            let system = self.grading(class, subject_id)?;
            FinalValue::parse_for(system, value).map_err(|e| JournalError::Invalid(e.to_string()))?;
        }
        Ok(())
    }
}

/// Entities written only by their own typed ops, never by `SaveRecord`.
pub(crate) fn entity_typed_elsewhere(entity: Entity) -> bool {
    matches!(
        entity,
        Entity::Account
            | Entity::Lesson
            | Entity::Mark
            | Entity::Attendance
            | Entity::FinalMark
            | Entity::Movement
            | Entity::IndividualHomework
    )
}
