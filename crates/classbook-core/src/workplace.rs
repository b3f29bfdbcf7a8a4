//! What a logged-in user's workplace shows around the journal grid: today's
//! lessons with what is still missing, the journal pages the user may open,
//! the study periods and the work types. Read-only queries for the desktop
//! app; who may change what is still judged by the entry services.

use crate::accounts::{Session, load_actor};
use crate::error::Result;
use crate::journal::Journal;
use crate::page::{PeriodInfo, date, id as uuid};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

/// One of today's lessons of a teacher, with what the teacher has not entered yet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayLesson {
    pub lesson_id: Uuid,
    pub date: NaiveDate,
    pub number: u8,
    pub class_id: Uuid,
    /// «7А».
    pub class_name: String,
    pub group_id: Option<Uuid>,
    pub group_title: Option<String>,
    pub subject_id: Uuid,
    pub subject_name: String,
    /// Set when the teacher substitutes for a colleague on this lesson.
    pub substitute: bool,
    pub status: Option<String>,
    pub topic: Option<String>,
    pub homework: Option<String>,
    /// Attendance entries on the lesson («н», «б», «ну», «оп»); none at all
    /// usually means the roll was not taken yet.
    pub attendance_entries: usize,
    pub marks: usize,
    /// The period whose journal page holds this lesson.
    pub period_id: Option<Uuid>,
}

/// A journal page (class or subgroup × subject) the user may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JournalRef {
    pub class_id: Uuid,
    pub class_name: String,
    pub group_id: Option<Uuid>,
    pub group_title: Option<String>,
    pub subject_id: Uuid,
    pub subject_name: String,
    /// The user teaches it; otherwise they see it as the class teacher.
    /// Only a hint for the UI: every entry is still checked by the rules.
    pub teaches: bool,
}

/// A class the user leads as its class teacher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassRef {
    pub class_id: Uuid,
    /// «7А».
    pub class_name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkType {
    pub id: Uuid,
    pub name: String,
    pub short_name: String,
    pub weight: f64,
}

/// A transferred lesson is in the day it moved to, not the day it was planned for.
const DAY_LESSONS: &str = "SELECT l.id, ?2, l.number, l.class_id, c.grade || COALESCE(c.letter, ''),
        l.group_id, g.title, l.subject_id, COALESCE(s.name, ''), l.substitute_id IS NOT NULL, l.status,
        l.topic, l.homework,
        (SELECT COUNT(*) FROM attendance a WHERE a.lesson_id = l.id AND a.code IS NOT NULL),
        (SELECT COUNT(*) FROM mark m WHERE m.lesson_id = l.id AND m.deleted = 0 AND m.value IS NOT NULL)
    FROM lesson l
    LEFT JOIN class c ON c.id = l.class_id
    LEFT JOIN study_group g ON g.id = l.group_id
    LEFT JOIN subject s ON s.id = l.subject_id
    WHERE ((l.date = ?2 AND l.status IS NOT 'transferred') OR (l.moved_to = ?2 AND l.status = 'transferred'))
      AND ((l.teacher_id = ?1 AND l.substitute_id IS NULL) OR l.substitute_id = ?1)
    ORDER BY l.number";

/// Taught pages come from the teacher's assignments; a class teacher also
/// sees every subject of the class's curriculum.
const JOURNALS: &str = "SELECT a.class_id, c.grade || COALESCE(c.letter, ''), a.group_id, g.title,
        a.subject_id, COALESCE(s.name, ''), 1, c.grade, c.letter, s.print_order
    FROM assignment a
    JOIN class c ON c.id = a.class_id
    LEFT JOIN study_group g ON g.id = a.group_id
    LEFT JOIN subject s ON s.id = a.subject_id
    WHERE a.teacher_id = ?1 AND a.active = 1
    UNION
    SELECT cu.class_id, c.grade || COALESCE(c.letter, ''), NULL, NULL,
        cu.subject_id, COALESCE(s.name, ''), 0, c.grade, c.letter, s.print_order
    FROM class c
    JOIN curriculum cu ON cu.class_id = c.id
    LEFT JOIN subject s ON s.id = cu.subject_id
    WHERE c.class_teacher_id = ?1
      AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.teacher_id = ?1 AND a.active = 1
                      AND a.class_id = cu.class_id AND a.subject_id = cu.subject_id)
    ORDER BY 8, 9, 10, 6, 4";

/// The shortest period holding the date: a quarter rather than the year.
const PERIOD_OF_DATE: &str = "SELECT id FROM period WHERE starts_on <= ?1 AND ends_on >= ?1
    ORDER BY julianday(ends_on) - julianday(starts_on), number LIMIT 1";

const PERIODS: &str = "SELECT id, title, starts_on, ends_on, closed FROM period
    ORDER BY julianday(ends_on) - julianday(starts_on) > 200, starts_on, number";

impl Journal {
    /// The school's date today, by the journal's clock.
    pub fn today(&self) -> Result<NaiveDate> {
        self.school_date(self.now())
    }

