//! Staff: matched by ФИО (a school rarely has two namesakes on staff; if it
//! does, the import says so instead of guessing).

use super::{Builder, Row, fields_of};
use crate::columns::Field;
use crate::preview::{RowAction, RowError};
use crate::snapshot::{Snapshot, person_key};
use classbook_core::BulkEntry;
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::new_id;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

const SURNAME: usize = 0;
const FIRST_NAME: usize = 1;
const PATRONYMIC: usize = 2;
const POSITION: usize = 3;

pub(super) const FIELDS: [Field; 4] = [
    Field { title: "Фамилия", names: &["Фамилия"], required: true },
    Field { title: "Имя", names: &["Имя"], required: true },
    Field { title: "Отчество", names: &["Отчество"], required: false },
    Field {
        title: "Должность", names: &["Должность", "Занимаемая должность"], required: true
    },
];

pub(super) fn plan(rows: &[Row<'_>], snapshot: &Snapshot, plan: &mut Builder) {
    let mut existing: HashMap<String, Vec<(Uuid, String)>> = HashMap::new();
    for r in snapshot.table(Entity::Staff) {
        if let Some(id) = r.id() {
            let key = person_key(&r.text("surname"), &r.text("first_name"), &r.text("patronymic"));
            existing.entry(key).or_default().push((id, r.text("position")));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let mut errors = Vec::new();
        let surname = row.required(SURNAME, "укажите фамилию сотрудника", &mut errors);
        let first_name = row.required(FIRST_NAME, "укажите имя сотрудника", &mut errors);
        let patronymic = row.text(PATRONYMIC).unwrap_or_default();
        let position = row.required(POSITION, "укажите должность, например «учитель математики»", &mut errors);
        let (Some(surname), Some(first_name), Some(position), true) =
            (surname, first_name, position, errors.is_empty())
        else {
            plan.errors(errors);
            continue;
        };
        let key = person_key(&surname, &first_name, &patronymic);
        let name = format!("{surname} {first_name} {patronymic}").trim().to_owned();
        if let Some(first) = seen.get(&key) {
            plan.error(RowError::row(
                row.number,
                format!("сотрудник {name} уже указан в строке {first}: удалите повторную строку"),
            ));
            continue;
        }
        seen.insert(key.clone(), row.number);
        let record = format!("{name}, {position}");
        match existing.get(&key).map(Vec::as_slice) {
            Some([(id, current)]) => {
                if *current == position {
                    plan.row(row.number, RowAction::Unchanged, record, vec!["уже есть в журнале".into()]);
                } else {
                    plan.entry(BulkEntry::Record {
                        entity: Entity::Staff,
                        id: *id,
                        fields: fields_of([("position", json!(position))]),
                    });
                    plan.row(row.number, RowAction::Update, record, vec![format!("должность: «{current}» → «{position}»")]);
                }
            }
            Some(_) => plan.error(RowError::row(
                row.number,
                format!(
                    "в журнале несколько сотрудников {name}: измените их данные вручную на вкладке «Школа» → «Сотрудники»"
                ),
            )),
            None => {
                plan.entry(BulkEntry::Record {
                    entity: Entity::Staff,
                    id: new_id(),
                    fields: fields_of([
                        ("surname", json!(surname)),
                        ("first_name", json!(first_name)),
                        ("patronymic", json!(patronymic)),
                        ("position", json!(position)),
                    ]),
                });
                plan.row(row.number, RowAction::Create, record, Vec::new());
            }
        }
    }
}
