//! Результаты контрольных работ (ВШК): marks of the control-work kinds of
//! work (a work type named «контрольная …» or shortened «К/р», «КР») per class
//! × subject (and group) in the dates: how many, of each of «5»…«2», success
//! (≥ «3») and quality («4» and «5») in percent of the marks. Only marks of
//! the five-point scale count («зач» and 100-point marks are not in it).

use super::school::{Names, Periods, Span, percent, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use rusqlite::params;

/// The span's lessons by date, their marks by `mark_lesson`, kept when the
/// mark's work type is one of the control kinds (a JSON list of ids, picked
/// in Rust from the small `work_type` table: Russian case folding is not
/// SQLite's).
const RESULTS: &str = "SELECT l.class_id, l.group_id, l.subject_id, COALESCE(c.year_id, ''), MIN(l.date),
        MIN(l.teacher_id), COUNT(*), SUM(m.value = '5'), SUM(m.value = '4'), SUM(m.value = '3'),
        SUM(m.value IN ('2', '1'))
    FROM lesson l
    JOIN mark m ON m.lesson_id = l.id
    LEFT JOIN class c ON c.id = l.class_id
    WHERE l.date BETWEEN ?1 AND ?2 AND m.deleted = 0 AND m.value IN ('5', '4', '3', '2', '1')
      AND m.work_type_id IN (SELECT value FROM json_each(?3))
      AND (?4 IS NULL OR l.class_id = ?4) AND (?5 IS NULL OR l.teacher_id = ?5)
    GROUP BY l.class_id, l.group_id, l.subject_id";

pub(crate) fn is_control(name: &str, short: &str) -> bool {
    let (name, short) = (name.to_lowercase(), short.trim().to_lowercase());
    name.contains("контрольн") || short == "к/р" || short == "кр"
}

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::ControlWorks)?;
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    let mut kinds = Vec::new();
    for row in journal
        .conn()
        .prepare_cached("SELECT id, COALESCE(name, ''), COALESCE(short_name, '') FROM work_type")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
    {
        let (id, name, short) = row?;
        if is_control(&name, &short) {
            kinds.push(id);
        }
    }
    let mut stmt = journal.conn().prepare_cached(RESULTS)?;
    let mut found = stmt.query(params![
        span.from.to_string(),
        span.to.to_string(),
        serde_json::to_string(&kinds).expect("a list of strings"),
        query.class_id.map(|c| c.to_string()),
        query.teacher_id.map(|t| t.to_string()),
    ])?;
    let mut rows = Vec::new();
    let mut totals = [0i64; 5];
    while let Some(r) = found.next()? {
        let (class, group, subject): (Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        let (year, first): (String, String) = (r.get(3)?, r.get(4)?);
        let teacher: Option<String> = r.get(5)?;
        let counts: [i64; 5] = [r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?];
        for (t, n) in totals.iter_mut().zip(counts) {
            *t += n;
        }
        let mut cells = vec![
            names.class(class.as_deref()).into(),
            names.group(group.as_deref()).into(),
            names.subject(subject.as_deref()).into(),
            names.staff(teacher.as_deref()).into(),
        ];
        cells.extend(results(counts));
        let mut row = ReportRow::new(cells);
        row.link = periods.link(&span, &year, &first, uuid(class), uuid(group), uuid(subject));
        rows.push(row);
    }
    rows.sort_by_key(|r| r.cells.iter().take(3).map(ReportValue::display).collect::<Vec<_>>());
    let mut total_row = vec![ReportValue::from("Всего"), ReportValue::Empty, ReportValue::Empty, ReportValue::Empty];
    total_row.extend(results(totals));
    Ok(Report {
        name: ReportName::ControlWorks,
        title: ReportName::ControlWorks.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Отметок", ColumnKind::Count),
            ReportColumn::new("«5»", ColumnKind::Count),
            ReportColumn::new("«4»", ColumnKind::Count),
            ReportColumn::new("«3»", ColumnKind::Count),
            ReportColumn::new("«2»", ColumnKind::Count),
            ReportColumn::new("Успеваемость, %", ColumnKind::Percent),
            ReportColumn::new("Качество, %", ColumnKind::Percent),
        ],
        rows,
        totals: Some(total_row),
    })
}

/// Counts, then success = («5» + «4» + «3») / all and quality = («5» + «4») / all.
fn results([all, five, four, three, two]: [i64; 5]) -> Vec<ReportValue> {
    vec![
        all.into(),
        five.into(),
        four.into(),
        three.into(),
        two.into(),
        percent(five + four + three, all).into(),
        percent(five + four, all).into(),
    ]
}
