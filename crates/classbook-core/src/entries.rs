//! What teachers enter in a lesson's journal: marks, attendance, topic,
//! homework, comments; class teachers' absence reasons; period finals.
//! One call = one permission check + one transaction.

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::{Journal, Writer};
use classbook_domain::grades::{FinalValue, MarkValue};
use classbook_domain::ids::new_id;
use classbook_domain::model::AttendanceCode;
use classbook_domain::op::*;
use classbook_domain::rules::{self, Action, LessonEntry};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

/// A mark to enter: a new one (`mark_id: None`) or a change of an existing one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MarkInput {
    pub mark_id: Option<Uuid>,
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    pub value: String,
    pub work_type_id: Option<Uuid>,
    pub comment: Option<String>,
}

impl Writer<'_> {
    /// Check `entry` on a lesson for `author`; returns the lesson's facts.
    pub(crate) fn check_lesson(
        &mut self,
        author: Uuid,
        lesson_id: Uuid,
        entry: LessonEntry,
        student: Option<Uuid>,
    ) -> Result<(rules::LessonFacts, crate::facts::LessonPlace)> {
        let facts = self.check_facts(author, lesson_id, student, entry == LessonEntry::Mark)?;
        let (today, policy) = (self.today()?, self.policy()?);
        rules::check(
            &facts.actor,
            &Action::EnterLesson { entry, lesson: facts.lesson.clone(), final_set: facts.final_set },
            today,
            policy,
        )?;
        if !facts.on_lesson {
            return Err(JournalError::invalid("Этого ученика нет в списке класса (группы) на дату урока."));
        }
        Ok((facts.lesson, facts.place))
    }

    fn mark_cell(&self, mark_id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let row: Option<(String, String)> = self
            .tx
            .prepare_cached("SELECT lesson_id, student_id FROM mark WHERE id = ?1")?
            .query_row([mark_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(l, s)| Some((l.parse().ok()?, s.parse().ok()?))))
    }
}

impl Journal {
    /// Enter a mark, or change one. Returns the mark's id.
    pub fn set_mark(&mut self, session: &Session, input: MarkInput) -> Result<Uuid> {
        let author = session.account_id;
        self.write(|w| {
            let (_, place) = w.check_lesson(author, input.lesson_id, LessonEntry::Mark, Some(input.student_id))?;
            let system = w.grading(place.class_id, place.subject_id)?;
            let value = MarkValue::parse(system, &input.value).map_err(|e| JournalError::invalid(e.to_string()))?;
            let mark_id = match input.mark_id {
                Some(id) => {
                    if w.mark_cell(id)? != Some((input.lesson_id, input.student_id)) {
                        return Err(JournalError::not_found("Исправляемая отметка не найдена в этой клетке журнала."));
                    }
                    id
                }
                None => new_id(),
            };
            w.record(
                author,
                OpKind::SetMark(SetMark {
                    mark_id,
                    lesson_id: input.lesson_id,
                    student_id: input.student_id,
                    value: value.to_string(),
                    work_type_id: input.work_type_id,
                    comment: input.comment.filter(|c| !c.trim().is_empty()),
                }),
            )?;
            Ok(mark_id)
        })
    }

