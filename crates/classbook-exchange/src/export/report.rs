//! A report (`classbook_core::Report`) as a spreadsheet: one sheet — the
//! column headers, the rows, the totals — or, in csv, one file; json is the
//! report itself (title, what it covers, typed columns, rows, links).

use super::sheet::{self, Cell, Sheet};
use super::{ExportFormat, Exported};
use crate::error::Result;
use classbook_core::{Report, ReportValue};
use std::path::Path;

pub fn export_report(report: &Report, format: ExportFormat, out: &Path) -> Result<Exported> {
    let mut rows = vec![report.columns.iter().map(|c| Cell::Text(c.title.clone())).collect::<Vec<_>>()];
    rows.extend(report.rows.iter().map(|r| r.cells.iter().map(cell).collect()));
    if let Some(totals) = &report.totals {
        rows.push(totals.iter().map(cell).collect());
    }
    let name = sheet::sheet_names(std::slice::from_ref(&report.title)).remove(0);
    let sheets = [Sheet { name, rows }];
    match format {
        // A report is one table: one csv file where the user asked for it.
        ExportFormat::Csv => {
            sheet::write_csv_file(out, &sheets[0].rows)?;
            Ok(Exported { format, files: vec![out.to_owned()], sheets: vec![sheets[0].name.clone()] })
        }
        _ => sheet::write(format, out, &sheets, report),
    }
}

fn cell(value: &ReportValue) -> Cell {
    match value {
        ReportValue::Empty => Cell::Empty,
        ReportValue::Text(t) => Cell::Text(t.clone()),
        ReportValue::Count(n) => Cell::Number(*n as f64),
        ReportValue::Number(x) => Cell::Number((x * 100.0).round() / 100.0),
        // Dates as a Russian reader writes them (a text cell: no locale guessing).
        ReportValue::Date(_) => Cell::Text(value.display()),
    }
}
