//! Sheets of cells and the three ways to write them.

use super::{ExportFormat, Exported};
use crate::error::{ExchangeError, Result};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use std::collections::HashSet;
use std::path::Path;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl Cell {
    pub fn from_json(value: &serde_json::Value) -> Cell {
        match value {
            serde_json::Value::Null => Cell::Empty,
            serde_json::Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
            serde_json::Value::String(s) => Cell::Text(s.clone()),
            other => Cell::Text(other.to_string()),
        }
    }

    fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// Names Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
pub fn sheet_names(wanted: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    wanted
        .iter()
        .map(|name| {
            let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect();
            let base: String = clean.chars().take(28).collect();
            let mut candidate: String = clean.chars().take(31).collect();
            let mut n = 2;
            while !taken.insert(candidate.to_lowercase()) {
                candidate = format!("{base} {n}");
                n += 1;
            }
            candidate
        })
        .collect()
}

/// Write `sheets` (xlsx or csv) or `document` (json) to `out`.
pub fn write(format: ExportFormat, out: &Path, sheets: &[Sheet], document: &impl Serialize) -> Result<Exported> {
    let names = sheets.iter().map(|s| s.name.clone()).collect();
    let files = match format {
        ExportFormat::Xlsx => {
            write_xlsx(out, sheets)?;
            vec![out.to_owned()]
        }
        ExportFormat::Csv => write_csv(out, sheets)?,
        ExportFormat::Json => {
            let file = std::fs::File::create(out).map_err(|e| ExchangeError::write(out, e))?;
            serde_json::to_writer_pretty(std::io::BufWriter::new(file), document)
                .map_err(|e| ExchangeError::write(out, e))?;
            vec![out.to_owned()]
        }
    };
    Ok(Exported { format, files, sheets: names })
}

fn write_xlsx(out: &Path, sheets: &[Sheet]) -> Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        // Rows are written in order, so each sheet can go to its temporary
        // file as it is written instead of being held whole in memory.
        let ws = book.add_worksheet_with_constant_memory().map_err(|e| ExchangeError::write(out, e))?;
        ws.set_name(&sheet.name).map_err(|e| ExchangeError::write(out, e))?;
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let written = match cell {
                    Cell::Empty => continue,
                    Cell::Text(t) if r == 0 => ws.write_string_with_format(r, c, t, &bold).map(|_| ()),
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                };
                written.map_err(|e| ExchangeError::write(out, e))?;
            }
        }
    }
    if sheets.is_empty() {
        book.add_worksheet();
    }
    book.save(out).map_err(|e| ExchangeError::write(out, e))
}

fn write_csv(dir: &Path, sheets: &[Sheet]) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| ExchangeError::write(dir, e))?;
    let mut files = Vec::new();
    for sheet in sheets {
        let path = dir.join(format!("{}.csv", sheet.name));
        write_csv_file(&path, &sheet.rows)?;
        files.push(path);
    }
    Ok(files)
}

/// One sheet as a `;`-separated UTF-8 file with a BOM (so Excel in a Russian
/// locale opens it right).
pub fn write_csv_file(path: &Path, rows: &[Vec<Cell>]) -> Result<()> {
    let mut file = std::fs::File::create(path).map_err(|e| ExchangeError::write(path, e))?;
    std::io::Write::write_all(&mut file, "\u{feff}".as_bytes()).map_err(|e| ExchangeError::write(path, e))?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(file);
    for row in rows {
        writer.write_record(row.iter().map(Cell::csv_text)).map_err(|e| ExchangeError::write(path, e))?;
    }
    writer.flush().map_err(|e| ExchangeError::write(path, e))
}
