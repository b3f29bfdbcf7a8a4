//! When the desktop app backs this PC's journal up by itself: the weekdays,
//! the time of day and the folder (an external drive), kept in the PC's
//! local settings (never synced: a folder means something on this PC only).
//! The regulations ask for at least two backups a week (001 §3.4.2), so the
//! default is Monday and Thursday at 18:00, after lessons.

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::{Journal, local_get, local_set};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, TimeZone, Utc, Weekday};
use classbook_domain::rules::{self, Action, Policy};
use serde::{Deserialize, Serialize};

const KEY: &str = "backup_schedule";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSchedule {
    /// Off until the administrator turns it on and names a folder.
    pub enabled: bool,
    /// ISO weekday numbers, Monday = 1 … Sunday = 7.
    pub days: Vec<u8>,
    /// School time of day, «ЧЧ:ММ».
    pub time: String,
    /// The folder the copies go to (absolute; an external drive's).
    pub folder: Option<String>,
    /// How many of the school's copies to keep in the folder.
    pub keep: usize,
}

impl Default for BackupSchedule {
    fn default() -> BackupSchedule {
        BackupSchedule { enabled: false, days: vec![1, 4], time: "18:00".into(), folder: None, keep: 8 }
    }
}

impl BackupSchedule {
    /// The schedule's errors in Russian, or nothing.
    pub fn check(&self) -> Result<()> {
        if self.days.is_empty() && self.enabled {
            return Err(JournalError::invalid("Выберите хотя бы один день недели для резервных копий."));
        }
        if self.days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(JournalError::invalid("Дни недели — числа от 1 (понедельник) до 7 (воскресенье)."));
        }
        if self.time.len() != 5 || NaiveTime::parse_from_str(&self.time, "%H:%M").is_err() {
            return Err(JournalError::invalid("Время резервной копии — в виде ЧЧ:ММ, например 18:00."));
        }
        if !(1..=100).contains(&self.keep) {
            return Err(JournalError::invalid("Хранить можно от 1 до 100 копий."));
        }
        if self.enabled {
            match self.folder.as_deref().map(str::trim) {
                None | Some("") => {
                    return Err(JournalError::invalid(
                        "Укажите папку для резервных копий (например, /media/admin/USB).",
                    ));
                }
                Some(folder) if !std::path::Path::new(folder).is_absolute() => {
                    return Err(JournalError::invalid(
                        "Папка для копий — полный путь, например /media/admin/USB, а не относительный.",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The latest scheduled moment at or before `now` (school time `offset`),
    /// looking back a week; none when no day is chosen.
    pub fn last_slot(&self, now: DateTime<Utc>, offset: FixedOffset) -> Option<DateTime<Utc>> {
        let time = NaiveTime::parse_from_str(&self.time, "%H:%M").ok()?;
        let today = now.with_timezone(&offset).date_naive();
        (0..=7)
            .map(|back| today - Duration::days(back))
            .filter(|day| self.days.contains(&(day.weekday().number_from_monday() as u8)))
            .filter_map(|day| offset.from_local_datetime(&day.and_time(time)).single())
            .map(|t| t.with_timezone(&Utc))
            .find(|t| *t <= now)
    }

    /// Is a backup due: the schedule is on and no good copy was made since
    /// the latest scheduled moment?
    pub fn is_due(&self, now: DateTime<Utc>, offset: FixedOffset, last_good: Option<DateTime<Utc>>) -> bool {
        if !self.enabled {
            return false;
        }
        match (self.last_slot(now, offset), last_good) {
            (Some(slot), Some(good)) => good < slot,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    pub fn weekday_names(&self) -> Vec<&'static str> {
        let name = |d: &u8| match Weekday::try_from(d.wrapping_sub(1)) {
            Ok(Weekday::Mon) => "пн",
            Ok(Weekday::Tue) => "вт",
            Ok(Weekday::Wed) => "ср",
            Ok(Weekday::Thu) => "чт",
            Ok(Weekday::Fri) => "пт",
            Ok(Weekday::Sat) => "сб",
            Ok(Weekday::Sun) => "вс",
            Err(_) => "?",
        };
        self.days.iter().map(name).collect()
    }
}

impl Journal {
    /// May the session make and restore backups (the administrator)?
    pub fn check_keeps_backups(&self, session: &Session) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::KeepBackups, self.today()?, Policy::default())?;
        Ok(())
    }

    /// This PC's backup schedule (the default until one is saved).
    pub fn backup_schedule(&self) -> Result<BackupSchedule> {
        match local_get(self.conn(), KEY)? {
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| JournalError::Corrupt(format!("расписание резервных копий не читается: {e}"))),
            None => Ok(BackupSchedule::default()),
        }
    }

    pub fn set_backup_schedule(&self, session: &Session, schedule: &BackupSchedule) -> Result<()> {
        self.check_keeps_backups(session)?;
        schedule.check()?;
        let mut schedule = schedule.clone();
        schedule.days.sort_unstable();
        schedule.days.dedup();
        schedule.folder = schedule.folder.map(|f| f.trim().to_owned()).filter(|f| !f.is_empty());
        let text = serde_json::to_string(&schedule).map_err(|e| JournalError::Corrupt(e.to_string()))?;
        local_set(self.conn(), KEY, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> FixedOffset {
        FixedOffset::east_opt(3 * 3600).unwrap()
    }

    /// School time in Moscow as UTC.
    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        moscow().with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
    }

    fn on() -> BackupSchedule {
        BackupSchedule { enabled: true, folder: Some("/media/admin/USB".into()), ..BackupSchedule::default() }
    }

    #[test]
    fn a_backup_is_due_after_each_monday_and_thursday_slot_until_one_is_made() {
        let schedule = on();
        // Wednesday 3 December 2025, noon: the last slot was Monday 1.12 18:00.
        let wednesday = at(2025, 12, 3, 12, 0);
        assert_eq!(schedule.last_slot(wednesday, moscow()), Some(at(2025, 12, 1, 18, 0)));
        assert!(schedule.is_due(wednesday, moscow(), None));
        assert!(schedule.is_due(wednesday, moscow(), Some(at(2025, 12, 1, 17, 59))));
        assert!(!schedule.is_due(wednesday, moscow(), Some(at(2025, 12, 1, 18, 5))));
        // Thursday 17:59 — not yet; 18:00 — due again.
        let good = Some(at(2025, 12, 1, 18, 5));
        assert!(!schedule.is_due(at(2025, 12, 4, 17, 59), moscow(), good));
        assert!(schedule.is_due(at(2025, 12, 4, 18, 0), moscow(), good));
        // Off: never due.
        assert!(!BackupSchedule { enabled: false, ..on() }.is_due(wednesday, moscow(), None));
    }

    #[test]
    fn a_schedule_without_days_folder_or_time_is_refused_in_russian() {
        assert!(on().check().is_ok());
        assert!(BackupSchedule::default().check().is_ok(), "off, no folder yet");
        let no_days = BackupSchedule { days: vec![], ..on() };
        assert!(no_days.check().unwrap_err().to_string().contains("день недели"));
        let no_folder = BackupSchedule { folder: None, ..on() };
        assert!(no_folder.check().unwrap_err().to_string().contains("папку"));
        let relative = BackupSchedule { folder: Some("USB".into()), ..on() };
        assert!(relative.check().unwrap_err().to_string().contains("полный путь"));
        let noon = BackupSchedule { time: "полдень".into(), ..on() };
        assert!(noon.check().unwrap_err().to_string().contains("ЧЧ:ММ"));
        assert_eq!(on().weekday_names(), ["пн", "чт"]);
    }
}
