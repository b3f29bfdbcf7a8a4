//! The reports the regulations name (REQUIREMENTS §4): what class teachers
//! and deputy heads check every week. Each report is one query over the
//! state tables (and, for timeliness, the op log's entry times) into a
//! `Report`: a titled table of typed cells that the exchange crate writes to
//! xlsx/csv/json, the print crate lays out as a PDF and the app shows. A row
//! may link to the journal page it is about.
//!
//! One module per report (or per family of reports); `Journal::report` is the
//! single entry point, and every report checks who may read it first.

mod changes;
mod class;
mod class_sizes;
mod control_works;
mod dashboard;
mod fill_rate;
mod journal_keeping;
mod movement;
mod program;
mod school;
mod student;
mod substitutions;
mod timeliness;

pub use dashboard::{Dashboard, DashboardItem, DashboardSection};

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::NaiveDate;
use classbook_domain::rules::{self, Action};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every report by its name on the command line (`classbook report NAME`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportName {
    /// Наполняемость классов: students on each class's roll on a date.
    ClassSizes,
    /// Журнал изменений отметок: кто, когда, было, стало.
    Changes,
    /// Выполнение программы: КТП и проведённые уроки.
    Program,
    /// Движение учащихся: прибытие и выбытие по приказам.
    Movement,
    /// Результаты контрольных работ (ВШК): «5»…«2», успеваемость, качество.
    ControlWorks,
    /// Наполняемость журналов: students with no marks or only one mark.
    FillRate,
    /// Замены, отменённые и перенесённые уроки.
    Substitutions,
    /// Ведение журналов: lessons held with topic, homework, attendance.
    JournalKeeping,
    /// Своевременность: entries made later than the school's deadlines.
    Timeliness,
    /// Посещаемость класса: lessons held and missed per student, by reason.
    Attendance,
    /// Итоги успеваемости класса за период.
    Results,
    /// Сводная ведомость отметок: student × subject, average and final.
    SummaryMarks,
    /// Сводная ведомость посещаемости: student × subject, lessons missed.
    SummaryAttendance,
    /// Средний балл ученика по периодам года (динамика).
    StudentAverage,
    /// Успеваемость и качество знаний по классам школы.
    SuccessQuality,
    /// Пропущенные уроки с темами по ученикам.
    MissedTopics,
    /// Неудовлетворительные отметки с темами по ученикам.
    Unsatisfactory,
    /// Предупреждения по прогнозу итоговых отметок.
    Forecast,
    /// Успеваемость и посещаемость ученика: marks, average, absences per subject.
    StudentRecord,
    /// Табель успеваемости: a student's finals per subject and period.
    ReportCard,
}

impl ReportName {
    pub const ALL: &'static [ReportName] = &[
        ReportName::ClassSizes,
        ReportName::Timeliness,
        ReportName::FillRate,
        ReportName::Program,
        ReportName::JournalKeeping,
        ReportName::Movement,
        ReportName::Substitutions,
        ReportName::ControlWorks,
        ReportName::Changes,
        ReportName::Attendance,
        ReportName::Results,
        ReportName::SummaryMarks,
        ReportName::SummaryAttendance,
        ReportName::StudentAverage,
        ReportName::SuccessQuality,
        ReportName::MissedTopics,
        ReportName::Unsatisfactory,
        ReportName::Forecast,
        ReportName::StudentRecord,
        ReportName::ReportCard,
    ];

    /// The name on the command line.
    pub fn code(self) -> &'static str {
        match self {
            ReportName::ClassSizes => "class-sizes",
            ReportName::Changes => "changes",
            ReportName::Program => "program",
            ReportName::Movement => "movement",
            ReportName::ControlWorks => "control-works",
            ReportName::FillRate => "fill-rate",
            ReportName::Substitutions => "substitutions",
            ReportName::JournalKeeping => "journal-keeping",
            ReportName::Timeliness => "timeliness",
            ReportName::Attendance => "attendance",
            ReportName::Results => "results",
            ReportName::SummaryMarks => "summary-marks",
            ReportName::SummaryAttendance => "summary-attendance",
            ReportName::StudentAverage => "student-average",
            ReportName::SuccessQuality => "success-quality",
            ReportName::MissedTopics => "missed-topics",
            ReportName::Unsatisfactory => "unsatisfactory",
            ReportName::Forecast => "forecast",
            ReportName::StudentRecord => "student-record",
            ReportName::ReportCard => "report-card",
        }
    }

    /// The report's title, as printed.
    pub fn title(self) -> &'static str {
        match self {
            ReportName::ClassSizes => "Наполняемость классов",
            ReportName::Changes => "Журнал изменений отметок",
            ReportName::Program => "Выполнение программы (КТП)",
            ReportName::Movement => "Движение учащихся",
            ReportName::ControlWorks => "Результаты контрольных работ",
            ReportName::FillRate => "Наполняемость журналов отметками",
            ReportName::Substitutions => "Замены и пропущенные уроки",
            ReportName::JournalKeeping => "Отчёт по ведению электронных журналов",
            ReportName::Timeliness => "Своевременность заполнения журналов",
            ReportName::Attendance => "Посещаемость класса",
            ReportName::Results => "Итоги успеваемости класса",
            ReportName::SummaryMarks => "Сводная ведомость отметок",
            ReportName::SummaryAttendance => "Сводная ведомость посещаемости",
            ReportName::StudentAverage => "Средний балл ученика и его динамика",
            ReportName::SuccessQuality => "Успеваемость и качество знаний",
            ReportName::MissedTopics => "Пропущенные уроки с темами",
            ReportName::Unsatisfactory => "Неудовлетворительные отметки с темами",
            ReportName::Forecast => "Предупреждения по прогнозу итоговых отметок",
            ReportName::StudentRecord => "Успеваемость и посещаемость ученика",
            ReportName::ReportCard => "Табель успеваемости",
        }
    }

    /// Is this report about one class (it needs `class_id`)? The others
    /// cover the school, or one class when it is given.
    pub fn about_one_class(self) -> bool {
        matches!(
            self,
            ReportName::Attendance
                | ReportName::Results
                | ReportName::SummaryMarks
                | ReportName::SummaryAttendance
                | ReportName::StudentAverage
                | ReportName::MissedTopics
                | ReportName::Unsatisfactory
                | ReportName::Forecast
                | ReportName::StudentRecord
                | ReportName::ReportCard
        )
    }

    /// Is this report about one student of the class (it needs `student_id`)?
    pub fn about_one_student(self) -> bool {
        matches!(self, ReportName::StudentAverage | ReportName::StudentRecord | ReportName::ReportCard)
    }

    pub fn parse(code: &str) -> Option<ReportName> {
        ReportName::ALL.iter().copied().find(|r| r.code() == code.trim())
    }
}

