//! A workbook read into plain grids: every sheet's cells with their real
//! row numbers, merged regions forward-filled (calamine leaves all but the
//! top-left cell of a merge empty; school lists merge «Класс» over its
//! students), and the date system the file counts serial dates from.

use crate::error::{ExchangeError, Result};
use calamine::{Data, Dimensions, Reader, Sheets, open_workbook_auto};
use std::path::Path;

/// One sheet: `cells[i]` is the sheet's row `first_row + i` (0-based), each
/// row starting at column A.
pub struct Grid {
    pub sheet: String,
    pub first_row: usize,
    pub cells: Vec<Vec<Data>>,
}

impl Grid {
    pub fn get(&self, index: usize, column: usize) -> &Data {
        self.cells.get(index).and_then(|row| row.get(column)).unwrap_or(&Data::Empty)
    }

    /// The 1-based row number people see in Excel.
    pub fn row_number(&self, index: usize) -> usize {
        self.first_row + index + 1
    }

    fn fill_merges(&mut self, merges: &[Dimensions]) {
        for merge in merges {
            let (top, left) = (merge.start.0 as usize, merge.start.1 as usize);
            let Some(top_index) = top.checked_sub(self.first_row) else { continue };
            let value = self.get(top_index, left).clone();
            if value == Data::Empty {
                continue;
            }
            for row in top..=merge.end.0 as usize {
                let index = row - self.first_row;
                if self.cells.len() <= index {
                    self.cells.resize(index + 1, Vec::new());
                }
                let cells = &mut self.cells[index];
                if cells.len() <= merge.end.1 as usize {
                    cells.resize(merge.end.1 as usize + 1, Data::Empty);
                }
                for cell in &mut cells[left..=merge.end.1 as usize] {
                    if *cell == Data::Empty {
                        *cell = value.clone();
                    }
                }
            }
        }
    }
}

pub struct Workbook {
    pub sheets: Vec<Grid>,
    /// Serial dates count from 1904-01-01 (old Mac Excel), not 1899-12-30.
    pub is_1904: bool,
}

pub fn read(path: &Path) -> Result<Workbook> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(ExchangeError::Unreadable { path: path.to_owned(), reason: io_reason(&e) });
    }
    let mut book = open_workbook_auto(path).map_err(|e| open_error(path, e))?;
    let is_1904 = match &book {
        Sheets::Xlsx(x) => x.has_1904_epoch(),
        Sheets::Xls(x) => x.has_1904_epoch(),
        Sheets::Xlsb(x) => x.has_1904_epoch(),
        Sheets::Ods(_) => false,
    };
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| open_error(path, e))?;
        // Merges are only exposed for xlsx and xls (calamine reads none from ods).
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let (first_row, first_col) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
        let cells = range
            .rows()
            .map(|row| std::iter::repeat_n(Data::Empty, first_col).chain(row.iter().cloned()).collect())
            .collect();
        let mut grid = Grid { sheet: name, first_row, cells };
        grid.fill_merges(&merges);
        sheets.push(grid);
    }
    Ok(Workbook { sheets, is_1904 })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "файла нет".into(),
        std::io::ErrorKind::PermissionDenied => "нет прав на чтение".into(),
        _ => e.to_string(),
    }
}

fn open_error(path: &Path, error: calamine::Error) -> ExchangeError {
    use calamine::{OdsError, XlsError, XlsxError};
    let path = path.to_owned();
    match error {
        calamine::Error::Xlsx(XlsxError::Password)
        | calamine::Error::Xls(XlsError::Password)
        | calamine::Error::Ods(OdsError::Password) => ExchangeError::PasswordProtected { path },
        calamine::Error::Io(e) => ExchangeError::Unreadable { reason: io_reason(&e), path },
        calamine::Error::Msg(_) => ExchangeError::WrongFormat { path },
        other => ExchangeError::Broken { path, reason: technical(&other) },
    }
}

/// The reader's own words, shortened: for the helpdesk, not the point of the message.
fn technical(error: &calamine::Error) -> String {
    let text = error.to_string();
    let short: String = text.chars().take(120).collect();
    format!("техническая причина: {short}")
}
