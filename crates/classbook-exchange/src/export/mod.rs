//! Export: a document (a class's journal, a class's results, the archive
//! copy) laid out as sheets of cells, written as xlsx (one worksheet per
//! sheet), csv (one file per sheet in a directory) or json (the document's
//! own structure).

mod archive;
mod journal;
mod report;
mod results;
mod sheet;

pub use archive::export_archive;
pub use journal::export_journal;
pub use report::export_report;
pub use results::export_results;

use serde::Serialize;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Xlsx,
    /// A directory with one `;`-separated UTF-8 file per sheet (with a BOM,
    /// so Excel in a Russian locale opens it right).
    Csv,
    Json,
}

impl ExportFormat {
    pub fn from_code(code: &str) -> Option<ExportFormat> {
        match code {
            "xlsx" => Some(ExportFormat::Xlsx),
            "csv" => Some(ExportFormat::Csv),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Exported {
    pub format: ExportFormat,
    /// Every file written (csv: one per sheet).
    pub files: Vec<PathBuf>,
    pub sheets: Vec<String>,
}
