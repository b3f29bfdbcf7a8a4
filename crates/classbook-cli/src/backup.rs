//! `classbook backup`, `verify`, `restore`: the CLI over `classbook-backup`.
//!
//! The school's backup passphrase comes, in this order, from
//! `CLASSBOOK_BACKUP_PASSPHRASE` (cron, systemd), the OS keyring of this PC
//! (`classbook backup key` puts the derived key there once), or a prompt.
//! These commands stay synchronous: the keyring's client runs an async
//! runtime of its own and must not be called from inside another.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use classbook_backup::keys::{self, KdfParams};
use classbook_backup::{BackupOptions, Progress, RestoreOptions, SchoolKey, Secret, Stage};
use classbook_core::Journal;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub(crate) const PASSPHRASE_VAR: &str = "CLASSBOOK_BACKUP_PASSPHRASE";

#[derive(Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    /// Папка для копии: полный путь, например /media/admin/USB (см. classbook backup drives)
    #[arg(long)]
    to: Option<PathBuf>,
    /// Сколько копий этой школы оставлять в папке (старые удаляются; новая проверенная — всегда остаётся)
    #[arg(long, default_value_t = classbook_backup::DEFAULT_KEEP)]
    keep: usize,
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Задать парольную фразу резервных копий школы на этом ПК (ключ хранится в хранилище паролей системы)
    Key,
    /// Подключённые съёмные носители (/media, /run/media)
    Drives,
    /// Резервные копии, сделанные на этом ПК, и последняя проверенная
    List,
}

/// `classbook backup …`
pub fn run(journal: &Path, args: BackupArgs) -> Result<()> {
    match args.command {
        Some(BackupCommand::Key) => set_key(journal),
        Some(BackupCommand::Drives) => drives(),
        Some(BackupCommand::List) => list(journal),
        None => {
            let Some(to) = args.to else {
                bail!(
                    "укажите папку для копии: classbook backup --to /media/ПОЛЬЗОВАТЕЛЬ/НОСИТЕЛЬ (список носителей — classbook backup drives)"
                )
            };
            if args.keep == 0 {
                bail!("--keep должно быть не меньше 1: новая копия остаётся всегда");
            }
            backup(journal, &to, args.keep)
        }
    }
}

fn journal_exists(journal: &Path) -> Result<()> {
    if !journal.is_file() {
        bail!("файла журнала {} нет: укажите его в --db", journal.display());
    }
    Ok(())
}

/// The school's key for a backup of `school`: env passphrase, keyring, prompt.
fn key_for_backup(school: Uuid) -> Result<SchoolKey> {
    let params = KdfParams::for_school(school);
    match secret_for(school, "Парольная фраза резервных копий школы: ")? {
        Some(Secret::Key(key)) => Ok(key),
        Some(Secret::Passphrase(phrase)) => Ok(SchoolKey::derive(&phrase, &params)?),
        None => bail!(
            "парольная фраза резервных копий не задана: задайте её на этом ПК командой classbook backup key \
             или в переменной {PASSPHRASE_VAR}"
        ),
    }
}

