//! КТП: lessons of a plan (class or subgroup × subject), each with its
//! number, topic and hours. An item is the plan's place (class, subgroup,
//! subject, number): a re-import changes topics in place, never adds twins.

use super::{Builder, Row, fields_of};
use crate::cells::name_key;
use crate::columns::Field;
use crate::preview::RowAction;
use crate::snapshot::{Snapshot, class_key, person_key};
use classbook_core::BulkEntry;
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::derived_id;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

const TEACHER: usize = 0;
const CLASS: usize = 1;
const SUBJECT: usize = 2;
const GROUP: usize = 3;
const NUMBER: usize = 4;
const TOPIC: usize = 5;
const HOURS: usize = 6;

pub(super) const FIELDS: [Field; 7] = [
    Field {
        title: "Учитель", names: &["Учитель", "ФИО учителя", "Преподаватель"], required: false
    },
    Field { title: "Класс", names: &["Класс"], required: true },
    Field { title: "Предмет", names: &["Предмет", "Учебный предмет"], required: true },
    Field { title: "Подгруппа", names: &["Подгруппа", "Группа"], required: false },
    Field {
        title: "№", names: &["№", "Номер", "№ урока", "Номер урока", "№ п/п"], required: true
    },
    Field { title: "Тема", names: &["Тема", "Тема урока"], required: true },
    Field {
        title: "Часы", names: &["Часы", "Кол-во часов", "Количество часов", "Часов"], required: false
    },
];

/// A plan's place: class, subgroup, subject, lesson number.
type Place = (Uuid, Option<Uuid>, Uuid, u32);