/// What a report is asked for; each report uses the parts it needs and says
/// in Russian which one is missing.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub class_id: Option<Uuid>,
    #[serde(default)]
    pub teacher_id: Option<Uuid>,
    #[serde(default)]
    pub student_id: Option<Uuid>,
    #[serde(default)]
    pub period_id: Option<Uuid>,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    /// A whole number (students, lessons, marks).
    Count,
    /// A number with decimals (an average).
    Number,
    /// Percent, 0–100.
    Percent,
    Date,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportColumn {
    pub title: String,
    pub kind: ColumnKind,
}

impl ReportColumn {
    pub fn new(title: impl Into<String>, kind: ColumnKind) -> ReportColumn {
        ReportColumn { title: title.into(), kind }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ReportValue {
    Empty,
    Text(String),
    Count(i64),
    Number(f64),
    Date(NaiveDate),
}

impl ReportValue {
    /// The value as a person reads it in a table: decimals to two places, dates as 05.09.2025.
    pub fn display(&self) -> String {
        match self {
            ReportValue::Empty => String::new(),
            ReportValue::Text(t) => t.clone(),
            ReportValue::Count(n) => n.to_string(),
            ReportValue::Number(x) => format!("{x:.2}"),
            ReportValue::Date(d) => d.format("%d.%m.%Y").to_string(),
        }
    }
}

impl From<&str> for ReportValue {
    fn from(text: &str) -> ReportValue {
        ReportValue::Text(text.to_owned())
    }
}

impl From<String> for ReportValue {
    fn from(text: String) -> ReportValue {
        ReportValue::Text(text)
    }
}

impl From<i64> for ReportValue {
    fn from(n: i64) -> ReportValue {
        ReportValue::Count(n)
    }
}

impl From<Option<f64>> for ReportValue {
    fn from(x: Option<f64>) -> ReportValue {
        x.map_or(ReportValue::Empty, ReportValue::Number)
    }
}

/// The journal page a row is about, for the app to open it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageLink {
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub period_id: Uuid,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportRow {
    pub cells: Vec<ReportValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<PageLink>,
}

impl ReportRow {
    pub fn new(cells: Vec<ReportValue>) -> ReportRow {
        ReportRow { cells, link: None }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub name: ReportName,
    pub title: String,
    /// What it covers: the class, the period or dates, the school.
    pub subtitle: String,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    /// A closing row of totals, where the report has one.
    pub totals: Option<Vec<ReportValue>>,
}

impl Journal {
    /// Report `name` for `query`, if the session may read it.
    pub fn report(&self, session: &Session, name: ReportName, query: &ReportQuery) -> Result<Report> {
        match name {
            ReportName::ClassSizes => class_sizes::report(self, session, query),
            ReportName::Changes => changes::report(self, session, query),
            ReportName::Program => program::report(self, session, query),
            ReportName::Movement => movement::report(self, session, query),
            ReportName::ControlWorks => control_works::report(self, session, query),
            ReportName::FillRate => fill_rate::report(self, session, query),
            ReportName::Substitutions => substitutions::report(self, session, query),
            ReportName::JournalKeeping => journal_keeping::report(self, session, query),
            ReportName::Timeliness => timeliness::report(self, session, query),
            ReportName::Attendance => class::attendance(self, session, query),
            ReportName::Results => class::results(self, session, query),
            ReportName::SummaryMarks => class::summary_marks(self, session, query),
            ReportName::SummaryAttendance => class::summary_attendance(self, session, query),
            ReportName::StudentAverage => class::student_average(self, session, query),
            ReportName::SuccessQuality => class::success_quality(self, session, query),
            ReportName::MissedTopics => class::missed_topics(self, session, query),
            ReportName::Unsatisfactory => class::unsatisfactory(self, session, query),
            ReportName::Forecast => class::forecast(self, session, query),
            ReportName::StudentRecord => student::record(self, session, query),
            ReportName::ReportCard => class::report_card(self, session, query),
        }
    }

    /// May the session read the whole school's reports (administration, the
    /// director, deputy heads, inspectors, the secretary)?
    pub(crate) fn check_view_school(&self, session: &Session) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let today = self.school_date(self.now())?;
        // The rule for reading any class is the rule for the school's reports;
        // the refusal says so in the reports' own words.
        rules::check(&actor, &Action::ViewClass { teaches: false, class_teacher: false }, today, Default::default())
            .map_err(|denied| {
                JournalError::Denied(rules::Denied {
                    code: denied.code,
                    message: "Отчёты по всей школе доступны администрации, директору, заместителям директора \
                              и проверяющим; классному руководителю — отчёты своего класса."
                        .to_owned(),
                })
            })?;
        Ok(())
    }
}

/// The query's class, or a Russian error saying the report needs one.
pub(crate) fn need_class(query: &ReportQuery, report: ReportName) -> Result<Uuid> {
    query.class_id.ok_or_else(|| JournalError::invalid(format!("Для отчёта «{}» укажите класс.", report.title())))
}

/// The query's period, or a Russian error saying the report needs one.
pub(crate) fn need_period(query: &ReportQuery, report: ReportName) -> Result<Uuid> {
    query
        .period_id
        .ok_or_else(|| JournalError::invalid(format!("Для отчёта «{}» укажите учебный период.", report.title())))
}
