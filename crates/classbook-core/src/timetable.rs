//! The school's lessons of one day, for whoever plans them (administrators
//! and deputy heads): who teaches each, who substitutes, and the staff to
//! choose a substitute from.

use crate::accounts::{Session, load_actor};
use crate::error::Result;
use crate::journal::Journal;
use crate::page::{id as uuid, short_name};
use chrono::NaiveDate;
use classbook_domain::rules::{self, Action, Policy};
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayPlanLesson {
    pub lesson_id: Uuid,
    pub number: u8,
    /// «7А», with the subgroup's title after it if the lesson is a subgroup's.
    pub class_name: String,
    pub subject_name: String,
    pub teacher_id: Option<Uuid>,
    pub teacher_name: String,
    pub substitute_id: Option<Uuid>,
    pub substitute_name: Option<String>,
    /// `held`, `cancelled` or `transferred` (none: as planned).
    pub status: Option<String>,
    /// The day a transferred lesson moved to.
    pub moved_to: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StaffRef {
    pub id: Uuid,
    /// «Петрова А. И.».
    pub name: String,
}

const DAY: &str = "SELECT l.id, l.number, c.grade || COALESCE(c.letter, '') || COALESCE(' (' || g.title || ')', ''),
        COALESCE(s.name, ''), l.teacher_id, t.surname, t.first_name, t.patronymic,
        l.substitute_id, u.surname, u.first_name, u.patronymic, l.status, l.moved_to
    FROM lesson l
    LEFT JOIN class c ON c.id = l.class_id
    LEFT JOIN study_group g ON g.id = l.group_id
    LEFT JOIN subject s ON s.id = l.subject_id
    LEFT JOIN staff t ON t.id = l.teacher_id
    LEFT JOIN staff u ON u.id = l.substitute_id
    WHERE l.date = ?1
    ORDER BY l.number, c.grade, c.letter, s.name";

impl Journal {
    fn check_plans_lessons(&self, session: &Session) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::PlanLessons, self.today()?, Policy::default())?;
        Ok(())
    }

    /// Every lesson of the school on `date`, in lesson order.
    pub fn day_plan(&self, session: &Session, date: NaiveDate) -> Result<Vec<DayPlanLesson>> {
        self.check_plans_lessons(session)?;
        let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let lessons = self
            .conn()
            .prepare_cached(DAY)?
            .query_map(params![date.to_string()], |r| {
                let substitute: Option<String> = r.get(9)?;
                Ok(DayPlanLesson {
                    lesson_id: uuid(r.get(0)?)?,
                    number: r.get(1)?,
                    class_name: text(r, 2)?,
                    subject_name: text(r, 3)?,
                    teacher_id: r.get::<_, Option<String>>(4)?.map(uuid).transpose()?,
                    teacher_name: short_name(&text(r, 5)?, &text(r, 6)?, &text(r, 7)?),
                    substitute_id: r.get::<_, Option<String>>(8)?.map(uuid).transpose()?,
                    substitute_name: match substitute {
                        Some(surname) => Some(short_name(&surname, &text(r, 10)?, &text(r, 11)?)),
                        None => None,
                    },
                    status: r.get(12)?,
                    moved_to: r.get::<_, Option<String>>(13)?.map(crate::page::date).transpose()?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lessons)
    }

    /// The school's staff, by surname: who may be chosen as a substitute.
    pub fn staff_list(&self, session: &Session) -> Result<Vec<StaffRef>> {
        self.check_plans_lessons(session)?;
        self.all_staff()
    }

    /// The school's staff, by surname, for a report's choice of teacher: for
    /// those who read the school's reports.
    pub fn report_teachers(&self, session: &Session) -> Result<Vec<StaffRef>> {
        self.check_view_school(session)?;
        self.all_staff()
    }

    fn all_staff(&self) -> Result<Vec<StaffRef>> {
        let staff = self
            .conn()
            .prepare_cached(
                "SELECT id, COALESCE(surname, ''), COALESCE(first_name, ''), COALESCE(patronymic, '')
                 FROM staff ORDER BY surname, first_name, patronymic",
            )?
            .query_map([], |r| {
                Ok(StaffRef {
                    id: uuid(r.get(0)?)?,
                    name: short_name(&r.get::<_, String>(1)?, &r.get::<_, String>(2)?, &r.get::<_, String>(3)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(staff)
    }
}