/// What opens the school's copies here, or None if nothing does and nobody
/// can be asked (no terminal).
pub(crate) fn secret_for(school: Uuid, prompt: &str) -> Result<Option<Secret>> {
    if let Ok(phrase) = std::env::var(PASSPHRASE_VAR) {
        return Ok(Some(Secret::Passphrase(phrase)));
    }
    match keys::keyring_load(school) {
        Ok(Some(key)) => return Ok(Some(Secret::Key(key))),
        Ok(None) => {}
        Err(error) => eprintln!("{error}"),
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let phrase = rpassword::prompt_password(prompt).context("не удалось прочитать парольную фразу")?;
    Ok((!phrase.is_empty()).then_some(Secret::Passphrase(phrase)))
}

fn set_key(journal: &Path) -> Result<()> {
    journal_exists(journal)?;
    let school = classbook_backup::school_of(journal)?;
    let phrase = match std::env::var(PASSPHRASE_VAR) {
        Ok(phrase) => phrase,
        Err(_) => {
            let phrase = rpassword::prompt_password("Новая парольная фраза резервных копий школы: ")
                .context("не удалось прочитать парольную фразу")?;
            keys::check_new_passphrase(&phrase)?;
            let again = rpassword::prompt_password("Ещё раз: ").context("не удалось прочитать парольную фразу")?;
            if again != phrase {
                bail!("фразы не совпадают: ничего не сохранено, повторите команду");
            }
            phrase
        }
    };
    keys::check_new_passphrase(&phrase)?;
    let key = SchoolKey::derive(&phrase, &KdfParams::for_school(school))?;
    keys::keyring_store(school, &key)?;
    println!("Ключ резервных копий школы сохранён в хранилище паролей этого ПК.");
    println!("Отпечаток ключа школы: {}", key.fingerprint());
    println!(
        "Запишите отпечаток и храните его отдельно от копий: по нему проверяют, что копия сделана школой \
         (classbook verify ФАЙЛ --key «{}»). Саму фразу храните в надёжном месте: без неё копию не открыть.",
        key.fingerprint()
    );
    Ok(())
}

fn drives() -> Result<()> {
    let drives = classbook_backup::removable_drives();
    if drives.is_empty() {
        println!("Съёмные носители не подключены (в /media и /run/media ничего не смонтировано).");
    }
    for drive in drives {
        println!("{}", drive.display());
    }
    Ok(())
}

fn list(journal: &Path) -> Result<()> {
    journal_exists(journal)?;
    let journal = Journal::open(journal)?;
    let records = journal.backups(30)?;
    if records.is_empty() {
        println!("На этом ПК резервные копии журнала ещё не делались.");
        return Ok(());
    }
    for r in &records {
        let when = r.created_at.with_timezone(&journal.school_offset()?).format("%d.%m.%Y %H:%M");
        match &r.error {
            None => println!("{when}  проверена  {:>8.1} МБ  {}", r.bytes.unwrap_or(0) as f64 / 1e6, r.path),
            Some(error) => println!("{when}  ОШИБКА     {}: {error}", r.path),
        }
    }
    match journal.last_good_backup()? {
        Some(good) => println!(
            "Последняя проверенная копия: {} ({})",
            good.path,
            good.created_at.with_timezone(&journal.school_offset()?).format("%d.%m.%Y %H:%M")
        ),
        None => println!("Проверенных копий нет."),
    }
    Ok(())
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
            ProgressStyle::with_template("{spinner} {msg:32} [{bar:30}] {bytes}/{total_bytes} ({elapsed})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Bar { bar, stage: None }
    }

    fn update(&mut self, p: Progress) {
        if self.stage != Some(p.stage) {
            self.stage = Some(p.stage);
            self.bar.set_message(match p.stage {
                Stage::Snapshot => "Снимок журнала",
                Stage::Write => "Сжатие, шифрование, запись",
                Stage::ReadBack => "Проверка записанной копии",
                Stage::Verify => "Чтение и проверка копии",
                Stage::Check => "Проверка журнала из копии",
                Stage::SafetyCopy => "Страховочная копия журнала",
                Stage::Install => "Восстановление журнала",
            });
        }
        self.bar.set_length(p.total);
        self.bar.set_position(p.done);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

fn backup(journal: &Path, to: &Path, keep: usize) -> Result<()> {
    journal_exists(journal)?;
    let school = classbook_backup::school_of(journal)?;
    // Refuse a bad folder before asking for anything.
    classbook_backup::check_destination(to)?;
    let key = key_for_backup(school)?;
    let options = BackupOptions { keep, ..BackupOptions::default() };
    let started = std::time::Instant::now();
    let outcome = {
        let mut bar = Bar::new();
        classbook_backup::backup(journal, to, &key, &options, &mut |p| bar.update(p))
    };
    // «The last good backup» is what the administrator looks at: note the
    // failure too. A note that fails is said, not fatal: the copy is there.
    if let Err(error) = Journal::open(journal).and_then(|j| classbook_backup::record(&j, to, &outcome)) {
        eprintln!("Не удалось записать копию в журнал резервных копий: {error}");
    }
    let done = outcome?;
    let m = &done.manifest;
    println!("Резервная копия записана и проверена чтением с носителя: {}", done.path.display());
    println!(
        "Размер: {:.1} МБ (журнал {:.1} МБ), за {:.1} с.",
        done.file_bytes as f64 / 1e6,
        m.db_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    println!("Операций: {}, отметок: {}, учащихся: {}.", m.op_log.ops, m.counts.marks, m.counts.students);
    println!("SHA-256 файла: {}", done.file_sha256);
    println!("Подписана ключом школы {}", key.fingerprint());
    for removed in &done.removed {
        println!("Удалена старая копия: {}", removed.display());
    }
    Ok(())
}

/// `classbook verify FILE [--key FINGERPRINT]`
pub fn verify(file: &Path, expected: Option<&str>) -> Result<()> {
    let school = header_school(file)?;
    let secret = secret_for(school, "Парольная фраза (Enter — проверить только подпись и SHA-256): ")?;
    let verified = {
        let mut bar = Bar::new();
        classbook_backup::verify(file, secret.as_ref(), expected, &mut |p| bar.update(p))?
    };
    let m = &verified.manifest;
    println!("Копия: {}", file.display());
    println!(
        "Школа: {} ({}); сделана {} UTC на устройстве {}; программа {}",
        m.school_name.as_deref().unwrap_or("—"),
        m.school_id,
        m.created_at.format("%d.%m.%Y %H:%M:%S"),
        m.device_id.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        m.program_version
    );
    println!(
        "Операций: {} (устройств: {}), учащихся: {}, отметок: {}, уроков: {}",
        m.op_log.ops,
        m.op_log.devices.len(),
        m.counts.students,
        m.counts.marks,
        m.counts.lessons
    );
    println!("Проверено:");
    for check in &verified.checks {
        println!("  — {check}");
    }
    if verified.decrypted {
        println!("Копия цела и подлинна, из неё можно восстановить журнал.");
    } else {
        println!(
            "Подлинность и целостность файла подтверждены; содержимое не расшифровано (нет парольной фразы: \
             {PASSPHRASE_VAR}, хранилище паролей или ввод)."
        );
        if expected.is_none() {
            println!("Сверьте отпечаток ключа {} с отпечатком ключа школы (или укажите --key).", verified.fingerprint);
        }
    }
    Ok(())
}

/// The school a copy's header names (to look up its key).
fn header_school(file: &Path) -> Result<Uuid> {
    let mut f = std::fs::File::open(file).with_context(|| format!("не удалось открыть копию {}", file.display()))?;
    Ok(classbook_backup::format::read_layout(file, &mut f)?.header.school_id)
}

/// `classbook --db PATH restore FILE [--other-school]`
pub fn restore(journal: &Path, file: &Path, other_school: bool) -> Result<()> {
    let school = header_school(file)?;
    let Some(secret) = secret_for(school, "Парольная фраза резервных копий школы: ")?
    else {
        bail!(
            "для восстановления нужна парольная фраза резервных копий: задайте её в {PASSPHRASE_VAR}, \
             командой classbook backup key или введите по запросу"
        )
    };
    let options = RestoreOptions { allow_other_school: other_school, ..RestoreOptions::default() };
    let restored = {
        let mut bar = Bar::new();
        classbook_backup::restore(journal, file, &secret, &options, &mut |p| bar.update(p))?
    };
    let m = &restored.verified.manifest;
    println!("Журнал {} восстановлен из копии от {} UTC.", journal.display(), m.created_at.format("%d.%m.%Y %H:%M:%S"));
    println!("Операций: {}, отметок: {}, учащихся: {}.", m.op_log.ops, m.counts.marks, m.counts.students);
    match &restored.safety_copy {
        Some(copy) => println!("Прежний журнал сохранён: {}", copy.display()),
        None => println!("Прежнего журнала не было."),
    }
    println!(
        "Если ПК подключён к серверу школы, выполните синхронизацию (classbook sync): записи, сделанные после \
         копии и уже отправленные на сервер, вернутся."
    );
    Ok(())
}
