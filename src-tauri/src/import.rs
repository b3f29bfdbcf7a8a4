//! The «Импорт из Excel» wizard's commands: the dry run of a spreadsheet
//! (what each row becomes, every row error in Russian) and the import itself,
//! all of it in one transaction or nothing (`classbook-exchange`). The
//! journal checks who may import what.

use crate::desk::Desk;
use crate::error::{UiError, UiResult};
use chrono::NaiveDate;
use classbook_core::Order;
use classbook_exchange::{ExchangeError, ImportKind, ImportOptions, ImportPreview, ImportReport};
use serde::Deserialize;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::State;

type Desktop<'a> = State<'a, Arc<Desk>>;

/// What the wizard's first step chose.
#[derive(Clone, Debug, Deserialize)]
pub struct ImportRequest {
    /// `students`, `parents`, `staff` or `ktp`.
    pub kind: String,
    pub path: String,
    /// The enrolment order for new students when the file names none.
    #[serde(default)]
    pub order_number: Option<String>,
    #[serde(default)]
    pub order_date: Option<NaiveDate>,
    /// The first day in class of new students (default: the order's date).
    #[serde(default)]
    pub enrolled_on: Option<NaiveDate>,
}

impl ImportRequest {
    fn parse(&self) -> UiResult<(ImportKind, PathBuf, ImportOptions)> {
        let kind = ImportKind::from_code(&self.kind).ok_or_else(|| {
            UiError::new("invalid", "Выберите, что загружать: учеников, родителей, сотрудников или КТП.")
        })?;
        let path = self.path.trim();
        if path.is_empty() {
            return Err(UiError::new("invalid", "Укажите файл таблицы (.xlsx, .xls или .ods)."));
        }
        let order = match (self.order_number.as_deref().map(str::trim).filter(|n| !n.is_empty()), self.order_date) {
            (Some(number), Some(date)) => Some(Order { number: number.to_owned(), date }),
            (None, None) => None,
            (Some(_), None) => return Err(UiError::new("invalid", "Укажите дату приказа о зачислении.")),
            (None, Some(_)) => return Err(UiError::new("invalid", "Укажите номер приказа о зачислении.")),
        };
        Ok((kind, PathBuf::from(path), ImportOptions { order, enrolled_on: self.enrolled_on }))
    }
}

fn refusal(error: ExchangeError) -> UiError {
    UiError::new(error.code(), error.to_string())
}

/// The dry run: writes nothing.
#[tauri::command]
pub async fn import_preview(desk: Desktop<'_>, request: ImportRequest) -> UiResult<ImportPreview> {
    let (kind, path, options) = request.parse()?;
    let desk = Arc::clone(&desk);
    crate::print::blocking(move || {
        desk.with(|open| {
            let session = open.session()?.clone();
            classbook_exchange::preview_with(&open.journal, &session, kind, &path, &options).map_err(refusal)
        })
    })
    .await
}

/// The import: the file is read and checked again, then written in one
/// transaction; with any row error nothing is written.
#[tauri::command]
pub async fn import_apply(desk: Desktop<'_>, request: ImportRequest) -> UiResult<ImportReport> {
    let (kind, path, options) = request.parse()?;
    let desk = Arc::clone(&desk);
    crate::print::blocking(move || {
        desk.with(|open| {
            let session = open.session()?.clone();
            classbook_exchange::apply_with(&mut open.journal, &session, kind, &path, &options).map_err(refusal)
        })
    })
    .await
}

/// Where the wizard's file field starts: the user's Documents folder.
#[tauri::command]
pub fn documents_folder() -> String {
    crate::print::documents_dir().display().to_string()
}
