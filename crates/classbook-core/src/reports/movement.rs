//! Движение учащихся: the movement book's entries in the dates — arrivals
//! (зачисление), departures (выбытие, выпуск) and transfers inside the school
//! — by class, with the order's number and date, each class's subtotal and
//! the school's totals. A transfer is shown in the class the student went to,
//! with the class they came from.

use super::school::{Names, Span};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use chrono::NaiveDate;
use classbook_domain::model::MovementKind;
use rusqlite::params;

/// The movement book is small (an entry per student and year or so): one
/// pass over it, each entry with the class of the student's entry before it
/// (the class a transfer or a departure is from).
const ENTRIES: &str = "WITH book AS (
        SELECT m.*, LAG(m.class_id) OVER (PARTITION BY m.student_id ORDER BY m.date, m.id) AS prev
        FROM movement m WHERE m.kind IS NOT NULL
    )
    SELECT b.date, b.kind, COALESCE(b.class_id, b.prev), b.prev, b.order_number, b.order_date,
           s.surname, s.first_name, s.patronymic, b.note
    FROM book b LEFT JOIN student s ON s.id = b.student_id
    WHERE b.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR b.class_id = ?3 OR b.prev = ?3)";

#[derive(Default)]
struct Counts {
    arrived: i64,
    left: i64,
    moved: i64,
}

impl Counts {
    fn add(&mut self, kind: Option<MovementKind>) {
        match kind {
            Some(MovementKind::Enrol) => self.arrived += 1,
            Some(MovementKind::Withdraw | MovementKind::Graduate) => self.left += 1,
            _ => self.moved += 1,
        }
    }

    fn text(&self) -> String {
        format!("прибыло: {}, выбыло: {}, переведено и прочее: {}", self.arrived, self.left, self.moved)
    }
}

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::Movement)?;
    let names = Names::load(journal)?;
    let mut stmt = journal.conn().prepare_cached(ENTRIES)?;
    let mut found =
        stmt.query(params![span.from.to_string(), span.to.to_string(), query.class_id.map(|c| c.to_string())])?;
    // (class, date, row, kind)
    let mut entries = Vec::new();
    while let Some(r) = found.next()? {
        let date: Option<NaiveDate> = r.get::<_, Option<String>>(0)?.and_then(|d| d.parse().ok());
        let kind_code: Option<String> = r.get(1)?;
        let kind: Option<MovementKind> = kind_code.as_ref().and_then(|k| serde_json::from_value(k.clone().into()).ok());
        let class = names.class(r.get::<_, Option<String>>(2)?.as_deref());
        let prev = names.class(r.get::<_, Option<String>>(3)?.as_deref());
        let order_date: Option<NaiveDate> = r.get::<_, Option<String>>(5)?.and_then(|d| d.parse().ok());
        let student = [r.get::<_, Option<String>>(6)?, r.get(7)?, r.get(8)?]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let from = if matches!(kind, Some(MovementKind::Enrol)) || prev == class { String::new() } else { prev };
        let cells = vec![
            ReportValue::from(class.clone()),
            date.map_or(ReportValue::Empty, ReportValue::Date),
            student.into(),
            kind.map_or(kind_code.unwrap_or_default(), |k| k.title().to_owned()).into(),
            from.into(),
            r.get::<_, Option<String>>(4)?.unwrap_or_default().into(),
            order_date.map_or(ReportValue::Empty, ReportValue::Date),
            r.get::<_, Option<String>>(9)?.unwrap_or_default().into(),
        ];
        entries.push((class, date, ReportRow::new(cells), kind));
    }
    // By class (grade, then letter: «5А» after «10Б» would be wrong as text).
    let grade = |c: &str| c.chars().take_while(char::is_ascii_digit).collect::<String>().parse::<u32>().unwrap_or(0);
    entries.sort_by(|a, b| (grade(&a.0), &a.0, a.1).cmp(&(grade(&b.0), &b.0, b.1)));
    let mut rows = Vec::new();
    let (mut all, mut class_counts) = (Counts::default(), Counts::default());
    let mut i = 0;
    while i < entries.len() {
        let class = entries[i].0.clone();
        while i < entries.len() && entries[i].0 == class {
            let (_, _, row, kind) = &entries[i];
            rows.push(row.clone());
            class_counts.add(*kind);
            all.add(*kind);
            i += 1;
        }
        let mut subtotal = vec![ReportValue::from(format!("Итого {class}")), ReportValue::Empty];
        subtotal.push(class_counts.text().into());
        subtotal.extend(std::iter::repeat_n(ReportValue::Empty, 5));
        rows.push(ReportRow::new(subtotal));
        class_counts = Counts::default();
    }
    let mut total_row = vec![ReportValue::from("Всего"), ReportValue::Empty, all.text().into()];
    total_row.extend(std::iter::repeat_n(ReportValue::Empty, 5));
    Ok(Report {
        name: ReportName::Movement,
        title: ReportName::Movement.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Дата", ColumnKind::Date),
            ReportColumn::new("Ученик", ColumnKind::Text),
            ReportColumn::new("Движение", ColumnKind::Text),
            ReportColumn::new("Из класса", ColumnKind::Text),
            ReportColumn::new("Приказ №", ColumnKind::Text),
            ReportColumn::new("Дата приказа", ColumnKind::Date),
            ReportColumn::new("Примечание", ColumnKind::Text),
        ],
        rows,
        totals: Some(total_row),
    })
}
