//! `classbook` — the sysadmin's command-line tool for a Classbook journal
//! file: the demo school, accounts, counts and integrity, sync with the
//! school's server, and simulated teachers' work for load and fault tests.
//! Backups (`backup`, `verify`, `restore`) are in `backup.rs`, the yearly
//! archive (`archive create | verify | list | register`) in `archive.rs`.

mod archive;
mod backup;
mod exchange;
mod print;
mod report;
mod sync;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use classbook_core::demo::DemoConfig;
use classbook_core::domain::model::Role;
use classbook_core::{AccountPerson, Journal, Session};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use uuid::Uuid;

/// mimalloc rather than the system allocator: applying and storing ops
/// allocates many small strings, and glibc's malloc was a fifth of the time
/// of applying a batch of remote ops (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "classbook", version, about = "Электронный классный журнал Classbook: обслуживание файла журнала")]
struct Cli {
    /// Файл журнала (по умолчанию — журнал настольного приложения)
    #[arg(long, global = true, env = "CLASSBOOK_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Создать демонстрационную школу и показать её учётные записи
    Demo {
        /// Зерно генератора: одно и то же зерно даёт ту же школу
        #[arg(long, default_value_t = DemoConfig::default().seed)]
        seed: u64,
        /// Число классов
        #[arg(long, default_value_t = DemoConfig::default().classes)]
        classes: usize,
        /// Число учащихся
        #[arg(long, default_value_t = DemoConfig::default().students)]
        students: usize,
    },
    /// Учётные записи
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Сколько чего в журнале и цел ли файл
    Stats,
    /// Синхронизация с сервером школы: без подкоманды — один обмен
    /// (отправить накопленные записи, получить записи других ПК)
    Sync {
        #[command(subcommand)]
        command: Option<sync::SyncCommand>,
    },
    /// Отчёты: наполняемость, посещаемость, успеваемость, своевременность…
    /// (`classbook report list` — все отчёты)
    Report(report::ReportArgs),
    /// Печать в PDF: классный журнал, сводная ведомость, сведения для
    /// родителей, табель
    Print {
        #[command(subcommand)]
        command: print::PrintCommand,
    },
    /// Смоделировать работу учителя: N записей (отметки, посещаемость, темы,
    /// домашние задания) через те же службы, что и приложение. Пароль — из
    /// CLASSBOOK_PASSWORD; в демонстрационной школе — её общий пароль
    Simulate {
        /// Логин учителя
        #[arg(long = "as")]
        login: String,
        /// Сколько записей сделать
        #[arg(long)]
        entries: usize,
        /// Зерно: одно и то же зерно даёт те же записи
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Импорт из xlsx/ods/xls: students, parents, staff или ktp. Всё или
    /// ничего: при любой ошибке в журнал ничего не записывается
    Import {
        /// Что импортировать: students, parents, staff, ktp
        kind: String,
        /// Файл таблицы
        file: PathBuf,
        /// Только показать, что будет сделано, ничего не записывая
        #[arg(long)]
        dry_run: bool,
        /// Логин, от имени которого выполняется импорт
        #[arg(long = "as", default_value = "admin")]
        login: String,
        /// Номер приказа о зачислении новых учащихся (если в файле нет столбца «Номер приказа»)
        #[arg(long)]
        order: Option<String>,
        /// Дата этого приказа, ДД.ММ.ГГГГ
        #[arg(long)]
        order_date: Option<String>,
    },
    /// Выгрузка в xlsx, csv или json: журнал класса, итоги, архивная копия
    Export {
        #[command(subcommand)]
        command: exchange::ExportCommand,
    },
    /// Резервная копия журнала: сжатая, зашифрованная парольной фразой
    /// школы, подписанная ключом школы и проверенная чтением с носителя.
    /// Фраза — из CLASSBOOK_BACKUP_PASSPHRASE, хранилища паролей или ввода
    Backup(backup::BackupArgs),
    /// Проверить резервную копию: подпись и SHA-256, а с парольной фразой —
    /// и журнал внутри (integrity_check, цепочки операций)
    Verify {
        /// Файл копии (.cbbackup)
        file: PathBuf,
        /// Отпечаток (или открытый ключ) ключа школы, которым должна быть подписана копия
        #[arg(long)]
        key: Option<String>,
    },
    /// Восстановить журнал из резервной копии (прежний журнал сохраняется рядом)
    Restore {
        /// Файл копии (.cbbackup)
        file: PathBuf,
        /// Восстановить копию журнала другой школы
        #[arg(long)]
        other_school: bool,
    },
    /// Архив учебного года: журналы, ведомости, таблицы и снимок журнала с подписанной описью
    /// на двух носителях; проверка архива; архивный реестр
    Archive {
        #[command(subcommand)]
        command: archive::ArchiveCommand,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Список учётных записей
    List,
    /// Создать учётную запись и выдать стартовый пароль
    Add {
        login: String,
        /// Роль: admin, director, deputy, teacher, secretary, inspector, student, parent (можно несколько)
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Код сотрудника, которому принадлежит учётная запись
        #[arg(long)]
        staff: Option<Uuid>,
        /// Логин администратора, от имени которого выполняется действие
        #[arg(long, default_value = "admin")]
        admin: String,
    },
    /// Выдать новый стартовый пароль
    ResetPassword {
        login: String,
        #[arg(long, default_value = "admin")]
        admin: String,
    },
    /// Сменить свой пароль (в том числе стартовый). Пароли берутся из
    /// CLASSBOOK_PASSWORD и CLASSBOOK_NEW_PASSWORD или запрашиваются
    Passwd { login: String },
}

fn main() {
    let cli = Cli::parse();
    if let Err(error) = run(cli) {
        eprintln!("Ошибка: {error:#}");
        std::process::exit(1);
    }
}

fn default_db() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("ru", "Classbook", "classbook")
        .context("не удалось определить папку данных пользователя: укажите файл журнала в --db")?;
    Ok(dirs.data_dir().join("journal.db"))
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Verify { file, key } = &cli.command {
        return backup::verify(file, key.as_deref());
    }
    // Checking an archive needs no journal; with --db it is also checked
    // against that journal's archive register.
    if let (Command::Archive { command }, None) = (&cli.command, &cli.db)
        && let Some(outcome) = archive::without_journal(command)
    {
        return outcome;
    }
    let path = match cli.db {
        Some(path) => path,
        None => default_db()?,
    };
    // A backup reads the file from a connection of its own and a restore
    // replaces it: neither opens (or creates) the journal here.
    match cli.command {
        Command::Backup(args) => return backup::run(&path, args),
        Command::Restore { file, other_school } => return backup::restore(&path, &file, other_school),
        _ => {}
    }
    let mut journal = Journal::open(&path)?;
    set_clock(&mut journal)?;
    match cli.command {
        Command::Demo { seed, classes, students } => demo(&mut journal, seed, classes, students),
        Command::Users { command } => users(&mut journal, command),
        Command::Stats => stats(&journal),
        Command::Sync { command } => sync::run(journal, command),
        Command::Print { command } => print::run(&mut journal, command),
        Command::Report(args) => report::run(&mut journal, args),
        Command::Simulate { login, entries, seed } => simulate(&mut journal, &login, entries, seed),
        Command::Import { kind, file, dry_run, login, order, order_date } => {
            exchange::import(&mut journal, exchange::ImportArgs { kind, file, dry_run, login, order, order_date })
        }
        Command::Export { command } => exchange::export(&mut journal, command),
        Command::Archive { command } => archive::run(&mut journal, command),
        Command::Backup(_) | Command::Verify { .. } | Command::Restore { .. } => unreachable!("handled above"),
    }
}

/// The journal's clock: the demo school's runs on its last day (from 10:00,
/// as in the desktop app), so its entries are judged as on that day.
/// `CLASSBOOK_CLOCK_SKEW_SECONDS` puts this PC's clock that far off, the way
/// school PCs' clocks often are (the sync tests use it).
fn set_clock(journal: &mut Journal) -> Result<()> {
    let skew = match std::env::var("CLASSBOOK_CLOCK_SKEW_SECONDS") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .with_context(|| format!("CLASSBOOK_CLOCK_SKEW_SECONDS=«{text}»: укажите целое число секунд"))?,
        Err(_) => 0,
    };
    let start = journal.demo_clock_start()?;
    if start.is_some() || skew != 0 {
        let now = start.unwrap_or_else(chrono::Utc::now);
        journal.set_fixed_now(Some(now + chrono::Duration::seconds(skew)));
    }
    Ok(())
}

