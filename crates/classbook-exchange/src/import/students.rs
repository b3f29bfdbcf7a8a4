//! Students: a new one is the student's record plus the movement book's
//! enrolment into the class, by an order (as `Journal::enrol_new_student`);
//! one the journal has (same ФИО and birth date) is matched, never doubled.

use super::{Builder, ImportOptions, Row, date_text, fields_of};
use crate::columns::Field;
use crate::preview::{RowAction, RowError};
use crate::snapshot::{Snapshot, class_key, person_key};
use chrono::NaiveDate;
use classbook_core::BulkEntry;
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::new_id;
use classbook_core::domain::model::MovementKind;
use classbook_core::domain::op::RecordMovement;
use serde_json::json;
use std::collections::HashMap;

const SURNAME: usize = 0;
const FIRST_NAME: usize = 1;
const PATRONYMIC: usize = 2;
const BIRTH_DATE: usize = 3;
const GENDER: usize = 4;
const CLASS: usize = 5;
const ORDER_NUMBER: usize = 6;
const ORDER_DATE: usize = 7;
const ENROLLED_ON: usize = 8;

pub(super) const FIELDS: [Field; 9] = [
    Field { title: "Фамилия", names: &["Фамилия", "Фамилия ученика"], required: true },
    Field { title: "Имя", names: &["Имя", "Имя ученика"], required: true },
    Field {
        title: "Отчество", names: &["Отчество", "Отчество ученика"], required: false
    },
    Field {
        title: "Дата рождения", names: &["Дата рождения", "Дата рожд.", "День рождения", "Д.р."], required: true
    },
    Field { title: "Пол", names: &["Пол"], required: false },
    Field { title: "Класс", names: &["Класс", "Класс ученика"], required: true },
    Field {
        title: "Номер приказа",
        names: &["Номер приказа", "Приказ", "№ приказа", "Приказ о зачислении"],
        required: false,
    },
    Field { title: "Дата приказа", names: &["Дата приказа"], required: false },
    Field {
        title: "Дата зачисления", names: &["Дата зачисления", "Зачислен", "Дата поступления"], required: false
    },
];

