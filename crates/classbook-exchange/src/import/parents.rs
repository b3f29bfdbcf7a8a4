//! Parents (законные представители): each row is a parent and one child,
//! the child found among the journal's students by ФИО plus birth date or
//! class. A parent of two children takes two rows and stays one person: the
//! same ФИО with the same phone or e-mail (or already linked to the child).

use super::{Builder, Row, fields_of};
use crate::cells::name_key;
use crate::columns::Field;
use crate::preview::{RowAction, RowError};
use crate::snapshot::{Snapshot, class_key, person_key};
use classbook_core::BulkEntry;
use classbook_core::domain::entity::Entity;
use classbook_core::domain::ids::{derived_id, new_id};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const SURNAME: usize = 0;
const FIRST_NAME: usize = 1;
const PATRONYMIC: usize = 2;
const PHONE: usize = 3;
const EMAIL: usize = 4;
const CHILD: usize = 5;
const CHILD_BIRTH: usize = 6;
const CHILD_CLASS: usize = 7;
const RELATION: usize = 8;

pub(super) const FIELDS: [Field; 9] = [
    Field { title: "Фамилия", names: &["Фамилия", "Фамилия родителя"], required: true },
    Field { title: "Имя", names: &["Имя", "Имя родителя"], required: true },
    Field {
        title: "Отчество", names: &["Отчество", "Отчество родителя"], required: false
    },
    Field {
        title: "Телефон", names: &["Телефон", "Тел.", "Мобильный телефон", "Номер телефона"], required: false
    },
    Field {
        title: "Эл. почта",
        names: &["Эл. почта", "E-mail", "Email", "Электронная почта", "Почта"],
        required: false,
    },
    Field {
        title: "Ребёнок",
        names: &["Ребёнок", "Ученик", "ФИО ребёнка", "ФИО ученика", "Обучающийся"],
        required: true,
    },
    Field {
        title: "Дата рождения ребёнка",
        names: &["Дата рождения ребёнка", "Дата рождения ученика", "Дата рождения"],
        required: false,
    },
    Field {
        title: "Класс", names: &["Класс", "Класс ребёнка", "Класс ученика"], required: false
    },
    Field {
        title: "Кем приходится", names: &["Кем приходится", "Степень родства", "Родство"], required: false
    },
];

struct Existing {
    id: Uuid,
    key: String,
    phone: String,
    email: String,
}

