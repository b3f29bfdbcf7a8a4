//! What the journal already has, read once per import and keyed the way
//! the file's rows are matched: people by name (students also by birth
//! date), classes by «5А» in the current study year, subjects by name.

use crate::cells::name_key;
use crate::error::Result;
use chrono::NaiveDate;
use classbook_core::domain::entity::Entity;
use classbook_core::{Journal, Session, StateTable};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// One stored row, its columns by name.
pub struct Record<'a> {
    table: &'a StateTable,
    row: &'a [Value],
}

impl Record<'_> {
    pub fn text(&self, column: &str) -> String {
        self.table
            .columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.row[i].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn value(&self, column: &str) -> &Value {
        self.table.columns.iter().position(|c| *c == column).map_or(&Value::Null, |i| &self.row[i])
    }

    pub fn id(&self) -> Option<Uuid> {
        self.text("id").parse().ok()
    }

    pub fn uuid(&self, column: &str) -> Option<Uuid> {
        self.text(column).parse().ok()
    }

    pub fn date(&self, column: &str) -> Option<NaiveDate> {
        self.text(column).parse().ok()
    }
}

pub fn records(table: &StateTable) -> impl Iterator<Item = Record<'_>> {
    table.rows.iter().map(move |row| Record { table, row })
}

/// «Фамилия Имя Отчество» compared loosely.
pub fn person_key(surname: &str, first_name: &str, patronymic: &str) -> String {
    name_key(&format!("{surname} {first_name} {patronymic}"))
}

/// A class name compared loosely: «5 а», «5А», «5-а» are one class.
pub fn class_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase().replace('Ё', "Е")
}

#[derive(Clone, Debug)]
pub struct StudentInfo {
    pub id: Uuid,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: String,
    /// The class the movement book places the student in now.
    pub class_id: Option<Uuid>,
}

pub struct Snapshot {
    pub today: NaiveDate,
    /// Classes of the current study year by `class_key`.
    pub classes: HashMap<String, Uuid>,
    pub class_names: HashMap<Uuid, String>,
    pub students: Vec<StudentInfo>,
    /// By `person_key` and birth date.
    pub student_index: HashMap<(String, Option<NaiveDate>), usize>,
    pub tables: HashMap<Entity, StateTable>,
}

impl Snapshot {
    pub fn read(journal: &Journal, session: &Session, entities: &[Entity]) -> Result<Snapshot> {
        let mut tables = HashMap::new();
        for entity in [Entity::AcademicYear, Entity::Class, Entity::Student, Entity::Movement].iter().chain(entities) {
            if !tables.contains_key(entity) {
                tables.insert(*entity, journal.state_table(session, *entity)?);
            }
        }
        let today = journal.today()?;
        let (classes, class_names) = current_classes(&tables, today);
        let students = students(&tables);
        let student_index =
            students.iter().enumerate().rev().map(|(i, s)| ((name_key(&s.name), s.birth_date), i)).collect();
        Ok(Snapshot { today, classes, class_names, students, student_index, tables })
    }

    pub fn table(&self, entity: Entity) -> impl Iterator<Item = Record<'_>> {
        self.tables.get(&entity).into_iter().flat_map(records)
    }

    pub fn class_name(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.class_names.get(&id).cloned()).unwrap_or_else(|| "—".into())
    }
}

/// The classes of the study year running today (or else the latest year).
fn current_classes(
    tables: &HashMap<Entity, StateTable>,
    today: NaiveDate,
) -> (HashMap<String, Uuid>, HashMap<Uuid, String>) {
    let years: Vec<(Uuid, NaiveDate, NaiveDate)> = tables[&Entity::AcademicYear]
        .rows
        .iter()
        .map(|row| Record { table: &tables[&Entity::AcademicYear], row })
        .filter_map(|r| Some((r.id()?, r.date("starts_on")?, r.date("ends_on")?)))
        .collect();
    let year = years
        .iter()
        .find(|(_, from, to)| *from <= today && today <= *to)
        .or_else(|| years.iter().max_by_key(|(_, from, _)| *from))
        .map(|(id, _, _)| *id);
    let mut by_key = HashMap::new();
    let mut names = HashMap::new();
    for r in records(&tables[&Entity::Class]) {
        let Some(id) = r.id() else { continue };
        let name = format!("{}{}", r.value("grade").as_i64().unwrap_or(0), r.text("letter"));
        if year.is_none() || r.uuid("year_id") == year {
            by_key.insert(class_key(&name), id);
        }
        names.insert(id, name);
    }
    (by_key, names)
}

fn students(tables: &HashMap<Entity, StateTable>) -> Vec<StudentInfo> {
    // The latest placing entry of the movement book says where a student is.
    let mut placed: HashMap<Uuid, (NaiveDate, String, Option<Uuid>)> = HashMap::new();
    for m in records(&tables[&Entity::Movement]) {
        let (Some(student), Some(date)) = (m.uuid("student_id"), m.date("date")) else { continue };
        let kind = m.text("kind");
        if kind == "debt_repaid" {
            continue;
        }
        let places = matches!(kind.as_str(), "enrol" | "transfer" | "conditional_transfer" | "repeat_year");
        let key = (date, m.text("id"), places.then(|| m.uuid("class_id")).flatten());
        if placed.get(&student).is_none_or(|(d, id, _)| (date, &key.1) > (*d, id)) {
            placed.insert(student, key);
        }
    }
    records(&tables[&Entity::Student])
        .filter_map(|r| {
            let id = r.id()?;
            Some(StudentInfo {
                id,
                name: [r.text("surname"), r.text("first_name"), r.text("patronymic")]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                birth_date: r.date("birth_date"),
                gender: r.text("gender"),
                class_id: placed.get(&id).and_then(|(_, _, class)| *class),
            })
        })
        .collect()
}
