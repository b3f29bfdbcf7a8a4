//! The class lists as the school office keeps them: a new student enrolled
//! into a class by an order, a student leaving by an order. Each is one
//! transaction (the student's record together with the movement book's
//! entry), checked by the contingent and movement-book rules.

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::NaiveDate;
use classbook_domain::entity::Entity;
use classbook_domain::ids::new_id;
use classbook_domain::model::MovementKind;
use classbook_domain::op::{OpKind, RecordMovement, SaveRecord};
use classbook_domain::rules::{self, Action, Area};
use rusqlite::OptionalExtension;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// The movement book's order: its number and date.
#[derive(Clone, Debug, Deserialize)]
pub struct Order {
    pub number: String,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, Deserialize)]
pub struct NewStudent {
    pub surname: String,
    pub first_name: String,
    pub patronymic: String,
    pub birth_date: Option<NaiveDate>,
    pub class_id: Uuid,
    /// The first day in the class.
    pub enrolled_on: NaiveDate,
    pub order: Order,
}

impl Journal {
    /// Enrol a new student into a class: the student and the movement
    /// book's entry together, or neither.
    pub fn enrol_new_student(&mut self, session: &Session, input: NewStudent) -> Result<Uuid> {
        let surname = input.surname.trim();
        let first_name = input.first_name.trim();
        let patronymic = input.patronymic.trim();
        if surname.is_empty() || first_name.is_empty() {
            return Err(JournalError::invalid("Укажите фамилию и имя ученика."));
        }
        if input.birth_date.is_some_and(|born| born >= input.enrolled_on) {
            return Err(JournalError::invalid("Дата рождения должна быть раньше даты зачисления: проверьте год."));
        }
        let order_number = check_order(&input.order, input.enrolled_on)?;
        let class_known: bool = self
            .conn()
            .prepare_cached("SELECT 1 FROM class WHERE id = ?1")?
            .query_row([input.class_id.to_string()], |_| Ok(()))
            .optional()?
            .is_some();
        if !class_known {
            return Err(JournalError::invalid("Выберите класс, в который зачисляется ученик."));
        }
        let twin: Option<String> = self
            .conn()
            .prepare_cached(
                "SELECT id FROM student WHERE surname = ?1 AND first_name = ?2 AND COALESCE(patronymic, '') = ?3
                    AND birth_date IS ?4",
            )?
            .query_row(
                rusqlite::params![surname, first_name, patronymic, input.birth_date.map(|d| d.to_string())],
                |r| r.get(0),
            )
            .optional()?;
        if twin.is_some() {
            return Err(JournalError::invalid(format!(
                "Ученик {surname} {first_name} {patronymic} с этой датой рождения уже есть в журнале: \
                 если он возвращается или переходит в другой класс, оформите перевод, а не новое зачисление."
            )));
        }
        let student_id = new_id();
        let mut fields = serde_json::Map::new();
        fields.insert("surname".into(), json!(surname));
        fields.insert("first_name".into(), json!(first_name));
        fields.insert("patronymic".into(), json!(patronymic));
        fields.insert("birth_date".into(), json!(input.birth_date));
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            let (today, policy) = (w.today()?, w.policy()?);
            rules::check(&actor, &Action::EditReference { area: Area::Contingent, own: false }, today, policy)?;
            rules::check(&actor, &Action::RecordMovement, today, policy)?;
            w.record(
                author,
                OpKind::SaveRecord(SaveRecord {
                    entity: Entity::Student,
                    id: student_id,
                    fields: fields.into_iter().collect(),
                }),
            )?;
            w.record(
                author,
                OpKind::RecordMovement(RecordMovement {
                    movement_id: new_id(),
                    student_id,
                    kind: MovementKind::Enrol,
                    class_id: Some(input.class_id),
                    date: input.enrolled_on,
                    order_number,
                    order_date: input.order.date,
                    note: None,
                }),
            )?;
            Ok(())
        })?;
        Ok(student_id)
    }

    /// A student leaves the school from `date` on (by order); their marks
    /// stay, greyed after that day, and they are no longer in the class list.
    pub fn withdraw_student(
        &mut self,
        session: &Session,
        student_id: Uuid,
        date: NaiveDate,
        order: Order,
    ) -> Result<()> {
        let order_number = check_order(&order, date)?;
        self.record_movement(
            session,
            new_id(),
            student_id,
            MovementKind::Withdraw,
            None,
            date,
            &order_number,
            order.date,
        )
    }
}

fn check_order(order: &Order, effective: NaiveDate) -> Result<String> {
    let number = order.number.trim();
    if number.is_empty() {
        return Err(JournalError::invalid("Укажите номер приказа: движение учеников оформляется приказом."));
    }
    if order.date > effective + chrono::Duration::days(31) {
        return Err(JournalError::invalid(
            "Дата приказа намного позже даты движения: проверьте даты (приказ издают до или в день зачисления).",
        ));
    }
    Ok(number.to_owned())
}
