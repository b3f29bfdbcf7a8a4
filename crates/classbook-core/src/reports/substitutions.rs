//! Замены и пропущенные (отменённые, перенесённые) уроки в даты: one row per
//! lesson, with its teacher, the substitute and the topic.

use super::school::{Names, Periods, Span, dmy, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use chrono::NaiveDate;
use rusqlite::params;

/// The span's lessons by date (`lesson_date`), only those substituted or not held.
const LESSONS: &str = "SELECT l.date, l.number, l.class_id, l.group_id, l.subject_id, l.teacher_id,
        l.substitute_id, l.status, l.moved_to, l.topic, COALESCE(c.year_id, '')
    FROM lesson l LEFT JOIN class c ON c.id = l.class_id
    WHERE l.date BETWEEN ?1 AND ?2
      AND (l.substitute_id IS NOT NULL OR l.status IN ('cancelled', 'transferred'))
      AND (?3 IS NULL OR l.class_id = ?3) AND (?4 IS NULL OR l.teacher_id = ?4 OR l.substitute_id = ?4)
    ORDER BY l.date, l.number";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::Substitutions)?;
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    let mut stmt = journal.conn().prepare_cached(LESSONS)?;
    let mut found = stmt.query(params![
        span.from.to_string(),
        span.to.to_string(),
        query.class_id.map(|c| c.to_string()),
        query.teacher_id.map(|t| t.to_string()),
    ])?;
    let mut rows = Vec::new();
    let (mut substituted, mut cancelled, mut moved) = (0i64, 0i64, 0i64);
    while let Some(r) = found.next()? {
        let date: String = r.get(0)?;
        let (class, group, subject): (Option<String>, Option<String>, Option<String>) =
            (r.get(2)?, r.get(3)?, r.get(4)?);
        let substitute: Option<String> = r.get(6)?;
        let status: Option<String> = r.get(7)?;
        let moved_to: Option<String> = r.get(8)?;
        let what = match status.as_deref() {
            Some("cancelled") => {
                cancelled += 1;
                "урок отменён".to_owned()
            }
            Some("transferred") => {
                moved += 1;
                match moved_to.and_then(|d| d.parse::<NaiveDate>().ok()) {
                    Some(day) => format!("перенесён на {}", dmy(day)),
                    None => "перенесён".to_owned(),
                }
            }
            _ => {
                substituted += 1;
                "замена".to_owned()
            }
        };
        let mut row = ReportRow::new(vec![
            date.parse::<NaiveDate>().map_or(ReportValue::Empty, ReportValue::Date),
            r.get::<_, Option<i64>>(1)?.map_or(ReportValue::Empty, ReportValue::Count),
            names.class(class.as_deref()).into(),
            names.group(group.as_deref()).into(),
            names.subject(subject.as_deref()).into(),
            names.staff(r.get::<_, Option<String>>(5)?.as_deref()).into(),
            names.staff(substitute.as_deref()).into(),
            what.into(),
            r.get::<_, Option<String>>(9)?.unwrap_or_default().into(),
        ]);
        row.link = periods.link(&span, &r.get::<_, String>(10)?, &date, uuid(class), uuid(group), uuid(subject));
        rows.push(row);
    }
    Ok(Report {
        name: ReportName::Substitutions,
        title: ReportName::Substitutions.title().to_owned(),
        subtitle: format!(
            "{}; замен: {substituted}, отменено: {cancelled}, перенесено: {moved}",
            span.subtitle(journal, query)?
        ),
        columns: vec![
            ReportColumn::new("Дата", ColumnKind::Date),
            ReportColumn::new("Урок", ColumnKind::Count),
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Заменяющий учитель", ColumnKind::Text),
            ReportColumn::new("Что с уроком", ColumnKind::Text),
            ReportColumn::new("Тема", ColumnKind::Text),
        ],
        rows,
        totals: None,
    })
}
