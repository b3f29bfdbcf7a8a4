//! The weekly timetable: its lessons (slots), checked for clashes of a
//! teacher or a class, and the journal's lessons filled in from it for a
//! range of days.

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use crate::page::{date as parse_date, id as parse_id};
use crate::structure::{check_group, check_staff, exists, fields};
use chrono::{Datelike, NaiveDate};
use classbook_domain::entity::Entity;
use classbook_domain::ids::new_id;
use classbook_domain::op::{OpKind, ScheduleLesson};
use classbook_domain::rules::{self, Action};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize)]
pub struct SlotInfo {
    pub id: Uuid,
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub teacher_id: Uuid,
    /// 1 = Monday … 6 = Saturday.
    pub weekday: u8,
    pub number: u8,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SlotInput {
    pub id: Option<Uuid>,
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub teacher_id: Uuid,
    pub weekday: u8,
    pub number: u8,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// What filling lessons from the timetable did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FillReport {
    /// Lessons put into the journal.
    pub created: usize,
    /// Lessons the journal already had (kept as they are, with their topics).
    pub existing: usize,
    /// Days skipped as holidays.
    pub holidays: usize,
}

/// Lessons are filled for at most a year at a time.
const MAX_FILL_DAYS: i64 = 366;
const MAX_LESSON_NUMBER: u8 = 10;

const SLOTS: &str = "SELECT id, class_id, group_id, subject_id, teacher_id, weekday, number, valid_from, valid_to
    FROM timetable_slot ORDER BY weekday, number";

impl Journal {
    /// Create or change a lesson of the weekly timetable.
    pub fn save_slot(&mut self, session: &Session, input: SlotInput) -> Result<Uuid> {
        if !(1..=6).contains(&input.weekday) {
            return Err(JournalError::invalid("День недели — с понедельника по субботу."));
        }
        if !(1..=MAX_LESSON_NUMBER).contains(&input.number) {
            return Err(JournalError::invalid(format!("Номер урока — от 1 до {MAX_LESSON_NUMBER}.")));
        }
        if let (Some(from), Some(to)) = (input.valid_from, input.valid_to)
            && from > to
        {
            return Err(JournalError::invalid("Расписание действует «с» даты, которая позже даты «по»."));
        }
        let id = input.id.unwrap_or_else(new_id);
        let conn = self.conn();
        check_staff(conn, input.teacher_id)?;
        if let Some(group) = input.group_id {
            check_group(conn, group, input.class_id, input.subject_id)?;
        }
        let slots = read_slots(conn)?;
        let overlaps = |s: &SlotInfo| {
            s.id != id
                && s.weekday == input.weekday
                && s.number == input.number
                && s.valid_from.max(input.valid_from).is_none_or(|from| {
                    [s.valid_to, input.valid_to].into_iter().flatten().min().is_none_or(|to| from <= to)
                })
        };
        let day = weekday_name(input.weekday);
        let n = input.number;
        if slots.iter().any(|s| overlaps(s) && s.teacher_id == input.teacher_id) {
            return Err(JournalError::invalid(format!(
                "У этого учителя уже есть урок {day} {n}-м: один учитель не ведёт два урока сразу."
            )));
        }
        // Two subgroups of a class may have lessons at the same time; the
        // whole class and one of its subgroups may not.
        if slots.iter().any(|s| {
            overlaps(s)
                && s.class_id == input.class_id
                && (s.group_id.is_none() || input.group_id.is_none() || s.group_id == input.group_id)
        }) {
            return Err(JournalError::invalid(format!(
                "У класса уже стоит урок {day} {n}-м: выберите другой номер урока."
            )));
        }
        self.save_records(
            session,
            vec![(
                Entity::TimetableSlot,
                id,
                fields([
                    ("class_id", json!(input.class_id)),
                    ("group_id", json!(input.group_id)),
                    ("subject_id", json!(input.subject_id)),
                    ("teacher_id", json!(input.teacher_id)),
                    ("weekday", json!(input.weekday)),
                    ("number", json!(input.number)),
                    ("valid_from", json!(input.valid_from)),
                    ("valid_to", json!(input.valid_to)),
                ]),
            )],
        )?;
        Ok(id)
    }

