//! `classbook-exchange` — spreadsheets in and out of the journal: import of
//! students, parents, staff and КТП from xlsx/ods/xls (columns found by their
//! header names, a dry run first, row-level errors in Russian, all or nothing),
//! and export of journal data to xlsx, csv and json.

mod cells;
mod columns;
mod error;
mod export;
mod import;
mod preview;
mod snapshot;
mod workbook;

pub use columns::ColumnMatch;
pub use error::{ExchangeError, Result};
pub use export::{ExportFormat, Exported, export_archive, export_journal, export_report, export_results};

pub use import::ImportOptions;
pub use preview::{ImportKind, ImportPreview, ImportReport, RowAction, RowError, RowPlan};

use classbook_core::{Journal, Session};
use std::path::Path;

/// The dry run: what importing `path` would create and change, row by row,
/// and every problem found. Writes nothing.
pub fn preview(journal: &Journal, session: &Session, kind: ImportKind, path: &Path) -> Result<ImportPreview> {
    preview_with(journal, session, kind, path, &ImportOptions::default())
}

pub fn preview_with(
    journal: &Journal,
    session: &Session,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportPreview> {
    Ok(import::plan(journal, session, kind, path, options)?.preview)
}

/// Import `path`: every row right, then all of it in one transaction; any
/// problem, and nothing is written (`ExchangeError::Rows` lists them all).
pub fn apply(journal: &mut Journal, session: &Session, kind: ImportKind, path: &Path) -> Result<ImportReport> {
    apply_with(journal, session, kind, path, &ImportOptions::default())
}

pub fn apply_with(
    journal: &mut Journal,
    session: &Session,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let plan = import::plan(journal, session, kind, path, options)?;
    if !plan.preview.errors.is_empty() {
        return Err(ExchangeError::Rows(plan.preview.errors));
    }
    let operations = if plan.entries.is_empty() { 0 } else { journal.apply_bulk(session, plan.entries)? };
    Ok(ImportReport {
        kind,
        created: plan.preview.created,
        updated: plan.preview.updated,
        unchanged: plan.preview.unchanged,
        operations,
    })
}

/// The class «5А» (loosely written: «5 а») of the current study year, among
/// the classes the session may see.
pub fn find_class(journal: &Journal, session: &Session, name: &str) -> Result<Option<uuid::Uuid>> {
    let key = snapshot::class_key(name);
    if let Some(j) = journal.my_journals(session)?.into_iter().find(|j| snapshot::class_key(&j.class_name) == key) {
        return Ok(Some(j.class_id));
    }
    let snapshot = snapshot::Snapshot::read(journal, session, &[])?;
    Ok(snapshot.classes.get(&key).copied())
}
