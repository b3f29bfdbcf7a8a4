//! What the deputy head's reports share: the dates a report covers (a period
//! or from–to), the journal page a row is about and the names shown in rows.

use super::{PageLink, ReportName, ReportQuery};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;
use uuid::Uuid;

/// The days a report covers and how its subtitle names them.
pub(crate) struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period_id: Option<Uuid>,
    pub label: String,
}

impl Span {
    /// The query's period, else its dates (both needed).
    pub fn of(journal: &Journal, query: &ReportQuery, name: ReportName) -> Result<Span> {
        if let Some(period_id) = query.period_id {
            let (title, from, to): (Option<String>, String, String) = journal
                .conn()
                .prepare_cached("SELECT title, starts_on, ends_on FROM period WHERE id = ?1")?
                .query_row([period_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(|_| JournalError::not_found("Учебный период не найден."))?;
            let day = |d: &str| d.parse::<NaiveDate>().map_err(|e| JournalError::Corrupt(e.to_string()));
            let (from, to) = (day(&from)?, day(&to)?);
            let label = format!("{} ({} — {})", title.unwrap_or_default(), dmy(from), dmy(to));
            return Ok(Span { from, to, period_id: Some(period_id), label });
        }
        let (Some(from), Some(to)) = (query.from, query.to) else {
            return Err(JournalError::invalid(format!(
                "Для отчёта «{}» укажите учебный период или даты «с» и «по».",
                name.title()
            )));
        };
        if from > to {
            return Err(JournalError::invalid("Дата «с» позже даты «по»: поменяйте их местами."));
        }
        Ok(Span { from, to, period_id: None, label: format!("с {} по {}", dmy(from), dmy(to)) })
    }

    /// The subtitle: the dates, and the class or teacher asked for.
    pub fn subtitle(&self, journal: &Journal, query: &ReportQuery) -> Result<String> {
        let mut out = self.label.clone();
        if let Some(class) = query.class_id {
            out.push_str(&format!(", {} класс", class_name(journal, class)?));
        }
        if let Some(teacher) = query.teacher_id {
            out.push_str(&format!(", учитель {}", staff_name(journal, teacher)?));
        }
        Ok(out)
    }
}

pub(crate) fn dmy(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

pub(crate) fn class_name(journal: &Journal, class: Uuid) -> Result<String> {
    Ok(journal
        .conn()
        .prepare_cached("SELECT grade || COALESCE(letter, '') FROM class WHERE id = ?1")?
        .query_row([class.to_string()], |r| r.get(0))
        .unwrap_or_default())
}

pub(crate) fn staff_name(journal: &Journal, staff: Uuid) -> Result<String> {
    let row = journal
        .conn()
        .prepare_cached("SELECT surname, first_name, patronymic FROM staff WHERE id = ?1")?
        .query_row(params![staff.to_string()], |r| Ok(person(r.get(0)?, r.get(1)?, r.get(2)?)));
    Ok(row.unwrap_or_default())
}

/// «Петрова А. И.» from the parts of a name (any may be missing).
pub(crate) fn person(surname: Option<String>, first: Option<String>, patronymic: Option<String>) -> String {
    match surname {
        Some(surname) => crate::page::short_name(&surname, &first.unwrap_or_default(), &patronymic.unwrap_or_default()),
        None => String::new(),
    }
}

pub(crate) fn uuid(text: Option<String>) -> Option<Uuid> {
    text.and_then(|t| t.parse().ok())
}

/// The study periods, to link a row to the page of the period it falls in
/// (the periods table is small: read once per report).
pub(crate) struct Periods {
    /// (id, year, first day, last day), shortest first, so that a quarter
    /// wins over a half-year that contains it.
    all: Vec<(Uuid, String, String, String)>,
}

impl Periods {
    pub fn load(journal: &Journal) -> Result<Periods> {
        let mut stmt = journal.conn().prepare_cached(
            "SELECT id, year_id, starts_on, ends_on FROM period
             WHERE starts_on IS NOT NULL AND ends_on IS NOT NULL
             ORDER BY julianday(ends_on) - julianday(starts_on), starts_on",
        )?;
        let all = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?, r.get(3)?))
            })?
            .filter_map(|row| match row {
                Ok((id, year, from, to)) => id.parse().ok().map(|id| Ok((id, year.unwrap_or_default(), from, to))),
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Periods { all })
    }

    /// The link to the page (class, group, subject) in the span's period, or
    /// else in the period of the class's year that holds `day`.
    pub fn link(
        &self,
        span: &Span,
        year: &str,
        day: &str,
        class_id: Option<Uuid>,
        group_id: Option<Uuid>,
        subject_id: Option<Uuid>,
    ) -> Option<PageLink> {
        let period_id = span.period_id.or_else(|| {
            self.all
                .iter()
                .find(|(_, y, from, to)| y == year && from.as_str() <= day && day <= to.as_str())
                .map(|p| p.0)
        })?;
        Some(PageLink { class_id: class_id?, group_id, subject_id: subject_id?, period_id })
    }
}

/// A share in percent, or nothing of nothing.
pub(crate) fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Names by id from the small reference tables (staff, classes, groups,
/// subjects), read once instead of joined into the big query.
pub(crate) struct Names {
    staff: HashMap<String, String>,
    classes: HashMap<String, String>,
    groups: HashMap<String, String>,
    subjects: HashMap<String, String>,
}

impl Names {
    pub fn load(journal: &Journal) -> Result<Names> {
        let map = |sql: &str, people: bool| -> Result<HashMap<String, String>> {
            let mut stmt = journal.conn().prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                let id: String = r.get(0)?;
                let name = if people {
                    person(r.get(1)?, r.get(2)?, r.get(3)?)
                } else {
                    r.get::<_, Option<String>>(1)?.unwrap_or_default()
                };
                Ok((id, name))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        Ok(Names {
            staff: map("SELECT id, surname, first_name, patronymic FROM staff", true)?,
            classes: map("SELECT id, grade || COALESCE(letter, '') FROM class", false)?,
            groups: map("SELECT id, title FROM study_group", false)?,
            subjects: map("SELECT id, name FROM subject", false)?,
        })
    }

    fn get(map: &HashMap<String, String>, id: Option<&str>) -> String {
        id.and_then(|id| map.get(id)).cloned().unwrap_or_default()
    }
    pub fn staff(&self, id: Option<&str>) -> String {
        Names::get(&self.staff, id)
    }
    pub fn class(&self, id: Option<&str>) -> String {
        Names::get(&self.classes, id)
    }
    pub fn group(&self, id: Option<&str>) -> String {
        Names::get(&self.groups, id)
    }
    pub fn subject(&self, id: Option<&str>) -> String {
        Names::get(&self.subjects, id)
    }
}
