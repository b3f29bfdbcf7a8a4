//! The archive copy (REQUIREMENTS §5): every state table of the school as
//! stored — one worksheet per table, one csv file per table, or one json
//! object holding each table's rows. Password hashes are left out (core).

use super::sheet::{self, Cell, Sheet};
use super::{ExportFormat, Exported};
use crate::error::Result;
use classbook_core::{Journal, Session};
use serde_json::{Map, Value};
use std::path::Path;

pub fn export_archive(journal: &Journal, session: &Session, format: ExportFormat, out: &Path) -> Result<Exported> {
    let tables = journal.archive_tables(session)?;
    // Only the format asked for is built: the whole school's tables are
    // hundreds of MB as cells, and the json document would copy them again.
    let mut document = Map::new();
    let mut sheets = Vec::new();
    for table in &tables {
        if format == ExportFormat::Json {
            let objects: Vec<Value> = table
                .rows
                .iter()
                .map(|row| {
                    Value::Object(table.columns.iter().map(|c| c.to_string()).zip(row.iter().cloned()).collect())
                })
                .collect();
            document.insert(table.name.to_owned(), Value::Array(objects));
        }
        let mut rows = vec![table.columns.iter().map(|c| Cell::Text(c.to_string())).collect::<Vec<_>>()];
        if format != ExportFormat::Json {
            rows.extend(table.rows.iter().map(|row| row.iter().map(Cell::from_json).collect()));
        }
        sheets.push(Sheet { name: table.name.to_owned(), rows });
    }
    sheet::write(format, out, &sheets, &document)
}
