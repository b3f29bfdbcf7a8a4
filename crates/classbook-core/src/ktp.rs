//! The calendar-thematic plan (КТП) of a journal page: its topics in order,
//! each with the date of the lesson that took it up, so the teacher picks the
//! next topic instead of typing it (REQUIREMENTS §2).

use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use crate::page::{date, id as uuid};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KtpItem {
    pub id: Uuid,
    pub number: u32,
    pub topic: String,
    pub hours: Option<f64>,
    /// The first lesson whose topic was taken from this item.
    pub taught_on: Option<NaiveDate>,
}

/// A subgroup's own plan if it has one, else the class's (`group_id IS NULL`);
/// when each item was taught, from the page's lessons (through `lesson_page`).
const PLAN: &str = "WITH taught AS (
        SELECT ktp_item_id, MIN(date) AS first FROM lesson
        WHERE class_id = ?1 AND subject_id = ?2 AND ktp_item_id IS NOT NULL
        GROUP BY ktp_item_id
    )
    SELECT k.id, k.number, COALESCE(k.topic, ''), k.hours, t.first
    FROM ktp_item k LEFT JOIN taught t ON t.ktp_item_id = k.id
    WHERE k.class_id = ?1 AND k.subject_id = ?2
      AND (k.group_id IS ?3 OR (k.group_id IS NULL AND NOT EXISTS (
            SELECT 1 FROM ktp_item g WHERE g.class_id = ?1 AND g.subject_id = ?2 AND g.group_id IS ?3 AND ?3 IS NOT NULL)))
    ORDER BY k.number";

impl Journal {
    /// The КТП of a page (class or subgroup × subject), for those who may read the class.
    pub fn ktp_plan(
        &self,
        session: &Session,
        class_id: Uuid,
        group_id: Option<Uuid>,
        subject_id: Uuid,
    ) -> Result<Vec<KtpItem>> {
        self.check_view_class(session, class_id)?;
        let items = self
            .conn()
            .prepare_cached(PLAN)?
            .query_map(params![class_id.to_string(), subject_id.to_string(), group_id.map(|g| g.to_string())], |r| {
                Ok(KtpItem {
                    id: uuid(r.get(0)?)?,
                    number: r.get(1)?,
                    topic: r.get(2)?,
                    hours: r.get(3)?,
                    taught_on: r.get::<_, Option<String>>(4)?.map(date).transpose()?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(items)
    }
}
