//! Выполнение программы (КТП): per journal page, the calendar-thematic plan
//! (its items and hours) against what was taught: lessons held (not
//! cancelled or moved) and plan items taken up (`lesson.ktp_item_id`), in the
//! dates and since the start of the year up to their last day. The items due
//! by then are those whose hours, added up in the plan's order, fit into the
//! lessons held since the year's start; taken up minus due is the lag (−) or
//! the lead (+).

use super::school::{Names, Periods, Span, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use rusqlite::params;

/// The pages' lessons of the year up to the span's end (by `lesson_page` per
/// class, or `lesson_date`), grouped per page; the plan's items with their
/// running total of hours (one window over `ktp_item`), joined per page.
const PROGRAM: &str = "WITH held AS (
        SELECT l.class_id, l.group_id, l.subject_id, MIN(l.teacher_id) AS teacher, MIN(l.date) AS first,
               COALESCE(c.year_id, '') AS year,
               SUM(COALESCE(l.status, 'held') = 'held' AND l.date >= ?1) AS held_span,
               COUNT(DISTINCT CASE WHEN COALESCE(l.status, 'held') = 'held' AND l.date >= ?1 THEN l.ktp_item_id END)
                   AS taken_span,
               SUM(COALESCE(l.status, 'held') = 'held') AS held_year,
               COUNT(DISTINCT CASE WHEN COALESCE(l.status, 'held') = 'held' THEN l.ktp_item_id END) AS taken_year
        FROM lesson l
        JOIN class c ON c.id = l.class_id
        JOIN academic_year y ON y.id = c.year_id
        WHERE l.date >= y.starts_on AND l.date <= ?2
          AND (?3 IS NULL OR l.class_id = ?3) AND (?4 IS NULL OR l.teacher_id = ?4)
        GROUP BY l.class_id, l.group_id, l.subject_id
    ),
    plan AS (
        SELECT k.class_id, k.group_id, k.subject_id, COALESCE(k.hours, 1) AS hours,
               SUM(COALESCE(k.hours, 1)) OVER (PARTITION BY k.class_id, k.group_id, k.subject_id
                                                ORDER BY k.number, k.id ROWS UNBOUNDED PRECEDING) AS running
        FROM ktp_item k WHERE (?3 IS NULL OR k.class_id = ?3)
    )
    SELECT h.class_id, h.group_id, h.subject_id, h.teacher, h.first, h.year,
           COUNT(p.hours), COALESCE(SUM(p.hours), 0), h.held_span, h.taken_span, h.held_year, h.taken_year,
           COALESCE(SUM(p.running <= h.held_year), 0)
    FROM held h
    LEFT JOIN plan p ON p.class_id = h.class_id AND p.group_id IS h.group_id AND p.subject_id = h.subject_id
    GROUP BY h.class_id, h.group_id, h.subject_id";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::Program)?;
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    let mut stmt = journal.conn().prepare_cached(PROGRAM)?;
    let mut found = stmt.query(params![
        span.from.to_string(),
        span.to.to_string(),
        query.class_id.map(|c| c.to_string()),
        query.teacher_id.map(|t| t.to_string()),
    ])?;
    let mut rows = Vec::new();
    while let Some(r) = found.next()? {
        let (class, group, subject): (Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        let teacher: Option<String> = r.get(3)?;
        let (first, year): (String, String) = (r.get(4)?, r.get(5)?);
        let items: i64 = r.get(6)?;
        let hours: f64 = r.get(7)?;
        let [held_span, taken_span, held_year, taken_year, due]: [i64; 5] =
            [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?];
        let lag = if items > 0 { ReportValue::Count(taken_year - due) } else { ReportValue::from("нет КТП") };
        let mut row = ReportRow::new(vec![
            names.class(class.as_deref()).into(),
            names.group(group.as_deref()).into(),
            names.subject(subject.as_deref()).into(),
            names.staff(teacher.as_deref()).into(),
            items.into(),
            Some(hours).into(),
            held_span.into(),
            taken_span.into(),
            held_year.into(),
            taken_year.into(),
            due.into(),
            lag,
        ]);
        row.link = periods.link(&span, &year, &first, uuid(class), uuid(group), uuid(subject));
        rows.push(row);
    }
    rows.sort_by_key(|r| r.cells.iter().take(3).map(ReportValue::display).collect::<Vec<_>>());
    Ok(Report {
        name: ReportName::Program,
        title: ReportName::Program.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Тем в КТП", ColumnKind::Count),
            ReportColumn::new("Часов в КТП", ColumnKind::Number),
            ReportColumn::new("Проведено уроков в датах", ColumnKind::Count),
            ReportColumn::new("Пройдено тем в датах", ColumnKind::Count),
            ReportColumn::new("Проведено с начала года", ColumnKind::Count),
            ReportColumn::new("Пройдено тем с начала года", ColumnKind::Count),
            ReportColumn::new("Должно быть пройдено тем", ColumnKind::Count),
            ReportColumn::new("Отставание (−) / опережение (+)", ColumnKind::Count),
        ],
        rows,
        totals: None,
    })
}
