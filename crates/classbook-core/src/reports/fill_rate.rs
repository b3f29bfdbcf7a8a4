//! Наполняемость журналов отметками: per class × subject (and group) in the
//! dates, how many of the page's students have no mark and only one mark,
//! and their share. Graded classes only (ungraded ones get no marks).

use super::school::{Names, Periods, Span, percent, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use rusqlite::params;

/// The pages are the span's lessons by date (`lesson_date`); a page's
/// students are its group's members or the class's roll on the span's last
/// day (each student's last movement, as in `class_sizes`); marks are counted
/// per student from the same lessons through `mark_lesson`. One statement,
/// joined on page and student.
const FILL: &str = "WITH pages AS (
        SELECT l.class_id, l.group_id, l.subject_id, MIN(l.teacher_id) AS teacher, MIN(l.date) AS first,
               c.year_id
        FROM lesson l JOIN class c ON c.id = l.class_id AND c.graded = 1
        WHERE l.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR l.class_id = ?3)
          AND (?4 IS NULL OR l.teacher_id = ?4)
        GROUP BY l.class_id, l.group_id, l.subject_id
    ),
    last AS (
        SELECT m.student_id, m.class_id, m.kind,
               ROW_NUMBER() OVER (PARTITION BY m.student_id ORDER BY m.date DESC, m.id DESC) AS n
        FROM movement m
        WHERE m.date <= ?2 AND m.kind IS NOT NULL AND m.kind <> 'debt_repaid'
    ),
    roll AS (
        SELECT class_id, student_id FROM last
        WHERE n = 1 AND kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
    ),
    members AS (
        SELECT p.class_id, p.group_id, p.subject_id, r.student_id
        FROM pages p JOIN roll r ON r.class_id = p.class_id WHERE p.group_id IS NULL
        UNION
        SELECT p.class_id, p.group_id, p.subject_id, g.student_id
        FROM pages p JOIN group_member g ON g.group_id = p.group_id AND g.active = 1
        WHERE p.group_id IS NOT NULL
    ),
    marks AS (
        SELECT l.class_id, l.group_id, l.subject_id, m.student_id, COUNT(*) AS n
        FROM lesson l JOIN mark m ON m.lesson_id = l.id AND m.deleted = 0 AND m.value IS NOT NULL
        WHERE l.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR l.class_id = ?3)
        GROUP BY l.class_id, l.group_id, l.subject_id, m.student_id
    )
    SELECT p.class_id, p.group_id, p.subject_id, p.teacher, p.first, COALESCE(p.year_id, ''),
           COUNT(s.student_id), COALESCE(SUM(s.student_id IS NOT NULL AND k.n IS NULL), 0),
           COALESCE(SUM(k.n = 1), 0)
    FROM pages p
    LEFT JOIN members s ON s.class_id = p.class_id AND s.group_id IS p.group_id AND s.subject_id = p.subject_id
    LEFT JOIN marks k ON k.class_id = s.class_id AND k.group_id IS s.group_id AND k.subject_id = s.subject_id
                     AND k.student_id = s.student_id
    GROUP BY p.class_id, p.group_id, p.subject_id";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::FillRate)?;
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    let mut stmt = journal.conn().prepare_cached(FILL)?;
    let mut found = stmt.query(params![
        span.from.to_string(),
        span.to.to_string(),
        query.class_id.map(|c| c.to_string()),
        query.teacher_id.map(|t| t.to_string()),
    ])?;
    let mut rows = Vec::new();
    let mut totals = [0i64; 3];
    while let Some(r) = found.next()? {
        let (class, group, subject): (Option<String>, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        let teacher: Option<String> = r.get(3)?;
        let (first, year): (String, String) = (r.get(4)?, r.get(5)?);
        let counts: [i64; 3] = [r.get(6)?, r.get(7)?, r.get(8)?];
        for (t, n) in totals.iter_mut().zip(counts) {
            *t += n;
        }
        let mut row = ReportRow::new(vec![
            names.class(class.as_deref()).into(),
            names.group(group.as_deref()).into(),
            names.subject(subject.as_deref()).into(),
            names.staff(teacher.as_deref()).into(),
            counts[0].into(),
            counts[1].into(),
            percent(counts[1], counts[0]).into(),
            counts[2].into(),
            percent(counts[2], counts[0]).into(),
        ]);
        row.link = periods.link(&span, &year, &first, uuid(class), uuid(group), uuid(subject));
        rows.push(row);
    }
    rows.sort_by_key(|r| r.cells.iter().take(3).map(ReportValue::display).collect::<Vec<_>>());
    let total_row = vec![
        ReportValue::from("Всего"),
        ReportValue::Empty,
        ReportValue::Empty,
        ReportValue::Empty,
        totals[0].into(),
        totals[1].into(),
        percent(totals[1], totals[0]).into(),
        totals[2].into(),
        percent(totals[2], totals[0]).into(),
    ];
    Ok(Report {
        name: ReportName::FillRate,
        title: ReportName::FillRate.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Учащихся", ColumnKind::Count),
            ReportColumn::new("Без отметок", ColumnKind::Count),
            ReportColumn::new("Без отметок, %", ColumnKind::Percent),
            ReportColumn::new("С одной отметкой", ColumnKind::Count),
            ReportColumn::new("С одной отметкой, %", ColumnKind::Percent),
        ],
        rows,
        totals: Some(total_row),
    })
}
