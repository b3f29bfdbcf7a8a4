//! Registering a PC with the school's server, the part both the CLI and the
//! desktop app share: checking the administrator on this PC and naming the
//! school. (The server's address is kept by the journal, `sync_server`.)

use crate::protocol::RegisterRequest;
use classbook_core::domain::model::Role;
use classbook_core::domain::rules::Denied;
use classbook_core::{Journal, JournalError};

/// What registering this PC tells the server. A PC with a journal checks
/// the administrator here first and names the school (the first PC of a
/// school gives it its id for everyone); an empty journal (a new PC) asks
/// the server which school the administrator belongs to.
pub fn registration_request(
    journal: &mut Journal,
    login: &str,
    password: &str,
    device_name: String,
) -> Result<RegisterRequest, JournalError> {
    let school_id = if journal.list_accounts()?.is_empty() {
        None
    } else {
        let session = journal.login(login, password)?;
        if !session.roles.contains(&Role::Admin) {
            return Err(Denied {
                code: "not_admin",
                message: format!("«{}» не администратор школы: ПК регистрирует администратор.", session.login),
            }
            .into());
        }
        if session.must_change_password {
            return Err(JournalError::MustChangePassword);
        }
        Some(journal.ensure_school_id(&session)?)
    };
    Ok(RegisterRequest {
        school_id,
        school_name: journal.setting("school_name")?,
        login: login.trim().to_owned(),
        password: password.to_owned(),
        device_id: journal.device(),
        device_name,
    })
}

/// This computer's name, for the school's list of devices.
pub fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "ПК без имени".to_owned())
}
