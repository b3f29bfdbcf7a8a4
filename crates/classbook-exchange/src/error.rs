//! What can go wrong with a spreadsheet, said so that the person at the
//! school office knows what to fix. Row-level problems are collected, not
//! thrown one at a time: a file is corrected in one go.

use crate::preview::RowError;
use classbook_core::JournalError;
use std::path::PathBuf;

pub type Result<T> = std::result::Result<T, ExchangeError>;

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("Не удалось открыть файл {}: {reason}. Проверьте, что файл существует и не открыт в другой программе.", path.display())]
    Unreadable { path: PathBuf, reason: String },

    #[error(
        "Файл {} защищён паролем. Откройте его в Excel или LibreOffice, снимите пароль \
         («Файл» → «Сведения» → «Защитить книгу» → «Зашифровать с использованием пароля», очистите поле) \
         и сохраните файл снова.", path.display()
    )]
    PasswordProtected { path: PathBuf },

    #[error(
        "Файл {} повреждён или это не таблица ({reason}). Откройте его в Excel или LibreOffice и сохраните \
         заново в формате .xlsx; если файл скачан — скачайте его ещё раз.", path.display()
    )]
    Broken { path: PathBuf, reason: String },

    #[error("Формат файла {} не поддерживается: сохраните таблицу как .xlsx, .xls или .ods.", path.display())]
    WrongFormat { path: PathBuf },

    #[error(
        "В файле {} не найдена строка заголовков. Первой строкой таблицы (над данными) должны идти названия \
         столбцов: {expected}.", path.display()
    )]
    NoHeader { path: PathBuf, expected: String },

    #[error(
        "В таблице (лист «{sheet}», строка заголовков {row}) нет обязательных столбцов: {missing}. \
         Добавьте их или переименуйте существующие столбцы."
    )]
    MissingColumns { sheet: String, row: usize, missing: String },

    #[error("{}", rows_message(.0))]
    Rows(Vec<RowError>),

    #[error("Не удалось записать {}: {reason}. Проверьте, что папка существует и файл не открыт в Excel.", path.display())]
    Write { path: PathBuf, reason: String },

    #[error("{0}")]
    NotFound(String),

    #[error(transparent)]
    Journal(#[from] JournalError),
}

fn rows_message(errors: &[RowError]) -> String {
    let mut text = format!(
        "В файле {} — ничего не записано. Исправьте файл и повторите импорт:",
        crate::preview::count_errors(errors.len())
    );
    for error in errors {
        text.push_str("\n  ");
        text.push_str(&error.to_string());
    }
    text
}

impl ExchangeError {
    /// A stable code for programs (the wizard branches on it, never on text).
    pub fn code(&self) -> &'static str {
        match self {
            ExchangeError::Unreadable { .. } => "file_unreadable",
            ExchangeError::PasswordProtected { .. } => "password_protected",
            ExchangeError::Broken { .. } => "file_broken",
            ExchangeError::WrongFormat { .. } => "wrong_format",
            ExchangeError::NoHeader { .. } => "no_header",
            ExchangeError::MissingColumns { .. } => "missing_columns",
            ExchangeError::Rows(_) => "row_errors",
            ExchangeError::Write { .. } => "write_failed",
            ExchangeError::NotFound(_) => "not_found",
            ExchangeError::Journal(e) => e.code(),
        }
    }

    pub(crate) fn write(path: &std::path::Path, reason: impl std::fmt::Display) -> ExchangeError {
        ExchangeError::Write { path: path.to_owned(), reason: reason.to_string() }
    }
}
