//! What an import would do, row by row, for the wizard's dry run — and what
//! is wrong, as «строка 14, столбец “Дата рождения”: …».

use crate::columns::ColumnMatch;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Students,
    Parents,
    Staff,
    Ktp,
}

impl ImportKind {
    /// `students`, `parents`, `staff`, `ktp` (as on the command line).
    pub fn from_code(code: &str) -> Option<ImportKind> {
        match code {
            "students" => Some(ImportKind::Students),
            "parents" => Some(ImportKind::Parents),
            "staff" => Some(ImportKind::Staff),
            "ktp" => Some(ImportKind::Ktp),
            _ => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ImportKind::Students => "учащиеся",
            ImportKind::Parents => "родители (законные представители)",
            ImportKind::Staff => "сотрудники",
            ImportKind::Ktp => "календарно-тематическое планирование",
        }
    }
}

/// A problem with one row (and usually one cell) of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number as Excel shows it.
    pub row: usize,
    /// The column's field title, when one cell is at fault.
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    pub fn cell(row: usize, column: &str, message: impl Into<String>) -> RowError {
        RowError { row, column: Some(column.to_owned()), message: message.into() }
    }

    pub fn row(row: usize, message: impl Into<String>) -> RowError {
        RowError { row, column: None, message: message.into() }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "строка {}, столбец “{}”: {}", self.row, column, self.message),
            None => write!(f, "строка {}: {}", self.row, self.message),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new record.
    Create,
    /// A record the journal has, with fields that change.
    Update,
    /// A record the journal already has exactly so (a re-import).
    Unchanged,
}

/// What one row of the file becomes.
#[derive(Clone, Debug, Serialize)]
pub struct RowPlan {
    pub row: usize,
    pub action: RowAction,
    /// «Алексеева Дарья Игоревна, 12.03.2014, 5А».
    pub record: String,
    /// What changes or what else happens («зачисление в 5А по приказу 12-у»).
    pub details: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImportPreview {
    pub kind: ImportKind,
    pub sheet: String,
    pub header_row: usize,
    pub columns: Vec<ColumnMatch>,
    pub rows: Vec<RowPlan>,
    pub errors: Vec<RowError>,
    /// Not errors, but worth a look (a class in the file differs from the journal's).
    pub warnings: Vec<RowError>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub empty_rows: usize,
}

impl ImportPreview {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// What `apply` wrote.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Ops recorded in the journal (one transaction).
    pub operations: usize,
}

/// «1 ошибка», «3 ошибки», «12 ошибок».
pub fn count_errors(n: usize) -> String {
    let word = match (n % 10, n % 100) {
        (1, r) if r != 11 => "ошибка",
        (2..=4, r) if !(12..=14).contains(&r) => "ошибки",
        _ => "ошибок",
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_the_office_expects() {
        let e = RowError::cell(14, "Дата рождения", "«весной» — не дата");
        assert_eq!(e.to_string(), "строка 14, столбец “Дата рождения”: «весной» — не дата");
        assert_eq!(count_errors(1), "1 ошибка");
        assert_eq!(count_errors(3), "3 ошибки");
        assert_eq!(count_errors(12), "12 ошибок");
        assert_eq!(count_errors(22), "22 ошибки");
    }
}