pub(super) fn plan(rows: &[Row<'_>], snapshot: &Snapshot, options: &ImportOptions, plan: &mut Builder) {
    let mut seen: HashMap<(String, NaiveDate), usize> = HashMap::new();
    let mut without_order: Vec<usize> = Vec::new();
    for row in rows {
        let mut errors = Vec::new();
        let surname = row.required(SURNAME, "укажите фамилию ученика", &mut errors);
        let first_name = row.required(FIRST_NAME, "укажите имя ученика", &mut errors);
        let patronymic = row.text(PATRONYMIC).unwrap_or_default();
        let birth_date = row.date(BIRTH_DATE, &mut errors);
        if birth_date.is_none() && row.text(BIRTH_DATE).is_none() {
            errors.push(row.problem(
                BIRTH_DATE,
                "не заполнено: укажите дату рождения как ДД.ММ.ГГГГ — по ней ученика отличают от тёзок",
            ));
        }
        if let Some(born) = birth_date.filter(|born| *born >= snapshot.today) {
            errors.push(row.problem(
                BIRTH_DATE,
                format!("дата {} ещё не наступила: проверьте год рождения", born.format("%d.%m.%Y")),
            ));
        }
        let gender = gender(row, &mut errors);
        let class = row.required(CLASS, "укажите класс, например 5А", &mut errors).and_then(|name| {
            let class = snapshot.classes.get(&class_key(&name)).copied();
            if class.is_none() {
                errors.push(row.problem(
                    CLASS,
                    format!(
                        "класса «{name}» нет в журнале в текущем учебном году: исправьте название (например «5А») \
                         или сначала создайте класс на вкладке «Школа»"
                    ),
                ));
            }
            class
        });
        let order_number = row.text(ORDER_NUMBER).or_else(|| options.order.as_ref().map(|o| o.number.clone()));
        let order_date = row.date(ORDER_DATE, &mut errors).or(options.order.as_ref().map(|o| o.date));
        let enrolled_on = row.date(ENROLLED_ON, &mut errors).or(options.enrolled_on).or(order_date);

        let (Some(surname), Some(first_name), Some(birth_date), Some(class_id), true) =
            (surname, first_name, birth_date, class, errors.is_empty())
        else {
            plan.errors(errors);
            continue;
        };
        let name = [surname.as_str(), first_name.as_str(), patronymic.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let key = (person_key(&surname, &first_name, &patronymic), birth_date);
        if let Some(first) = seen.get(&key) {
            plan.error(RowError::row(
                row.number,
                format!(
                    "ученик {name}, {}, уже указан в строке {first}: удалите повторную строку",
                    birth_date.format("%d.%m.%Y")
                ),
            ));
            continue;
        }
        seen.insert(key.clone(), row.number);
        let class_name = snapshot.class_name(Some(class_id));
        let record = format!("{name}, {}, {class_name}", date_text(Some(birth_date)));

        if let Some(existing) = snapshot.student_index.get(&(key.0.clone(), Some(birth_date))) {
            let existing = &snapshot.students[*existing];
            if existing.class_id != Some(class_id) {
                plan.warning(RowError::cell(
                    row.number,
                    FIELDS[CLASS].title,
                    format!(
                        "ученик уже есть в журнале и числится в классе {}: перевод в {class_name} оформляется \
                         приказом в книге движения, импорт класс не меняет",
                        snapshot.class_name(existing.class_id)
                    ),
                ));
            }
            match gender.filter(|g| *g != existing.gender) {
                Some(g) => {
                    plan.entry(BulkEntry::Record {
                        entity: Entity::Student,
                        id: existing.id,
                        fields: fields_of([("gender", json!(g))]),
                    });
                    plan.row(row.number, RowAction::Update, record, vec![format!("пол: «{g}»")]);
                }
                None => plan.row(row.number, RowAction::Unchanged, record, vec!["уже есть в журнале".into()]),
            }
            continue;
        }

        let (Some(order_number), Some(order_date), Some(enrolled_on)) = (order_number, order_date, enrolled_on) else {
            without_order.push(row.number);
            continue;
        };
        if birth_date >= enrolled_on {
            plan.error(row.problem(BIRTH_DATE, "дата рождения позже даты зачисления: проверьте год рождения"));
            continue;
        }
        if order_date > enrolled_on + chrono::Duration::days(31) {
            plan.error(row.problem(
                ORDER_DATE,
                "приказ намного позже даты зачисления: приказ издают до или в день зачисления — проверьте даты",
            ));
            continue;
        }
        let student_id = new_id();
        plan.entry(BulkEntry::Record {
            entity: Entity::Student,
            id: student_id,
            fields: fields_of([
                ("surname", json!(surname)),
                ("first_name", json!(first_name)),
                ("patronymic", json!(patronymic)),
                ("birth_date", json!(birth_date)),
                ("gender", json!(gender)),
            ]),
        });
        plan.entry(BulkEntry::Movement(RecordMovement {
            movement_id: new_id(),
            student_id,
            kind: MovementKind::Enrol,
            class_id: Some(class_id),
            date: enrolled_on,
            order_number: order_number.clone(),
            order_date,
            note: None,
        }));
        plan.row(
            row.number,
            RowAction::Create,
            record,
            vec![format!(
                "зачисление в {class_name} с {} по приказу № {order_number} от {}",
                enrolled_on.format("%d.%m.%Y"),
                order_date.format("%d.%m.%Y")
            )],
        );
    }
    if let Some(first) = without_order.first() {
        let more = match without_order.len() - 1 {
            0 => String::new(),
            n => format!(" (и ещё в {n} строках)"),
        };
        plan.error(RowError::cell(
            *first,
            FIELDS[ORDER_NUMBER].title,
            format!(
                "не указан приказ о зачислении{more}: добавьте столбцы «Номер приказа» и «Дата приказа» \
                 или укажите приказ при импорте"
            ),
        ));
    }
}

/// «м»/«ж» as the journal keeps them; other spellings accepted.
fn gender(row: &Row<'_>, errors: &mut Vec<RowError>) -> Option<&'static str> {
    let text = row.text(GENDER)?;
    match text.to_lowercase().trim_end_matches('.') {
        "м" | "муж" | "мужской" | "m" => Some("м"),
        "ж" | "жен" | "женский" | "f" => Some("ж"),
        _ => {
            errors.push(row.problem(GENDER, format!("«{text}» — укажите «м» или «ж»")));
            None
        }
    }
}
