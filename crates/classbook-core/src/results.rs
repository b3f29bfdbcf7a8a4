//! A class's results for a period from its finals: success rate and quality
//! of knowledge (REQUIREMENTS §4), for the class teacher's and deputy head's
//! reports.

use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use crate::page::period_info;
use classbook_domain::grades::{FinalValue, FinalsSummary};
use rusqlite::params;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize)]
pub struct ClassResults {
    pub class_id: Uuid,
    pub period_id: Uuid,
    pub summary: FinalsSummary,
    /// Percent of students with every final «3» or better (None: no one counted).
    pub success_rate: Option<f64>,
    /// Percent of students with only «4» and «5».
    pub quality: Option<f64>,
}

/// Students on the class roll at the period's end, each with their finals of
/// the period (NULL where a subject's final is not set yet).
/// By `final_mark_student`: SQLite otherwise reads every final of the
/// subject and period for each student (see `reports::class::SCHOOL_FINALS`).
const FINALS_OF_CLASS: &str = concat!(
    with_class_stay!(),
    "SELECT cs.student_id, c.subject_id, f.value
    FROM class_stay cs
    JOIN curriculum c ON c.class_id = cs.class_id
    LEFT JOIN final_mark f INDEXED BY final_mark_student ON f.student_id = cs.student_id AND f.subject_id = c.subject_id AND f.period_id = ?2
    WHERE cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?3)
    ORDER BY cs.student_id"
);

impl Journal {
    pub fn class_results(&self, session: &Session, class_id: Uuid, period_id: Uuid) -> Result<ClassResults> {
        self.check_view_class(session, class_id)?;
        let period = period_info(self.conn(), period_id)?;
        let mut by_student: BTreeMap<String, Vec<Option<FinalValue>>> = BTreeMap::new();
        let mut stmt = self.conn().prepare_cached(FINALS_OF_CLASS)?;
        let mut rows = stmt.query(params![class_id.to_string(), period_id.to_string(), period.ends_on.to_string()])?;
        while let Some(row) = rows.next()? {
            let student: String = row.get(0)?;
            let value: Option<String> = row.get(2)?;
            by_student.entry(student).or_default().push(value.and_then(|v| FinalValue::parse(&v).ok()));
        }
        let summary = FinalsSummary::for_students(by_student.into_values());
        Ok(ClassResults {
            class_id,
            period_id,
            success_rate: summary.success_rate(),
            quality: summary.quality_rate(),
            summary,
        })
    }
}
