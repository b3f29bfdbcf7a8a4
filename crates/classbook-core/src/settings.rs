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

/// The school's deadlines for entries, which the timeliness report measures
/// (REQUIREMENTS §3; 002 Регламент §2.3). Kept apart from `SchoolSettings`
/// rather than inside it: the app's settings screen saves `SchoolSettings`
/// whole, so fields it does not know would be saved back as their defaults
/// over what the school set (and code that builds `SchoolSettings` would stop
/// compiling). Every field has a serde default, so a partial JSON works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Deadlines {
    /// Attendance within this many minutes of the lesson's start.
    #[serde(default = "default_attendance_minutes")]
    pub attendance_minutes: u32,
    /// Marks for work in the lesson on the lesson's day.
    #[serde(default = "default_true")]
    pub marks_same_day: bool,
    /// Marks of a test within this many days after the lesson.
    #[serde(default = "default_test_days")]
    pub test_days: u32,
    /// Marks of an essay within this many days after the lesson.
    #[serde(default = "default_essay_days")]
    pub essay_days: u32,
    /// Homework by this time («ЧЧ:ММ») of the lesson's day.
    #[serde(default = "default_homework_by")]
    pub homework_by: String,
}

fn default_attendance_minutes() -> u32 {
    10
}
fn default_true() -> bool {
    true
}
fn default_test_days() -> u32 {
    3
}
fn default_essay_days() -> u32 {
    7
}
fn default_homework_by() -> String {
    "15:30".to_owned()
}

impl Default for Deadlines {
    fn default() -> Deadlines {
        serde_json::from_value(json!({})).expect("every field has a default")
    }
}

impl Deadlines {
    /// The settings' keys and values as saved.
    fn pairs(&self) -> [(&'static str, String); 5] {
        [
            ("deadline_attendance_minutes", self.attendance_minutes.to_string()),
            ("deadline_marks_same_day", if self.marks_same_day { "1" } else { "0" }.to_owned()),
            ("deadline_test_days", self.test_days.to_string()),
            ("deadline_essay_days", self.essay_days.to_string()),
            ("deadline_homework_by", self.homework_by.trim().to_owned()),
        ]
    }

    /// The homework time as a time of day (checked when saved).
    pub fn homework_time(&self) -> chrono::NaiveTime {
        chrono::NaiveTime::parse_from_str(self.homework_by.trim(), "%H:%M")
            .unwrap_or_else(|_| chrono::NaiveTime::from_hms_opt(15, 30, 0).expect("a time"))
    }
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

    /// The school's deadlines for entries; a value never saved (or saved
    /// wrong by an old version) is the default.
    pub fn deadlines(&self) -> Result<Deadlines> {
        let mut deadlines = Deadlines::default();
        let number = |key: &str| -> Result<Option<u32>> { Ok(self.setting(key)?.and_then(|v| v.parse().ok())) };
        if let Some(n) = number("deadline_attendance_minutes")? {
            deadlines.attendance_minutes = n;
        }
        if let Some(flag) = self.setting("deadline_marks_same_day")? {
            deadlines.marks_same_day = flag != "0";
        }
        if let Some(n) = number("deadline_test_days")? {
            deadlines.test_days = n;
        }
        if let Some(n) = number("deadline_essay_days")? {
            deadlines.essay_days = n;
        }
        if let Some(time) = self.setting("deadline_homework_by")?
            && check_setting("deadline_homework_by", &time).is_ok()
        {
            deadlines.homework_by = time;
        }
        Ok(deadlines)
    }

    /// Change the deadlines together: all are saved, or none.
    pub fn set_deadlines(&mut self, session: &Session, deadlines: &Deadlines) -> Result<()> {
        let mut records = Vec::new();
        for (key, value) in deadlines.pairs() {
            check_setting(key, &value)?;
            let OpKind::SaveRecord(record) = setting_op(key, &value) else { unreachable!("a setting is a record") };
            records.push((record.entity, record.id, record.fields));
        }
        self.save_records(session, records)
    }

    /// Change the edit window (`edit_window`: a code of `EditWindow`), the
    /// inactivity lock (`lock_minutes`: 1 to 60) or one deadline (the keys
    /// `deadline_…` of `Deadlines`).
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
        "deadline_attendance_minutes" if value.parse::<u32>().is_ok_and(|m| (1..=240).contains(&m)) => {}
        "deadline_attendance_minutes" => {
            return Err(JournalError::invalid(
                "Срок отметки посещаемости: целое число минут от начала урока, от 1 до 240.",
            ));
        }
        "deadline_marks_same_day" if value == "0" || value == "1" => {}
        "deadline_marks_same_day" => {
            return Err(JournalError::invalid("Отметки в день урока: «1» (да) или «0» (нет)."));
        }
        "deadline_test_days" | "deadline_essay_days" if value.parse::<u32>().is_ok_and(|d| d <= 30) => {}
        "deadline_test_days" => {
            return Err(JournalError::invalid("Срок отметок за тест: целое число дней после урока, от 0 до 30."));
        }
        "deadline_essay_days" => {
            return Err(JournalError::invalid("Срок отметок за сочинение: целое число дней после урока, от 0 до 30."));
        }
        "deadline_homework_by" if value.len() == 5 && chrono::NaiveTime::parse_from_str(value, "%H:%M").is_ok() => {}
        "deadline_homework_by" => {
            return Err(JournalError::invalid(
                "Срок записи домашнего задания: время дня в виде ЧЧ:ММ, например 15:30.",
            ));
        }
        _ => return Err(JournalError::invalid(format!("Настройки «{key}» в журнале нет."))),
    }
    Ok(())
}
