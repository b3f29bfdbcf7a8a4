//! A class's journal: for each subject (and subgroup) and period, the grid
//! of marks and attendance with averages and finals, and the facing page —
//! dates, topics, homework — below it, as the paper journal has them.

use super::sheet::{self, Cell, Sheet};
use super::{ExportFormat, Exported};
use crate::error::{ExchangeError, Result};
use classbook_core::{Journal, JournalPage, PeriodInfo, Session};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

#[derive(Serialize)]
struct JournalDocument {
    class: String,
    pages: Vec<PageDocument>,
}

#[derive(Serialize)]
struct PageDocument {
    subject: String,
    group: Option<String>,
    period: String,
    page: JournalPage,
}

/// One page to export: class or subgroup × subject.
struct PageRef {
    group_id: Option<Uuid>,
    group: Option<String>,
    subject_id: Uuid,
    subject: String,
    short: String,
}

/// Export the journal of `class_id` («5А» is `class_name`) for `periods`
/// (all of them when empty). Readable by whoever may view the class.
pub fn export_journal(
    journal: &Journal,
    session: &Session,
    class_id: Uuid,
    periods: &[PeriodInfo],
    format: ExportFormat,
    out: &Path,
) -> Result<Exported> {
    let pages = pages_of_class(journal, session, class_id)?;
    let class = crate::export::results::class_title(journal, session, class_id)?;
    let periods: Vec<PeriodInfo> = if periods.is_empty() { journal.periods()? } else { periods.to_vec() };
    let mut document = JournalDocument { class, pages: Vec::new() };
    let mut wanted = Vec::new();
    let mut grids = Vec::new();
    for period in &periods {
        for p in &pages {
            let page = journal.journal_page(session, class_id, p.group_id, p.subject_id, period.id)?;
            let group = p.group.as_ref().map(|g| format!(" ({g})")).unwrap_or_default();
            wanted.push(format!("{}{group} {}", p.short, period.title));
            grids.push(grid(&page));
            document.pages.push(PageDocument {
                subject: p.subject.clone(),
                group: p.group.clone(),
                period: period.title.clone(),
                page,
            });
        }
    }
    let sheets: Vec<Sheet> =
        sheet::sheet_names(&wanted).into_iter().zip(grids).map(|(name, rows)| Sheet { name, rows }).collect();
    sheet::write(format, out, &sheets, &document)
}

/// The pages of a class: from the school's teaching load for those who see
/// the school's structure, else the pages the user teaches or leads.
fn pages_of_class(journal: &Journal, session: &Session, class_id: Uuid) -> Result<Vec<PageRef>> {
    match journal.school_structure(session) {
        Ok(structure) => {
            let subjects: HashMap<Uuid, (&str, &str)> =
                structure.subjects.iter().map(|s| (s.id, (s.name.as_str(), s.short_name.as_str()))).collect();
            let groups: HashMap<Uuid, &str> = structure.groups.iter().map(|g| (g.id, g.title.as_str())).collect();
            let mut pages: Vec<PageRef> = Vec::new();
            for a in structure.assignments.iter().filter(|a| a.class_id == class_id) {
                if pages.iter().any(|p| p.group_id == a.group_id && p.subject_id == a.subject_id) {
                    continue;
                }
                let (name, short) = subjects.get(&a.subject_id).copied().unwrap_or(("", ""));
                pages.push(PageRef {
                    group_id: a.group_id,
                    group: a.group_id.and_then(|g| groups.get(&g).map(|t| t.to_string())),
                    subject_id: a.subject_id,
                    subject: name.to_owned(),
                    short: if short.is_empty() { name.to_owned() } else { short.to_owned() },
                });
            }
            // In the subjects' print order, as the structure lists them.
            let order: HashMap<Uuid, usize> = structure.subjects.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
            pages.sort_by_key(|p| (order.get(&p.subject_id).copied(), p.group.clone()));
            Ok(pages)
        }
        Err(classbook_core::JournalError::Denied(_)) => Ok(journal
            .my_journals(session)?
            .into_iter()
            .filter(|j| j.class_id == class_id)
            .map(|j| PageRef {
                group_id: j.group_id,
                group: j.group_title,
                subject_id: j.subject_id,
                short: j.subject_name.clone(),
                subject: j.subject_name,
            })
            .collect()),
        Err(e) => Err(ExchangeError::Journal(e)),
    }
}

fn grid(page: &JournalPage) -> Vec<Vec<Cell>> {
    let mut header: Vec<Cell> = vec!["№".into(), "Ученик".into()];
    header.extend(page.lessons.iter().map(|l| Cell::Text(l.date.format("%d.%m").to_string())));
    header.extend(["Средний балл".into(), "Итог".into()]);
    let mut cells: HashMap<(Uuid, Uuid), Vec<String>> = HashMap::new();
    for m in &page.marks {
        cells.entry((m.lesson_id, m.student_id)).or_default().push(m.value.clone());
    }
    let mut codes: HashMap<(Uuid, Uuid), &str> = HashMap::new();
    for a in &page.attendance {
        codes.insert((a.lesson_id, a.student_id), a.code.as_str());
    }
    let summaries: HashMap<Uuid, _> = page.summaries.iter().map(|s| (s.student_id, s)).collect();
    let mut rows = vec![header];
    for student in &page.students {
        let mut row = vec![Cell::Number(student.number as f64), Cell::Text(student.name.clone())];
        for lesson in &page.lessons {
            let key = (lesson.id, student.id);
            let mut parts: Vec<String> = cells.get(&key).map(|m| vec![m.join("/")]).unwrap_or_default();
            parts.extend(codes.get(&key).map(|c| c.to_string()));
            row.push(if parts.is_empty() { Cell::Empty } else { Cell::Text(parts.join(" ")) });
        }
        let summary = summaries.get(&student.id);
        row.push(summary.and_then(|s| s.average).map_or(Cell::Empty, |a| Cell::Number((a * 100.0).round() / 100.0)));
        row.push(summary.and_then(|s| s.final_value.clone()).map_or(Cell::Empty, Cell::Text));
        rows.push(row);
    }
    rows.push(Vec::new());
    rows.push(vec!["Дата".into(), "Урок".into(), "Тема".into(), "Домашнее задание".into()]);
    for lesson in &page.lessons {
        rows.push(vec![
            Cell::Text(lesson.date.format("%d.%m.%Y").to_string()),
            Cell::Number(lesson.number as f64),
            lesson.topic.clone().map_or(Cell::Empty, Cell::Text),
            lesson.homework.clone().map_or(Cell::Empty, Cell::Text),
        ]);
    }
    rows
}