    /// Put the timetable's lessons of `from..=to` into the journal. Lessons
    /// already there are kept (with their topics and marks); holidays are
    /// skipped. Lesson ids follow from the lesson's place and day, so two
    /// PCs filling the same weeks offline do not double them.
    pub fn fill_lessons(&mut self, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<FillReport> {
        if from > to {
            return Err(JournalError::invalid("Дата «с» позже даты «по»."));
        }
        if (to - from).num_days() >= MAX_FILL_DAYS {
            return Err(JournalError::invalid("Уроки заполняются не больше чем на год за раз."));
        }
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            rules::check(&actor, &Action::PlanLessons, w.today()?, w.policy()?)?;
            let slots = read_slots(&w.tx)?;
            let holidays = holidays(&w.tx)?;
            let mut report = FillReport::default();
            let mut day = from;
            while day <= to {
                let weekday = day.weekday().number_from_monday() as u8;
                if holidays.iter().any(|(a, b)| *a <= day && day <= *b) {
                    if weekday <= 6 {
                        report.holidays += 1;
                    }
                    day = day.succ_opt().expect("date in range");
                    continue;
                }
                for slot in slots.iter().filter(|s| {
                    s.weekday == weekday && s.valid_from.is_none_or(|f| f <= day) && s.valid_to.is_none_or(|t| day <= t)
                }) {
                    let page = slot.group_id.unwrap_or(slot.class_id);
                    let lesson_id = ScheduleLesson::natural_id(page, slot.subject_id, day, slot.number);
                    if exists(&w.tx, "SELECT 1 FROM lesson WHERE id = ?1", &[&lesson_id.to_string()])? {
                        report.existing += 1;
                        continue;
                    }
                    w.record(
                        author,
                        OpKind::ScheduleLesson(ScheduleLesson {
                            lesson_id,
                            date: day,
                            number: slot.number,
                            class_id: slot.class_id,
                            group_id: slot.group_id,
                            subject_id: slot.subject_id,
                            teacher_id: slot.teacher_id,
                            room_id: None,
                        }),
                    )?;
                    report.created += 1;
                }
                day = day.succ_opt().expect("date in range");
            }
            Ok(report)
        })
    }
}

pub(crate) fn read_slots(conn: &Connection) -> Result<Vec<SlotInfo>> {
    let opt_date = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        r.get::<_, Option<String>>(i)?.map(parse_date).transpose()
    };
    let slots = conn
        .prepare_cached(SLOTS)?
        .query_map([], |r| {
            Ok(SlotInfo {
                id: parse_id(r.get(0)?)?,
                class_id: parse_id(r.get(1)?)?,
                group_id: r.get::<_, Option<String>>(2)?.map(parse_id).transpose()?,
                subject_id: parse_id(r.get(3)?)?,
                teacher_id: parse_id(r.get(4)?)?,
                weekday: r.get(5)?,
                number: r.get(6)?,
                valid_from: opt_date(r, 7)?,
                valid_to: opt_date(r, 8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(slots)
}

fn holidays(conn: &Connection) -> Result<Vec<(NaiveDate, NaiveDate)>> {
    let holidays = conn
        .prepare_cached("SELECT starts_on, ends_on FROM holiday WHERE starts_on IS NOT NULL AND ends_on IS NOT NULL")?
        .query_map([], |r| Ok((parse_date(r.get(0)?)?, parse_date(r.get(1)?)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(holidays)
}

/// «в понедельник», for messages.
fn weekday_name(weekday: u8) -> &'static str {
    ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу"][(weekday - 1) as usize]
}
