//! The archive register as a table to print or hand over: xlsx or csv
//! (`;`-separated UTF-8 with a BOM, which Excel in a Russian locale opens).

use crate::error::{ArchiveError, Result};
use classbook_core::Journal;
use std::path::Path;

pub const REGISTER_COLUMNS: [&str; 12] = [
    "№",
    "Учебный год",
    "Сформирован",
    "Кто сформировал",
    "Архив",
    "Файлов",
    "Объём, МБ",
    "Носители",
    "Отпечаток ключа",
    "SHA-256 описи",
    "Последняя проверка",
    "Результат проверки",
];

/// The register's rows, as shown (times in the school's time zone).
pub fn register_rows(journal: &Journal) -> Result<Vec<Vec<String>>> {
    let offset = journal.school_offset()?;
    let when = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&offset).format("%d.%m.%Y %H:%M").to_string();
    Ok(journal
        .archives()?
        .into_iter()
        .map(|r| {
            vec![
                r.number.to_string(),
                r.bundle.year.clone(),
                when(r.bundle.created_at),
                r.bundle.who.clone(),
                r.bundle.bundle.clone(),
                r.bundle.files.to_string(),
                format!("{:.1}", r.bundle.bytes as f64 / 1e6).replace('.', ","),
                r.bundle.destinations.join("; "),
                r.bundle.key_fingerprint.clone(),
                r.bundle.manifest_sha256.clone(),
                r.verified_at.map(when).unwrap_or_default(),
                match r.verified_ok {
                    Some(true) => "архив цел".into(),
                    Some(false) => "ОШИБКА".into(),
                    None => String::new(),
                },
            ]
        })
        .collect())
}

/// Write the register to `out`: `.xlsx` or `.csv` by its extension.
pub fn export_register(journal: &Journal, out: &Path) -> Result<()> {
    let rows = register_rows(journal)?;
    let io = |source: std::io::Error| ArchiveError::Io { what: "записать", path: out.to_owned(), source };
    match out.extension().and_then(|e| e.to_str()).map(str::to_lowercase).as_deref() {
        Some("xlsx") => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let sheet = book.add_worksheet();
            let xlsx = |e: rust_xlsxwriter::XlsxError| io(std::io::Error::other(e.to_string()));
            sheet.set_name("Архивный реестр").map_err(xlsx)?;
            for (c, title) in REGISTER_COLUMNS.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *title, &bold).map_err(xlsx)?;
            }
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    sheet.write_string(r as u32 + 1, c as u16, cell).map_err(xlsx)?;
                }
            }
            book.save(out).map_err(xlsx)
        }
        Some("csv") => {
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            {
                let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut bytes);
                let csv = |e: csv::Error| io(std::io::Error::other(e.to_string()));
                writer.write_record(REGISTER_COLUMNS).map_err(csv)?;
                for row in &rows {
                    writer.write_record(row).map_err(csv)?;
                }
                writer.flush().map_err(io)?;
            }
            std::fs::write(out, bytes).map_err(io)
        }
        _ => Err(ArchiveError::BadDestination {
            path: out.to_owned(),
            reason: "реестр записывается в файл .xlsx или .csv".into(),
        }),
    }
}