/// A user's session for a command run on their behalf (`--as LOGIN`): the
/// password from CLASSBOOK_PASSWORD, in the demo school its shared password,
/// else asked for without echo.
pub(crate) fn user_session(journal: &mut Journal, login: &str) -> Result<Session> {
    let password = match std::env::var("CLASSBOOK_PASSWORD") {
        Ok(password) => password,
        Err(_) if journal.setting("demo_today")?.is_some() => classbook_core::demo::DEMO_PASSWORD.to_owned(),
        Err(_) => secret("CLASSBOOK_PASSWORD", &format!("Пароль «{login}»: "))?,
    };
    Ok(journal.login(login, &password)?)
}

fn simulate(journal: &mut Journal, login: &str, entries: usize, seed: u64) -> Result<()> {
    let session = user_session(journal, login)?;
    let started = std::time::Instant::now();
    let done = journal.simulate(&session, entries, seed)?;
    println!(
        "Смоделировано записей: {} (отметок: {}, посещаемость: {}, тем: {}, домашних заданий: {}); отклонено правилами: {}; за {:.1} с.",
        done.entered(),
        done.marks,
        done.attendance,
        done.topics,
        done.homework,
        done.refused,
        started.elapsed().as_secs_f64()
    );
    println!("Ожидают отправки на сервер: {}", journal.outbox_len()?);
    Ok(())
}

