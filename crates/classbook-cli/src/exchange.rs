//! `classbook import` and `classbook export`: spreadsheets in and out of
//! the journal through `classbook-exchange`, under a user's session.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use classbook_core::{Journal, Order, PeriodInfo};
use classbook_exchange::{ExportFormat, ImportKind, ImportOptions, RowAction};
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Журнал класса: по каждому предмету (подгруппе) и периоду — отметки, посещаемость, темы, задания
    Journal {
        /// Класс, например 5А
        #[arg(long)]
        class: String,
        /// Период: номер («1») или название («1 четверть»); по умолчанию все
        #[arg(long)]
        period: Option<String>,
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Файл (xlsx, json) или папка (csv)
        #[arg(long)]
        out: PathBuf,
        #[arg(long = "as", default_value = "admin")]
        login: String,
    },
    /// Итоги класса за период: успеваемость и качество знаний
    Results {
        #[arg(long)]
        class: String,
        #[arg(long)]
        period: String,
        #[arg(long, default_value = "xlsx")]
        format: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long = "as", default_value = "admin")]
        login: String,
    },
    /// Архивная копия: все таблицы журнала школы
    Archive {
        #[arg(long, default_value = "xlsx")]
        format: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long = "as", default_value = "admin")]
        login: String,
    },
}

pub struct ImportArgs {
    pub kind: String,
    pub file: PathBuf,
    pub dry_run: bool,
    pub login: String,
    pub order: Option<String>,
    pub order_date: Option<String>,
}

pub fn import(journal: &mut Journal, args: ImportArgs) -> Result<()> {
    let kind = ImportKind::from_code(&args.kind)
        .with_context(|| format!("неизвестный вид импорта «{}»: допустимы students, parents, staff, ktp", args.kind))?;
    let session = crate::user_session(journal, &args.login)?;
    let options = ImportOptions {
        order: match (args.order, args.order_date) {
            (Some(number), Some(date)) => Some(Order { number, date: parse_date(&date)? }),
            (None, None) => None,
            _ => bail!("укажите и номер приказа (--order), и его дату (--order-date)"),
        },
        enrolled_on: None,
    };
    let preview = classbook_exchange::preview_with(journal, &session, kind, &args.file, &options)?;
    if args.dry_run {
        println!(
            "Предварительный просмотр ({}): лист «{}», заголовки в строке {}",
            kind.title(),
            preview.sheet,
            preview.header_row
        );
        for c in &preview.columns {
            match (&c.column, &c.header) {
                (Some(col), Some(header)) => println!("  {:<24} ← столбец {col} «{header}»", c.field),
                _ => println!("  {:<24} — нет в файле", c.field),
            }
        }
        for row in &preview.rows {
            let action = match row.action {
                RowAction::Create => "добавить",
                RowAction::Update => "изменить",
                RowAction::Unchanged => "без изменений",
            };
            println!("строка {:>5}: {action:<14} {} {}", row.row, row.record, row.details.join("; "));
        }
        for w in &preview.warnings {
            println!("Внимание: {w}");
        }
        println!(
            "Будет добавлено: {}, изменено: {}, без изменений: {}; пустых строк пропущено: {}.",
            preview.created, preview.updated, preview.unchanged, preview.empty_rows
        );
        if !preview.errors.is_empty() {
            return Err(classbook_exchange::ExchangeError::Rows(preview.errors).into());
        }
        println!("Ошибок нет. Пробный запуск: в журнал ничего не записано.");
        return Ok(());
    }
    let started = std::time::Instant::now();
    let report = classbook_exchange::apply_with(journal, &session, kind, &args.file, &options)?;
    for w in &preview.warnings {
        println!("Внимание: {w}");
    }
    println!(
        "Импорт выполнен: добавлено {}, изменено {}, без изменений {} (операций: {}, за {:.2} с).",
        report.created,
        report.updated,
        report.unchanged,
        report.operations,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn export(journal: &mut Journal, command: ExportCommand) -> Result<()> {
    let exported = match command {
        ExportCommand::Journal { class, period, format, out, login } => {
            let session = crate::user_session(journal, &login)?;
            let class_id = find_class(journal, &session, &class)?;
            let periods = match period {
                Some(p) => vec![find_period(journal, &p)?],
                None => Vec::new(),
            };
            classbook_exchange::export_journal(journal, &session, class_id, &periods, export_format(&format)?, &out)?
        }
        ExportCommand::Results { class, period, format, out, login } => {
            let session = crate::user_session(journal, &login)?;
            let class_id = find_class(journal, &session, &class)?;
            let period = find_period(journal, &period)?;
            classbook_exchange::export_results(journal, &session, class_id, &period, export_format(&format)?, &out)?
        }
        ExportCommand::Archive { format, out, login } => {
            let session = crate::user_session(journal, &login)?;
            classbook_exchange::export_archive(journal, &session, export_format(&format)?, &out)?
        }
    };
    for file in &exported.files {
        println!("Записан файл {}", file.display());
    }
    println!("Листов: {}", exported.sheets.len());
    Ok(())
}

fn export_format(code: &str) -> Result<ExportFormat> {
    ExportFormat::from_code(code).with_context(|| format!("неизвестный формат «{code}»: допустимы xlsx, csv, json"))
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d"))
        .with_context(|| format!("«{text}» — не дата: укажите её как ДД.ММ.ГГГГ"))
}

fn find_class(journal: &Journal, session: &classbook_core::Session, name: &str) -> Result<Uuid> {
    classbook_exchange::find_class(journal, session, name)?
        .with_context(|| format!("класса «{name}» нет в журнале текущего учебного года: укажите его как 5А"))
}

/// A period by its number among the short periods («1») or its title.
fn find_period(journal: &Journal, text: &str) -> Result<PeriodInfo> {
    let periods = journal.periods()?;
    let wanted = text.trim().to_lowercase();
    let found = periods.iter().find(|p| {
        let title = p.title.to_lowercase();
        title == wanted || title.split_whitespace().next() == Some(wanted.as_str()) && wanted.parse::<u32>().is_ok()
    });
    found.cloned().with_context(|| {
        let known: Vec<&str> = periods.iter().map(|p| p.title.as_str()).collect();
        format!("периода «{text}» нет: укажите номер или название — {}", known.join(", "))
    })
}
