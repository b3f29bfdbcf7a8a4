//! The one error type of the journal. Every variant tells a person, in
//! Russian, what happened and what to do; `code()` is for programs (the UI
//! branches on codes, never on messages).

use classbook_domain::rules::Denied;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{0}")]
    Denied(#[from] Denied),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.")]
    WrongPassword,
    #[error(
        "Вход для «{login}» временно заблокирован после нескольких неверных паролей: попробуйте после {until} или обратитесь к администратору."
    )]
    LockedOut { login: String, until: String },
    #[error("Учётная запись «{0}» заблокирована администратором школы.")]
    AccountBlocked(String),
    #[error("Сначала смените стартовый пароль: работать в журнале со стартовым паролем нельзя.")]
    MustChangePassword,
    #[error(
        "Файл журнала {path} создан более новой версией программы (версия схемы {found}, эта программа знает {known}): обновите программу."
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("На диске не осталось места: запись не сохранена. Освободите место на диске и повторите.")]
    DiskFull,
    #[error("Файл журнала повреждён: {0}. Восстановите журнал из резервной копии.")]
    Corrupt(String),
    /// This journal is an older copy (restored or copied back) in which
    /// entries were made since: its chain and the server's part ways.
    #[error(
        "Журнал этого ПК — более старая копия (восстановлен или скопирован), и в ней после этого сделаны записи: \
         они расходятся с записями этого ПК на сервере начиная с № {at}. Синхронизация остановлена, чтобы ничего \
         не потерять: все записи сохранены на этом ПК. Обратитесь к администратору школы."
    )]
    Forked { at: u64 },
    #[error("Ошибка базы данных журнала: {0}. Запись не сохранена; повторите или обратитесь к администратору.")]
    Database(rusqlite::Error),
    #[error("Не удалось открыть файл журнала {path}: {source}. Проверьте путь и права доступа.")]
    Io { path: PathBuf, source: std::io::Error },
}

impl JournalError {
    pub fn code(&self) -> &'static str {
        match self {
            JournalError::Denied(d) => d.code,
            JournalError::NotFound(_) => "not_found",
            JournalError::Invalid(_) => "invalid",
            JournalError::WrongPassword => "wrong_password",
            JournalError::LockedOut { .. } => "locked_out",
            JournalError::AccountBlocked(_) => "account_blocked",
            JournalError::MustChangePassword => "must_change_password",
            JournalError::TooNew { .. } => "database_too_new",
            JournalError::DiskFull => "disk_full",
            JournalError::Corrupt(_) => "corrupt",
            JournalError::Forked { .. } => "forked",
            JournalError::Database(_) => "database",
            JournalError::Io { .. } => "io",
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        JournalError::Invalid(message.into())
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        JournalError::NotFound(message.into())
    }
}

impl From<rusqlite::Error> for JournalError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => JournalError::DiskFull,
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => JournalError::Corrupt(e.to_string()),
            _ => JournalError::Database(e),
        }
    }
}

pub type Result<T, E = JournalError> = std::result::Result<T, E>;
