//! The device token in the OS keyring (Secret Service on Linux, the
//! Credential Manager on Windows), never in the journal or a config file:
//! whoever copies the journal file does not get the right to sync as this PC.
//! Without a keyring the PC is told what is missing; the token is never
//! written in plain text instead.

use uuid::Uuid;

const SERVICE: &str = "classbook-sync";

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "Хранилище паролей системы недоступно ({0}). Токен устройства хранится только там, не в файлах: \
         запустите службу хранения паролей (в Linux — gnome-keyring или KWallet с поддержкой Secret Service) и повторите."
    )]
    NoKeyring(String),
    #[error(
        "Этот ПК не зарегистрирован на сервере синхронизации (в хранилище паролей нет его токена): \
         зарегистрируйте его командой classbook sync register или в разделе «Администрирование»."
    )]
    Missing,
}

fn entry(device: Uuid) -> Result<keyring::Entry, TokenError> {
    keyring::Entry::new(SERVICE, &device.to_string()).map_err(|e| TokenError::NoKeyring(e.to_string()))
}

fn keyring_error(e: keyring::Error) -> TokenError {
    match e {
        keyring::Error::NoEntry => TokenError::Missing,
        other => TokenError::NoKeyring(other.to_string()),
    }
}

/// Keep `token` as the sync token of the journal whose device id is `device`.
pub fn save(device: Uuid, token: &str) -> Result<(), TokenError> {
    entry(device)?.set_password(token).map_err(keyring_error)
}

/// The sync token of the journal with device id `device`.
pub fn load(device: Uuid) -> Result<String, TokenError> {
    entry(device)?.get_password().map_err(keyring_error)
}

/// Forget the token (the PC is unregistered or its token was revoked).
pub fn forget(device: Uuid) -> Result<(), TokenError> {
    match entry(device)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}
