//! Reading a journal page — class or subgroup × subject × period: students
//! in rows, lessons in columns, marks and attendance in cells, the weighted
//! average and forecast per student. This is the grid's hot path: a handful
//! of indexed queries, no per-cell queries.

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::NaiveDate;
use classbook_domain::grades::{self, GradingSystem, HundredScale, MarkValue};
use classbook_domain::rules::{self, Action};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize)]
pub struct PeriodInfo {
    pub id: Uuid,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub closed: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageStudent {
    pub id: Uuid,
    pub number: usize,
    /// «Фамилия И. О.», as in the paper journal.
    pub name: String,
    /// Set when the student left during the period: shown greyed after it.
    pub left_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageLesson {
    pub id: Uuid,
    pub date: NaiveDate,
    pub number: u8,
    pub topic: Option<String>,
    pub homework: Option<String>,
    pub teacher_id: Option<Uuid>,
    pub substitute_id: Option<Uuid>,
    /// `cancelled` (no entries), `transferred` (then `date` is the day it
    /// moved to and `moved_from` the day it was planned for), or none.
    pub status: Option<String>,
    pub moved_from: Option<NaiveDate>,
    /// On a substituted lesson: who gives it and whose lesson it is
    /// («Сидоров А. И.»), for the journal's «замена» note.
    pub substitute_name: Option<String>,
    pub teacher_name: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageMark {
    pub id: Uuid,
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    pub value: String,
    pub work_type_id: Option<Uuid>,
    pub weight: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageAttendance {
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    pub code: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StudentSummary {
    pub student_id: Uuid,
    pub marks: usize,
    pub average: Option<f64>,
    pub forecast: Option<u8>,
    pub final_value: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct JournalPage {
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub grading: GradingSystem,
    pub period: PeriodInfo,
    pub students: Vec<PageStudent>,
    pub lessons: Vec<PageLesson>,
    pub marks: Vec<PageMark>,
    pub attendance: Vec<PageAttendance>,
    pub summaries: Vec<StudentSummary>,
}

/// A stored id column, or a conversion error (a corrupt row, not a panic).
pub(crate) fn id(text: String) -> rusqlite::Result<Uuid> {
    text.parse().map_err(|e: uuid::Error| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn opt_id(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| t.parse().ok())
}

/// A stored `YYYY-MM-DD` column, or a conversion error.
pub(crate) fn date(text: String) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e: chrono::ParseError| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// «Фамилия И. О.» from three columns from `at` on, if the surname is there.
fn staff_name(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<String>> {
    let part = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(at + i)?.unwrap_or_default()) };
    let surname: Option<String> = r.get(at)?;
    Ok(match surname {
        Some(surname) => Some(short_name(&surname, &part(1)?, &part(2)?)),
        None => None,
    })
}

pub(crate) fn short_name(surname: &str, first: &str, patronymic: &str) -> String {
    let initial = |s: &str| s.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
    format!("{surname}{}{}", initial(first), initial(patronymic))
}

const STUDENTS_OF_CLASS: &str = concat!(
    with_class_stay!(),
    "SELECT s.id, s.surname, s.first_name, COALESCE(s.patronymic, ''), MAX(cs.to_date)
    FROM class_stay cs JOIN student s ON s.id = cs.student_id
    WHERE cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?2)
    GROUP BY s.id
    ORDER BY s.surname, s.first_name, s.patronymic"
);

/// A group's list: its members in the group's class during the period,
/// those no longer active only if they have left the class (then greyed
/// after they left, as on a class page; `Writer::student_on_lesson` is the
/// same rule for one student). `?4` is the group.
const STUDENTS_OF_GROUP: &str = concat!(
    with_class_stay!(),
    "SELECT s.id, s.surname, s.first_name, COALESCE(s.patronymic, ''), MAX(cs.to_date)
    FROM group_member g JOIN student s ON s.id = g.student_id
    JOIN class_stay cs ON cs.student_id = g.student_id
    WHERE g.group_id = ?4 AND cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?2)
    GROUP BY s.id
    HAVING MAX(g.active) = 1 OR COUNT(cs.to_date) = COUNT(*)
    ORDER BY s.surname, s.first_name, s.patronymic"
);

/// Names only for substituted lessons (the «замена» note); the others need none.
/// A transferred lesson stands at the day it moved to (on the page of its
/// original period), with the day it was planned for.
const LESSONS: &str = "SELECT l.id, CASE WHEN l.status = 'transferred' AND l.moved_to IS NOT NULL THEN l.moved_to
        ELSE l.date END AS day, l.number, l.topic, l.homework, l.teacher_id, l.substitute_id, l.status,
        s.surname, s.first_name, s.patronymic, t.surname, t.first_name, t.patronymic,
        CASE WHEN l.status = 'transferred' AND l.moved_to IS NOT NULL THEN l.date END
    FROM lesson l
    LEFT JOIN staff s ON s.id = l.substitute_id
    LEFT JOIN staff t ON t.id = l.teacher_id AND l.substitute_id IS NOT NULL
    WHERE l.class_id = ?1 AND l.subject_id = ?2 AND l.group_id IS ?3 AND l.date >= ?4 AND l.date <= ?5
    ORDER BY day, l.number";

const MARKS: &str = "SELECT m.id, m.lesson_id, m.student_id, m.value, m.work_type_id, COALESCE(w.weight, 1.0)
    FROM lesson l
    JOIN mark m ON m.lesson_id = l.id
    LEFT JOIN work_type w ON w.id = m.work_type_id
    WHERE l.class_id = ?1 AND l.subject_id = ?2 AND l.group_id IS ?3 AND l.date >= ?4 AND l.date <= ?5
      AND m.deleted = 0 AND m.value IS NOT NULL
    ORDER BY l.date, l.number, m.id";

const ATTENDANCE: &str = "SELECT a.lesson_id, a.student_id, a.code, a.reason
    FROM lesson l
    JOIN attendance a ON a.lesson_id = l.id
    WHERE l.class_id = ?1 AND l.subject_id = ?2 AND l.group_id IS ?3 AND l.date >= ?4 AND l.date <= ?5
      AND a.code IS NOT NULL";

const FINALS: &str = "SELECT student_id, value FROM final_mark WHERE subject_id = ?1 AND period_id = ?2";

pub(crate) fn period_info(conn: &Connection, period_id: Uuid) -> Result<PeriodInfo> {
    conn.prepare_cached("SELECT title, starts_on, ends_on, closed FROM period WHERE id = ?1")?
        .query_row([period_id.to_string()], |r| {
            Ok(PeriodInfo {
                id: period_id,
                title: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                starts_on: date(r.get(1)?)?,
                ends_on: date(r.get(2)?)?,
                closed: r.get(3)?,
            })
        })
        .optional()?
        .ok_or_else(|| JournalError::not_found("Учебный период не найден."))
}

impl Journal {
    /// May the session read class `class_id`'s journal?
    pub(crate) fn check_view_class(&self, session: &Session, class_id: Uuid) -> Result<()> {
        let (actor, _, _) = crate::accounts::load_actor(self.conn(), session.account_id)?;
        let staff = actor.staff_id.map(|s| s.to_string());
        let (teaches, class_teacher): (bool, bool) = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM assignment WHERE teacher_id = ?1 AND class_id = ?2 AND active = 1)
                     OR EXISTS (SELECT 1 FROM lesson WHERE substitute_id = ?1 AND class_id = ?2),
                        EXISTS (SELECT 1 FROM class WHERE id = ?2 AND class_teacher_id = ?1)",
            )?
            .query_row(params![staff, class_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let today = self.school_date(self.now())?;
        rules::check(&actor, &Action::ViewClass { teaches, class_teacher }, today, Default::default())?;
        Ok(())
    }

    /// One page of the journal, with averages and forecasts.
    pub fn journal_page(
        &self,
        session: &Session,
        class_id: Uuid,
        group_id: Option<Uuid>,
        subject_id: Uuid,
        period_id: Uuid,
    ) -> Result<JournalPage> {
        self.check_view_class(session, class_id)?;
        let conn = self.conn();
        let period = period_info(conn, period_id)?;
        let (from, to) = (period.starts_on.to_string(), period.ends_on.to_string());
        let group = group_id.map(|g| g.to_string());
        let page_params = params![class_id.to_string(), subject_id.to_string(), group, from, to];

        let mut students = Vec::new();
        let mut rows = conn.prepare_cached(if group.is_some() { STUDENTS_OF_GROUP } else { STUDENTS_OF_CLASS })?;
        let mut rows = match &group {
            Some(g) => rows.query(params![class_id.to_string(), from, to, g])?,
            None => rows.query(params![class_id.to_string(), from, to])?,
        };
        while let Some(r) = rows.next()? {
            let left_on: Option<String> = r.get(4)?;
            students.push(PageStudent {
                id: id(r.get(0)?)?,
                number: students.len() + 1,
                name: short_name(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?),
                left_on: left_on.and_then(|d| d.parse().ok()).filter(|d| *d <= period.ends_on),
            });
        }

        let lessons = conn
            .prepare_cached(LESSONS)?
            .query_map(page_params, |r| {
                Ok(PageLesson {
                    id: id(r.get(0)?)?,
                    date: date(r.get(1)?)?,
                    number: r.get(2)?,
                    topic: r.get(3)?,
                    homework: r.get(4)?,
                    teacher_id: opt_id(r.get(5)?),
                    substitute_id: opt_id(r.get(6)?),
                    status: r.get(7)?,
                    substitute_name: staff_name(r, 8)?,
                    teacher_name: staff_name(r, 11)?,
                    moved_from: r.get::<_, Option<String>>(14)?.map(date).transpose()?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let marks = conn
            .prepare_cached(MARKS)?
            .query_map(page_params, |r| {
                Ok(PageMark {
                    id: id(r.get(0)?)?,
                    lesson_id: id(r.get(1)?)?,
                    student_id: id(r.get(2)?)?,
                    value: r.get(3)?,
                    work_type_id: opt_id(r.get(4)?),
                    weight: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let attendance = conn
            .prepare_cached(ATTENDANCE)?
            .query_map(page_params, |r| {
                Ok(PageAttendance {
                    lesson_id: id(r.get(0)?)?,
                    student_id: id(r.get(1)?)?,
                    code: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let finals: HashMap<Uuid, String> = conn
            .prepare_cached(FINALS)?
            .query_map(params![subject_id.to_string(), period_id.to_string()], |r| {
                Ok((id(r.get(0)?)?, r.get::<_, Option<String>>(1)?))
            })?
            .filter_map(|row| match row {
                Ok((s, Some(v))) => Some(Ok((s, v))),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<_>>()?;

        let grading: GradingSystem = conn
            .prepare_cached("SELECT grading FROM curriculum WHERE class_id = ?1 AND subject_id = ?2")?
            .query_row(params![class_id.to_string(), subject_id.to_string()], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten()
            .and_then(|c| GradingSystem::from_code(&c))
            .unwrap_or_default();
        let summaries = summarise(&students, &marks, &finals, grading);
        Ok(JournalPage {
            class_id,
            group_id,
            subject_id,
            grading,
            period,
            students,
            lessons,
            marks,
            attendance,
            summaries,
        })
    }
}

fn summarise(
    students: &[PageStudent],
    marks: &[PageMark],
    finals: &HashMap<Uuid, String>,
    grading: GradingSystem,
) -> Vec<StudentSummary> {
    let scale = HundredScale::default();
    let mut by_student: HashMap<Uuid, Vec<(f64, f64)>> = HashMap::new();
    let mut counts: HashMap<Uuid, usize> = HashMap::new();
    for mark in marks {
        *counts.entry(mark.student_id).or_default() += 1;
        if let Ok(value) = MarkValue::parse(grading, &mark.value)
            && let Some(points) = value.five_point(&scale)
        {
            by_student.entry(mark.student_id).or_default().push((points, mark.weight));
        }
    }
    students
        .iter()
        .map(|s| {
            let average = by_student.get(&s.id).and_then(|m| grades::weighted_average(m.iter().copied()));
            StudentSummary {
                student_id: s.id,
                marks: counts.get(&s.id).copied().unwrap_or(0),
                average: average.map(grades::round_average),
                forecast: average.map(grades::forecast),
                final_value: finals.get(&s.id).cloned(),
            }
        })
        .collect()
}
