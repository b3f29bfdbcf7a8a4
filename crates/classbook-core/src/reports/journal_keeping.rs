//! Отчёт по ведению электронных журналов: per journal page, the lessons held
//! in the dates (up to today) and how many of them have a topic, homework
//! (graded classes only: ungraded classes get none, 002 §3.11) and attendance.
//! The journal records attendance by exception (only «н», «б», «ну», «оп» are
//! entered) and has no «все присутствуют» entry, so a lesson counts as having
//! attendance when any attendance entry was made for it.

use super::school::{Names, Periods, Span, percent, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use rusqlite::params;

/// One pass over the span's lessons by date (`lesson_date`); attendance by
/// `attendance_lesson` for each lesson, an index probe each.
const KEEPING: &str = "SELECT l.class_id, l.group_id, l.subject_id, COALESCE(c.year_id, ''), MIN(l.date),
        COALESCE(c.graded, 1), MIN(l.teacher_id), COUNT(*),
        SUM(TRIM(COALESCE(l.topic, '')) <> ''),
        SUM(TRIM(COALESCE(l.homework, '')) <> ''),
        SUM(EXISTS (SELECT 1 FROM attendance a WHERE a.lesson_id = l.id))
    FROM lesson l LEFT JOIN class c ON c.id = l.class_id
    WHERE l.date BETWEEN ?1 AND ?2 AND l.date <= ?3 AND COALESCE(l.status, 'held') = 'held'
      AND (?4 IS NULL OR l.class_id = ?4) AND (?5 IS NULL OR l.teacher_id = ?5 OR l.substitute_id = ?5)
    GROUP BY l.class_id, l.group_id, l.subject_id";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::JournalKeeping)?;
    let today = journal.today()?;
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    let mut stmt = journal.conn().prepare_cached(KEEPING)?;
    let mut found = stmt.query(params![
        span.from.to_string(),
        span.to.to_string(),
        today.to_string(),
        query.class_id.map(|c| c.to_string()),
        query.teacher_id.map(|t| t.to_string()),
    ])?;
    let mut rows = Vec::new();
    let mut totals = [0i64; 4];
    let (mut filled_all, mut due_all) = (0, 0);
    while let Some(r) = found.next()? {
        let (class, group, subject): (Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        let (year, first): (String, String) = (r.get(3)?, r.get(4)?);
        let graded: bool = r.get(5)?;
        let teacher: Option<String> = r.get(6)?;
        let counts: [i64; 4] = [r.get(7)?, r.get(8)?, if graded { r.get(9)? } else { 0 }, r.get(10)?];
        let held = counts[0];
        // What a filled page has: a topic and attendance for every lesson,
        // and homework where the class is graded.
        let due = held * if graded { 3 } else { 2 };
        let filled = counts[1] + counts[2] + counts[3];
        filled_all += filled;
        due_all += due;
        for (t, n) in totals.iter_mut().zip(counts) {
            *t += n;
        }
        let mut row = ReportRow::new(vec![
            names.class(class.as_deref()).into(),
            names.group(group.as_deref()).into(),
            names.subject(subject.as_deref()).into(),
            names.staff(teacher.as_deref()).into(),
            held.into(),
            counts[1].into(),
            if graded { counts[2].into() } else { ReportValue::from("—") },
            counts[3].into(),
            percent(filled, due).into(),
        ]);
        row.link = periods.link(&span, &year, &first, uuid(class), uuid(group), uuid(subject));
        rows.push(row);
    }
    rows.sort_by_key(|r| r.cells.iter().take(3).map(ReportValue::display).collect::<Vec<_>>());
    let mut total_row = vec![ReportValue::from("Всего"), ReportValue::Empty, ReportValue::Empty, ReportValue::Empty];
    total_row.extend(totals.map(ReportValue::Count));
    total_row.push(percent(filled_all, due_all).into());
    Ok(Report {
        name: ReportName::JournalKeeping,
        title: ReportName::JournalKeeping.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Проведено уроков", ColumnKind::Count),
            ReportColumn::new("С темой", ColumnKind::Count),
            ReportColumn::new("С домашним заданием", ColumnKind::Count),
            ReportColumn::new("С отметкой посещаемости", ColumnKind::Count),
            ReportColumn::new("Заполнено, %", ColumnKind::Percent),
        ],
        rows,
        totals: Some(total_row),
    })
}
