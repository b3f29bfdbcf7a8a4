//! Наполняемость классов: how many students each class has on its roll on a
//! day (the query's `to`, else today), boys and girls, with the school's total.

use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use rusqlite::params;

/// Each student's last movement up to the day places them in a class, or
/// outside the school when it was a withdrawal or graduation.
const SIZES: &str = "WITH last AS (
        SELECT m.student_id, m.class_id, m.kind,
               ROW_NUMBER() OVER (PARTITION BY m.student_id ORDER BY m.date DESC, m.id DESC) AS n
        FROM movement m
        WHERE m.date <= ?1 AND m.kind IS NOT NULL AND m.kind <> 'debt_repaid'
    ),
    roll AS (
        SELECT l.class_id, s.gender FROM last l JOIN student s ON s.id = l.student_id
        WHERE l.n = 1 AND l.kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
    )
    SELECT c.grade || COALESCE(c.letter, ''), t.surname, t.first_name, t.patronymic,
           COUNT(r.class_id), SUM(r.gender = 'м'), SUM(r.gender = 'ж')
    FROM class c
    JOIN academic_year y ON y.id = c.year_id AND ?1 BETWEEN y.starts_on AND y.ends_on
    LEFT JOIN staff t ON t.id = c.class_teacher_id
    LEFT JOIN roll r ON r.class_id = c.id
    GROUP BY c.id
    ORDER BY c.grade, c.letter";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let day = match query.to {
        Some(day) => day,
        None => journal.today()?,
    };
    let mut rows = Vec::new();
    let mut totals = [0i64; 3];
    let mut stmt = journal.conn().prepare_cached(SIZES)?;
    let mut found = stmt.query(params![day.to_string()])?;
    while let Some(r) = found.next()? {
        let part = |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
        let teacher = match r.get::<_, Option<String>>(1)? {
            Some(surname) => crate::page::short_name(&surname, &part(2)?, &part(3)?),
            None => String::new(),
        };
        let counts: [i64; 3] =
            [r.get(4)?, r.get::<_, Option<i64>>(5)?.unwrap_or(0), r.get::<_, Option<i64>>(6)?.unwrap_or(0)];
        for (total, n) in totals.iter_mut().zip(counts) {
            *total += n;
        }
        let mut cells = vec![ReportValue::from(r.get::<_, String>(0)?), teacher.into()];
        cells.extend(counts.map(ReportValue::Count));
        rows.push(ReportRow::new(cells));
    }
    let mut total_row = vec![ReportValue::from("Всего"), ReportValue::Empty];
    total_row.extend(totals.map(ReportValue::Count));
    Ok(Report {
        name: ReportName::ClassSizes,
        title: ReportName::ClassSizes.title().to_owned(),
        subtitle: format!("на {}", day.format("%d.%m.%Y")),
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Классный руководитель", ColumnKind::Text),
            ReportColumn::new("Учащихся", ColumnKind::Count),
            ReportColumn::new("Мальчиков", ColumnKind::Count),
            ReportColumn::new("Девочек", ColumnKind::Count),
        ],
        rows,
        totals: Some(total_row),
    })
}
