//! The «Печать» screen's commands: a document of a class (the journal for
//! binding, for the year or one period; the summary sheet of finals; report
//! cards; printouts for parents over dates; letters to parents and the class
//! teacher's report for a period) previewed as pictures of its
//! first pages and saved as a PDF where the user says.
//!
//! The journal is read under its lock (`class_book`, `student_record`, which
//! check who may see the class); laying the pages out and writing the PDF
//! happen after it is let go, so sync and other commands are not held up.

use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use chrono::NaiveDate;
use classbook_core::{ClassBook, ClassRef, StudentRecord};
use classbook_print::{Document, Letter};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::State;
use uuid::Uuid;

type Desktop<'a> = State<'a, Arc<Desk>>;

/// Pages the preview shows as pictures.
pub const PREVIEW_PAGES: usize = 4;

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PrintKind {
    /// The class journal for binding: the year (`period_id` null) or one period.
    Journal,
    /// The summary sheet of the class's finals for the year.
    Summary,
    /// Report cards: the chosen student's, or every student's.
    ReportCards,
    /// Printouts for parents over `from`…`to`: the chosen student's, or every student's.
    Parent,
    /// Information letters to parents for `period_id` (or `from`…`to`): the
    /// chosen student's, or every student's.
    Letter,
    /// The class teacher's report of the class for `period_id`.
    ClassReport,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PrintRequest {
    pub kind: PrintKind,
    pub class_id: Uuid,
    #[serde(default)]
    pub period_id: Option<Uuid>,
    /// One student; null for the whole class.
    #[serde(default)]
    pub student_id: Option<Uuid>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Serialize)]
pub struct PrintPreview {
    pub title: String,
    pub pages: usize,
    /// Sheets of paper for binding (the journal only).
    pub sheets: Option<usize>,
    /// The first pages as standalone SVG pictures.
    pub previews: Vec<String>,
    /// Where «Сохранить PDF» suggests writing it: the Documents folder and a name.
    pub suggested_path: String,
}

#[derive(Debug, Serialize)]
pub struct PrintSaved {
    pub path: String,
    pub pages: usize,
    pub bytes: usize,
}

#[derive(Debug, Serialize)]
pub struct PrintStudent {
    pub id: Uuid,
    pub number: usize,
    pub full_name: String,
    pub left_on: Option<NaiveDate>,
}

/// The classes the user may print (`Journal::printable_classes`).
#[tauri::command(async)]
pub fn print_classes(desk: Desktop<'_>) -> UiResult<Vec<ClassRef>> {
    desk.as_user(|journal, session| journal.printable_classes(session))
}

/// The class's students, as printed in its journal, for choosing one.
#[tauri::command(async)]
pub fn print_students(desk: Desktop<'_>, class_id: Uuid) -> UiResult<Vec<PrintStudent>> {
    desk.as_user(|journal, session| {
        let book = journal.class_book(session, class_id, None)?;
        Ok(book
            .students
            .into_iter()
            .map(|s| PrintStudent { id: s.id, number: s.number, full_name: s.full_name, left_on: s.left_on })
            .collect())
    })
}

/// Off the async runtime's few workers: laying out a year's journal and
/// writing its PDF take seconds in a big class, and sync keeps running meanwhile.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> UiResult<T> + Send + 'static) -> UiResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| UiError::failed(format!("Работа прервалась: {e}. Повторите действие.")))?
}

#[tauri::command]
pub async fn print_preview(desk: Desktop<'_>, request: PrintRequest) -> UiResult<PrintPreview> {
    let desk = Arc::clone(&desk);
    blocking(move || {
        let printed = lay_out(&desk, &request)?;
        let count = printed.document.page_count();
        let previews = (0..count.min(PREVIEW_PAGES)).filter_map(|i| printed.document.page_svg(i)).collect();
        Ok(PrintPreview {
            title: printed.document.title.clone(),
            pages: count,
            sheets: printed.sheets,
            previews,
            suggested_path: documents_dir().join(&printed.file_name).display().to_string(),
        })
    })
    .await
}

/// Lays the document out again from the journal as it is now and writes its
/// PDF to `path`, whole or not at all.
#[tauri::command]
pub async fn print_save(desk: Desktop<'_>, request: PrintRequest, path: String) -> UiResult<PrintSaved> {
    let desk = Arc::clone(&desk);
    blocking(move || {
        let path = pdf_path(&path)?;
        let printed = lay_out(&desk, &request)?;
        let pdf = printed.document.to_pdf();
        classbook_print::save_pdf(&path, &pdf).map_err(|e| UiError::failed(e.to_string()))?;
        Ok(PrintSaved { path: path.display().to_string(), pages: printed.document.page_count(), bytes: pdf.len() })
    })
    .await
}

