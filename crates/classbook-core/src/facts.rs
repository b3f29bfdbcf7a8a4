//! Gathering the facts the rules need, inside the write transaction, so the
//! check and the change see the same journal.

use crate::accounts::load_actor;
use crate::cache::{CheckFacts, SchoolRules};
use crate::error::{JournalError, Result};
use crate::journal::Writer;
use chrono::NaiveDate;
use classbook_domain::entity::Entity;
use classbook_domain::grades::GradingSystem;
use classbook_domain::model::{EditWindow, MovementKind};
use classbook_domain::rules::{Actor, LessonFacts, Policy};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// `WITH class_stay (student_id, class_id, from_date, to_date)`: the stays of
/// the students ever placed in class `?1`, from the movement book. Each entry
/// that places a student in a class starts a stay; their next entry
/// (transfer, withdrawal, graduation) ends it; repaying a debt moves no one.
/// Only those students' movements are read (through the indexes), not the
/// whole book.
macro_rules! with_class_stay {
    () => {
        "WITH stay AS (
            SELECT m.student_id, m.class_id, m.kind, m.date AS from_date,
                   LEAD(m.date) OVER (PARTITION BY m.student_id ORDER BY m.date, m.id) AS to_date
            FROM movement m
            WHERE m.student_id IN (SELECT student_id FROM movement WHERE class_id = ?1)
              AND m.kind IS NOT NULL AND m.kind <> 'debt_repaid'
        ),
        class_stay AS (
            SELECT student_id, class_id, from_date, to_date FROM stay
            WHERE class_id = ?1 AND kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
        )
        "
    };
}

/// Where a lesson belongs, besides the facts the rules use.
#[derive(Clone, Debug)]
pub(crate) struct LessonPlace {
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
}

/// A transferred lesson is held, and judged (closed period, edit window), on
/// the day it moved to.
const LESSON_FACTS: &str = "SELECT l.day, l.teacher_id, l.substitute_id, c.class_teacher_id, COALESCE(c.graded, 1),
        l.class_id, l.group_id, l.subject_id,
        EXISTS (SELECT 1 FROM period p WHERE p.closed = 1 AND p.starts_on <= l.day AND p.ends_on >= l.day),
        l.status IS 'cancelled'
    FROM (SELECT *, CASE WHEN status = 'transferred' AND moved_to IS NOT NULL THEN moved_to ELSE date END AS day
          FROM lesson WHERE id = ?1) l
    LEFT JOIN class c ON c.id = l.class_id";

fn uuid_opt(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| t.parse().ok())
}

pub(crate) fn lesson_facts(conn: &Connection, lesson_id: Uuid) -> Result<(LessonFacts, LessonPlace)> {
    let row = conn
        .prepare_cached(LESSON_FACTS)?
        .query_row([lesson_id.to_string()], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, bool>(8)?,
                r.get::<_, bool>(9)?,
            ))
        })
        .optional()?;
    let missing = || JournalError::not_found("Урок не найден в журнале: обновите расписание.");
    let (date, teacher, substitute, class_teacher, graded, class, group, subject, closed, cancelled) =
        row.ok_or_else(missing)?;
    let date: NaiveDate = date.and_then(|d| d.parse().ok()).ok_or_else(missing)?;
    let facts = LessonFacts {
        date,
        teacher_id: uuid_opt(teacher).ok_or_else(missing)?,
        substitute_id: uuid_opt(substitute),
        class_teacher_id: uuid_opt(class_teacher),
        graded,
        period_closed: closed,
        cancelled,
    };
    let place = LessonPlace {
        class_id: uuid_opt(class).ok_or_else(missing)?,
        group_id: uuid_opt(group),
        subject_id: uuid_opt(subject).ok_or_else(missing)?,
    };
    Ok((facts, place))
}

