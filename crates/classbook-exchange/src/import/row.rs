//! One data row of the file: its cells for the import's fields, read as
//! text, dates or numbers, each problem a `RowError` naming row and column.

use crate::cells;
use crate::columns::{Field, Layout};
use crate::preview::RowError;
use calamine::Data;
use chrono::NaiveDate;

pub(crate) struct Row<'a> {
    /// As Excel shows it.
    pub number: usize,
    cells: Vec<&'a Data>,
    fields: &'static [Field],
    is_1904: bool,
}

pub(crate) struct Rows<'a> {
    pub rows: Vec<Row<'a>>,
    /// Rows with nothing in the import's columns (spacers between classes).
    pub empty: usize,
}

pub(crate) fn rows<'a>(layout: &'a Layout<'a>, fields: &'static [Field], is_1904: bool) -> Rows<'a> {
    let mut rows = Vec::new();
    // Spacer rows count only between data rows, not after the last one.
    let (mut empty, mut pending) = (0, 0);
    for index in layout.header_index + 1..layout.grid.cells.len() {
        let cells: Vec<&Data> = (0..fields.len())
            .map(|f| layout.column(f).map_or(&Data::Empty, |col| layout.grid.get(index, col)))
            .collect();
        if cells.iter().all(|c| cells::text(c).is_none()) {
            pending += 1;
            continue;
        }
        empty += std::mem::take(&mut pending);
        rows.push(Row { number: layout.grid.row_number(index), cells, fields, is_1904 });
    }
    Rows { rows, empty }
}

impl Row<'_> {
    fn title(&self, field: usize) -> &'static str {
        self.fields[field].title
    }

    fn error(&self, field: usize, message: impl Into<String>) -> RowError {
        RowError::cell(self.number, self.title(field), message)
    }

    pub fn text(&self, field: usize) -> Option<String> {
        cells::text(self.cells[field])
    }

    /// The text of a field that must be filled; `hint` says what to write.
    pub fn required(&self, field: usize, hint: &str, errors: &mut Vec<RowError>) -> Option<String> {
        let text = self.text(field);
        if text.is_none() {
            errors.push(self.error(field, format!("не заполнено: {hint}")));
        }
        text
    }

    pub fn date(&self, field: usize, errors: &mut Vec<RowError>) -> Option<NaiveDate> {
        match cells::date(self.cells[field], self.is_1904) {
            Ok(date) => date,
            Err(message) => {
                errors.push(self.error(field, message));
                None
            }
        }
    }

    pub fn number(&self, field: usize, errors: &mut Vec<RowError>) -> Option<f64> {
        match cells::number(self.cells[field]) {
            Ok(n) => n,
            Err(message) => {
                errors.push(self.error(field, message));
                None
            }
        }
    }

    /// A problem with `field` of this row, said in full.
    pub fn problem(&self, field: usize, message: impl Into<String>) -> RowError {
        self.error(field, message)
    }
}