fn demo(journal: &mut Journal, seed: u64, classes: usize, students: usize) -> Result<()> {
    if classes == 0 || students == 0 {
        bail!("число классов и учащихся должно быть больше нуля");
    }
    let config = DemoConfig { seed, classes, students, ..DemoConfig::default() };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} операций ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Создаю демонстрационную школу");
    let school = journal.create_demo(&config, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    let stats = journal.stats()?;
    println!("Демонстрационная школа создана в {}", journal.path().display());
    println!(
        "Классов: {}, учащихся: {}, уроков: {}, отметок: {}.",
        stats.classes, stats.students, stats.lessons, stats.marks
    );
    println!();
    println!("Учётные записи для входа:");
    println!("{:<18} {:<14} {:<24} ФИО", "логин", "пароль", "роль");
    for account in &school.accounts {
        println!("{:<18} {:<14} {:<24} {}", account.login, account.password, account.role, account.name);
    }
    Ok(())
}

fn admin_session(journal: &mut Journal, login: &str) -> Result<Session> {
    let password = secret("CLASSBOOK_ADMIN_PASSWORD", &format!("Пароль администратора «{login}»: "))?;
    let session = journal.login(login, &password)?;
    if session.must_change_password {
        bail!(
            "у администратора «{login}» стартовый пароль: сначала смените его командой classbook users passwd {login}"
        );
    }
    Ok(session)
}

/// A password from `var`, else asked for without echo.
pub(crate) fn secret(var: &str, prompt: &str) -> Result<String> {
    match std::env::var(var) {
        Ok(value) => Ok(value),
        Err(_) => rpassword::prompt_password(prompt)
            .with_context(|| format!("не удалось прочитать пароль: задайте его в переменной {var}")),
    }
}

