//! The vocabulary of the journal: roles, attendance codes, final values, kinds
//! of periods and movements, the edit-window policy. Each value knows its
//! Russian spelling because that is what teachers type and what is printed.

use serde::{Deserialize, Serialize};

/// Roles of REQUIREMENTS §1. An account may hold several (a teacher who is
/// also a deputy head); being a class teacher follows from the class record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Director,
    Deputy,
    Teacher,
    Secretary,
    Inspector,
    Student,
    Parent,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Director,
        Role::Deputy,
        Role::Teacher,
        Role::Secretary,
        Role::Inspector,
        Role::Student,
        Role::Parent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Deputy => "deputy",
            Role::Teacher => "teacher",
            Role::Secretary => "secretary",
            Role::Inspector => "inspector",
            Role::Student => "student",
            Role::Parent => "parent",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            Role::Admin => "администратор",
            Role::Director => "директор",
            Role::Deputy => "заместитель директора",
            Role::Teacher => "учитель",
            Role::Secretary => "секретарь",
            Role::Inspector => "проверяющий",
            Role::Student => "ученик",
            Role::Parent => "родитель",
        }
    }
}

/// Attendance codes as teachers write them in the paper journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttendanceCode {
    /// «н» — absent without a valid reason.
    #[serde(rename = "н")]
    Absent,
    /// «б» — ill.
    #[serde(rename = "б")]
    Ill,
    /// «ну» — absent for a valid reason.
    #[serde(rename = "ну")]
    Excused,
    /// «оп» — late.
    #[serde(rename = "оп")]
    Late,
}

impl AttendanceCode {
    pub const ALL: [AttendanceCode; 4] =
        [AttendanceCode::Absent, AttendanceCode::Ill, AttendanceCode::Excused, AttendanceCode::Late];

    pub fn code(self) -> &'static str {
        match self {
            AttendanceCode::Absent => "н",
            AttendanceCode::Ill => "б",
            AttendanceCode::Excused => "ну",
            AttendanceCode::Late => "оп",
        }
    }

    pub fn parse(text: &str) -> Option<AttendanceCode> {
        AttendanceCode::ALL.into_iter().find(|c| c.code() == text.trim())
    }

    /// Whether the student missed the lesson (a late student did not).
    pub fn is_absence(self) -> bool {
        !matches!(self, AttendanceCode::Late)
    }
}

/// Kinds of study periods (REQUIREMENTS §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Quarter,
    Trimester,
    Half,
    Module,
    Year,
    Exam,
    Final,
}

impl PeriodKind {
    pub fn title(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "четверть",
            PeriodKind::Trimester => "триместр",
            PeriodKind::Half => "полугодие",
            PeriodKind::Module => "модуль",
            PeriodKind::Year => "год",
            PeriodKind::Exam => "экзамен",
            PeriodKind::Final => "итоговая",
        }
    }
}

/// Entries of the student movement book (REQUIREMENTS §2, 004 §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    Enrol,
    Transfer,
    ConditionalTransfer,
    DebtRepaid,
    RepeatYear,
    Withdraw,
    Graduate,
}

impl MovementKind {
    /// Whether after this entry the student belongs to the class it names.
    pub fn places_in_class(self) -> bool {
        matches!(
            self,
            MovementKind::Enrol | MovementKind::Transfer | MovementKind::ConditionalTransfer | MovementKind::RepeatYear
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            MovementKind::Enrol => "зачисление",
            MovementKind::Transfer => "перевод",
            MovementKind::ConditionalTransfer => "условный перевод",
            MovementKind::DebtRepaid => "ликвидация академической задолженности",
            MovementKind::RepeatYear => "оставлен на повторное обучение",
            MovementKind::Withdraw => "выбытие",
            MovementKind::Graduate => "выпуск",
        }
    }
}

/// How long after the lesson date a teacher may still change its marks
/// (002 Порядок §3.6), chosen by the administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditWindow {
    /// No limit besides closed periods.
    Never,
    Weeks1,
    Weeks2,
    Weeks3,
    Month1,
}

impl EditWindow {
    /// Days after the lesson date during which edits are allowed, if limited.
    pub fn days(self) -> Option<i64> {
        match self {
            EditWindow::Never => None,
            EditWindow::Weeks1 => Some(7),
            EditWindow::Weeks2 => Some(14),
            EditWindow::Weeks3 => Some(21),
            EditWindow::Month1 => Some(31),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            EditWindow::Never => "never",
            EditWindow::Weeks1 => "1w",
            EditWindow::Weeks2 => "2w",
            EditWindow::Weeks3 => "3w",
            EditWindow::Month1 => "1m",
        }
    }

    pub fn from_code(code: &str) -> Option<EditWindow> {
        [EditWindow::Never, EditWindow::Weeks1, EditWindow::Weeks2, EditWindow::Weeks3, EditWindow::Month1]
            .into_iter()
            .find(|w| w.code() == code)
    }
}

/// State of a lesson in the timetable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    Held,
    Cancelled,
    Transferred,
}

/// Consent to personal-data processing (000 ЭД §1, 001 §2.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Given,
    Refused,
    Withdrawn,
}