pub(super) fn plan(rows: &[Row<'_>], snapshot: &Snapshot, plan: &mut Builder) {
    let mut teachers: HashMap<String, Vec<Uuid>> = HashMap::new();
    for r in snapshot.table(Entity::Staff) {
        let Some(id) = r.id() else { continue };
        let (surname, first, patronymic) = (r.text("surname"), r.text("first_name"), r.text("patronymic"));
        let initials: String = [first.chars().next(), patronymic.chars().next()].into_iter().flatten().collect();
        // «Петрова Анна Ивановна» and «Петрова А. И.» both name her.
        for key in [compact(&person_key(&surname, &first, &patronymic)), compact(&format!("{surname}{initials}"))] {
            let ids = teachers.entry(key).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let subjects: HashMap<String, Uuid> = snapshot
        .table(Entity::Subject)
        .flat_map(|r| {
            let id = r.id();
            [name_key(&r.text("name")), name_key(&r.text("short_name"))].into_iter().filter_map(move |k| Some((k, id?)))
        })
        .filter(|(k, _)| !k.is_empty())
        .collect();
    let groups: HashMap<(Uuid, String), Uuid> = snapshot
        .table(Entity::StudyGroup)
        .filter_map(|r| Some(((r.uuid("class_id")?, name_key(&r.text("title"))), r.id()?)))
        .collect();
    let mut assigned: HashMap<(Uuid, Option<Uuid>, Uuid), Vec<Uuid>> = HashMap::new();
    for r in snapshot.table(Entity::Assignment) {
        if r.value("active").as_i64() == Some(0) {
            continue;
        }
        if let (Some(class), Some(subject), Some(teacher)) =
            (r.uuid("class_id"), r.uuid("subject_id"), r.uuid("teacher_id"))
        {
            assigned.entry((class, r.uuid("group_id"), subject)).or_default().push(teacher);
        }
    }
    let items: HashMap<Place, (Uuid, String, Option<f64>, Option<Uuid>)> = snapshot
        .table(Entity::KtpItem)
        .filter_map(|r| {
            let place =
                (r.uuid("class_id")?, r.uuid("group_id"), r.uuid("subject_id")?, r.value("number").as_u64()? as u32);
            Some((place, (r.id()?, r.text("topic"), r.value("hours").as_f64(), r.uuid("teacher_id"))))
        })
        .collect();

    let mut seen: HashMap<Place, usize> = HashMap::new();
    for row in rows {
        let mut errors = Vec::new();
        let class_name = row.required(CLASS, "укажите класс, например 5А", &mut errors);
        let class = class_name.as_deref().and_then(|name| {
            let class = snapshot.classes.get(&class_key(name)).copied();
            if class.is_none() {
                errors.push(row.problem(
                    CLASS,
                    format!("класса «{name}» нет в журнале в текущем учебном году: исправьте название"),
                ));
            }
            class
        });
        let subject_name = row.required(SUBJECT, "укажите предмет", &mut errors);
        let subject = subject_name.as_deref().and_then(|name| {
            let subject = subjects.get(&name_key(name)).copied();
            if subject.is_none() {
                errors.push(row.problem(
                    SUBJECT,
                    format!("предмета «{name}» нет в журнале: напишите его так, как он назван на вкладке «Школа» → «Предметы»"),
                ));
            }
            subject
        });
        let group = match (row.text(GROUP), class) {
            (Some(title), Some(class)) => match groups.get(&(class, name_key(&title))) {
                Some(group) => Some(Some(*group)),
                None => {
                    errors.push(
                        row.problem(GROUP, format!("подгруппы «{title}» у этого класса нет: проверьте название")),
                    );
                    None
                }
            },
            _ => Some(None),
        };
        let number = row.number(NUMBER, &mut errors).and_then(|n| {
            if n >= 1.0 && n.fract() == 0.0 && n < 10_000.0 {
                Some(n as u32)
            } else {
                errors.push(row.problem(NUMBER, format!("{n} — номер урока должен быть целым числом от 1")));
                None
            }
        });
        if row.text(NUMBER).is_none() {
            errors.push(row.problem(NUMBER, "не заполнено: укажите номер урока по порядку"));
        }
        let topic = row.required(TOPIC, "укажите тему урока", &mut errors);
        let hours = row.number(HOURS, &mut errors).filter(|h| {
            let ok = *h > 0.0 && *h <= 100.0;
            if !ok {
                errors.push(row.problem(HOURS, format!("{h} — число часов должно быть больше нуля")));
            }
            ok
        });
        let teacher = match (row.text(TEACHER), class, subject, group) {
            (Some(name), _, _, _) => match teachers.get(&compact(&name)).map(Vec::as_slice) {
                Some([one]) => Some(*one),
                Some(_) => {
                    errors.push(row.problem(
                        TEACHER,
                        format!("сотрудников «{name}» несколько: укажите полностью фамилию, имя и отчество"),
                    ));
                    None
                }
                None => {
                    errors.push(row.problem(
                        TEACHER,
                        format!(
                            "сотрудника «{name}» нет в журнале: проверьте ФИО или сначала импортируйте сотрудников"
                        ),
                    ));
                    None
                }
            },
            (None, Some(class), Some(subject), Some(group)) => match assigned
                .get(&(class, group, subject))
                .map(Vec::as_slice)
            {
                Some([one]) => Some(*one),
                _ => {
                    errors.push(row.problem(TEACHER, "не заполнено: укажите учителя — по нагрузке его не определить"));
                    None
                }
            },
            _ => None,
        };
        let (Some(class), Some(subject), Some(group), Some(number), Some(topic), Some(teacher), true) =
            (class, subject, group, number, topic, teacher, errors.is_empty())
        else {
            plan.errors(errors);
            continue;
        };
        let place = (class, group, subject, number);
        if let Some(first) = seen.insert(place, row.number) {
            plan.error(row.problem(
                NUMBER,
                format!("урок № {number} этого плана уже указан в строке {first}: у каждого урока свой номер"),
            ));
            continue;
        }
        let record = format!(
            "{} · {} · № {number}: {topic}",
            snapshot.class_name(Some(class)),
            subject_name.unwrap_or_default()
        );
        let fields = fields_of([
            ("teacher_id", json!(teacher)),
            ("class_id", json!(class)),
            ("group_id", json!(group)),
            ("subject_id", json!(subject)),
            ("number", json!(number)),
            ("topic", json!(topic)),
            ("hours", json!(hours)),
        ]);
        match items.get(&place) {
            Some((id, current, current_hours, current_teacher)) => {
                if *current == topic && *current_hours == hours && *current_teacher == Some(teacher) {
                    plan.row(row.number, RowAction::Unchanged, record, vec!["уже есть в плане".into()]);
                } else {
                    plan.entry(BulkEntry::Record { entity: Entity::KtpItem, id: *id, fields });
                    plan.row(row.number, RowAction::Update, record, vec![format!("было: «{current}»")]);
                }
            }
            None => {
                let id = derived_id(
                    "ktp_item",
                    &[class, group.unwrap_or(Uuid::nil()), subject, Uuid::from_u128(number as u128)],
                );
                plan.entry(BulkEntry::Record { entity: Entity::KtpItem, id, fields });
                plan.row(row.number, RowAction::Create, record, Vec::new());
            }
        }
    }
}

/// Letters only, for names written with or without dots and spaces.
fn compact(text: &str) -> String {
    name_key(text).chars().filter(|c| c.is_alphanumeric()).collect()
}
