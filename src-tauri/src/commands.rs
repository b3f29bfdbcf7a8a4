//! The commands the UI calls. Each is one call into `classbook-core` for the
//! logged-in user: no SQL and no permission rules here — the core checks
//! every entry and its refusal reaches the UI as `{ code, message }`.

use crate::desk::{Desk, Startup};
use crate::error::UiResult;
use classbook_core::domain::model::{AttendanceCode, Role};
use classbook_core::{
    AbsenceEntry, AccountInfo, Change, ClassRef, DayLesson, DayPlanLesson, Deadlines, JournalPage, JournalRef, KtpItem,
    MarkInput, PeriodInfo, SchoolSettings, Session, StaffRef, WorkType,
};
use serde::Serialize;
use std::sync::Arc;
use tauri::State;
use uuid::Uuid;

type Desktop<'a> = State<'a, Arc<Desk>>;

#[derive(Serialize)]
pub struct AppInfo {
    pub school_name: Option<String>,
    pub journal_path: String,
    /// The demo school's last day («2026-05-26»), which is «today» in the app.
    pub demo_today: Option<String>,
    pub demo_password: Option<&'static str>,
    pub today: chrono::NaiveDate,
    /// The school's time zone, for showing entry times as the school's clock did.
    pub utc_offset_minutes: i32,
    pub lock_seconds: u64,
}

#[tauri::command]
pub fn startup_status(desk: Desktop<'_>) -> Startup {
    desk.startup()
}

/// The first start's choice: the demo school in the new journal file.
#[tauri::command]
pub fn start_demo(desk: Desktop<'_>) -> UiResult<()> {
    desk.start_demo()
}

/// The first start's choice: a new school; returns its administrator's start password.
#[tauri::command(async)]
pub fn create_school(desk: Desktop<'_>, name: String, admin_login: String) -> UiResult<String> {
    desk.create_school(&name, &admin_login)
}

/// The login screen is on screen. With `CLASSBOOK_EXIT_WHEN_READY` set, the
/// app says so on stdout and quits: the cold-start benchmark times a start
/// from the process's spawn to that line (scripts/bench-desktop.sh).
#[tauri::command]
pub fn ui_ready(app: tauri::AppHandle) {
    if std::env::var_os("CLASSBOOK_EXIT_WHEN_READY").is_some() {
        println!("classbook: login screen shown");
        app.exit(0);
    }
}

#[tauri::command(async)]
pub fn app_info(desk: Desktop<'_>) -> UiResult<AppInfo> {
    desk.with(|open| {
        let journal = &open.journal;
        let demo_today = journal.setting("demo_today")?;
        Ok(AppInfo {
            school_name: journal.setting("school_name")?,
            journal_path: journal.path().display().to_string(),
            demo_password: demo_today.as_ref().map(|_| classbook_core::demo::DEMO_PASSWORD),
            demo_today,
            today: journal.today()?,
            utc_offset_minutes: journal.school_offset()?.local_minus_utc() / 60,
            // Inactivity before the journal locks (REQUIREMENTS §1: students
            // must never act under a teacher's login).
            lock_seconds: desk.lock_seconds(journal)?,
        })
    })
}

#[tauri::command(async)]
pub fn login(desk: Desktop<'_>, login: String, password: String) -> UiResult<Session> {
    desk.with(|open| {
        open.sign_out();
        let session = open.journal.login(login.trim(), &password)?;
        let lock_seconds = desk.lock_seconds(&open.journal)?;
        open.sign_in(session.clone(), lock_seconds);
        Ok(session)
    })
}

#[tauri::command(async)]
pub fn change_password(desk: Desktop<'_>, old: String, new: String) -> UiResult<Session> {
    desk.with(|open| {
        let mut session = open.session()?.clone();
        open.journal.change_password(&mut session, &old, &new)?;
        open.update_session(session.clone());
        Ok(session)
    })
}

/// Log out: user switching and the inactivity lock both end here.
#[tauri::command]
pub fn logout(desk: Desktop<'_>) -> UiResult<()> {
    desk.with(|open| {
        open.sign_out();
        Ok(())
    })
}

/// The window reports a key press or click (at most every
/// `ACTIVITY_REPORT_SECONDS`), so the shell's own lock knows the user is there.
#[tauri::command]
pub fn still_here(desk: Desktop<'_>) -> UiResult<()> {
    desk.with(|open| open.session().map(|_| ()))
}