    pub fn delete_mark(&mut self, session: &Session, mark_id: Uuid) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            let (lesson_id, student_id) =
                w.mark_cell(mark_id)?.ok_or_else(|| JournalError::not_found("Отметка не найдена."))?;
            w.check_lesson(author, lesson_id, LessonEntry::Mark, Some(student_id))?;
            w.record(author, OpKind::DeleteMark(DeleteMark { mark_id, lesson_id, student_id }))?;
            Ok(())
        })
    }

    /// Mark a student «н», «б», «ну», «оп», or clear the cell (`None`).
    pub fn set_attendance(
        &mut self,
        session: &Session,
        lesson_id: Uuid,
        student_id: Uuid,
        code: Option<AttendanceCode>,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            w.check_lesson(author, lesson_id, LessonEntry::Attendance, Some(student_id))?;
            w.record(author, OpKind::SetAttendance(SetAttendance { lesson_id, student_id, code }))?;
            Ok(())
        })
    }

    /// The class teacher records why a student was absent (004 §8.5.1).
    pub fn set_absence_reason(
        &mut self,
        session: &Session,
        lesson_id: Uuid,
        student_id: Uuid,
        code: AttendanceCode,
        reason: &str,
    ) -> Result<()> {
        if !code.is_absence() {
            return Err(JournalError::invalid("Причину указывают только для пропуска: «н», «б» или «ну»."));
        }
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            let (facts, _) = w.lesson(lesson_id)?;
            rules::check(&actor, &Action::CorrectAbsence { lesson: facts }, w.today()?, w.policy()?)?;
            let recorded: Option<Option<String>> =
                w.tx.prepare_cached("SELECT code FROM attendance WHERE lesson_id = ?1 AND student_id = ?2")?
                    .query_row(params![lesson_id.to_string(), student_id.to_string()], |r| r.get(0))
                    .optional()?;
            if recorded.flatten().is_none() {
                return Err(JournalError::invalid("На этом уроке у ученика не отмечен пропуск."));
            }
            w.record(
                author,
                OpKind::SetAbsenceReason(SetAbsenceReason {
                    lesson_id,
                    student_id,
                    code,
                    reason: reason.trim().to_owned(),
                }),
            )?;
            Ok(())
        })
    }

    pub fn set_topic(
        &mut self,
        session: &Session,
        lesson_id: Uuid,
        topic: &str,
        ktp_item_id: Option<Uuid>,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            w.check_lesson(author, lesson_id, LessonEntry::Topic, None)?;
            w.record(
                author,
                OpKind::SetLessonTopic(SetLessonTopic { lesson_id, topic: topic.trim().to_owned(), ktp_item_id }),
            )?;
            Ok(())
        })
    }

    pub fn set_homework(&mut self, session: &Session, lesson_id: Uuid, text: &str) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            w.check_lesson(author, lesson_id, LessonEntry::Homework, None)?;
            w.record(author, OpKind::SetHomework(SetHomework { lesson_id, text: text.trim().to_owned() }))?;
            Ok(())
        })
    }

    pub fn set_individual_homework(
        &mut self,
        session: &Session,
        lesson_id: Uuid,
        student_id: Uuid,
        text: &str,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            w.check_lesson(author, lesson_id, LessonEntry::Homework, Some(student_id))?;
            w.record(
                author,
                OpKind::SetIndividualHomework(SetIndividualHomework {
                    lesson_id,
                    student_id,
                    text: text.trim().to_owned(),
                }),
            )?;
            Ok(())
        })
    }

    pub fn set_lesson_comment(&mut self, session: &Session, lesson_id: Uuid, comment: &str) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            w.check_lesson(author, lesson_id, LessonEntry::Comment, None)?;
            w.record(
                author,
                OpKind::SetLessonComment(SetLessonComment { lesson_id, comment: comment.trim().to_owned() }),
            )?;
            Ok(())
        })
    }

    /// Set (or clear, with `None`) a student's final for a period.
    // Mirrors the final's fields one to one; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn set_final(
        &mut self,
        session: &Session,
        student_id: Uuid,
        subject_id: Uuid,
        period_id: Uuid,
        class_id: Uuid,
        value: Option<&str>,
        deferred_until: Option<chrono::NaiveDate>,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            let (graded, period_closed): (bool, bool) =
                w.tx.prepare_cached(
                    "SELECT COALESCE((SELECT graded FROM class WHERE id = ?1), 1),
                            COALESCE((SELECT closed FROM period WHERE id = ?2), -1)",
                )?
                .query_row(params![class_id.to_string(), period_id.to_string()], |r| {
                    let closed: i64 = r.get(1)?;
                    Ok((r.get(0)?, closed == 1))
                })?;
            let teaches_subject = match actor.staff_id {
                Some(staff) => {
                    w.tx.prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM assignment WHERE teacher_id = ?1 AND class_id = ?2
                         AND subject_id = ?3 AND active = 1)",
                    )?
                    .query_row(params![staff.to_string(), class_id.to_string(), subject_id.to_string()], |r| r.get(0))?
                }
                None => false,
            };
            rules::check(
                &actor,
                &Action::SetFinal { teaches_subject, graded, period_closed },
                w.today()?,
                w.policy()?,
            )?;
            let system = w.grading(class_id, subject_id)?;
            let value = value
                .map(|v| FinalValue::parse_for(system, v).map_err(|e| JournalError::invalid(e.to_string())))
                .transpose()?;
            w.record(
                author,
                OpKind::SetFinalMark(SetFinalMark {
                    student_id,
                    subject_id,
                    period_id,
                    value: value.map(|v| v.to_string()),
                    deferred_until,
                }),
            )?;
            Ok(())
        })
    }
}
