//! What administration does: reference data, the timetable's lessons,
//! substitutions, closing periods, the movement book, consents, voiding a
//! compromised account — and trusted bulk imports (the demo school).

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::{DateTime, NaiveDate, Utc};
use classbook_domain::entity::Entity;
use classbook_domain::model::{ConsentStatus, LessonStatus, MovementKind};
use classbook_domain::op::*;
use classbook_domain::rules::{self, Action, Area};
use rusqlite::params;
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One op of a trusted bulk source, with its author and entry time.
#[derive(Clone, Debug)]
pub struct ImportOp {
    pub author: Uuid,
    pub at: DateTime<Utc>,
    pub kind: OpKind,
}

impl Journal {
    /// Create or change a reference record (room, subject, class, student …).
    pub fn save_record(
        &mut self,
        session: &Session,
        entity: Entity,
        id: Uuid,
        fields: BTreeMap<String, Value>,
    ) -> Result<()> {
        if crate::admission::entity_typed_elsewhere(entity) {
            return Err(JournalError::invalid(format!(
                "Записи «{}» меняются только через свои разделы журнала.",
                entity.table()
            )));
        }
        if entity == Entity::Period && fields.contains_key("closed") {
            return Err(JournalError::invalid("Период закрывают командой «Закрыть период»."));
        }
        let kind = OpKind::SaveRecord(SaveRecord { entity, id, fields });
        kind.effect().map_err(|e| JournalError::invalid(e.to_string()))?;
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            let own = match (Area::of(entity), actor.staff_id) {
                (Area::Ktp, Some(staff)) => {
                    let OpKind::SaveRecord(r) = &kind else { unreachable!() };
                    r.fields.get("teacher_id").and_then(Value::as_str) == Some(staff.to_string().as_str())
                }
                _ => false,
            };
            rules::check(&actor, &Action::EditReference { area: Area::of(entity), own }, w.today()?, w.policy()?)?;
            w.record(author, kind)?;
            Ok(())
        })
    }

    /// Put a lesson into the journal (from the timetable).
    pub fn schedule_lesson(&mut self, session: &Session, lesson: ScheduleLesson) -> Result<()> {
        self.plan(session, OpKind::ScheduleLesson(lesson))
    }

    /// Record who substitutes a lesson (`None` undoes the substitution).
    pub fn set_substitute(&mut self, session: &Session, lesson_id: Uuid, substitute_id: Option<Uuid>) -> Result<()> {
        self.plan(session, OpKind::SetSubstitute(SetSubstitute { lesson_id, substitute_id }))
    }

    pub fn set_lesson_status(
        &mut self,
        session: &Session,
        lesson_id: Uuid,
        status: LessonStatus,
        moved_to: Option<NaiveDate>,
    ) -> Result<()> {
        if status == LessonStatus::Transferred && moved_to.is_none() {
            return Err(JournalError::invalid("Укажите дату, на которую переносится урок."));
        }
        self.plan(session, OpKind::SetLessonStatus(SetLessonStatus { lesson_id, status, moved_to }))
    }

    fn plan(&mut self, session: &Session, kind: OpKind) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::PlanLessons, w.today()?, w.policy()?)?;
            w.record(author, kind)?;
            Ok(())
        })
    }

    /// Close (or reopen) a study period; closed periods refuse entries.
    pub fn close_period(&mut self, session: &Session, period_id: Uuid, closed: bool) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::ClosePeriod, w.today()?, w.policy()?)?;
            let exists: bool =
                w.tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM period WHERE id = ?1)")?
                    .query_row([period_id.to_string()], |r| r.get(0))?;
            if !exists {
                return Err(JournalError::not_found("Учебный период не найден."));
            }
            w.record(author, OpKind::ClosePeriod(ClosePeriod { period_id, closed }))?;
            Ok(())
        })
    }

    /// An entry of the student movement book, from an order with number and date.
    #[allow(clippy::too_many_arguments)]
    pub fn record_movement(
        &mut self,
        session: &Session,
        movement_id: Uuid,
        student_id: Uuid,
        kind: MovementKind,
        class_id: Option<Uuid>,
        date: NaiveDate,
        order_number: &str,
        order_date: NaiveDate,
    ) -> Result<()> {
        if order_number.trim().is_empty() {
            return Err(JournalError::invalid("Укажите номер приказа: запись в книге движения делается по приказу."));
        }
        if kind.places_in_class() && class_id.is_none() {
            return Err(JournalError::invalid("Укажите класс, в который зачисляется (переводится) ученик."));
        }
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::RecordMovement, w.today()?, w.policy()?)?;
            w.record(
                author,
                OpKind::RecordMovement(RecordMovement {
                    movement_id,
                    student_id,
                    kind,
                    class_id,
                    date,
                    order_number: order_number.trim().to_owned(),
                    order_date,
                    note: None,
                }),
            )?;
            Ok(())
        })
    }

    /// Register consent or refusal to personal-data processing.
    pub fn set_consent(
        &mut self,
        session: &Session,
        person_id: Uuid,
        status: ConsentStatus,
        date: NaiveDate,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(
                &actor,
                &Action::EditReference { area: Area::Contingent, own: false },
                w.today()?,
                w.policy()?,
            )?;
            w.record(author, OpKind::SetConsent(SetConsent { person_id, status, date, note: None }))?;
            Ok(())
        })
    }

    /// Void every op of a compromised account from `since` on (003 §6.4).
    /// The ops stay in the log, marked void; the state reverts. Returns how
    /// many ops were voided.
    pub fn void_account_ops(
        &mut self,
        session: &Session,
        account_id: Uuid,
        since: DateTime<Utc>,
        reason: &str,
    ) -> Result<usize> {
        if reason.trim().is_empty() {
            return Err(JournalError::invalid("Укажите причину: например, «сообщение о компрометации пароля от …»."));
        }
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::VoidOps, w.today()?, w.policy()?)?;
            let before: i64 =
                w.tx.prepare_cached("SELECT COUNT(*) FROM op WHERE author = ?1 AND voided = 1")?
                    .query_row([account_id.to_string()], |r| r.get(0))?;
            w.record(author, OpKind::VoidOps(VoidOps { account_id, since, reason: reason.trim().to_owned() }))?;
            let after: i64 =
                w.tx.prepare_cached("SELECT COUNT(*) FROM op WHERE author = ?1 AND voided = 1")?
                    .query_row(params![account_id.to_string()], |r| r.get(0))?;
            Ok((after - before) as usize)
        })
    }

    /// Record ops from a trusted bulk source in one transaction, keeping
    /// their authors and entry times. No permission checks: only the demo
    /// generator and administrator-run imports call this.
    pub fn import(
        &mut self,
        ops: impl IntoIterator<Item = ImportOp>,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        self.write(|w| {
            let mut count = 0;
            for op in ops {
                w.record_at(op.author, op.at, op.kind)?;
                count += 1;
                if count % 10_000 == 0 {
                    progress(count);
                }
            }
            progress(count);
            crate::history::index_cells(&w.tx)?;
            Ok(count)
        })
    }
}

impl Journal {
    /// Fill an empty journal with the generated demo school (one transaction).
    pub fn create_demo(
        &mut self,
        config: &crate::demo::DemoConfig,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<crate::demo::DemoSchool> {
        let ops: i64 = self.conn().query_row("SELECT COUNT(*) FROM op", [], |r| r.get(0))?;
        if ops > 0 {
            return Err(JournalError::invalid(format!(
                "Файл журнала {} уже содержит данные: для демонстрационной школы укажите новый файл.",
                self.path().display()
            )));
        }
        let mut school = crate::demo::generate(config, &crate::accounts::hash_password);
        let total = school.ops.len();
        let ops = std::mem::take(&mut school.ops);
        self.import(ops.into_iter().map(|op| ImportOp { author: op.author, at: op.at, kind: op.kind }), |done| {
            progress(done, total)
        })?;
        Ok(school)
    }
}
