//! The school settings an administrator changes in the app: how long after a
//! lesson its entries may still be changed (the edit window) and after how
//! many idle minutes the app locks. Values are checked here, with a Russian
//! message that says what to enter; they are saved as `setting` records, so
//! they sync like any other change.

use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use classbook_domain::entity::Entity;
use classbook_domain::ids::named_id;
use classbook_domain::model::EditWindow;
use classbook_domain::op::{OpKind, SaveRecord};
use classbook_domain::rules::Policy;
use serde::Serialize;
use serde_json::json;

/// Idle minutes before the app locks, unless the school sets otherwise.
pub const DEFAULT_LOCK_MINUTES: u32 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SchoolSettings {
    /// «never», «1w», «2w», «3w» or «1m» (`EditWindow::code`).
    pub edit_window: String,
    pub lock_minutes: u32,
}

/// A setting as the op that saves it.
fn setting_op(key: &str, value: &str) -> OpKind {
    let fields = serde_json::from_value(json!({ "key": key, "value": value })).expect("a JSON object");
    OpKind::SaveRecord(SaveRecord { entity: Entity::Setting, id: named_id("setting", key), fields })
}

impl Journal {
    /// A new school in an empty journal: its name and its first
    /// administrator, who gets a start password (returned) to change at the
    /// first login. Refused once the journal holds anything.
    pub fn create_school(&mut self, name: &str, admin_login: &str) -> Result<(uuid::Uuid, String)> {
        let name = name.trim();
        if name.is_empty() {
            return Err(JournalError::invalid("Укажите название школы, как в уставе: например, «МБОУ СОШ № 7»."));
        }
        let ops: i64 = self.conn().query_row("SELECT COUNT(*) FROM op", [], |r| r.get(0))?;
        if ops > 0 {
            return Err(JournalError::invalid(format!(
                "Файл журнала {} уже содержит данные: новую школу создают в новом файле.",
                self.path().display()
            )));
        }
        self.first_admin(admin_login, &[setting_op("school_name", name)])
    }

    pub fn school_settings(&self) -> Result<SchoolSettings> {
        let window = self.setting("edit_window")?.and_then(|w| EditWindow::from_code(&w));
        let lock_minutes = self.setting("lock_minutes")?.and_then(|m| m.parse().ok()).unwrap_or(DEFAULT_LOCK_MINUTES);
        Ok(SchoolSettings {
            edit_window: window.unwrap_or(Policy::default().edit_window).code().to_owned(),
            lock_minutes,
        })
    }

    /// Change the edit window (`edit_window`: a code of `EditWindow`) or the
    /// inactivity lock (`lock_minutes`: 1 to 60).
    pub fn set_school_setting(&mut self, session: &Session, key: &str, value: &str) -> Result<()> {
        let value = value.trim();
        check_setting(key, value)?;
        let OpKind::SaveRecord(record) = setting_op(key, value) else { unreachable!("a setting is a record") };
        self.save_record(session, record.entity, record.id, record.fields)
    }

    /// Change the school's rules together: both are saved, or neither.
    pub fn set_school_settings(&mut self, session: &Session, settings: &SchoolSettings) -> Result<()> {
        let lock_minutes = settings.lock_minutes.to_string();
        let pairs = [("edit_window", settings.edit_window.trim()), ("lock_minutes", lock_minutes.as_str())];
        let mut records = Vec::new();
        for (key, value) in pairs {
            check_setting(key, value)?;
            let OpKind::SaveRecord(record) = setting_op(key, value) else { unreachable!("a setting is a record") };
            records.push((record.entity, record.id, record.fields));
        }
        self.save_records(session, records)
    }
}

fn check_setting(key: &str, value: &str) -> Result<()> {
    match key {
        "edit_window" if EditWindow::from_code(value).is_some() => {}
        "edit_window" => {
            return Err(JournalError::invalid(
                "Срок исправлений: «never» (без срока), «1w», «2w», «3w» (недели) или «1m» (месяц).",
            ));
        }
        "lock_minutes" if value.parse::<u32>().is_ok_and(|m| (1..=60).contains(&m)) => {}
        "lock_minutes" => {
            return Err(JournalError::invalid("Блокировка после бездействия: целое число минут от 1 до 60."));
        }
        _ => return Err(JournalError::invalid(format!("Настройки «{key}» в журнале нет."))),
    }
    Ok(())
}