pub(super) fn plan(rows: &[Row<'_>], snapshot: &Snapshot, plan: &mut Builder) {
    let parents: Vec<Existing> = snapshot
        .table(Entity::Parent)
        .filter_map(|r| {
            Some(Existing {
                id: r.id()?,
                key: person_key(&r.text("surname"), &r.text("first_name"), &r.text("patronymic")),
                phone: r.text("phone"),
                email: r.text("email"),
            })
        })
        .collect();
    let links: HashMap<(Uuid, Uuid), (Uuid, bool, String)> = snapshot
        .table(Entity::ParentLink)
        .filter_map(|r| {
            let active = r.value("active").as_i64() == Some(1) || r.value("active").as_bool() == Some(true);
            Some(((r.uuid("parent_id")?, r.uuid("student_id")?), (r.id()?, active, r.text("relation"))))
        })
        .collect();
    // Parents of the file by ФИО + contact, and which rows named each pair.
    let mut in_file: HashMap<(String, String), Uuid> = HashMap::new();
    let mut created: HashSet<Uuid> = HashSet::new();
    let mut pairs: HashMap<(Uuid, Uuid), usize> = HashMap::new();
    // New parents whose record an earlier row already creates.
    let mut named: HashSet<Uuid> = HashSet::new();
    for row in rows {
        let mut errors = Vec::new();
        let surname = row.required(SURNAME, "укажите фамилию родителя", &mut errors);
        let first_name = row.required(FIRST_NAME, "укажите имя родителя", &mut errors);
        let patronymic = row.text(PATRONYMIC).unwrap_or_default();
        let phone = row.text(PHONE).and_then(|p| match normal_phone(&p) {
            Some(p) => Some(p),
            None => {
                errors.push(row.problem(
                    PHONE,
                    format!("«{p}» — не номер телефона: укажите 10–11 цифр, например +7 912 345-67-89"),
                ));
                None
            }
        });
        let email = row.text(EMAIL).and_then(|e| {
            if is_email(&e) {
                Some(e.to_lowercase())
            } else {
                errors.push(row.problem(EMAIL, format!("«{e}» — не адрес почты: укажите адрес вида name@example.ru")));
                None
            }
        });
        let child = row.required(CHILD, "укажите ФИО ребёнка", &mut errors);
        let child_birth = row.date(CHILD_BIRTH, &mut errors);
        let child_class = row.text(CHILD_CLASS);
        let relation = row.text(RELATION).map(|r| r.to_lowercase()).unwrap_or_default();
        let student = child.as_deref().and_then(|child| {
            find_child(snapshot, child, child_birth, child_class.as_deref())
                .map_err(|m| errors.push(row.problem(CHILD, m)))
                .ok()
        });
        let (Some(surname), Some(first_name), Some(student), true) = (surname, first_name, student, errors.is_empty())
        else {
            plan.errors(errors);
            continue;
        };
        let key = person_key(&surname, &first_name, &patronymic);
        let contact = phone.clone().or(email.clone()).unwrap_or_default();
        let name = format!("{surname} {first_name} {patronymic}").trim().to_owned();
        let parent_id = *in_file.entry((key.clone(), contact.clone())).or_insert_with(|| {
            parents
                .iter()
                .find(|p| {
                    p.key == key
                        && ((!contact.is_empty() && (p.phone == contact || p.email == contact))
                            || links.contains_key(&(p.id, student)))
                })
                .map(|p| p.id)
                .unwrap_or_else(|| {
                    let id = new_id();
                    created.insert(id);
                    id
                })
        });
        if let Some(first) = pairs.insert((parent_id, student), row.number) {
            plan.error(RowError::row(
                row.number,
                format!("родитель {name} и этот ребёнок уже указаны в строке {first}: удалите повторную строку"),
            ));
            continue;
        }
        let child_name = snapshot.students.iter().find(|s| s.id == student).map(|s| s.name.clone()).unwrap_or_default();
        let record = format!("{name} — {child_name}");
        let mut details = Vec::new();
        let new_parent = created.contains(&parent_id) && named.insert(parent_id);
        let existing = parents.iter().find(|p| p.id == parent_id);
        let mut parent_fields = Vec::new();
        if new_parent {
            parent_fields.extend([
                ("surname", json!(surname)),
                ("first_name", json!(first_name)),
                ("patronymic", json!(patronymic)),
            ]);
        }
        if let Some(phone) = &phone
            && existing.is_none_or(|p| p.phone != *phone)
        {
            parent_fields.push(("phone", json!(phone)));
            if existing.is_some() {
                details.push(format!("телефон: {phone}"));
            }
        }
        if let Some(email) = &email
            && existing.is_none_or(|p| p.email != *email)
        {
            parent_fields.push(("email", json!(email)));
            if existing.is_some() {
                details.push(format!("почта: {email}"));
            }
        }
        if !parent_fields.is_empty() {
            plan.entry(BulkEntry::Record {
                entity: Entity::Parent,
                id: parent_id,
                fields: parent_fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            });
        }
        let link = links.get(&(parent_id, student));
        let link_changes =
            link.is_none_or(|(_, active, current)| !active || (!relation.is_empty() && *current != relation));
        if link_changes {
            let link_id =
                link.map(|(id, _, _)| *id).unwrap_or_else(|| derived_id("parent_link", &[parent_id, student]));
            let relation =
                if relation.is_empty() { link.map(|(_, _, r)| r.clone()).unwrap_or_default() } else { relation };
            plan.entry(BulkEntry::Record {
                entity: Entity::ParentLink,
                id: link_id,
                fields: fields_of([
                    ("parent_id", json!(parent_id)),
                    ("student_id", json!(student)),
                    ("relation", json!(relation)),
                    ("active", json!(true)),
                ]),
            });
            details.push(format!("связь с учеником {child_name}"));
        }
        let action = if new_parent {
            RowAction::Create
        } else if details.is_empty() {
            RowAction::Unchanged
        } else {
            RowAction::Update
        };
        plan.row(row.number, action, record, details);
    }
}

/// The one student the row means, or why it cannot say.
fn find_child(
    snapshot: &Snapshot,
    child: &str,
    birth: Option<chrono::NaiveDate>,
    class: Option<&str>,
) -> Result<Uuid, String> {
    if birth.is_none() && class.is_none() {
        return Err(format!(
            "для ребёнка «{child}» не указаны ни дата рождения, ни класс: заполните столбец «Дата рождения ребёнка» \
             или «Класс», чтобы не спутать тёзок"
        ));
    }
    let key = name_key(child);
    let class_id = class.map(|c| snapshot.classes.get(&class_key(c)).copied());
    let found: Vec<Uuid> = snapshot
        .students
        .iter()
        .filter(|s| name_key(&s.name) == key)
        .filter(|s| birth.is_none_or(|b| s.birth_date == Some(b)))
        .filter(|s| class_id.is_none_or(|c| c.is_some() && s.class_id == c))
        .map(|s| s.id)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!(
            "ученика «{child}» с такой датой рождения или классом нет в журнале: проверьте ФИО, дату и класс \
             или сначала импортируйте учащихся"
        )),
        _ => Err(format!("в журнале несколько учеников «{child}»: укажите дату рождения ребёнка")),
    }
}

/// «8 912 345-67-89», «+7 (912) 345-67-89» → «+79123456789».
fn normal_phone(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => Some(format!("+7{digits}")),
        11 if digits.starts_with('7') || digits.starts_with('8') => Some(format!("+7{}", &digits[1..])),
        _ => None,
    }
}

fn is_email(text: &str) -> bool {
    let mut parts = text.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(user), Some(domain), None) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(' ')
        }
        _ => false,
    }
}