    /// On the demo school (its data ends on its `demo_today`): 10:00 school
    /// time of that day, where the programs start its clock so that today's
    /// lessons exist and the edit window judges entries as on that day.
    pub fn demo_clock_start(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let Some(day) = self.setting("demo_today")?.and_then(|d| d.parse::<NaiveDate>().ok()) else {
            return Ok(None);
        };
        let local = day.and_time(chrono::NaiveTime::from_hms_opt(10, 0, 0).expect("a valid time"));
        Ok(local.and_local_timezone(self.school_offset()?).single().map(|t| t.to_utc()))
    }

    /// The lessons the session's teacher gives today (their own and the ones
    /// they substitute), in lesson order. Empty for accounts without staff.
    pub fn today_lessons(&self, session: &Session) -> Result<Vec<DayLesson>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let Some(staff) = actor.staff_id else { return Ok(Vec::new()) };
        let today = self.today()?;
        let period_id = self.period_of(today)?;
        let lessons = self
            .conn()
            .prepare_cached(DAY_LESSONS)?
            .query_map(params![staff.to_string(), today.to_string()], |r| {
                Ok(DayLesson {
                    lesson_id: uuid(r.get(0)?)?,
                    date: date(r.get(1)?)?,
                    number: r.get(2)?,
                    class_id: uuid(r.get(3)?)?,
                    class_name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    group_id: r.get::<_, Option<String>>(5)?.map(uuid).transpose()?,
                    group_title: r.get(6)?,
                    subject_id: uuid(r.get(7)?)?,
                    subject_name: r.get(8)?,
                    substitute: r.get(9)?,
                    status: r.get(10)?,
                    topic: r.get::<_, Option<String>>(11)?.filter(|t| !t.is_empty()),
                    homework: r.get::<_, Option<String>>(12)?.filter(|t| !t.is_empty()),
                    attendance_entries: r.get::<_, i64>(13)? as usize,
                    marks: r.get::<_, i64>(14)? as usize,
                    period_id,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lessons)
    }

    /// The journal pages the session's staff member teaches or, as a class
    /// teacher, may read; ordered by class and the subjects' print order.
    pub fn my_journals(&self, session: &Session) -> Result<Vec<JournalRef>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let Some(staff) = actor.staff_id else { return Ok(Vec::new()) };
        let journals = self
            .conn()
            .prepare_cached(JOURNALS)?
            .query_map([staff.to_string()], |r| {
                Ok(JournalRef {
                    class_id: uuid(r.get(0)?)?,
                    class_name: r.get(1)?,
                    group_id: r.get::<_, Option<String>>(2)?.map(uuid).transpose()?,
                    group_title: r.get(3)?,
                    subject_id: uuid(r.get(4)?)?,
                    subject_name: r.get(5)?,
                    teaches: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(journals)
    }

    /// The period a journal page for `day` should show (the shortest one holding it).
    pub fn period_of(&self, day: NaiveDate) -> Result<Option<Uuid>> {
        let mut stmt = self.conn().prepare_cached(PERIOD_OF_DATE)?;
        let mut rows = stmt.query([day.to_string()])?;
        match rows.next()? {
            Some(row) => Ok(Some(uuid(row.get(0)?)?)),
            None => Ok(None),
        }
    }

    /// Every study period: the short ones in calendar order, then the year.
    pub fn periods(&self) -> Result<Vec<PeriodInfo>> {
        let periods = self
            .conn()
            .prepare_cached(PERIODS)?
            .query_map([], |r| {
                Ok(PeriodInfo {
                    id: uuid(r.get(0)?)?,
                    title: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    starts_on: date(r.get(2)?)?,
                    ends_on: date(r.get(3)?)?,
                    closed: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(periods)
    }

    /// The work types marks can be tied to, lightest first.
    pub fn work_types(&self) -> Result<Vec<WorkType>> {
        let types = self
            .conn()
            .prepare_cached(
                "SELECT id, COALESCE(name, ''), COALESCE(short_name, ''), COALESCE(weight, 1.0)
                 FROM work_type ORDER BY weight, name",
            )?
            .query_map([], |r| {
                Ok(WorkType { id: uuid(r.get(0)?)?, name: r.get(1)?, short_name: r.get(2)?, weight: r.get(3)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(types)
    }

    /// The classes whose class teacher the session's user is (the absence
    /// register is theirs to keep), youngest first.
    pub fn classes_led(&self, session: &Session) -> Result<Vec<ClassRef>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let Some(staff) = actor.staff_id else { return Ok(Vec::new()) };
        let classes = self
            .conn()
            .prepare_cached(
                "SELECT id, grade || COALESCE(letter, '') FROM class WHERE class_teacher_id = ?1 ORDER BY grade, letter",
            )?
            .query_map([staff.to_string()], |r| Ok(ClassRef { class_id: uuid(r.get(0)?)?, class_name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(classes)
    }
}
