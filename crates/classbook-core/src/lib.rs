//! `classbook-core` — the Classbook journal on one PC: the SQLite file and
//! its migrations, the append-only op log and outbox, the state tables, and
//! the services the desktop app and the CLI call. Every service is one
//! permission check (rules from `classbook-domain`) plus one transaction.

mod accounts;
mod admin;
mod admission;
mod apply;
mod archive_register;
mod backup_schedule;
mod backups;
mod bulk;
mod cache;
mod checkpoint;
mod contingent;
mod db;
pub mod demo;
mod entries;
mod error;
#[macro_use]
mod facts;
// After `facts`: its queries use the `with_class_stay!` macro.
mod book;
mod history;
mod journal;
mod ktp;
mod page;
mod register;
mod reports;
mod results;
mod schedule;
mod settings;
mod simulate;
mod stats;
mod structure;
mod sync;
mod timetable;
mod translit;
mod workplace;

pub use accounts::{AccountInfo, AccountPerson, Session, hash_password, start_password};
pub use admin::ImportOp;
pub use archive_register::{ArchiveRecord, NewArchiveRecord};
pub use backup_schedule::BackupSchedule;
pub use backups::BackupRecord;
pub use book::{
    BookFinal, BookParent, BookSection, BookStudent, ClassBook, ClassMovement, ClassPeriod, PeriodStudent,
    RecordLesson, RecordMark, StudentRecord, SubjectAverage,
};
pub use bulk::{BulkEntry, StateTable};
pub use contingent::{NewStudent, Order};
pub use db::{SCHEMA_VERSION, configure as configure_connection};
pub use entries::MarkInput;
pub use error::{JournalError, Result};
pub use history::Change;
pub use journal::Journal;
pub use ktp::KtpItem;
pub use page::{JournalPage, PageAttendance, PageLesson, PageMark, PageStudent, PeriodInfo, StudentSummary};
pub use register::AbsenceEntry;
pub use reports::{
    ColumnKind, Dashboard, DashboardItem, DashboardSection, PageLink, Report, ReportColumn, ReportName, ReportQuery,
    ReportRow, ReportValue,
};
pub use results::ClassResults;
pub use schedule::{FillReport, SlotInfo, SlotInput};
pub use settings::{DEFAULT_LOCK_MINUTES, Deadlines, SchoolSettings};
pub use simulate::Simulated;
pub use stats::{Integrity, Stats};
pub use structure::{
    AssignmentInput, ClassInput, ClassStudent, GroupInput, PeriodRange, SchoolStructure, StaffInput, SubjectInput,
    YearInput,
};
pub use sync::{RejectedEntry, Settled, SyncState};
pub use timetable::{DayPlanLesson, StaffRef};
pub use translit::translit;
pub use workplace::{ClassRef, DayLesson, JournalRef, WorkType};

pub use classbook_domain as domain;
