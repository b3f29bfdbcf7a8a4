//! The server's errors. Each one reaches the PC as `{ code, message }` with
//! an HTTP status that tells the client whether trying again can help
//! (5xx) or not (4xx); the message, in Russian, says what to do.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use classbook_core::JournalError;
use classbook_sync::protocol::{ErrorBody, codes};
use std::net::SocketAddr;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The school's journal refused (a wrong password, a locked login, …).
    #[error("{0}")]
    Journal(#[from] JournalError),
    #[error(
        "Запрос пришёл без ключа ПК: зарегистрируйте этот ПК на сервере синхронизации с логином и паролем администратора школы."
    )]
    MissingToken,
    #[error(
        "Сервер синхронизации не знает ключ этого ПК (ПК зарегистрирован заново на другом месте или ключ устарел): зарегистрируйте ПК заново с логином и паролем администратора школы."
    )]
    InvalidToken,
    #[error(
        "Этот ПК отключён от синхронизации администратором школы ({at}): записи с него сервер не принимает. Если ПК отключён по ошибке, администратор может зарегистрировать его заново."
    )]
    DeviceRevoked { at: String },
    #[error(
        "Учётная запись «{login}» не администратор школы: регистрировать и отключать ПК может только администратор. Войдите под учётной записью администратора."
    )]
    NotAdmin { login: String },
    #[error(
        "Этот сервер синхронизации не принимает новые школы, а школы с кодом {school_id} на нём нет: проверьте адрес сервера или обратитесь к его администратору."
    )]
    NewSchoolsRefused { school_id: Uuid },
    #[error(
        "Логин и пароль подходят к нескольким школам на этом сервере: укажите код школы (его показывает журнал на любом ПК школы, уже подключённом к серверу)."
    )]
    AmbiguousLogin,
    #[error(
        "ПК с кодом {device_id} уже зарегистрирован на сервере в другой школе: один ПК синхронизирует журнал одной школы. Для другой школы заведите отдельный файл журнала."
    )]
    DeviceOtherSchool { device_id: Uuid },
    #[error("ПК с кодом {device_id} не зарегистрирован в этой школе: проверьте код ПК.")]
    DeviceNotFound { device_id: Uuid },
    #[error("Сервер синхронизации не понял запрос ({0}): обновите программу на этом ПК.")]
    BadRequest(String),
    #[error(
        "Запрос больше, чем принимает сервер синхронизации ({limit_mb} МБ): программа отправит записи частями; если ошибка повторяется, обновите программу."
    )]
    PayloadTooLarge { limit_mb: usize },
    #[error("На сервере синхронизации нет адреса {0}: обновите программу или проверьте адрес сервера.")]
    NotFound(String),
    #[error(
        "Ошибка реестра сервера синхронизации: {0}. Записи сохранены на ПК; повторите позже, если не поможет — сообщите администратору сервера."
    )]
    Registry(rusqlite::Error),
    #[error(
        "На диске сервера синхронизации не осталось места: записи сохранены на ПК и будут отправлены позже. Сообщите администратору сервера."
    )]
    DiskFull,
    #[error(
        "Внутренняя ошибка сервера синхронизации: {0}. Записи сохранены на ПК; повторите позже, если не поможет — сообщите администратору сервера."
    )]
    Internal(String),
}