fn users(journal: &mut Journal, command: UsersCommand) -> Result<()> {
    match command {
        UsersCommand::List => {
            let accounts = journal.list_accounts()?;
            if accounts.is_empty() {
                println!(
                    "В журнале нет учётных записей. Создайте первого администратора: classbook users add admin --role admin"
                );
            }
            for a in accounts {
                let roles: Vec<&str> = a.roles.iter().map(|r| r.title()).collect();
                let mut flags = Vec::new();
                if a.blocked {
                    flags.push("заблокирована");
                }
                if a.must_change_password {
                    flags.push("стартовый пароль");
                }
                println!("{:<18} {:<32} {:<28} {}", a.login, a.name, roles.join(", "), flags.join(", "));
            }
            Ok(())
        }
        UsersCommand::Add { login, roles, staff, admin } => {
            let roles = roles
                .iter()
                .map(|r| {
                    Role::from_code(r).with_context(|| {
                        format!("неизвестная роль «{r}»: допустимы admin, director, deputy, teacher, secretary, inspector, student, parent")
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let (login, password) = if journal.list_accounts()?.is_empty() {
                if roles != [Role::Admin] {
                    bail!(
                        "в журнале ещё нет учётных записей: первой создайте учётную запись администратора (--role admin)"
                    );
                }
                let (_, password) = journal.bootstrap_admin(&login)?;
                (login, password)
            } else {
                let session = admin_session(journal, &admin)?;
                let person = staff.map(AccountPerson::Staff).unwrap_or(AccountPerson::None);
                let (_, password) = journal.create_account(&session, &login, roles, person)?;
                (login, password)
            };
            println!("Учётная запись «{}» создана. Стартовый пароль: {password}", login.to_lowercase());
            println!("При первом входе пароль нужно будет сменить.");
            Ok(())
        }
        UsersCommand::ResetPassword { login, admin } => {
            let session = admin_session(journal, &admin)?;
            let password = journal.reset_password(&session, &login)?;
            println!("Новый стартовый пароль для «{}»: {password}", login.to_lowercase());
            println!("При входе пароль нужно будет сменить.");
            Ok(())
        }
        UsersCommand::Passwd { login } => {
            let old = secret("CLASSBOOK_PASSWORD", &format!("Текущий пароль «{login}»: "))?;
            let mut session = journal.login(&login, &old)?;
            let new = secret("CLASSBOOK_NEW_PASSWORD", "Новый пароль: ")?;
            if std::env::var_os("CLASSBOOK_NEW_PASSWORD").is_none()
                && rpassword::prompt_password("Новый пароль ещё раз: ").context("не удалось прочитать пароль")? != new
            {
                bail!("пароли не совпадают: пароль не изменён, повторите команду");
            }
            journal.change_password(&mut session, &old, &new)?;
            println!("Пароль «{}» изменён.", login.to_lowercase());
            Ok(())
        }
    }
}

fn date(text: &Option<String>) -> String {
    text.as_deref()
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|| "—".into())
}

fn stats(journal: &Journal) -> Result<()> {
    let s = journal.stats()?;
    println!("Журнал: {}", journal.path().display());
    println!(
        "Учащихся: {}, классов: {}, сотрудников: {}, учётных записей: {}",
        s.students, s.classes, s.staff, s.accounts
    );
    println!(
        "Уроков: {} (с темой: {}), с {} по {}",
        s.lessons,
        s.lessons_with_topic,
        date(&s.first_lesson),
        date(&s.last_lesson)
    );
    println!(
        "Отметок: {}, записей посещаемости: {}, итоговых отметок: {}, записей книги движения: {}",
        s.marks, s.attendance_entries, s.finals, s.movements
    );
    println!("Операций в журнале: {}, аннулировано: {}, ожидают отправки на сервер: {}", s.ops, s.voided_ops, s.outbox);
    // Equal on two PCs exactly when their journals show the same.
    println!("Отпечаток состояния: {}", journal.digest()?);
    let integrity = journal.check_integrity()?;
    if integrity.is_ok() {
        println!(
            "Проверка целостности: в порядке (файл SQLite цел; проверено операций: {}, цепочек устройств: {})",
            integrity.ops_checked, integrity.devices
        );
        Ok(())
    } else {
        println!("Проверка целостности: НАЙДЕНЫ ПРОБЛЕМЫ");
        if integrity.sqlite != "ok" {
            println!("  SQLite: {}", integrity.sqlite);
        }
        for problem in &integrity.problems {
            println!("  {problem}");
        }
        bail!("журнал повреждён: восстановите его из резервной копии")
    }
}
