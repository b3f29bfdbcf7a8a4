//! The class teacher's absence register: every absence and lateness of the
//! class's students over a span of days, with its reason, in lesson order.
//! The class teacher corrects reasons from it (a medical note turns «н» into
//! «б», 004 §8.5.1) and prints the week for parents; who may read it is the
//! same as who may read the class's journal.

use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use crate::page::{date, id};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

/// One attendance entry of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbsenceEntry {
    pub date: NaiveDate,
    pub number: u8,
    pub lesson_id: Uuid,
    pub subject_name: String,
    pub student_id: Uuid,
    /// «Иванов Иван».
    pub student_name: String,
    /// «н», «б», «ну» or «оп».
    pub code: String,
    pub reason: Option<String>,
}

const ABSENCES: &str =
    "SELECT l.date, l.number, l.id, s.name, st.id, st.surname || ' ' || st.first_name, a.code, a.reason
    FROM lesson l
    JOIN attendance a ON a.lesson_id = l.id
    JOIN subject s ON s.id = l.subject_id
    JOIN student st ON st.id = a.student_id
    WHERE l.class_id = ?1 AND l.date >= ?2 AND l.date <= ?3 AND a.code IS NOT NULL
    ORDER BY l.date, l.number, st.surname, st.first_name, st.id";

impl Journal {
    /// The absence register of a class from `from` to `to`, both included.
    pub fn absence_register(
        &self,
        session: &Session,
        class_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AbsenceEntry>> {
        self.check_view_class(session, class_id)?;
        let rows = self
            .conn()
            .prepare_cached(ABSENCES)?
            .query_map(params![class_id.to_string(), from.to_string(), to.to_string()], |r| {
                Ok(AbsenceEntry {
                    date: date(r.get(0)?)?,
                    number: r.get(1)?,
                    lesson_id: id(r.get(2)?)?,
                    subject_name: r.get(3)?,
                    student_id: id(r.get(4)?)?,
                    student_name: r.get(5)?,
                    code: r.get(6)?,
                    reason: r.get::<_, Option<String>>(7)?.filter(|reason| !reason.is_empty()),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
