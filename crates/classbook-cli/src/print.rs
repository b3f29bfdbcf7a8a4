//! `classbook print …`: the journal's PDF documents, written whole or not at
//! all (a full disk or a vanished folder leaves no half-written PDF).

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use classbook_core::{ClassBook, Journal, Session};
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Subcommand)]
pub enum PrintCommand {
    /// Классный журнал для прошивки: за год или за период
    Journal {
        #[command(flatten)]
        who: Who,
        /// Класс, например 5А; без него — журналы всех классов в папку --out
        #[arg(long)]
        class: Option<String>,
        /// Период: номер («1») или название («1 четверть»); без него — весь год
        #[arg(long)]
        period: Option<String>,
        /// Файл PDF (или папка, когда класс не указан)
        #[arg(long)]
        out: PathBuf,
    },
    /// Сводная ведомость итоговых отметок класса за год
    Summary {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        class: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Сведения об успеваемости для родителей за даты (по ученику или всему классу)
    Parent {
        #[command(flatten)]
        who: Who,
        /// Класс; можно не указывать, когда указан ученик
        #[arg(long, required_unless_present = "student")]
        class: Option<String>,
        /// Фамилия и имя ученика; без него — на каждого ученика класса
        #[arg(long)]
        student: Option<String>,
        /// Первый день: 01.12.2025 или 2025-12-01
        #[arg(long)]
        from: String,
        /// Последний день
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Табель успеваемости (по ученику или всему классу)
    ReportCard {
        #[command(flatten)]
        who: Who,
        /// Класс; можно не указывать, когда указан ученик
        #[arg(long, required_unless_present = "student")]
        class: Option<String>,
        #[arg(long)]
        student: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Информационное письмо родителям (законным представителям) за период или даты
    Letter {
        #[command(flatten)]
        who: Who,
        /// Класс; можно не указывать, когда указан ученик
        #[arg(long, required_unless_present = "student")]
        class: Option<String>,
        /// Фамилия и имя ученика; без него — письмо каждому ученику класса
        #[arg(long)]
        student: Option<String>,
        /// Период: номер («1») или название («1 четверть»)
        #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present_all = ["from", "to"])]
        period: Option<String>,
        /// Первый день (вместо периода): 01.12.2025 или 2025-12-01
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Последний день
        #[arg(long, requires = "from")]
        to: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Отчёт классного руководителя о результатах за период
    ClassReport {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        class: String,
        /// Период: номер («1») или название («1 четверть»)
        #[arg(long)]
        period: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args)]
pub struct Who {
    /// Логин того, кто печатает (пароль — из CLASSBOOK_PASSWORD)
    #[arg(long = "as", default_value = "admin")]
    login: String,
}

pub fn run(journal: &mut Journal, command: PrintCommand) -> Result<()> {
    let login = match &command {
        PrintCommand::Journal { who, .. }
        | PrintCommand::Summary { who, .. }
        | PrintCommand::Parent { who, .. }
        | PrintCommand::ReportCard { who, .. }
        | PrintCommand::Letter { who, .. }
        | PrintCommand::ClassReport { who, .. } => who.login.clone(),
    };
    let session = crate::user_session(journal, &login)?;
    let today = journal.today()?;
    match command {
        PrintCommand::Journal { class: Some(class), period, out, .. } => {
            let period = period.map(|p| period_id(journal, &p)).transpose()?;
            let book = class_book(journal, &session, &class, period)?;
            let printed = classbook_print::class_journal(&book, today);
            write_pdf(&out, &printed.document.to_pdf())?;
            println!(
                "{}: страниц: {}, листов для прошивки: {}.",
                out.display(),
                printed.document.page_count(),
                printed.sheets
            );
        }
        PrintCommand::Journal { class: None, period, out, .. } => {
            let period = period.map(|p| period_id(journal, &p)).transpose()?;
            print_school(journal, &session, period, &out, today)?;
        }
        PrintCommand::Summary { class, out, .. } => {
            let book = class_book(journal, &session, &class, None)?;
            let pdf = classbook_print::summary_sheet(&book, today);
            write_pdf(&out, &pdf.to_pdf())?;
            println!("{}: страниц: {}.", out.display(), pdf.page_count());
        }
        PrintCommand::Parent { class, student, from, to, out, .. } => {
            let (from, to) = (parse_date(&from, "--from")?, parse_date(&to, "--to")?);
            let period = journal.period_of(to)?;
            let class = class_of(journal, class, student.as_deref(), to)?;
            let book = journal.class_book(&session, class, period)?;
            let students = chosen_students(&book, student.as_deref())?;
            let records = students
                .iter()
                .map(|s| journal.student_record(&session, *s, from, to))
                .collect::<classbook_core::Result<Vec<_>>>()?;
            let pdf = classbook_print::parent_printout(&book.school_name, &records);
            write_pdf(&out, &pdf.to_pdf())?;
            println!("{}: страниц: {}, учеников: {}.", out.display(), pdf.page_count(), records.len());
        }
        PrintCommand::ReportCard { class, student, out, .. } => {
            let class = class_of(journal, class, student.as_deref(), today)?;
            let book = journal.class_book(&session, class, None)?;
            let students = chosen_students(&book, student.as_deref())?;
            let pdf = classbook_print::report_cards(&book, &students, today);
            write_pdf(&out, &pdf.to_pdf())?;
            println!("{}: страниц: {}.", out.display(), pdf.page_count());
        }
        PrintCommand::Letter { class, student, period, from, to, out, .. } => {
            let letters = letters(journal, &session, class, student.as_deref(), period, from.zip(to))?;
            let school = journal.setting("school_name")?.unwrap_or_default();
            let pdf = classbook_print::parent_letters(&school, &letters, today);
            write_pdf(&out, &pdf.to_pdf())?;
            println!("{}: страниц: {}, писем: {}.", out.display(), pdf.page_count(), letters.len());
        }
        PrintCommand::ClassReport { class, period, out, .. } => {
            let class_id = journal.class_by_name(&class)?;
            let period = period_id(journal, &period)?;
            let report = journal.class_period(&session, class_id, period)?;
            let pdf = classbook_print::class_report(&report, today);
            write_pdf(&out, &pdf.to_pdf())?;
            println!("{}: страниц: {}.", out.display(), pdf.page_count());
        }
    }
    Ok(())
}

/// The letters to print: for a period (its dates and finals) or for dates
/// (with the finals of the period the last day is in); one student's — found
/// by name without reading the class's journal, so a parent may print their
/// own child's — or every student's of the class.
fn letters(
    journal: &Journal,
    session: &Session,
    class: Option<String>,
    student: Option<&str>,
    period: Option<String>,
    dates: Option<(String, String)>,
) -> Result<Vec<classbook_print::Letter>> {
    let periods = journal.periods()?;
    let (from, to, period_id, title) = match (period, dates) {
        (Some(p), _) => {
            let id = period_id(journal, &p)?;
            let info = periods.iter().find(|i| i.id == id).context("период не найден")?;
            (info.starts_on, info.ends_on, Some(id), Some(info.title.clone()))
        }
        (None, Some((from, to))) => {
            let (from, to) = (parse_date(&from, "--from")?, parse_date(&to, "--to")?);
            (from, to, journal.period_of(to)?, None)
        }
        (None, None) => bail!("укажите период (--period) или даты (--from и --to)"),
    };
    let students = match student {
        Some(name) => {
            let (student, in_class) = journal.student_named(name, to)?;
            if let Some(class) = &class
                && journal.class_by_name(class)? != in_class
            {
                bail!("ученик «{name}» на {} не в {class} классе", to.format("%d.%m.%Y"));
            }
            vec![student]
        }
        None => {
            let class = class.context("укажите класс (--class) или ученика (--student)")?;
            let book = class_book(journal, session, &class, period_id)?;
            book.students.iter().map(|s| s.id).collect()
        }
    };
    students
        .into_iter()
        .map(|id| {
            let record = journal.student_record(session, id, from, to)?;
            let finals = match period_id {
                Some(p) => journal.student_finals(session, id, p)?,
                None => Vec::new(),
            };
            Ok(classbook_print::Letter { record, period: title.clone(), finals })
        })
        .collect()
}

fn class_book(journal: &Journal, session: &Session, class: &str, period: Option<Uuid>) -> Result<ClassBook> {
    let class_id = journal.class_by_name(class)?;
    Ok(journal.class_book(session, class_id, period)?)
}

/// The class named, or else the class the named student is in on `day`.
fn class_of(journal: &Journal, class: Option<String>, student: Option<&str>, day: NaiveDate) -> Result<Uuid> {
    match (class, student) {
        (Some(class), _) => Ok(journal.class_by_name(&class)?),
        (None, Some(student)) => Ok(journal.student_named(student, day)?.1),
        (None, None) => bail!("укажите класс (--class) или ученика (--student)"),
    }
}

/// Every class's journal into `dir`, one class at a time (one document in
/// memory at once).
fn print_school(
    journal: &Journal,
    session: &Session,
    period: Option<Uuid>,
    dir: &Path,
    today: NaiveDate,
) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("не удалось создать папку {}", dir.display()))?;
    let classes = journal.school_structure(session)?.classes;
    let started = std::time::Instant::now();
    let mut pages = 0;
    for class in &classes {
        let book = journal.class_book(session, class.id, period)?;
        let printed = classbook_print::class_journal(&book, today);
        let path = dir.join(format!("Журнал {}.pdf", class.name));
        write_pdf(&path, &printed.document.to_pdf())?;
        println!("{}: страниц: {}, листов: {}", path.display(), printed.document.page_count(), printed.sheets);
        pages += printed.document.page_count();
    }
    println!("Классов: {}, страниц: {pages}, за {:.1} с.", classes.len(), started.elapsed().as_secs_f64());
    Ok(())
}

pub(crate) fn period_id(journal: &Journal, wanted: &str) -> Result<Uuid> {
    let periods = journal.periods()?;
    let wanted = wanted.trim();
    let found = periods
        .iter()
        .find(|p| p.title.eq_ignore_ascii_case(wanted) || p.title.split_whitespace().next() == Some(wanted));
    match found {
        Some(p) => Ok(p.id),
        None => bail!(
            "периода «{wanted}» нет: укажите номер или название одного из: {}",
            periods.iter().map(|p| p.title.as_str()).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Students named by «Фамилия Имя» (the start of the full name), or all.
fn chosen_students(book: &ClassBook, wanted: Option<&str>) -> Result<Vec<Uuid>> {
    let Some(wanted) = wanted else { return Ok(book.students.iter().map(|s| s.id).collect()) };
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е");
    let key = norm(wanted);
    let found: Vec<_> = book.students.iter().filter(|s| norm(&s.full_name).starts_with(&key)).collect();
    match found.as_slice() {
        [one] => Ok(vec![one.id]),
        [] => bail!("в {} классе нет ученика «{wanted}»: укажите фамилию и имя, как в списке класса", book.class_name),
        many => bail!(
            "«{wanted}» подходит нескольким ученикам ({}): укажите полнее",
            many.iter().map(|s| s.full_name.as_str()).collect::<Vec<_>>().join("; ")
        ),
    }
}

pub(crate) fn parse_date(text: &str, flag: &str) -> Result<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .with_context(|| format!("{flag} «{text}»: дата пишется как 01.12.2025 или 2025-12-01"))
}

/// Write the PDF whole or not at all (see `classbook_print::save_pdf`).
pub(crate) fn write_pdf(path: &Path, bytes: &[u8]) -> Result<()> {
    Ok(classbook_print::save_pdf(path, bytes)?)
}
