//! `classbook archive create | verify | list | register`: the CLI over
//! `classbook-archive` — the yearly archive on two media, its check years
//! later, and the archive register.
//!
//! The school's key comes as for backups (it is the same key): from
//! `CLASSBOOK_BACKUP_PASSPHRASE`, the OS keyring of this PC (`classbook
//! backup key` puts it there), or a prompt. Synchronous, like `backup`: the
//! keyring's client runs an async runtime of its own.

use crate::backup::PASSPHRASE_VAR;
use anyhow::{Result, bail};
use clap::Subcommand;
use classbook_archive::{ArchiveCheck, Progress, Stage};
use classbook_backup::{KdfParams, SchoolKey, Secret};
use classbook_core::Journal;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ArchiveCommand {
    /// Сформировать архив закрытого учебного года: журналы и сводные ведомости (PDF), таблицы Excel,
    /// снимок журнала и подписанная опись — на два носителя; запись в архивный реестр
    Create {
        /// Учебный год, например 2025/2026
        #[arg(long)]
        year: String,
        /// Папка на носителе (не меньше двух: разные носители в разных помещениях)
        #[arg(long = "to", required = true)]
        to: Vec<PathBuf>,
        /// Логин администратора или заместителя директора (пароль — из CLASSBOOK_PASSWORD)
        #[arg(long = "as", default_value = "admin")]
        login: String,
    },
    /// Проверить архив: подпись описи, размер и SHA-256 каждого файла, лишние файлы, снимок журнала.
    /// С --db — и по архивному реестру этого журнала
    Verify {
        /// Папка архива (classbook-archive-…)
        dir: PathBuf,
        /// Отпечаток ключа школы, которым должен быть подписан архив
        #[arg(long)]
        key: Option<String>,
    },
    /// Архивный реестр этого журнала
    List,
    /// Архивный реестр в файл (.xlsx или .csv) для печати и передачи
    Register {
        /// Файл .xlsx или .csv; без него — реестр на экран
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// `archive verify` without `--db`: no journal is opened (nor created).
pub fn without_journal(command: &ArchiveCommand) -> Option<Result<()>> {
    match command {
        ArchiveCommand::Verify { dir, key } => {
            let outcome = {
                let mut bar = Bar::new();
                classbook_archive::verify_archive(dir, key.as_deref(), &mut |p| bar.update(&p))
            };
            Some(report_check(outcome))
        }
        _ => None,
    }
}

pub fn run(journal: &mut Journal, command: ArchiveCommand) -> Result<()> {
    match command {
        ArchiveCommand::Create { year, to, login } => create(journal, &year, &to, &login),
        ArchiveCommand::Verify { dir, key } => {
            let outcome = {
                let mut bar = Bar::new();
                classbook_archive::verify_registered(journal, &dir, key.as_deref(), &mut |p| bar.update(&p))
            };
            report_check(outcome)
        }
        ArchiveCommand::List | ArchiveCommand::Register { out: None } => list(journal),
        ArchiveCommand::Register { out: Some(out) } => {
            classbook_archive::export_register(journal, &out)?;
            println!("Архивный реестр записан: {} (записей: {}).", out.display(), journal.archives()?.len());
            Ok(())
        }
    }
}

fn create(journal: &mut Journal, year: &str, to: &[PathBuf], login: &str) -> Result<()> {
    let session = crate::user_session(journal, login)?;
    // Refuse who may not, and a year not closed, before asking for the key.
    classbook_archive::check_year(journal, &session, year)?;
    let school = classbook_backup::school_of(journal.path())?;
    let key = school_key(school)?;
    let started = std::time::Instant::now();
    let done = {
        let mut bar = Bar::new();
        classbook_archive::create_archive(journal, &session, year, to, &key, &mut |p| bar.update(&p))?
    };
    let m = &done.manifest;
    println!("Архив {} учебного года сформирован: {}", m.year, done.name);
    for copy in &done.copies {
        println!("  записан и проверен чтением с носителя: {}", copy.display());
    }
    println!(
        "Файлов: {}, {:.1} МБ, страниц PDF: {}; за {:.1} с.",
        m.files.len() + 2,
        m.bytes() as f64 / 1e6,
        done.pages,
        started.elapsed().as_secs_f64()
    );
    if let Some(until) = m.keep_until() {
        println!("Хранить до {} (сводные ведомости итоговых отметок — 25 лет).", until.format("%d.%m.%Y"));
    }
    println!("Подписан ключом школы {}", m.key_fingerprint);
    println!("SHA-256 описи: {}", done.manifest_sha256);
    if let Some(number) = done.number {
        println!("Внесён в архивный реестр под № {number}.");
    }
    println!(
        "Проверка: classbook archive verify «{}» --key «{}»",
        done.copies.first().map(|c| c.display().to_string()).unwrap_or_default(),
        m.key_fingerprint
    );
    for warning in &done.warnings {
        println!("Внимание: {warning}");
    }
    Ok(())
}

fn report_check(outcome: classbook_archive::Result<ArchiveCheck>) -> Result<()> {
    let checked = outcome?;
    println!("Архив цел: {}", checked.dir.display());
    for line in &checked.checks {
        println!("  ✓ {line}");
    }
    let m = &checked.manifest;
    println!(
        "Сформирован {} ({}); файлов: {}, {:.1} МБ.",
        m.created_at.format("%d.%m.%Y %H:%M UTC"),
        m.created_by,
        m.files.len() + 2,
        m.bytes() as f64 / 1e6
    );
    Ok(())
}

fn list(journal: &Journal) -> Result<()> {
    let rows = classbook_archive::register_rows(journal)?;
    if rows.is_empty() {
        println!("Архивный реестр пуст: архивы учебных годов в этом журнале ещё не формировались.");
        return Ok(());
    }
    for row in &rows {
        // №, year, created, who, bundle, files, MB, media, fingerprint, sha, checked, result
        println!("№ {}  {}  {}  {}", row[0], row[1], row[2], row[3]);
        println!("     {}: файлов {}, {} МБ; ключ {}", row[4], row[5], row[6], row[8]);
        println!("     носители: {}", row[7]);
        match row[10].as_str() {
            "" => println!("     не проверялся"),
            at => println!("     проверен {at}: {}", row[11]),
        }
    }
    Ok(())
}

/// The school's key: the backup passphrase from the environment, the
/// keyring of this PC, or a prompt (the same key signs backups and archives).
fn school_key(school: uuid::Uuid) -> Result<SchoolKey> {
    match crate::backup::secret_for(school, "Парольная фраза резервных копий школы (ключ подписи архива): ")?
    {
        Some(Secret::Key(key)) => Ok(key),
        Some(Secret::Passphrase(phrase)) => Ok(SchoolKey::derive(&phrase, &KdfParams::for_school(school))?),
        None => bail!(
            "ключ школы не задан: архив подписывается ключом резервных копий — задайте его на этом ПК командой \
             classbook backup key или в переменной {PASSPHRASE_VAR}"
        ),
    }
}

/// One bar that follows the stages of the work.
struct Bar {
    bar: ProgressBar,
    stage: Option<Stage>,
}

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:40} [{bar:30}] {pos}/{len} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar { bar, stage: None }
    }

    fn update(&mut self, p: &Progress) {
        let bytes = matches!(
            p.stage,
            Stage::SnapshotWrite | Stage::Hash | Stage::Copy | Stage::ReadBack | Stage::Verify | Stage::VerifySnapshot
        );
        if self.stage != Some(p.stage) {
            self.stage = Some(p.stage);
            let template = if bytes {
                "{spinner} {msg:40} [{bar:30}] {bytes}/{total_bytes} ({elapsed})"
            } else {
                "{spinner} {msg:40} [{bar:30}] {pos}/{len} ({elapsed})"
            };
            self.bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        }
        let message = match &p.item {
            Some(item) => format!("{}: {item}", p.stage.title()),
            None => p.stage.title().to_owned(),
        };
        self.bar.set_message(message);
        self.bar.set_length(p.total);
        self.bar.set_position(p.done);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
