//! Журнал изменений отметок: every change of a mark made in the dates — who,
//! when, the old value and the new (002 §3.7) — with the lesson and the
//! student. A first entry is not a change; corrections, deletions and
//! changes of the kind of work are, and voided ones are shown marked.
//! The changes are read by `Journal::cell_history`, the change log's own
//! reading of the ops, so both always agree.

use super::school::{Names, Periods, Span, person, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use chrono::{NaiveTime, TimeZone};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use uuid::Uuid;

/// The cells whose marks were changed in the dates. The op log has no index
/// by entry time on purpose (every entry would pay it); the change log's own
/// index `op_cell` carries each cell op's kind, entry time (RFC 3339 in UTC,
/// which sorts as text) and mark (migration 0005), and is ordered by cell, so
/// one streaming pass over it groups each cell's mark ops: a cell with one
/// entered in the dates, where some mark has more than one op (a first entry
/// is not a change), is replayed by `cell_history`.
const CELLS: &str = "SELECT lesson_id, student_id FROM op_cell
    WHERE kind IN ('set_mark', 'delete_mark') AND student_id <> ''
    GROUP BY lesson_id, student_id
    HAVING MAX(entered_at >= ?1 AND entered_at < ?2) AND COUNT(*) > COUNT(DISTINCT mark_id)";

/// A changed cell's lesson and student, by their primary keys.
const CELL: &str = "SELECT l.date, l.number, l.class_id, l.group_id, l.subject_id, l.teacher_id,
        COALESCE(c.year_id, ''), s.surname, s.first_name, s.patronymic
    FROM lesson l LEFT JOIN class c ON c.id = l.class_id LEFT JOIN student s ON s.id = ?2
    WHERE l.id = ?1";

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::Changes)?;
    let offset = journal.school_offset()?;
    let bound = |day: chrono::NaiveDate| {
        offset.from_local_datetime(&day.and_time(NaiveTime::MIN)).single().map(|t| t.to_utc()).unwrap_or_default()
    };
    let (start, end) = (bound(span.from), bound(span.to + chrono::Duration::days(1)));
    let (names, periods) = (Names::load(journal)?, Periods::load(journal)?);
    // The ops entered since the change log was last read are not in
    // `op_cell` yet: index them first (a short write, as the change log does).
    {
        let tx = Transaction::new_unchecked(journal.conn(), TransactionBehavior::Immediate)?;
        crate::history::index_cells(&tx)?;
        tx.commit()?;
    }
    let cells: Vec<(String, String)> = journal
        .conn()
        .prepare_cached(CELLS)?
        .query_map(params![start.to_rfc3339(), end.to_rfc3339()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (class_filter, teacher_filter) =
        (query.class_id.map(|c| c.to_string()), query.teacher_id.map(|t| t.to_string()));
    let mut found = Vec::new();
    for (lesson, student) in cells {
        let (Ok(lesson_id), Ok(student_id)) = (lesson.parse::<Uuid>(), student.parse::<Uuid>()) else { continue };
        let info = journal
            .conn()
            .prepare_cached(CELL)?
            .query_row(params![lesson, student], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    person(r.get(7)?, r.get(8)?, r.get(9)?),
                ))
            })
            .optional()?;
        let Some((date, number, class, group, subject, teacher, year, student_name)) = info else { continue };
        if class_filter.is_some() && class != class_filter || teacher_filter.is_some() && teacher != teacher_filter {
            continue;
        }
        for change in journal.cell_history(session, lesson_id, student_id)? {
            let is_mark = change.kind == "set_mark" || change.kind == "delete_mark";
            if !is_mark || change.old.is_none() || change.entered_at < start || change.entered_at >= end {
                continue;
            }
            let field = match change.field.as_str() {
                "value" => "отметка",
                "work_type_id" => "вид работы",
                "comment" => "комментарий",
                other => other,
            };
            let entered = change.entered_at.with_timezone(&offset);
            let mut row = ReportRow::new(vec![
                ReportValue::from(entered.format("%d.%m.%Y %H:%M").to_string()),
                change.author_login.clone().into(),
                names.class(class.as_deref()).into(),
                names.subject(subject.as_deref()).into(),
                date.as_deref().and_then(|d| d.parse().ok()).map_or(ReportValue::Empty, ReportValue::Date),
                number.map_or(ReportValue::Empty, ReportValue::Count),
                student_name.clone().into(),
                field.into(),
                change.old.clone().unwrap_or_default().into(),
                change.new.clone().unwrap_or_else(|| "удалена".to_owned()).into(),
                if change.voided { "аннулировано" } else { "" }.into(),
            ]);
            row.link = periods.link(
                &span,
                &year,
                date.as_deref().unwrap_or_default(),
                uuid(class.clone()),
                uuid(group.clone()),
                uuid(subject.clone()),
            );
            found.push((change.entered_at, change.op_id, row));
        }
    }
    found.sort_by_key(|(at, op, _)| (*at, *op));
    Ok(Report {
        name: ReportName::Changes,
        title: ReportName::Changes.title().to_owned(),
        subtitle: span.subtitle(journal, query)?,
        columns: vec![
            ReportColumn::new("Когда изменено", ColumnKind::Text),
            ReportColumn::new("Кто изменил", ColumnKind::Text),
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            ReportColumn::new("Дата урока", ColumnKind::Date),
            ReportColumn::new("Урок", ColumnKind::Count),
            ReportColumn::new("Ученик", ColumnKind::Text),
            ReportColumn::new("Что", ColumnKind::Text),
            ReportColumn::new("Было", ColumnKind::Text),
            ReportColumn::new("Стало", ColumnKind::Text),
            ReportColumn::new("Состояние", ColumnKind::Text),
        ],
        rows: found.into_iter().map(|(_, _, row)| row).collect(),
        totals: None,
    })
}
