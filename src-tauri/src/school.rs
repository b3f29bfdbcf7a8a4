//! The «Школа» screen's commands: the school's structure (year and periods,
//! classes and their students, subjects, staff and their accounts,
//! subgroups, who teaches what, the timetable) and the lessons it fills, plus
//! a lesson's cancellation or transfer. Each is one call into
//! `classbook-core`, which checks the rules.

use crate::desk::Desk;
use crate::error::UiResult;
use chrono::NaiveDate;
use classbook_core::domain::model::{LessonStatus, Role};
use classbook_core::{
    AccountPerson, AssignmentInput, ClassInput, ClassStudent, FillReport, GroupInput, NewStudent, Order,
    SchoolStructure, SlotInput, StaffInput, SubjectInput, YearInput,
};
use std::sync::Arc;
use tauri::State;
use uuid::Uuid;

type Desktop<'a> = State<'a, Arc<Desk>>;

#[tauri::command(async)]
pub fn school_structure(desk: Desktop<'_>) -> UiResult<SchoolStructure> {
    desk.as_user(|journal, session| journal.school_structure(session))
}

#[tauri::command(async)]
pub fn class_students(desk: Desktop<'_>, class_id: Uuid) -> UiResult<Vec<ClassStudent>> {
    desk.as_user(|journal, session| journal.class_students(session, class_id))
}

#[tauri::command(async)]
pub fn save_year(desk: Desktop<'_>, input: YearInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_year(session, input))
}

#[tauri::command(async)]
pub fn save_class(desk: Desktop<'_>, input: ClassInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_class(session, input))
}

#[tauri::command(async)]
pub fn save_subject(desk: Desktop<'_>, input: SubjectInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_subject(session, input))
}

#[tauri::command(async)]
pub fn save_staff(desk: Desktop<'_>, input: StaffInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_staff(session, input))
}

/// An account for a staff member; returns the start password, shown once.
#[tauri::command(async)]
pub fn create_staff_account(desk: Desktop<'_>, staff_id: Uuid, login: String, roles: Vec<Role>) -> UiResult<String> {
    desk.as_user(|journal, session| {
        journal.create_account(session, &login, roles, AccountPerson::Staff(staff_id)).map(|(_, password)| password)
    })
}

#[tauri::command(async)]
pub fn save_group(desk: Desktop<'_>, input: GroupInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_group(session, input))
}

#[tauri::command(async)]
pub fn save_assignment(desk: Desktop<'_>, input: AssignmentInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_assignment(session, input))
}

#[tauri::command(async)]
pub fn save_slot(desk: Desktop<'_>, input: SlotInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.save_slot(session, input))
}

#[tauri::command(async)]
pub fn fill_lessons(desk: Desktop<'_>, from: NaiveDate, to: NaiveDate) -> UiResult<FillReport> {
    desk.as_user(|journal, session| journal.fill_lessons(session, from, to))
}

/// Cancel a lesson, move it to another day, or put it back as planned.
#[tauri::command(async)]
pub fn set_lesson_status(
    desk: Desktop<'_>,
    lesson_id: Uuid,
    status: LessonStatus,
    moved_to: Option<NaiveDate>,
) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_lesson_status(session, lesson_id, status, moved_to))
}

/// Enrol a new student into a class by order; returns the student's id.
#[tauri::command(async)]
pub fn enrol_new_student(desk: Desktop<'_>, input: NewStudent) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.enrol_new_student(session, input))
}

#[tauri::command(async)]
pub fn withdraw_student(desk: Desktop<'_>, student_id: Uuid, date: NaiveDate, order: Order) -> UiResult<()> {
    desk.as_user(|journal, session| journal.withdraw_student(session, student_id, date, order))
}