struct Printed {
    document: Document,
    sheets: Option<usize>,
    file_name: String,
}

/// What the journal holds for the request, read under its lock.
enum Source {
    Book(ClassBook),
    Records { book: ClassBook, records: Vec<StudentRecord> },
}

fn lay_out(desk: &Desk, request: &PrintRequest) -> UiResult<Printed> {
    match request.kind {
        PrintKind::Letter => return letters(desk, request),
        PrintKind::ClassReport => return class_report(desk, request),
        _ => {}
    }
    let dates = match (request.kind, request.from, request.to) {
        (PrintKind::Parent, Some(from), Some(to)) => Some((from, to)),
        (PrintKind::Parent, _, _) => {
            return Err(UiError::new("invalid", "Укажите первый и последний день, за которые нужны сведения."));
        }
        _ => None,
    };
    let (source, today) = desk.as_user(|journal, session| {
        let today = journal.today()?;
        let period = match request.kind {
            PrintKind::Journal => request.period_id,
            PrintKind::Summary | PrintKind::ReportCards | PrintKind::Letter | PrintKind::ClassReport => None,
            PrintKind::Parent => match request.to {
                Some(to) => journal.period_of(to)?,
                None => None,
            },
        };
        let book = journal.class_book(session, request.class_id, period)?;
        let Some((from, to)) = dates else { return Ok((Source::Book(book), today)) };
        let records = book
            .students
            .iter()
            .filter(|s| request.student_id.is_none_or(|id| id == s.id))
            .map(|s| journal.student_record(session, s.id, from, to))
            .collect::<classbook_core::Result<Vec<_>>>()?;
        Ok((Source::Records { book, records }, today))
    })?;
    Ok(match source {
        Source::Book(book) => {
            let class_year = format!("{} {}", book.class_name, book.year_title.replace('/', "-"));
            match request.kind {
                PrintKind::Journal => {
                    let printed = classbook_print::class_journal(&book, today);
                    let period = match (&book.year_period, book.periods.as_slice()) {
                        (None, [one]) => format!(" {}", one.title),
                        _ => String::new(),
                    };
                    Printed {
                        document: printed.document,
                        sheets: Some(printed.sheets),
                        file_name: format!(
                            "Журнал {}{period} {}.pdf",
                            book.class_name,
                            book.year_title.replace('/', "-")
                        ),
                    }
                }
                PrintKind::Summary => Printed {
                    document: classbook_print::summary_sheet(&book, today),
                    sheets: None,
                    file_name: format!("Сводная ведомость {class_year}.pdf"),
                },
                _ => {
                    let students = students_of(&book, request.student_id)?;
                    let who = one_name(&book, request.student_id);
                    Printed {
                        document: classbook_print::report_cards(&book, &students, today),
                        sheets: None,
                        file_name: match who {
                            Some(name) => format!("Табель {name} {class_year}.pdf"),
                            None => format!("Табели {class_year}.pdf"),
                        },
                    }
                }
            }
        }
        Source::Records { book, records } => {
            students_of(&book, request.student_id)?;
            let dates = match records.first() {
                Some(r) => format!("{}–{}", r.from.format("%d.%m.%Y"), r.to.format("%d.%m.%Y")),
                None => String::new(),
            };
            let who = one_name(&book, request.student_id).unwrap_or_else(|| book.class_name.clone());
            Printed {
                document: classbook_print::parent_printout(&book.school_name, &records),
                sheets: None,
                file_name: format!("Сведения для родителей {who} {dates}.pdf"),
            }
        }
    })
}

/// Letters to parents: for the period (its dates and finals), or for the
/// dates with the finals of the period the last day is in.
fn letters(desk: &Desk, request: &PrintRequest) -> UiResult<Printed> {
    // What the user must fix comes back as the inner error, the journal's refusals as the outer.
    let (school, letters, today) = desk.as_user(|journal, session| {
        let today = journal.today()?;
        let chosen = match request.period_id {
            Some(id) => journal.periods()?.into_iter().find(|p| p.id == id),
            None => None,
        };
        let (from, to, period, title) = match (chosen, request.from, request.to) {
            (Some(info), _, _) => (info.starts_on, info.ends_on, Some(info.id), Some(info.title)),
            (None, Some(from), Some(to)) if request.period_id.is_none() => (from, to, journal.period_of(to)?, None),
            _ => return Ok(Err(UiError::new("invalid", "Выберите период, за который нужно письмо."))),
        };
        let book = journal.class_book(session, request.class_id, period)?;
        let students = match students_of(&book, request.student_id) {
            Ok(students) => students,
            Err(e) => return Ok(Err(e)),
        };
        let letters = students
            .into_iter()
            .map(|id| {
                let record = journal.student_record(session, id, from, to)?;
                let finals = match period {
                    Some(p) => journal.student_finals(session, id, p)?,
                    None => Vec::new(),
                };
                Ok(Letter { record, period: title.clone(), finals })
            })
            .collect::<classbook_core::Result<Vec<_>>>()?;
        Ok(Ok((book.school_name, letters, today)))
    })??;
    let who = match letters.as_slice() {
        [one] => one.record.full_name.clone(),
        _ => letters.first().map(|l| l.record.class_name.clone()).unwrap_or_default(),
    };
    let span = match letters.first() {
        Some(Letter { period: Some(p), .. }) => p.clone(),
        Some(l) => format!("{}–{}", l.record.from.format("%d.%m.%Y"), l.record.to.format("%d.%m.%Y")),
        None => String::new(),
    };
    Ok(Printed {
        document: classbook_print::parent_letters(&school, &letters, today),
        sheets: None,
        file_name: format!("Письмо родителям {who} {span}.pdf"),
    })
}

