//! The school's structure as its administrators set it up: study years with
//! their periods, classes, subjects, staff, subgroups and who teaches what
//! (whole class or a subgroup); all of it, with the weekly timetable
//! (`schedule`), read as one for the «Школа» screen.
//!
//! Each save is one transaction of reference ops, so a form lands whole or
//! not at all, and each goes through the same rule as any reference edit
//! (`Action::EditReference` for the record's area). The checks here are the
//! ones a person filling the form needs explained in Russian: dates in order,
//! no two classes «5А» in a year.

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::{Journal, Writer};
use crate::page::{date as parse_date, id as parse_id, short_name};
use crate::schedule::{SlotInfo, read_slots};
use chrono::NaiveDate;
use classbook_domain::entity::Entity;
use classbook_domain::ids::{derived_id, new_id};
use classbook_domain::model::PeriodKind;
use classbook_domain::op::{OpKind, SaveRecord};
use classbook_domain::rules::{self, Action, Area, Policy};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Everything the «Школа» screen shows.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SchoolStructure {
    pub years: Vec<YearInfo>,
    pub classes: Vec<ClassInfo>,
    pub subjects: Vec<SubjectInfo>,
    pub staff: Vec<StaffInfo>,
    pub groups: Vec<GroupInfo>,
    pub assignments: Vec<AssignmentInfo>,
    pub slots: Vec<SlotInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct YearInfo {
    pub id: Uuid,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The year's short periods (quarters, trimesters or halves), in order.
    pub periods: Vec<PeriodRange>,
    pub period_kind: Option<PeriodKind>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRange {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClassInfo {
    pub id: Uuid,
    pub year_id: Option<Uuid>,
    pub grade: u8,
    pub letter: String,
    /// «5А».
    pub name: String,
    pub class_teacher_id: Option<Uuid>,
    pub shift: Option<u8>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubjectInfo {
    pub id: Uuid,
    pub name: String,
    pub short_name: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StaffInfo {
    pub id: Uuid,
    pub surname: String,
    pub first_name: String,
    pub patronymic: String,
    pub position: String,
    /// «Петрова А. И.».
    pub short_name: String,
    /// The staff member's login, if an account was made for them.
    pub login: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupInfo {
    pub id: Uuid,
    pub class_id: Uuid,
    pub subject_id: Option<Uuid>,
    pub title: String,
    pub members: Vec<Uuid>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AssignmentInfo {
    pub id: Uuid,
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub teacher_id: Uuid,
}

/// A student of a class today, for choosing subgroup members.
#[derive(Clone, Debug, Serialize)]
pub struct ClassStudent {
    pub id: Uuid,
    /// «Алексеев Борис Петрович».
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct YearInput {
    pub id: Option<Uuid>,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Quarters, trimesters or halves.
    pub period_kind: PeriodKind,
    pub periods: Vec<PeriodRange>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ClassInput {
    pub id: Option<Uuid>,
    pub year_id: Uuid,
    pub grade: u8,
    pub letter: String,
    pub class_teacher_id: Option<Uuid>,
    pub shift: Option<u8>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SubjectInput {
    pub id: Option<Uuid>,
    pub name: String,
    pub short_name: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct StaffInput {
    pub id: Option<Uuid>,
    pub surname: String,
    pub first_name: String,
    pub patronymic: String,
    pub position: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct GroupInput {
    pub id: Option<Uuid>,
    pub class_id: Uuid,
    pub subject_id: Uuid,
    pub title: String,
    pub members: Vec<Uuid>,
}

/// Who teaches a subject in a class (or in one of its subgroups).
#[derive(Clone, Debug, Deserialize)]
pub struct AssignmentInput {
    pub id: Option<Uuid>,
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub teacher_id: Uuid,
    /// `false` takes the load away (the journal stays, read-only to them).
    pub active: bool,
}

const YEARS: &str = "SELECT id, title, starts_on, ends_on FROM academic_year ORDER BY starts_on";
const YEAR_PERIODS: &str = "SELECT id, kind, number, starts_on, ends_on FROM period WHERE year_id = ?1
    ORDER BY starts_on, number";
const CLASSES: &str = "SELECT id, year_id, grade, COALESCE(letter, ''), class_teacher_id, shift FROM class
    ORDER BY grade, letter";
const SUBJECTS: &str = "SELECT id, COALESCE(name, ''), COALESCE(short_name, '') FROM subject
    ORDER BY print_order IS NULL, print_order, name";
const STAFF: &str = "SELECT s.id, COALESCE(s.surname, ''), COALESCE(s.first_name, ''), COALESCE(s.patronymic, ''),
        COALESCE(s.position, ''), (SELECT login FROM account a WHERE a.staff_id = s.id ORDER BY a.id LIMIT 1)
    FROM staff s ORDER BY s.surname, s.first_name, s.patronymic";
const GROUPS: &str = "SELECT g.id, g.class_id, g.subject_id, COALESCE(g.title, ''),
        (SELECT group_concat(m.student_id) FROM group_member m WHERE m.group_id = g.id AND m.active = 1)
    FROM study_group g ORDER BY g.class_id, g.title";
const ASSIGNMENTS: &str = "SELECT id, class_id, group_id, subject_id, teacher_id FROM assignment WHERE active = 1";
const CLASS_STUDENTS: &str = concat!(
    with_class_stay!(),
    "SELECT s.id, COALESCE(s.surname, ''), COALESCE(s.first_name, ''), COALESCE(s.patronymic, '')
    FROM class_stay cs JOIN student s ON s.id = cs.student_id
    WHERE cs.from_date <= ?2 AND (cs.to_date IS NULL OR cs.to_date > ?2)
    GROUP BY s.id
    ORDER BY s.surname, s.first_name, s.patronymic"
);

impl Journal {
    fn check_reads_structure(&self, session: &Session) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::PlanLessons, self.today()?, Policy::default())?;
        Ok(())
    }

    /// The school's structure, for administrators and deputy heads.
    pub fn school_structure(&self, session: &Session) -> Result<SchoolStructure> {
        self.check_reads_structure(session)?;
        read_structure(self.conn())
    }

    /// The students of a class today, for choosing a subgroup's members.
    pub fn class_students(&self, session: &Session, class_id: Uuid) -> Result<Vec<ClassStudent>> {
        self.check_reads_structure(session)?;
        let today = self.today()?;
        let students = self
            .conn()
            .prepare_cached(CLASS_STUDENTS)?
            .query_map(params![class_id.to_string(), today.to_string()], |r| {
                let (surname, first, patronymic): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
                let name = [surname, first, patronymic].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>();
                Ok(ClassStudent { id: parse_id(r.get(0)?)?, name: name.join(" ") })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(students)
    }

    /// Create or change a study year together with its periods and the
    /// whole-year period that year finals are given for.
    pub fn save_year(&mut self, session: &Session, input: YearInput) -> Result<Uuid> {
        let title = required(&input.title, "Укажите название учебного года, например «2026/2027».")?;
        if input.starts_on >= input.ends_on {
            return Err(JournalError::invalid("Учебный год должен начинаться раньше, чем заканчивается."));
        }
        let (expected, all_periods) = match input.period_kind {
            PeriodKind::Quarter => (4, "всех четырёх четвертей"),
            PeriodKind::Trimester => (3, "всех трёх триместров"),
            PeriodKind::Half => (2, "обоих полугодий"),
            _ => return Err(JournalError::invalid("Год делится на четверти, триместры или полугодия.")),
        };
        let kind_title = input.period_kind.title();
        if input.periods.len() != expected {
            return Err(JournalError::invalid(format!("Укажите даты {all_periods}.")));
        }
        let mut previous_end: Option<NaiveDate> = None;
        for (i, p) in input.periods.iter().enumerate() {
            let n = i + 1;
            if p.starts_on > p.ends_on {
                return Err(JournalError::invalid(format!("{n} {kind_title}: дата начала позже даты окончания.")));
            }
            if p.starts_on < input.starts_on || p.ends_on > input.ends_on {
                return Err(JournalError::invalid(format!(
                    "{n} {kind_title} выходит за границы учебного года ({} — {}).",
                    input.starts_on.format("%d.%m.%Y"),
                    input.ends_on.format("%d.%m.%Y")
                )));
            }
            if previous_end.is_some_and(|end| p.starts_on <= end) {
                return Err(JournalError::invalid(format!(
                    "{n} {kind_title} начинается раньше, чем закончился предыдущий период."
                )));
            }
            previous_end = Some(p.ends_on);
        }
        let year_id = input.id.unwrap_or_else(new_id);
        let existing = existing_periods(self.conn(), year_id)?;
        if existing.iter().any(|(_, kind, _)| kind.is_some_and(|k| k != PeriodKind::Year && k != input.period_kind)) {
            return Err(JournalError::invalid(
                "Деление года на периоды уже задано: менять четверти на триместры посреди года нельзя.",
            ));
        }
        let period_id = |kind: PeriodKind, number: u32| {
            existing
                .iter()
                .find(|(_, k, n)| *k == Some(kind) && *n == number)
                .map(|(id, _, _)| *id)
                .unwrap_or_else(new_id)
        };
        let mut records = vec![(
            Entity::AcademicYear,
            year_id,
            fields([("title", json!(title)), ("starts_on", json!(input.starts_on)), ("ends_on", json!(input.ends_on))]),
        )];
        for (i, p) in input.periods.iter().enumerate() {
            let number = i as u32 + 1;
            records.push((
                Entity::Period,
                period_id(input.period_kind, number),
                fields([
                    ("year_id", json!(year_id)),
                    ("kind", json!(input.period_kind)),
                    ("number", json!(number)),
                    ("title", json!(format!("{number} {kind_title}"))),
                    ("starts_on", json!(p.starts_on)),
                    ("ends_on", json!(p.ends_on)),
                ]),
            ));
        }
        records.push((
            Entity::Period,
            period_id(PeriodKind::Year, 1),
            fields([
                ("year_id", json!(year_id)),
                ("kind", json!(PeriodKind::Year)),
                ("number", json!(1)),
                ("title", json!(format!("{title} учебный год"))),
                ("starts_on", json!(input.starts_on)),
                ("ends_on", json!(input.ends_on)),
            ]),
        ));
        self.save_records(session, records)?;
        Ok(year_id)
    }

    /// Create or change a class («5А»: grade and letter) of a study year.
    pub fn save_class(&mut self, session: &Session, input: ClassInput) -> Result<Uuid> {
        if !(1..=11).contains(&input.grade) {
            return Err(JournalError::invalid("Номер класса — от 1 до 11."));
        }
        let letter = input.letter.trim().to_uppercase();
        if letter.chars().count() > 2 || letter.chars().any(|c| !c.is_alphabetic()) {
            return Err(JournalError::invalid("Литера класса — одна-две буквы, например «А»."));
        }
        if input.shift.is_some_and(|s| !(1..=2).contains(&s)) {
            return Err(JournalError::invalid("Смена — первая или вторая."));
        }
        let id = input.id.unwrap_or_else(new_id);
        let conn = self.conn();
        exists(conn, "SELECT 1 FROM academic_year WHERE id = ?1", &[&input.year_id.to_string()])?
            .then_some(())
            .ok_or_else(|| JournalError::invalid("Выберите учебный год класса."))?;
        if let Some(teacher) = input.class_teacher_id {
            check_staff(conn, teacher)?;
        }
        let name = format!("{}{letter}", input.grade);
        if exists(
            conn,
            "SELECT 1 FROM class WHERE year_id = ?1 AND grade = ?2 AND COALESCE(letter, '') = ?3 AND id <> ?4",
            &[&input.year_id.to_string(), &input.grade.to_string(), &letter, &id.to_string()],
        )? {
            return Err(JournalError::invalid(format!("Класс {name} в этом учебном году уже есть.")));
        }
        self.save_records(
            session,
            vec![(
                Entity::Class,
                id,
                fields([
                    ("year_id", json!(input.year_id)),
                    ("grade", json!(input.grade)),
                    ("letter", json!(letter)),
                    ("class_teacher_id", json!(input.class_teacher_id)),
                    // First graders get no marks (REQUIREMENTS §3, 004 §3.5).
                    ("graded", json!(input.grade > 1)),
                    ("shift", json!(input.shift)),
                ]),
            )],
        )?;
        Ok(id)
    }

    pub fn save_subject(&mut self, session: &Session, input: SubjectInput) -> Result<Uuid> {
        let name = required(&input.name, "Укажите название предмета.")?;
        let short = match input.short_name.trim() {
            "" => name.chars().take(4).collect::<String>(),
            short => short.to_owned(),
        };
        let id = input.id.unwrap_or_else(new_id);
        let taken: Vec<String> = self
            .conn()
            .prepare_cached("SELECT name FROM subject WHERE id <> ?1 AND name IS NOT NULL")?
            .query_map([id.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if taken.iter().any(|t| t.to_lowercase() == name.to_lowercase()) {
            return Err(JournalError::invalid(format!("Предмет «{name}» уже есть в списке.")));
        }
        self.save_records(
            session,
            vec![(Entity::Subject, id, fields([("name", json!(name)), ("short_name", json!(short))]))],
        )?;
        Ok(id)
    }

    pub fn save_staff(&mut self, session: &Session, input: StaffInput) -> Result<Uuid> {
        let surname = required(&input.surname, "Укажите фамилию сотрудника.")?;
        let first = required(&input.first_name, "Укажите имя сотрудника.")?;
        let id = input.id.unwrap_or_else(new_id);
        self.save_records(
            session,
            vec![(
                Entity::Staff,
                id,
                fields([
                    ("surname", json!(surname)),
                    ("first_name", json!(first)),
                    ("patronymic", json!(input.patronymic.trim())),
                    ("position", json!(input.position.trim())),
                ]),
            )],
        )?;
        Ok(id)
    }

    /// Create or change a subgroup of a class for a subject, with its members.
    pub fn save_group(&mut self, session: &Session, input: GroupInput) -> Result<Uuid> {
        let title = required(&input.title, "Укажите название подгруппы, например «1 подгруппа».")?;
        let id = input.id.unwrap_or_else(new_id);
        let students: BTreeSet<Uuid> =
            self.class_students(session, input.class_id)?.into_iter().map(|s| s.id).collect();
        if input.members.iter().any(|m| !students.contains(m)) {
            return Err(JournalError::invalid(
                "В подгруппу включают только тех, кто сейчас учится в классе: обновите список и отметьте учеников снова.",
            ));
        }
        if input.members.is_empty() {
            return Err(JournalError::invalid("Отметьте учеников, которые входят в подгруппу."));
        }
        let mut current: BTreeMap<Uuid, (Uuid, bool)> = BTreeMap::new();
        {
            let mut stmt =
                self.conn().prepare_cached("SELECT id, student_id, active FROM group_member WHERE group_id = ?1")?;
            let mut rows = stmt.query([id.to_string()])?;
            while let Some(r) = rows.next()? {
                let active: Option<bool> = r.get(2)?;
                current.insert(parse_id(r.get(1)?)?, (parse_id(r.get(0)?)?, active.unwrap_or(false)));
            }
        }
        let mut records = vec![(
            Entity::StudyGroup,
            id,
            fields([
                ("class_id", json!(input.class_id)),
                ("subject_id", json!(input.subject_id)),
                ("title", json!(title)),
                ("kind", json!("subgroup")),
            ]),
        )];
        let wanted: BTreeSet<Uuid> = input.members.iter().copied().collect();
        for student in wanted.union(&current.keys().copied().collect()) {
            let active = wanted.contains(student);
            let (member_id, was_active) =
                current.get(student).copied().unwrap_or((derived_id("group_member", &[id, *student]), false));
            if current.contains_key(student) && was_active == active {
                continue;
            }
            records.push((
                Entity::GroupMember,
                member_id,
                fields([("group_id", json!(id)), ("student_id", json!(student)), ("active", json!(active))]),
            ));
        }
        self.save_records(session, records)?;
        Ok(id)
    }

    /// Give a teacher a subject in a class or subgroup (or take it away).
    /// The class's curriculum gets the subject if it had none.
    pub fn save_assignment(&mut self, session: &Session, input: AssignmentInput) -> Result<Uuid> {
        let conn = self.conn();
        check_staff(conn, input.teacher_id)?;
        if let Some(group) = input.group_id {
            check_group(conn, group, input.class_id, input.subject_id)?;
        }
        let id = match input.id {
            Some(id) => id,
            None => {
                let same: Option<String> = conn
                    .prepare_cached(
                        "SELECT id FROM assignment WHERE class_id = ?1 AND group_id IS ?2 AND subject_id = ?3
                            AND teacher_id = ?4",
                    )?
                    .query_row(
                        params![
                            input.class_id.to_string(),
                            input.group_id.map(|g| g.to_string()),
                            input.subject_id.to_string(),
                            input.teacher_id.to_string()
                        ],
                        |r| r.get(0),
                    )
                    .optional()?;
                same.map(parse_id).transpose()?.unwrap_or_else(new_id)
            }
        };
        let mut records = vec![(
            Entity::Assignment,
            id,
            fields([
                ("class_id", json!(input.class_id)),
                ("group_id", json!(input.group_id)),
                ("subject_id", json!(input.subject_id)),
                ("teacher_id", json!(input.teacher_id)),
                ("active", json!(input.active)),
            ]),
        )];
        let has_subject = exists(
            conn,
            "SELECT 1 FROM curriculum WHERE class_id = ?1 AND subject_id = ?2",
            &[&input.class_id.to_string(), &input.subject_id.to_string()],
        )?;
        if input.active && !has_subject {
            records.push((
                Entity::Curriculum,
                derived_id("curriculum", &[input.class_id, input.subject_id]),
                fields([
                    ("class_id", json!(input.class_id)),
                    ("subject_id", json!(input.subject_id)),
                    ("grading", json!("five")),
                ]),
            ));
        }
        self.save_records(session, records)?;
        Ok(id)
    }

    /// Record reference records in one transaction, each checked against
    /// the rule of its area.
    pub(crate) fn save_records(
        &mut self,
        session: &Session,
        records: Vec<(Entity, Uuid, BTreeMap<String, Value>)>,
    ) -> Result<()> {
        let author = session.account_id;
        self.write(|w: &mut Writer<'_>| {
            let actor = w.actor(author)?;
            let (today, policy) = (w.today()?, w.policy()?);
            let areas: BTreeSet<Area> = records.iter().map(|(entity, _, _)| Area::of(*entity)).collect();
            for area in areas {
                rules::check(&actor, &Action::EditReference { area, own: false }, today, policy)?;
            }
            for (entity, id, fields) in records {
                w.record(author, OpKind::SaveRecord(SaveRecord { entity, id, fields }))?;
            }
            Ok(())
        })
    }
}

fn read_structure(conn: &Connection) -> Result<SchoolStructure> {
    let text = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    let opt_id = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Option<Uuid>> {
        r.get::<_, Option<String>>(i)?.map(parse_id).transpose()
    };
    let mut years = conn
        .prepare_cached(YEARS)?
        .query_map([], |r| {
            Ok(YearInfo {
                id: parse_id(r.get(0)?)?,
                title: text(r, 1)?,
                starts_on: parse_date(r.get(2)?)?,
                ends_on: parse_date(r.get(3)?)?,
                periods: Vec::new(),
                period_kind: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for year in &mut years {
        let mut stmt = conn.prepare_cached(YEAR_PERIODS)?;
        let mut rows = stmt.query([year.id.to_string()])?;
        while let Some(r) = rows.next()? {
            let kind: Option<PeriodKind> =
                r.get::<_, Option<String>>(1)?.and_then(|k| serde_json::from_value(json!(k)).ok());
            if kind.is_none_or(|k| k == PeriodKind::Year) {
                continue;
            }
            year.period_kind = kind;
            year.periods.push(PeriodRange { starts_on: parse_date(r.get(3)?)?, ends_on: parse_date(r.get(4)?)? });
        }
    }
    let classes = conn
        .prepare_cached(CLASSES)?
        .query_map([], |r| {
            let grade: u8 = r.get::<_, Option<u8>>(2)?.unwrap_or(0);
            let letter = text(r, 3)?;
            Ok(ClassInfo {
                id: parse_id(r.get(0)?)?,
                year_id: opt_id(r, 1)?,
                grade,
                name: format!("{grade}{letter}"),
                letter,
                class_teacher_id: opt_id(r, 4)?,
                shift: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let subjects = conn
        .prepare_cached(SUBJECTS)?
        .query_map([], |r| Ok(SubjectInfo { id: parse_id(r.get(0)?)?, name: r.get(1)?, short_name: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let staff = conn
        .prepare_cached(STAFF)?
        .query_map([], |r| {
            let (surname, first_name, patronymic): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            Ok(StaffInfo {
                id: parse_id(r.get(0)?)?,
                short_name: short_name(&surname, &first_name, &patronymic),
                surname,
                first_name,
                patronymic,
                position: r.get(4)?,
                login: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let groups = conn
        .prepare_cached(GROUPS)?
        .query_map([], |r| {
            let members = r
                .get::<_, Option<String>>(4)?
                .map(|list| list.split(',').map(|m| parse_id(m.to_owned())).collect::<rusqlite::Result<Vec<_>>>())
                .transpose()?
                .unwrap_or_default();
            Ok(GroupInfo {
                id: parse_id(r.get(0)?)?,
                class_id: parse_id(r.get(1)?)?,
                subject_id: opt_id(r, 2)?,
                title: text(r, 3)?,
                members,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let assignments = conn
        .prepare_cached(ASSIGNMENTS)?
        .query_map([], |r| {
            Ok(AssignmentInfo {
                id: parse_id(r.get(0)?)?,
                class_id: parse_id(r.get(1)?)?,
                group_id: opt_id(r, 2)?,
                subject_id: parse_id(r.get(3)?)?,
                teacher_id: parse_id(r.get(4)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SchoolStructure { years, classes, subjects, staff, groups, assignments, slots: read_slots(conn)? })
}

/// Periods a year already has: id, kind and number.
fn existing_periods(conn: &Connection, year_id: Uuid) -> Result<Vec<(Uuid, Option<PeriodKind>, u32)>> {
    let periods = conn
        .prepare_cached(YEAR_PERIODS)?
        .query_map([year_id.to_string()], |r| {
            let kind = r.get::<_, Option<String>>(1)?.and_then(|k| serde_json::from_value(json!(k)).ok());
            Ok((parse_id(r.get(0)?)?, kind, r.get::<_, Option<u32>>(2)?.unwrap_or(0)))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(periods)
}

pub(crate) fn check_staff(conn: &Connection, staff_id: Uuid) -> Result<()> {
    if exists(conn, "SELECT 1 FROM staff WHERE id = ?1", &[&staff_id.to_string()])? {
        Ok(())
    } else {
        Err(JournalError::invalid("Такого сотрудника нет в списке: выберите учителя из списка сотрудников."))
    }
}

pub(crate) fn check_group(conn: &Connection, group_id: Uuid, class_id: Uuid, subject_id: Uuid) -> Result<()> {
    let place: Option<(Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT class_id, subject_id FROM study_group WHERE id = ?1")?
        .query_row([group_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match place {
        Some((Some(class), subject))
            if class == class_id.to_string() && subject.as_deref().is_none_or(|s| s == subject_id.to_string()) =>
        {
            Ok(())
        }
        Some(_) => Err(JournalError::invalid("Подгруппа относится к другому классу или предмету.")),
        None => Err(JournalError::invalid("Такой подгруппы нет: сначала создайте её на вкладке «Подгруппы».")),
    }
}

pub(crate) fn exists(conn: &Connection, sql: &str, values: &[&dyn rusqlite::ToSql]) -> Result<bool> {
    Ok(conn.prepare_cached(sql)?.query_row(values, |_| Ok(())).optional()?.is_some())
}

fn required(text: &str, message: &str) -> Result<String> {
    match text.trim() {
        "" => Err(JournalError::invalid(message)),
        text => Ok(text.to_owned()),
    }
}

pub(crate) fn fields<const N: usize>(pairs: [(&str, Value); N]) -> BTreeMap<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
