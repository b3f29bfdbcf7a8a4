//! `classbook sync …`: registering this PC with the school's server, one
//! sync round, its state, the inbox of refused entries, revoking a device.
//! The device token lives in the OS keyring (`classbook_sync::token`),
//! reached outside the async runtime: the keyring's Secret Service client
//! runs a runtime of its own.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use classbook_core::Journal;
use classbook_sync::protocol::RevokeRequest;
use classbook_sync::{SyncClient, register, sync_round_with, token};
use std::io::BufRead;
use std::sync::Mutex;
use uuid::Uuid;

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Зарегистрировать этот ПК на сервере (логин и пароль администратора
    /// школы). Первый ПК школы выгружает на сервер свой журнал, новый ПК с
    /// пустым журналом получает журнал школы
    Register {
        /// Адрес сервера, например https://journal.school.ru
        #[arg(long)]
        server: String,
        /// Логин администратора школы
        #[arg(long)]
        login: String,
        /// Прочитать пароль из первой строки стандартного ввода
        #[arg(long)]
        password_stdin: bool,
        /// Имя ПК для списка устройств школы (по умолчанию — имя компьютера)
        #[arg(long)]
        name: Option<String>,
    },
    /// Состояние синхронизации: сервер, очередь, последний обмен
    Status,
    /// Записи, которые сервер отклонил, с причинами
    Rejected,
    /// Отозвать регистрацию устройства школы (украденный или списанный ПК)
    Revoke {
        /// Код устройства
        #[arg(long)]
        device: Uuid,
        /// Логин администратора школы
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

pub fn run(journal: Journal, command: Option<SyncCommand>) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("не удалось запустить сетевую подсистему")?;
    match command {
        None => {
            let client = client_of(&journal)?;
            runtime.block_on(round(&client, journal))
        }
        Some(SyncCommand::Register { server, login, password_stdin, name }) => {
            let password = password(password_stdin, &login)?;
            // The token goes only to the keyring: make sure there is one first.
            match token::load(journal.device()) {
                Ok(_) | Err(token::TokenError::Missing) => {}
                Err(e) => return Err(e.into()),
            }
            let mut journal = journal;
            let request = register::registration_request(
                &mut journal,
                &login,
                &password,
                name.unwrap_or_else(register::host_name),
            )?;
            let client = SyncClient::new(&server)?;
            let answer = runtime.block_on(client.register(&request))?;
            token::save(journal.device(), &answer.device_token)?;
            journal.set_sync_server(client.base_url())?;
            println!("ПК зарегистрирован на сервере {} (устройство {}).", client.base_url(), journal.device());
            if answer.founded {
                println!(
                    "Школа {} заведена на сервере: журнал этого ПК ({} записей) будет выгружен при первой синхронизации.",
                    answer.school_id,
                    journal.outbox_len()?
                );
            } else if request.school_id.is_none() {
                println!("Журнал школы {} будет получен при первой синхронизации.", answer.school_id);
            }
            println!("Синхронизируйте: classbook --db {} sync", journal.path().display());
            Ok(())
        }
        Some(SyncCommand::Status) => status(&journal),
        Some(SyncCommand::Rejected) => rejected(&journal),
        Some(SyncCommand::Revoke { device, login, password_stdin }) => {
            let password = password(password_stdin, &login)?;
            let client = client_of(&journal)?;
            let request = RevokeRequest { device_id: device, login: login.clone(), password };
            let answer = runtime.block_on(client.revoke(&request))?;
            if answer.already_revoked {
                println!("Устройство {device} уже было отозвано.");
            } else {
                println!("Устройство {device} отозвано: с ним больше нельзя синхронизироваться.");
            }
            if device == journal.device() {
                token::forget(device)?;
            }
            Ok(())
        }
    }
}

fn password(from_stdin: bool, login: &str) -> Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("не удалось прочитать пароль со стандартного ввода")?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            bail!("на стандартном вводе нет пароля: передайте его первой строкой");
        }
        return Ok(password);
    }
    crate::secret("CLASSBOOK_PASSWORD", &format!("Пароль «{login}»: "))
}

/// The server and token of a registered PC.
fn client_of(journal: &Journal) -> Result<SyncClient> {
    let server = journal
        .sync_server()?
        .context("этот ПК не зарегистрирован на сервере синхронизации: выполните classbook sync register")?;
    Ok(SyncClient::new(&server)?.with_token(token::load(journal.device())?))
}

async fn round(client: &SyncClient, journal: Journal) -> Result<()> {
    let queued = journal.outbox_len()?;
    let journal = Mutex::new(journal);
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"));
    bar.set_message(format!("Синхронизация: к отправке {queued}"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let outcome = sync_round_with(client, &journal, |so_far| {
        bar.set_message(format!("Отправлено {} из {queued}, получено {}", so_far.pushed, so_far.pulled));
    })
    .await;
    bar.finish_and_clear();
    let journal = journal.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            let queued = journal.outbox_len().unwrap_or(0);
            bail!("{e}\nОжидают отправки: {queued}");
        }
    };
    println!("Отправлено: {}", report.pushed);
    println!("Отклонено сервером: {}", report.rejected);
    println!("Получено с сервера: {}", report.pulled);
    println!("Ожидают отправки: {}", report.queued);
    if let Some(reason) = &report.deferred {
        println!("Сервер принял не всё: {reason}");
    }
    if report.rejected > 0 {
        println!("Отклонённые записи с причинами: classbook sync rejected");
    }
    Ok(())
}

fn status(journal: &Journal) -> Result<()> {
    let state = journal.sync_state()?;
    match &state.server {
        Some(server) => println!("Сервер: {server}"),
        None => println!("Сервер: не зарегистрирован (classbook sync register)"),
    }
    println!("Устройство: {}", journal.device());
    println!("Ожидают отправки: {}", state.queued);
    println!("Отклонено сервером: {}", state.rejected);
    let offset = journal.school_offset()?;
    match state.last_sync {
        Some(at) => println!("Последняя синхронизация: {}", at.with_timezone(&offset).format("%d.%m.%Y %H:%M:%S")),
        None => println!("Последняя синхронизация: ещё не было"),
    }
    Ok(())
}

fn rejected(journal: &Journal) -> Result<()> {
    let entries = journal.rejected_entries(None)?;
    if entries.is_empty() {
        println!("Отклонённых записей нет.");
    }
    let offset = journal.school_offset()?;
    let logins: std::collections::HashMap<Uuid, String> =
        journal.list_accounts()?.into_iter().map(|a| (a.account_id, a.login)).collect();
    for entry in entries {
        let author = logins.get(&entry.author).cloned().unwrap_or_else(|| entry.author.to_string());
        println!(
            "{}  {:<14} {:<18} {} [{}]",
            entry.entered_at.with_timezone(&offset).format("%d.%m.%Y %H:%M"),
            author,
            entry.kind,
            entry.message,
            entry.code
        );
    }
    Ok(())
}
