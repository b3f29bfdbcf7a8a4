//! The error a command returns to the UI: the core's stable `code` to branch
//! on and its Russian `message` to show.

use classbook_core::JournalError;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct UiError {
    pub code: String,
    pub message: String,
}

impl UiError {
    pub fn new(code: &str, message: impl Into<String>) -> UiError {
        UiError { code: code.into(), message: message.into() }
    }

    pub fn not_logged_in() -> UiError {
        UiError::new("not_logged_in", "Сеанс завершён: войдите в журнал заново.")
    }

    /// The session sat idle past the lock (the window should have locked).
    pub fn locked() -> UiError {
        UiError::new("locked", "Журнал заблокирован после бездействия: войдите снова.")
    }

    /// Something outside the journal went wrong (the message says what to do).
    pub fn failed(message: String) -> UiError {
        UiError::new("failed", message)
    }

    pub fn starting() -> UiError {
        UiError::new("starting", "Журнал ещё открывается: подождите несколько секунд.")
    }
}

impl From<JournalError> for UiError {
    fn from(error: JournalError) -> UiError {
        UiError { code: error.code().into(), message: error.to_string() }
    }
}

pub type UiResult<T> = Result<T, UiError>;
