//! `classbook report NAME …`: any report of the journal as csv, xlsx, json
//! or PDF — to a file, or csv/json to the terminal.

use crate::print::{parse_date, period_id, write_pdf};
use anyhow::{Context, Result, bail};
use clap::Args;
use classbook_core::{Journal, ReportName, ReportQuery};
use std::path::PathBuf;

#[derive(Args)]
pub struct ReportArgs {
    /// Отчёт: class-sizes, attendance, results, timeliness, fill-rate, program, … (`classbook report list`)
    name: String,
    /// Класс, например 5А
    #[arg(long)]
    class: Option<String>,
    /// Период: номер («1») или название («1 четверть»)
    #[arg(long)]
    period: Option<String>,
    /// Первый день: 01.12.2025 или 2025-12-01
    #[arg(long)]
    from: Option<String>,
    /// Последний день
    #[arg(long)]
    to: Option<String>,
    /// Ученик: фамилия и имя
    #[arg(long)]
    student: Option<String>,
    /// Учитель: фамилия (и инициалы, если фамилия не одна)
    #[arg(long)]
    teacher: Option<String>,
    /// csv, xlsx, json или pdf
    #[arg(long, default_value = "csv")]
    format: String,
    /// Файл; без него csv и json выводятся на экран
    #[arg(long)]
    out: Option<PathBuf>,
    /// Логин того, кто смотрит отчёт (пароль — из CLASSBOOK_PASSWORD)
    #[arg(long = "as", default_value = "admin")]
    login: String,
}

pub fn run(journal: &mut Journal, args: ReportArgs) -> Result<()> {
    if args.name == "list" {
        for name in ReportName::ALL {
            println!("{:<20} {}", name.code(), name.title());
        }
        return Ok(());
    }
    let Some(name) = ReportName::parse(&args.name) else {
        let known: Vec<_> = ReportName::ALL.iter().map(|r| r.code()).collect();
        bail!("отчёта «{}» нет; есть: {}", args.name, known.join(", "));
    };
    let format = args.format.trim().to_lowercase();
    if !["csv", "xlsx", "json", "pdf"].contains(&format.as_str()) {
        bail!("--format «{}»: укажите csv, xlsx, json или pdf", args.format);
    }
    if args.out.is_none() && (format == "xlsx" || format == "pdf") {
        bail!("для --format {format} укажите файл в --out");
    }
    let session = crate::user_session(journal, &args.login)?;
    let today = journal.today()?;
    let to = args.to.as_deref().map(|d| parse_date(d, "--to")).transpose()?;
    let mut query = ReportQuery {
        from: args.from.as_deref().map(|d| parse_date(d, "--from")).transpose()?,
        to,
        period_id: args.period.as_deref().map(|p| period_id(journal, p)).transpose()?,
        class_id: args.class.as_deref().map(|c| journal.class_by_name(c)).transpose()?,
        ..ReportQuery::default()
    };
    if let Some(student) = &args.student {
        let (student_id, class_id) = journal.student_named(student, to.unwrap_or(today))?;
        query.student_id = Some(student_id);
        query.class_id.get_or_insert(class_id);
    }
    if let Some(teacher) = &args.teacher {
        query.teacher_id = Some(teacher_id(journal, &session, teacher)?);
    }
    let report = journal.report(&session, name, &query)?;
    match (format.as_str(), &args.out) {
        ("pdf", Some(out)) => write_pdf(out, &classbook_print::report_document(&report, today).to_pdf())?,
        ("json", None) => println!("{}", serde_json::to_string_pretty(&report).context("отчёт не записался в JSON")?),
        ("csv", None) => {
            let mut out = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(std::io::stdout());
            out.write_record(report.columns.iter().map(|c| c.title.as_str()))?;
            for row in report.rows.iter().map(|r| &r.cells).chain(report.totals.iter()) {
                out.write_record(row.iter().map(|v| v.display()))?;
            }
            out.flush()?;
        }
        (_, Some(out)) => {
            let format = classbook_exchange::ExportFormat::from_code(&format).expect("checked above");
            classbook_exchange::export_report(&report, format, out)?;
        }
        _ => unreachable!("xlsx and pdf need --out, checked above"),
    }
    if let Some(out) = &args.out {
        println!("{}: {} — строк: {}.", out.display(), report.title, report.rows.len());
    }
    Ok(())
}

/// A teacher by surname («Петрова», or «Петрова А. И.» when there are two).
fn teacher_id(journal: &Journal, session: &classbook_core::Session, wanted: &str) -> Result<uuid::Uuid> {
    let staff = journal.staff_list(session)?;
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е");
    let key = norm(wanted);
    let found: Vec<_> = staff.iter().filter(|s| norm(&s.name).starts_with(&key)).collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => bail!("учителя «{wanted}» в журнале нет: укажите фамилию, как в списке сотрудников"),
        many => bail!(
            "«{wanted}» подходит нескольким сотрудникам ({}): добавьте инициалы",
            many.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("; ")
        ),
    }
}
