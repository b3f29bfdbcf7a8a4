//! Отчёт об успеваемости и посещаемости ученика: per subject, a student's
//! marks in the dates, their number, the weighted average and the forecast,
//! and the lessons missed (of them excused) — the journal's `student_record`
//! as a table, so that it exports like every other report. The parent
//! printout (classbook-print) lays out the same record lesson by lesson.

use super::class::date_span;
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use std::collections::HashMap;

pub fn record(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::StudentRecord;
    let student_id = query
        .student_id
        .ok_or_else(|| JournalError::invalid(format!("Для отчёта «{}» укажите ученика.", name.title())))?;
    let span = date_span(journal, query, name)?;
    // The record's own rule: the student's teachers, class teacher and the
    // school's leaders, a parent their own child.
    let record = journal.student_record(session, student_id, span.from, span.to)?;
    let mut marks: HashMap<&str, Vec<&str>> = HashMap::new();
    for lesson in &record.lessons {
        marks.entry(lesson.subject_name.as_str()).or_default().extend(lesson.marks.iter().map(String::as_str));
    }
    let rows = record
        .subjects
        .iter()
        .map(|s| {
            let given = marks.get(s.subject_name.as_str()).map(|m| m.join(" ")).unwrap_or_default();
            ReportRow::new(vec![
                s.subject_name.clone().into(),
                given.into(),
                (s.marks as i64).into(),
                s.average.into(),
                s.forecast.map_or(ReportValue::Empty, |f| ReportValue::Count(i64::from(f))),
                (s.absences as i64).into(),
                (s.absences_excused as i64).into(),
            ])
        })
        .collect();
    let marks_total: usize = record.subjects.iter().map(|s| s.marks).sum();
    Ok(Report {
        name,
        title: name.title().to_owned(),
        subtitle: format!(
            "{}, {} класс, {}; опозданий: {}",
            record.full_name,
            record.class_name,
            span.label(),
            record.lateness
        ),
        columns: vec![
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Отметки", ColumnKind::Text),
            ReportColumn::new("Отметок", ColumnKind::Count),
            ReportColumn::new("Средний балл", ColumnKind::Number),
            ReportColumn::new("Прогноз", ColumnKind::Count),
            ReportColumn::new("Пропущено уроков", ColumnKind::Count),
            ReportColumn::new("Из них по уважительной причине", ColumnKind::Count),
        ],
        rows,
        totals: Some(vec![
            ReportValue::from("Всего"),
            ReportValue::Empty,
            (marks_total as i64).into(),
            ReportValue::Empty,
            ReportValue::Empty,
            (record.absences as i64).into(),
            (record.absences_excused as i64).into(),
        ]),
    })
}
