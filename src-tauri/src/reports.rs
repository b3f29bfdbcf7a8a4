//! The «Отчёты» screen's commands: any report of the journal
//! (`Journal::report`) shown as a table and saved as xlsx, csv, json or PDF
//! where the user says.
//!
//! The report is read under the journal's lock (the core checks who may read
//! it); writing the file, and laying out the PDF, happen after it is let go,
//! on the blocking pool like printing.

use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use crate::print::{blocking, save_path};
use chrono::NaiveDate;
use classbook_core::{Dashboard, Report, ReportName, ReportQuery, StaffRef};
use classbook_exchange::ExportFormat;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tauri::State;

type Desktop<'a> = State<'a, Arc<Desk>>;

#[derive(Debug, Serialize)]
pub struct ReportInfo {
    /// The report's name on the command line («class-sizes»).
    pub code: &'static str,
    pub title: &'static str,
    /// A report about one class (the class is to be chosen).
    pub one_class: bool,
    /// A report about one student of the class (the student is to be chosen too).
    pub one_student: bool,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SaveFormat {
    Xlsx,
    Csv,
    Json,
    Pdf,
}

impl SaveFormat {
    fn extension(self) -> &'static str {
        match self {
            SaveFormat::Xlsx => "xlsx",
            SaveFormat::Csv => "csv",
            SaveFormat::Json => "json",
            SaveFormat::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ReportSaved {
    pub path: String,
    pub rows: usize,
}

/// Every report, in the order the core lists them.
#[tauri::command]
pub fn report_names() -> Vec<ReportInfo> {
    ReportName::ALL
        .iter()
        .map(|&name| ReportInfo {
            code: name.code(),
            title: name.title(),
            one_class: name.about_one_class(),
            one_student: name.about_one_student(),
        })
        .collect()
}

/// The report as the journal holds it now, for the table on the screen.
#[tauri::command]
pub async fn report_run(desk: Desktop<'_>, name: ReportName, query: ReportQuery) -> UiResult<Report> {
    let desk = Arc::clone(&desk);
    blocking(move || Ok(read(&desk, name, &query)?.0)).await
}

/// Reads the report again and writes it to `path` in `format`.
#[tauri::command]
pub async fn report_save(
    desk: Desktop<'_>,
    name: ReportName,
    query: ReportQuery,
    format: SaveFormat,
    path: String,
) -> UiResult<ReportSaved> {
    let desk = Arc::clone(&desk);
    blocking(move || {
        let path = save_path(&path, format.extension(), "Отчёт")?;
        let (report, today) = read(&desk, name, &query)?;
        let export = match format {
            SaveFormat::Xlsx => ExportFormat::Xlsx,
            SaveFormat::Csv => ExportFormat::Csv,
            SaveFormat::Json => ExportFormat::Json,
            SaveFormat::Pdf => {
                let pdf = classbook_print::report_document(&report, today).to_pdf();
                classbook_print::save_pdf(&path, &pdf).map_err(|e| UiError::failed(e.to_string()))?;
                return Ok(ReportSaved { path: path.display().to_string(), rows: report.rows.len() });
            }
        };
        let exported = classbook_exchange::export_report(&report, export, &path)
            .map_err(|e| UiError::new(e.code(), e.to_string()))?;
        let written = exported.files.first().unwrap_or(&path);
        Ok(ReportSaved { path: written.display().to_string(), rows: report.rows.len() })
    })
    .await
}

/// The school's teachers, for the reports' choice of a teacher.
#[tauri::command]
pub async fn report_teachers(desk: Desktop<'_>) -> UiResult<Vec<StaffRef>> {
    let desk = Arc::clone(&desk);
    blocking(move || desk.as_user(|journal, session| journal.report_teachers(session))).await
}

/// The deputy head's dashboard: the problems of the week that holds `day`
/// (this week without one), each linking to its journal page.
#[tauri::command]
pub async fn dashboard(desk: Desktop<'_>, day: Option<NaiveDate>) -> UiResult<Dashboard> {
    let desk = Arc::clone(&desk);
    blocking(move || desk.as_user(|journal, session| journal.dashboard(session, day))).await
}

/// The report and the journal's today, read under the lock.
fn read(desk: &Desk, name: ReportName, query: &ReportQuery) -> UiResult<(Report, NaiveDate)> {
    desk.as_user(|journal, session| Ok((journal.report(session, name, query)?, journal.today()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_is_listed_and_a_saved_file_gets_the_format_s_extension() {
        let names = report_names();
        assert_eq!(names.len(), ReportName::ALL.len());
        assert!(names.iter().any(|r| r.code == "class-sizes" && !r.one_class));
        assert!(names.iter().any(|r| r.code == "results" && r.one_class));
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("Наполняемость классов");
        let xlsx = save_path(plain.to_str().unwrap(), SaveFormat::Xlsx.extension(), "Отчёт").unwrap();
        assert_eq!(xlsx, dir.path().join("Наполняемость классов.xlsx"));
        assert!(save_path("a.csv", "csv", "Отчёт").unwrap_err().message.contains("Отчёт.csv"));
    }
}