impl ServerError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::Journal(e) => journal_status(e),
            ServerError::MissingToken | ServerError::InvalidToken | ServerError::DeviceRevoked { .. } => {
                StatusCode::UNAUTHORIZED
            }
            ServerError::NotAdmin { .. } | ServerError::NewSchoolsRefused { .. } => StatusCode::FORBIDDEN,
            ServerError::AmbiguousLogin | ServerError::DeviceOtherSchool { .. } => StatusCode::CONFLICT,
            ServerError::DeviceNotFound { .. } | ServerError::NotFound(_) => StatusCode::NOT_FOUND,
            ServerError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServerError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::DiskFull => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Registry(e) if is_busy(e) => StatusCode::SERVICE_UNAVAILABLE,
            ServerError::Registry(_) | ServerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ServerError::Journal(e) => e.code(),
            ServerError::MissingToken => codes::MISSING_TOKEN,
            ServerError::InvalidToken => codes::INVALID_TOKEN,
            ServerError::DeviceRevoked { .. } => codes::DEVICE_REVOKED,
            ServerError::NotAdmin { .. } => codes::NOT_ADMIN,
            ServerError::NewSchoolsRefused { .. } => codes::NEW_SCHOOLS_REFUSED,
            ServerError::AmbiguousLogin => codes::AMBIGUOUS_LOGIN,
            ServerError::DeviceOtherSchool { .. } => codes::DEVICE_OTHER_SCHOOL,
            ServerError::DeviceNotFound { .. } => codes::DEVICE_NOT_FOUND,
            ServerError::BadRequest(_) => codes::BAD_REQUEST,
            ServerError::PayloadTooLarge { .. } => codes::PAYLOAD_TOO_LARGE,
            ServerError::NotFound(_) => codes::NOT_FOUND,
            ServerError::DiskFull => codes::UNAVAILABLE,
            ServerError::Registry(e) if is_busy(e) => codes::UNAVAILABLE,
            ServerError::Registry(_) | ServerError::Internal(_) => codes::INTERNAL,
        }
    }
}

/// Refusals of the journal are the PC's to fix (4xx); failures of the
/// server's own files are the server's (5xx), and the PC keeps its entries
/// and tries again later.
fn journal_status(e: &JournalError) -> StatusCode {
    match e {
        JournalError::WrongPassword => StatusCode::UNAUTHORIZED,
        JournalError::Denied(_)
        | JournalError::LockedOut { .. }
        | JournalError::AccountBlocked(_)
        | JournalError::MustChangePassword => StatusCode::FORBIDDEN,
        JournalError::NotFound(_) => StatusCode::NOT_FOUND,
        JournalError::Invalid(_) => StatusCode::BAD_REQUEST,
        JournalError::Forked { .. } => StatusCode::CONFLICT,
        JournalError::DiskFull => StatusCode::SERVICE_UNAVAILABLE,
        JournalError::Database(e) if is_busy(e) => StatusCode::SERVICE_UNAVAILABLE,
        JournalError::TooNew { .. }
        | JournalError::Corrupt(_)
        | JournalError::Database(_)
        | JournalError::Io { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

impl From<rusqlite::Error> for ServerError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => ServerError::DiskFull,
            _ => ServerError::Registry(e),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "request failed");
        } else {
            tracing::info!(code = self.code(), status = status.as_u16(), "request refused");
        }
        (status, Json(ErrorBody { code: self.code().to_owned(), message: self.to_string() })).into_response()
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "Без TLS сервер слушает только адрес этого компьютера (127.0.0.1, ::1), а указан {addr}: ключи ПК и журнал нельзя передавать по сети открытым текстом. Укажите --tls-cert и --tls-key (сертификат и ключ в формате PEM) или адрес 127.0.0.1."
    )]
    PlainHttpNotLoopback { addr: SocketAddr },
    #[error("Для TLS нужны оба файла, сертификат (--tls-cert) и ключ (--tls-key): укажите недостающий.")]
    TlsHalf,
    #[error(
        "Не удалось прочитать сертификат {cert} или ключ {key}: {source}. Проверьте, что это файлы PEM и что они доступны на чтение."
    )]
    Tls { cert: PathBuf, key: PathBuf, source: std::io::Error },
    #[error("Не удалось занять адрес {addr}: {source}. Проверьте, не запущен ли уже сервер, или укажите другой порт.")]
    Bind { addr: String, source: std::io::Error },
    #[error("Папка данных сервера {path}: {source}. Проверьте путь и права доступа.")]
    Data { path: PathBuf, source: std::io::Error },
    #[error(
        "Реестр сервера {path} создан более новой версией программы (версия схемы {found}, эта программа знает {known}): обновите classbook-server."
    )]
    RegistryTooNew { path: PathBuf, found: i64, known: i64 },
    #[error("Не удалось открыть реестр сервера {path}: {source}. Проверьте файл и права доступа.")]
    Registry { path: PathBuf, source: rusqlite::Error },
    #[error("Сервер остановился с ошибкой: {0}.")]
    Serve(std::io::Error),
}
