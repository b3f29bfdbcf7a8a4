//! What can go wrong talking to the server. Every message tells the person at
//! the PC what happened and what to do, in Russian; `code()` is for programs
//! (the UI shows «нет связи» on `is_offline()`, asks for registration on
//! `needs_registration()`), never the message.

use crate::protocol::codes;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No connection, a timeout, a reset: the network or the server is down.
    #[error(
        "Сервер синхронизации недоступен ({detail}): записи сохранены на этом ПК и будут отправлены, когда связь восстановится."
    )]
    Offline { detail: String },
    /// The server answered 5xx or 429 on every try.
    #[error(
        "Сервер синхронизации временно не может ответить (HTTP {status}{}): записи сохранены на этом ПК и будут отправлены при следующей синхронизации.",
        message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
    )]
    Unavailable { status: u16, message: Option<String> },
    /// The device token was refused (revoked, replaced, never issued).
    #[error("{message}")]
    Unauthorized { code: String, message: String },
    /// A call that needs a token on a client without one.
    #[error(
        "Этот ПК ещё не зарегистрирован на сервере синхронизации: зарегистрируйте его с логином и паролем администратора школы."
    )]
    NotRegistered,
    /// The server refused the request and said why (its message is Russian).
    #[error("{message}")]
    Server { status: u16, code: String, message: String },
    /// Whatever answered is not a Classbook server of this protocol version.
    #[error(
        "По адресу {url} отвечает не сервер синхронизации Classbook или сервер другой версии ({detail}): проверьте адрес сервера в настройках синхронизации или обновите программу."
    )]
    Protocol { url: String, detail: String },
    /// The server's TLS certificate was refused.
    #[error(
        "Сертификат сервера синхронизации {host} не прошёл проверку ({detail}): проверьте адрес сервера; если у сервера школы свой сертификат, укажите его файл в настройках синхронизации."
    )]
    UntrustedServer { host: String, detail: String },
    #[error(
        "Файл сертификата сервера не читается ({detail}): укажите сертификат в формате PEM (текст, начинается с «-----BEGIN CERTIFICATE-----»)."
    )]
    BadCertificate { detail: String },
    #[error("Неверный адрес сервера синхронизации «{url}»: {detail}. Укажите адрес вида https://journal.school.ru.")]
    BadUrl { url: String, detail: String },
    /// The client could not be set up or a body could not be prepared.
    #[error(
        "Не удалось подготовить запрос к серверу синхронизации: {0}. Повторите; если не поможет, обратитесь к администратору."
    )]
    Client(String),
}

impl SyncError {
    /// For programs: the server's code where it gave one.
    pub fn code(&self) -> &str {
        match self {
            SyncError::Offline { .. } => "offline",
            SyncError::Unavailable { .. } => codes::UNAVAILABLE,
            SyncError::Unauthorized { code, .. } | SyncError::Server { code, .. } => code,
            SyncError::NotRegistered => "not_registered",
            SyncError::Protocol { .. } => "protocol",
            SyncError::BadUrl { .. } => "bad_url",
            SyncError::UntrustedServer { .. } => "untrusted_server",
            SyncError::BadCertificate { .. } => "bad_certificate",
            SyncError::Client(_) => "client",
        }
    }

    /// Sync cannot happen now but will later by itself: the entries wait in
    /// the outbox, nobody needs to do anything.
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Offline { .. } | SyncError::Unavailable { .. })
    }

    /// The PC has to be registered (again) by an administrator before it can sync.
    pub fn needs_registration(&self) -> bool {
        matches!(self, SyncError::Unauthorized { .. } | SyncError::NotRegistered)
    }

    /// Worth trying again at once (after a backoff delay).
    pub(crate) fn is_transient(&self) -> bool {
        self.is_offline()
    }
}