/// The class teacher's report of the class for the period.
fn class_report(desk: &Desk, request: &PrintRequest) -> UiResult<Printed> {
    let Some(period) = request.period_id else {
        return Err(UiError::new("invalid", "Укажите период, за который нужен отчёт."));
    };
    let (report, today) = desk
        .as_user(|journal, session| Ok((journal.class_period(session, request.class_id, period)?, journal.today()?)))?;
    Ok(Printed {
        document: classbook_print::class_report(&report, today),
        sheets: None,
        file_name: format!("Отчёт классного руководителя {} {}.pdf", report.class_name, report.period.title),
    })
}

/// The chosen student (who must be in the class's list) or the whole class.
fn students_of(book: &ClassBook, student: Option<Uuid>) -> UiResult<Vec<Uuid>> {
    match student {
        None => Ok(book.students.iter().map(|s| s.id).collect()),
        Some(id) if book.students.iter().any(|s| s.id == id) => Ok(vec![id]),
        Some(_) => Err(UiError::new(
            "not_found",
            format!("Этого ученика нет в списке {} класса: выберите ученика из списка.", book.class_name),
        )),
    }
}

fn one_name(book: &ClassBook, student: Option<Uuid>) -> Option<String> {
    let id = student?;
    book.students.iter().find(|s| s.id == id).map(|s| s.full_name.clone())
}

/// The user's Documents folder (their home folder if the system names none).
pub fn documents_dir() -> PathBuf {
    let dirs = directories::UserDirs::new();
    dirs.as_ref()
        .and_then(|d| d.document_dir().map(Path::to_path_buf))
        .or_else(|| dirs.as_ref().map(|d| d.home_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The path the user typed, checked: a full path of a PDF file in a folder that exists.
fn pdf_path(text: &str) -> UiResult<PathBuf> {
    save_path(text, "pdf", "Журнал")
}

/// The path the user typed, checked: a full path of a file in a folder that
/// exists, given the extension `ext` when it lacks it (`example` names the
/// file in the messages: «Журнал» → «Журнал.pdf»).
pub(crate) fn save_path(text: &str, ext: &str, example: &str) -> UiResult<PathBuf> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UiError::new(
            "invalid",
            format!("Укажите, куда сохранить {}: папку и имя файла.", ext.to_uppercase()),
        ));
    }
    let mut path = PathBuf::from(text);
    let example = format!("{example}.{ext}");
    if !path.is_absolute() {
        return Err(UiError::new(
            "invalid",
            format!("«{text}»: укажите полный путь, например {}", documents_dir().join(&example).display()),
        ));
    }
    if path.is_dir() {
        return Err(UiError::new(
            "invalid",
            format!("{} — это папка: допишите имя файла, например «{example}».", path.display()),
        ));
    }
    if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)) {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(ext);
        path.set_file_name(name);
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => Ok(path),
        Some(dir) => Err(UiError::new(
            "invalid",
            format!("Папки {} нет: выберите существующую папку или создайте её.", dir.display()),
        )),
        None => Err(UiError::new("invalid", "Укажите папку и имя файла.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_path_gets_its_extension_and_needs_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("Журнал 5А");
        assert_eq!(pdf_path(plain.to_str().unwrap()).unwrap(), dir.path().join("Журнал 5А.pdf"));
        let pdf = dir.path().join("a.PDF");
        assert_eq!(pdf_path(pdf.to_str().unwrap()).unwrap(), pdf);
        assert!(pdf_path("Журнал.pdf").unwrap_err().message.contains("полный путь"));
        assert!(pdf_path(dir.path().to_str().unwrap()).unwrap_err().message.contains("это папка"));
        let missing = dir.path().join("нет/a.pdf");
        assert!(pdf_path(missing.to_str().unwrap()).unwrap_err().message.contains("нет: выберите"));
    }
}