#[tauri::command(async)]
pub fn today_lessons(desk: Desktop<'_>) -> UiResult<Vec<DayLesson>> {
    desk.as_user(|journal, session| journal.today_lessons(session))
}

#[tauri::command(async)]
pub fn my_journals(desk: Desktop<'_>) -> UiResult<Vec<JournalRef>> {
    desk.as_user(|journal, session| journal.my_journals(session))
}

#[tauri::command(async)]
pub fn periods(desk: Desktop<'_>) -> UiResult<Vec<PeriodInfo>> {
    desk.as_user(|journal, _| journal.periods())
}

#[tauri::command(async)]
pub fn work_types(desk: Desktop<'_>) -> UiResult<Vec<WorkType>> {
    desk.as_user(|journal, _| journal.work_types())
}

#[tauri::command(async)]
pub fn journal_page(
    desk: Desktop<'_>,
    class_id: Uuid,
    group_id: Option<Uuid>,
    subject_id: Uuid,
    period_id: Uuid,
) -> UiResult<JournalPage> {
    desk.as_user(|journal, session| journal.journal_page(session, class_id, group_id, subject_id, period_id))
}

#[tauri::command(async)]
pub fn set_mark(desk: Desktop<'_>, input: MarkInput) -> UiResult<Uuid> {
    desk.as_user(|journal, session| journal.set_mark(session, input))
}

#[tauri::command(async)]
pub fn delete_mark(desk: Desktop<'_>, mark_id: Uuid) -> UiResult<()> {
    desk.as_user(|journal, session| journal.delete_mark(session, mark_id))
}

/// `code` is «н», «б», «ну», «оп», or null to clear the cell.
#[tauri::command(async)]
pub fn set_attendance(
    desk: Desktop<'_>,
    lesson_id: Uuid,
    student_id: Uuid,
    code: Option<AttendanceCode>,
) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_attendance(session, lesson_id, student_id, code))
}

/// `ktp_item_id`: the КТП item the topic was taken from, if it was.
#[tauri::command(async)]
pub fn set_topic(desk: Desktop<'_>, lesson_id: Uuid, topic: String, ktp_item_id: Option<Uuid>) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_topic(session, lesson_id, &topic, ktp_item_id))
}

/// The КТП of a page, with where each topic was taken up.
#[tauri::command(async)]
pub fn ktp_plan(desk: Desktop<'_>, class_id: Uuid, group_id: Option<Uuid>, subject_id: Uuid) -> UiResult<Vec<KtpItem>> {
    desk.as_user(|journal, session| journal.ktp_plan(session, class_id, group_id, subject_id))
}

#[tauri::command(async)]
pub fn set_homework(desk: Desktop<'_>, lesson_id: Uuid, text: String) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_homework(session, lesson_id, &text))
}

/// Every change of one cell: marks, attendance, individual homework.
#[tauri::command(async)]
pub fn cell_history(desk: Desktop<'_>, lesson_id: Uuid, student_id: Uuid) -> UiResult<Vec<Change>> {
    desk.as_user(|journal, session| journal.cell_history(session, lesson_id, student_id))
}

/// Every change of a lesson's own fields: topic, homework, substitute …
#[tauri::command(async)]
pub fn lesson_history(desk: Desktop<'_>, lesson_id: Uuid) -> UiResult<Vec<Change>> {
    desk.as_user(|journal, session| journal.lesson_history(session, lesson_id))
}

#[tauri::command(async)]
pub fn classes_led(desk: Desktop<'_>) -> UiResult<Vec<ClassRef>> {
    desk.as_user(|journal, session| journal.classes_led(session))
}

#[tauri::command(async)]
pub fn absence_register(
    desk: Desktop<'_>,
    class_id: Uuid,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> UiResult<Vec<AbsenceEntry>> {
    desk.as_user(|journal, session| journal.absence_register(session, class_id, from, to))
}

/// The class teacher's correction of an absence: `code` «б», «ну», «оп» or «н», and why.
#[tauri::command(async)]
pub fn set_absence_reason(
    desk: Desktop<'_>,
    lesson_id: Uuid,
    student_id: Uuid,
    code: AttendanceCode,
    reason: String,
) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_absence_reason(session, lesson_id, student_id, code, &reason))
}

