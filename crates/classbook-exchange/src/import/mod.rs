//! Import: a file read, its columns found, each row checked and matched
//! against the journal, giving a preview and the batch of changes. Nothing is
//! written unless every row is right; then the batch is one transaction
//! (`Journal::apply_bulk`, which checks each rule the batch needs).

mod ktp;
mod parents;
mod row;
mod staff;
mod students;

use crate::columns::{self, Field};
use crate::error::Result;
use crate::preview::{ImportKind, ImportPreview, RowAction, RowError, RowPlan};
use crate::snapshot::Snapshot;
use crate::workbook;
use chrono::NaiveDate;
use classbook_core::{BulkEntry, Journal, Order, Session};
use std::path::Path;

pub(crate) use row::Row;

/// What the file cannot say for itself.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The enrolment order for new students when the file has no «Номер
    /// приказа» / «Дата приказа» columns.
    pub order: Option<Order>,
    /// The first day in class for new students without «Дата зачисления»
    /// (default: the order's date).
    pub enrolled_on: Option<NaiveDate>,
}

/// The preview and the changes it stands for.
pub(crate) struct Plan {
    pub preview: ImportPreview,
    pub entries: Vec<BulkEntry>,
}

pub(crate) fn plan(
    journal: &Journal,
    session: &Session,
    kind: ImportKind,
    path: &Path,
    options: &ImportOptions,
) -> Result<Plan> {
    let book = workbook::read(path)?;
    let fields = fields(kind);
    let layout = columns::locate(&book, path, fields)?;
    let snapshot = Snapshot::read(journal, session, tables(kind))?;
    let mut plan = Builder::new(kind, &layout);
    let rows = row::rows(&layout, fields, book.is_1904);
    plan.preview.empty_rows = rows.empty;
    match kind {
        ImportKind::Students => students::plan(&rows.rows, &snapshot, options, &mut plan),
        ImportKind::Parents => parents::plan(&rows.rows, &snapshot, &mut plan),
        ImportKind::Staff => staff::plan(&rows.rows, &snapshot, &mut plan),
        ImportKind::Ktp => ktp::plan(&rows.rows, &snapshot, &mut plan),
    }
    Ok(plan.finish())
}

fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Students => &students::FIELDS,
        ImportKind::Parents => &parents::FIELDS,
        ImportKind::Staff => &staff::FIELDS,
        ImportKind::Ktp => &ktp::FIELDS,
    }
}

fn tables(kind: ImportKind) -> &'static [classbook_core::domain::entity::Entity] {
    use classbook_core::domain::entity::Entity::*;
    match kind {
        ImportKind::Students => &[],
        ImportKind::Parents => &[Parent, ParentLink],
        ImportKind::Staff => &[Staff],
        ImportKind::Ktp => &[Staff, Subject, StudyGroup, Assignment, KtpItem],
    }
}

/// Collects the rows' outcomes into a preview.
pub(crate) struct Builder {
    preview: ImportPreview,
    entries: Vec<BulkEntry>,
}

impl Builder {
    fn new(kind: ImportKind, layout: &columns::Layout<'_>) -> Builder {
        Builder {
            preview: ImportPreview {
                kind,
                sheet: layout.grid.sheet.clone(),
                header_row: layout.header_row(),
                columns: layout.columns.clone(),
                rows: Vec::new(),
                errors: Vec::new(),
                warnings: Vec::new(),
                created: 0,
                updated: 0,
                unchanged: 0,
                empty_rows: 0,
            },
            entries: Vec::new(),
        }
    }

    pub fn error(&mut self, error: RowError) {
        self.preview.errors.push(error);
    }

    pub fn errors(&mut self, errors: Vec<RowError>) {
        self.preview.errors.extend(errors);
    }

    pub fn warning(&mut self, warning: RowError) {
        self.preview.warnings.push(warning);
    }

    pub fn row(&mut self, row: usize, action: RowAction, record: String, details: Vec<String>) {
        match action {
            RowAction::Create => self.preview.created += 1,
            RowAction::Update => self.preview.updated += 1,
            RowAction::Unchanged => self.preview.unchanged += 1,
        }
        self.preview.rows.push(RowPlan { row, action, record, details });
    }

    pub fn entry(&mut self, entry: BulkEntry) {
        self.entries.push(entry);
    }

    fn finish(mut self) -> Plan {
        // Errors in the order of the file, so a person fixes it top to bottom.
        self.preview.errors.sort_by_key(|e| e.row);
        self.preview.warnings.sort_by_key(|e| e.row);
        Plan { preview: self.preview, entries: self.entries }
    }
}

/// The record fields of a `SaveRecord`, from pairs.
pub(crate) fn fields_of<const N: usize>(
    pairs: [(&str, serde_json::Value); N],
) -> std::collections::BTreeMap<String, serde_json::Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// The first `what` a person may need in a row summary.
pub(crate) fn date_text(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| "без даты рождения".into())
}