impl Writer<'_> {
    /// The author as the rules see them; blocked accounts and unchanged start
    /// passwords may do nothing.
    pub fn actor(&self, account_id: Uuid) -> Result<Actor> {
        let (actor, blocked, must_change) = load_actor(&self.tx, account_id)?;
        if blocked {
            return Err(JournalError::AccountBlocked(account_id.to_string()));
        }
        if must_change {
            return Err(JournalError::MustChangePassword);
        }
        Ok(actor)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
    }

    /// The school's time zone and edit window.
    fn school_rules(&mut self) -> Result<SchoolRules> {
        if let Some(school) = self.cache().and_then(|c| c.school) {
            return Ok(school);
        }
        let utc_offset_minutes = self.setting("utc_offset_minutes")?.and_then(|v| v.parse().ok()).unwrap_or(180);
        let window = self.setting("edit_window")?.and_then(|w| EditWindow::from_code(&w));
        let policy = Policy { edit_window: window.unwrap_or(Policy::default().edit_window) };
        let school = SchoolRules { utc_offset_minutes, policy };
        self.learned.school = Some(school);
        Ok(school)
    }

    /// The school's local date of this entry.
    pub fn today(&mut self) -> Result<NaiveDate> {
        let minutes = self.school_rules()?.utc_offset_minutes;
        let offset = chrono::FixedOffset::east_opt(minutes * 60).unwrap_or(chrono::FixedOffset::east_opt(0).unwrap());
        Ok(self.now.with_timezone(&offset).date_naive())
    }

    pub fn policy(&mut self) -> Result<Policy> {
        Ok(self.school_rules()?.policy)
    }

    /// What checking an entry on a lesson needs: the author (who must be
    /// allowed to act at all), the lesson, and for an entry about a student
    /// whether they are on the lesson's page and (for marks) whether their
    /// final is set.
    pub fn check_facts(
        &mut self,
        author: Uuid,
        lesson_id: Uuid,
        student: Option<Uuid>,
        mark: bool,
    ) -> Result<CheckFacts> {
        let key = (author, lesson_id, student, mark);
        if let Some(facts) = self.cache().and_then(|c| c.checks.get(&key)) {
            return Ok(facts.clone());
        }
        let actor = self.actor(author)?;
        let (lesson, place) = self.lesson(lesson_id)?;
        let final_set = match student {
            Some(s) if mark => self.final_set(s, place.subject_id, lesson.date)?,
            _ => false,
        };
        let on_lesson = match student {
            Some(s) => self.student_on_lesson(s, &place, lesson.date)?,
            None => true,
        };
        let facts = CheckFacts { actor, lesson, place, final_set, on_lesson };
        self.learned.checks.push((key, facts.clone()));
        Ok(facts)
    }

    pub fn lesson(&self, lesson_id: Uuid) -> Result<(LessonFacts, LessonPlace)> {
        let (mut facts, place) = lesson_facts(&self.tx, lesson_id)?;
        if facts.period_closed && self.as_of.is_some() {
            let mut closed = false;
            for period in self.closed_periods_on(facts.date)? {
                closed |= self.closed_before(period)?;
            }
            facts.period_closed = closed;
        }
        Ok((facts, place))
    }

    /// The closed periods that contain `date`.
    fn closed_periods_on(&self, date: NaiveDate) -> Result<Vec<Uuid>> {
        let ids: Vec<String> = self
            .tx
            .prepare_cached("SELECT id FROM period WHERE closed = 1 AND starts_on <= ?1 AND ends_on >= ?1")?
            .query_map([date.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().filter_map(|id| id.parse().ok()).collect())
    }

    /// Whether a closed period was closed before the moment entries are
    /// judged at (`as_of`; without it, now: it is closed).
    pub fn closed_before(&self, period_id: Uuid) -> Result<bool> {
        let Some(as_of) = self.as_of else { return Ok(true) };
        let stamp = crate::apply::field_stamp(&self.tx, Entity::Period, period_id, "closed")?;
        Ok(stamp.is_none_or(|stamp| stamp < as_of.encode()))
    }

    /// Whether the student's final in this subject is set for a period that
    /// contains `date` (then that period's marks are locked).
    pub fn final_set(&self, student_id: Uuid, subject_id: Uuid, date: NaiveDate) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM final_mark f JOIN period p ON p.id = f.period_id
                 WHERE f.student_id = ?1 AND f.subject_id = ?2 AND f.value IS NOT NULL
                   AND p.starts_on <= ?3 AND p.ends_on >= ?3)",
            )?
            .query_row(params![student_id.to_string(), subject_id.to_string(), date.to_string()], |r| r.get(0))?)
    }

    /// The grading system of a class's subject (five-point unless the curriculum says otherwise).
    pub fn grading(&mut self, class_id: Uuid, subject_id: Uuid) -> Result<GradingSystem> {
        if let Some(&system) = self.cache().and_then(|c| c.grading.get(&(class_id, subject_id))) {
            return Ok(system);
        }
        let code: Option<Option<String>> = self
            .tx
            .prepare_cached("SELECT grading FROM curriculum WHERE class_id = ?1 AND subject_id = ?2")?
            .query_row(params![class_id.to_string(), subject_id.to_string()], |r| r.get(0))
            .optional()?;
        let system = code.flatten().and_then(|c| GradingSystem::from_code(&c)).unwrap_or_default();
        self.learned.grading.push(((class_id, subject_id), system));
        Ok(system)
    }

    /// Whether the student is on the lesson's page (in the class or group on
    /// that date). A group's list is its members who were in the group's
    /// class that day: those active now, and those no longer active because
    /// they left the class since (a withdrawal ends their membership, and a
    /// late mark for a lesson they were at still counts). A member moved to
    /// another subgroup of the class is no longer on this one's list: the
    /// membership says nothing of when the move was.
    pub fn student_on_lesson(&self, student_id: Uuid, place: &LessonPlace, date: NaiveDate) -> Result<bool> {
        let in_class_then = self.placed_in(student_id, place.class_id, Some(date))?;
        let Some(group) = place.group_id else { return Ok(in_class_then) };
        let active: Option<bool> = self
            .tx
            .prepare_cached("SELECT active FROM group_member WHERE group_id = ?1 AND student_id = ?2")?
            .query_row(params![group.to_string(), student_id.to_string()], |r| r.get(0))
            .optional()?;
        Ok(match active {
            None => false,
            Some(true) => in_class_then,
            Some(false) => in_class_then && !self.placed_in(student_id, place.class_id, None)?,
        })
    }

    /// Whether the student's latest movement up to `date` (or of all, with
    /// `None`) places them in the class (the rule of `with_class_stay!`, for
    /// one student).
    fn placed_in(&self, student_id: Uuid, class_id: Uuid, date: Option<NaiveDate>) -> Result<bool> {
        let date = date.map_or_else(|| "9999-12-31".to_owned(), |d| d.to_string());
        let latest: Option<(String, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT kind, class_id FROM movement
                 WHERE student_id = ?1 AND date <= ?2 AND kind <> 'debt_repaid'
                 ORDER BY date DESC, id DESC LIMIT 1",
            )?
            .query_row(params![student_id.to_string(), date], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let class = class_id.to_string();
        Ok(latest.is_some_and(|(kind, class_id)| {
            serde_json::from_value::<MovementKind>(serde_json::Value::String(kind))
                .is_ok_and(MovementKind::places_in_class)
                && class_id.as_deref() == Some(class.as_str())
        }))
    }
}