/// A student's final for a period (`value` null clears it).
#[tauri::command(async)]
pub fn set_final(
    desk: Desktop<'_>,
    student_id: Uuid,
    subject_id: Uuid,
    period_id: Uuid,
    class_id: Uuid,
    value: Option<String>,
) -> UiResult<()> {
    desk.as_user(|journal, session| {
        journal.set_final(session, student_id, subject_id, period_id, class_id, value.as_deref(), None)
    })
}

/// The administrator's list of accounts.
#[tauri::command(async)]
pub fn accounts(desk: Desktop<'_>) -> UiResult<Vec<AccountInfo>> {
    desk.as_user(|journal, session| journal.accounts(session))
}

/// A new start password for `login` (shown once to the administrator).
#[tauri::command(async)]
pub fn reset_password(desk: Desktop<'_>, login: String) -> UiResult<String> {
    desk.as_user(|journal, session| journal.reset_password(session, &login))
}

#[tauri::command(async)]
pub fn close_period(desk: Desktop<'_>, period_id: Uuid, closed: bool) -> UiResult<()> {
    desk.as_user(|journal, session| journal.close_period(session, period_id, closed))
}

#[tauri::command(async)]
pub fn school_settings(desk: Desktop<'_>) -> UiResult<SchoolSettings> {
    desk.as_user(|journal, _| journal.school_settings())
}

#[tauri::command(async)]
pub fn set_school_settings(desk: Desktop<'_>, settings: SchoolSettings) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_school_settings(session, &settings))
}

/// The school's deadlines for entries (the timeliness report judges by them).
#[tauri::command(async)]
pub fn deadlines(desk: Desktop<'_>) -> UiResult<Deadlines> {
    desk.as_user(|journal, _| journal.deadlines())
}

#[tauri::command(async)]
pub fn set_deadlines(desk: Desktop<'_>, deadlines: Deadlines) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_deadlines(session, &deadlines))
}

/// Void a compromised account's entries from `since` on; returns how many.
#[tauri::command(async)]
pub fn void_account_ops(
    desk: Desktop<'_>,
    account_id: Uuid,
    since: chrono::DateTime<chrono::Utc>,
    reason: String,
) -> UiResult<usize> {
    desk.as_user(|journal, session| journal.void_account_ops(session, account_id, since, &reason))
}

/// The school's lessons of a day, for recording substitutions.
#[tauri::command(async)]
pub fn day_plan(desk: Desktop<'_>, date: chrono::NaiveDate) -> UiResult<Vec<DayPlanLesson>> {
    desk.as_user(|journal, session| journal.day_plan(session, date))
}

#[tauri::command(async)]
pub fn staff_list(desk: Desktop<'_>) -> UiResult<Vec<StaffRef>> {
    desk.as_user(|journal, session| journal.staff_list(session))
}

/// Who substitutes a lesson (`substitute_id` null undoes it).
#[tauri::command(async)]
pub fn set_substitute(desk: Desktop<'_>, lesson_id: Uuid, substitute_id: Option<Uuid>) -> UiResult<()> {
    desk.as_user(|journal, session| journal.set_substitute(session, lesson_id, substitute_id))
}

/// The sync indicator: online or not, entries queued, the last sync.
#[tauri::command(async)]
pub fn sync_status(desk: Desktop<'_>) -> UiResult<crate::sync::SyncView> {
    crate::sync::view(&desk)
}

/// «Синхронизировать сейчас».
#[tauri::command]
pub fn sync_now(desk: Desktop<'_>) -> UiResult<()> {
    desk.as_user(|_, _| Ok(()))?;
    desk.link.wake();
    Ok(())
}

/// Register this PC with the school's server (administrators).
#[tauri::command]
pub async fn register_device(
    desk: Desktop<'_>,
    server: String,
    login: String,
    password: String,
) -> UiResult<crate::sync::SyncView> {
    crate::sync::register_device(&desk, &server, &login, &password).await
}

/// The inbox of entries the server refused: one's own, or all of them for
/// administrators and deputy heads, who follow how the journal is kept.
#[tauri::command(async)]
pub fn rejected_entries(desk: Desktop<'_>) -> UiResult<Vec<classbook_core::RejectedEntry>> {
    desk.as_user(|journal, session| {
        let oversees = session.roles.iter().any(|r| matches!(r, Role::Admin | Role::Deputy));
        journal.rejected_entries(if oversees { None } else { Some(session) })
    })
}
