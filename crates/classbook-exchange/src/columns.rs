//! Finding the columns: each field of an import is known by a few header
//! names; the header row is the first row (within the first rows of a sheet,
//! below any title rows) that names every required field.

use crate::cells::{name_key, text};
use crate::error::{ExchangeError, Result};
use crate::workbook::{Grid, Workbook};
use serde::Serialize;
use std::path::Path;

/// A field of an import: its title (as messages name it), the header names
/// it is known by, and whether the file must have it.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub title: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
}

impl Field {
    fn matches(&self, header: &str) -> bool {
        let key = header_key(header);
        !key.is_empty() && self.names.iter().any(|n| header_key(n) == key)
    }
}

/// Header text compared without case, spaces, punctuation or «ё»; «№» reads as «номер».
fn header_key(text: &str) -> String {
    name_key(&text.replace('№', " номер ")).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Where each field was found.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnMatch {
    pub field: &'static str,
    /// The header as written in the file; `None` when the file lacks the column.
    pub header: Option<String>,
    /// «A», «B» …
    pub column: Option<String>,
    #[serde(skip)]
    pub index: Option<usize>,
}

/// The sheet, its header row and the columns of `fields` (same order).
pub struct Layout<'a> {
    pub grid: &'a Grid,
    /// Index into `grid.cells` of the header row.
    pub header_index: usize,
    pub columns: Vec<ColumnMatch>,
}

impl Layout<'_> {
    pub fn column(&self, field: usize) -> Option<usize> {
        self.columns[field].index
    }

    pub fn header_row(&self) -> usize {
        self.grid.row_number(self.header_index)
    }
}

/// How far down a sheet the header may be (title rows, a school's letterhead).
const HEADER_SEARCH_ROWS: usize = 30;

pub fn locate<'a>(book: &'a Workbook, path: &Path, fields: &[Field]) -> Result<Layout<'a>> {
    let mut best: Option<(usize, Layout<'a>)> = None;
    for grid in &book.sheets {
        for index in 0..grid.cells.len().min(HEADER_SEARCH_ROWS) {
            let columns = match_row(grid, index, fields);
            let found = columns.iter().filter(|c| c.index.is_some()).count();
            let complete = fields.iter().zip(&columns).all(|(f, c)| !f.required || c.index.is_some());
            let layout = Layout { grid, header_index: index, columns };
            if complete {
                return Ok(layout);
            }
            if found > 0 && best.as_ref().is_none_or(|(n, _)| found > *n) {
                best = Some((found, layout));
            }
        }
    }
    match best {
        // Headers compare whole, so even one known column marks the header row.
        Some((_, layout)) => {
            let missing: Vec<String> = fields
                .iter()
                .zip(&layout.columns)
                .filter(|(f, c)| f.required && c.index.is_none())
                .map(|(f, _)| format!("«{}»", f.title))
                .collect();
            Err(ExchangeError::MissingColumns {
                sheet: layout.grid.sheet.clone(),
                row: layout.header_row(),
                missing: missing.join(", "),
            })
        }
        None => Err(ExchangeError::NoHeader {
            path: path.to_owned(),
            expected: fields
                .iter()
                .filter(|f| f.required)
                .map(|f| format!("«{}»", f.title))
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

fn match_row(grid: &Grid, index: usize, fields: &[Field]) -> Vec<ColumnMatch> {
    let mut columns: Vec<ColumnMatch> =
        fields.iter().map(|f| ColumnMatch { field: f.title, header: None, column: None, index: None }).collect();
    let width = grid.cells.get(index).map_or(0, Vec::len);
    for col in 0..width {
        let Some(header) = text(grid.get(index, col)) else { continue };
        // The first column of a name wins; a repeated header is ignored.
        if let Some(i) = fields.iter().enumerate().position(|(i, f)| columns[i].index.is_none() && f.matches(&header)) {
            columns[i] = ColumnMatch {
                field: fields[i].title,
                header: Some(header),
                column: Some(letter(col)),
                index: Some(col),
            };
        }
    }
    columns
}

/// The spreadsheet name of a 0-based column: 0 → «A», 27 → «AB».
pub fn letter(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_loosely() {
        let f = Field { title: "Эл. почта", names: &["Эл. почта", "E-mail"], required: false };
        assert!(f.matches(" эл почта "));
        assert!(f.matches("EMAIL"));
        let n = Field { title: "№", names: &["№", "Номер"], required: true };
        assert!(n.matches("Номер"));
        assert!(n.matches("№"));
        let born = Field { title: "Дата рождения", names: &["Дата рождения"], required: true };
        assert!(born.matches("Дата  Рождения"));
        let child = Field { title: "Ребёнок", names: &["Ребёнок"], required: true };
        assert!(child.matches("ребенок"));
    }

    #[test]
    fn column_letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
        assert_eq!(letter(27), "AB");
    }
}
