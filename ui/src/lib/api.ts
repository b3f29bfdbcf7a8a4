// Typed calls to the Tauri shell's commands (src-tauri/src/commands.rs).
// A failed call rejects with `UiError`: `code` to branch on, Russian `message` to show.
import { invoke } from "@tauri-apps/api/core";

export type Uuid = string;

export interface UiError {
  code: string;
  message: string;
}

export type Startup =
  | { state: "opening" }
  | { state: "choose" }
  | { state: "creating_demo"; done: number; total: number }
  | { state: "ready" }
  | { state: "failed"; message: string };

export interface AppInfo {
  school_name: string | null;
  journal_path: string;
  demo_today: string | null;
  demo_password: string | null;
  today: string;
  utc_offset_minutes: number;
  lock_seconds: number;
}

export interface Session {
  account_id: Uuid;
  login: string;
  name: string;
  roles: string[];
  must_change_password: boolean;
}

export interface DayLesson {
  lesson_id: Uuid;
  date: string;
  number: number;
  class_id: Uuid;
  class_name: string;
  group_id: Uuid | null;
  group_title: string | null;
  subject_id: Uuid;
  subject_name: string;
  substitute: boolean;
  status: string | null;
  topic: string | null;
  homework: string | null;
  attendance_entries: number;
  marks: number;
  period_id: Uuid | null;
}

export interface JournalRef {
  class_id: Uuid;
  class_name: string;
  group_id: Uuid | null;
  group_title: string | null;
  subject_id: Uuid;
  subject_name: string;
  teaches: boolean;
}

export interface PeriodInfo {
  id: Uuid;
  title: string;
  starts_on: string;
  ends_on: string;
  closed: boolean;
}

export interface WorkType {
  id: Uuid;
  name: string;
  short_name: string;
  weight: number;
}

export interface PageStudent {
  id: Uuid;
  number: number;
  name: string;
  left_on: string | null;
}

export interface PageLesson {
  id: Uuid;
  date: string;
  number: number;
  topic: string | null;
  homework: string | null;
  teacher_id: Uuid | null;
  substitute_id: Uuid | null;
  /** "cancelled", "transferred" (then `date` is the new day), "held" or none. */
  status: string | null;
  /** The day a transferred lesson was planned for. */
  moved_from: string | null;
  /** On a substituted lesson: who gives it, whose lesson it is. */
  substitute_name: string | null;
  teacher_name: string | null;
}

export interface PageMark {
  id: Uuid;
  lesson_id: Uuid;
  student_id: Uuid;
  value: string;
  work_type_id: Uuid | null;
  weight: number;
}

export interface PageAttendance {
  lesson_id: Uuid;
  student_id: Uuid;
  code: string;
  reason: string | null;
}

export interface StudentSummary {
  student_id: Uuid;
  marks: number;
  average: number | null;
  forecast: number | null;
  final_value: string | null;
}

export interface JournalPage {
  class_id: Uuid;
  group_id: Uuid | null;
  subject_id: Uuid;
  grading: string;
  period: PeriodInfo;
  students: PageStudent[];
  lessons: PageLesson[];
  marks: PageMark[];
  attendance: PageAttendance[];
  summaries: StudentSummary[];
}

/** Identifies one journal page: class or subgroup × subject × period. */
export interface PageKey {
  classId: Uuid;
  groupId: Uuid | null;
  subjectId: Uuid;
  periodId: Uuid;
}

export type AttendanceCode = "н" | "б" | "ну" | "оп";

/** One change of one field, from the journal's change log. */
export interface Change {
  op_id: Uuid;
  kind: string;
  author_login: string;
  entered_at: string;
  record_id: Uuid;
  field: string;
  old: string | null;
  new: string | null;
  /** Voided as made under a compromised account: shown, not in force. */
  voided: boolean;
}

export interface AccountInfo {
  account_id: Uuid;
  login: string;
  name: string;
  roles: string[];
  blocked: boolean;
  must_change_password: boolean;
}

export interface SchoolSettings {
  /** «never», «1w», «2w», «3w», «1m». */
  edit_window: string;
  lock_minutes: number;
}

export interface KtpItem {
  id: Uuid;
  number: number;
  topic: string;
  hours: number | null;
  /** The first lesson that took this topic up. */
  taught_on: string | null;
}

export interface DayPlanLesson {
  lesson_id: Uuid;
  number: number;
  class_name: string;
  subject_name: string;
  teacher_id: Uuid | null;
  teacher_name: string;
  substitute_id: Uuid | null;
  substitute_name: string | null;
  status: string | null;
  moved_to: string | null;
}

export interface StaffRef {
  id: Uuid;
  name: string;
}

export interface ClassRef {
  class_id: Uuid;
  class_name: string;
}

export interface AbsenceEntry {
  date: string;
  number: number;
  lesson_id: Uuid;
  subject_name: string;
  student_id: Uuid;
  student_name: string;
  code: AttendanceCode;
  reason: string | null;
}

/** The UI never shows a raw exception: anything that is not a UiError becomes one. */
/** The school's structure (the «Школа» screen; src-tauri/src/school.rs). */
export type PeriodKind = "quarter" | "trimester" | "half";
export interface PeriodRange {
  starts_on: string;
  ends_on: string;
}
export interface YearInfo {
  id: Uuid;
  title: string;
  starts_on: string;
  ends_on: string;
  periods: PeriodRange[];
  period_kind: PeriodKind | null;
}
export interface ClassInfo {
  id: Uuid;
  year_id: Uuid | null;
  grade: number;
  letter: string;
  name: string;
  class_teacher_id: Uuid | null;
  shift: number | null;
}
export interface SubjectInfo {
  id: Uuid;
  name: string;
  short_name: string;
}
export interface StaffInfo {
  id: Uuid;
  surname: string;
  first_name: string;
  patronymic: string;
  position: string;
  short_name: string;
  login: string | null;
}
export interface GroupInfo {
  id: Uuid;
  class_id: Uuid;
  subject_id: Uuid | null;
  title: string;
  members: Uuid[];
}
export interface AssignmentInfo {
  id: Uuid;
  class_id: Uuid;
  group_id: Uuid | null;
  subject_id: Uuid;
  teacher_id: Uuid;
}
export interface SlotInfo {
  id: Uuid;
  class_id: Uuid;
  group_id: Uuid | null;
  subject_id: Uuid;
  teacher_id: Uuid;
  weekday: number;
  number: number;
  valid_from: string | null;
  valid_to: string | null;
}
export interface SchoolStructure {
  years: YearInfo[];
  classes: ClassInfo[];
  subjects: SubjectInfo[];
  staff: StaffInfo[];
  groups: GroupInfo[];
  assignments: AssignmentInfo[];
  slots: SlotInfo[];
}
export interface ClassStudent {
  id: Uuid;
  name: string;
}
export interface FillReport {
  created: number;
  existing: number;
  holidays: number;
}
export type LessonStatus = "held" | "cancelled" | "transferred";

/** The sync indicator's state (src-tauri/src/sync.rs, SyncView). */
export interface SyncView {
  registered: boolean;
  server: string | null;
  device: string;
  /** null until the first round. */
  online: boolean | null;
  syncing: boolean;
  queued: number;
  rejected: number;
  last_sync: string | null;
  last_error: string | null;
  last_pushed: number | null;
  last_pulled: number | null;
}

/** An entry the server refused, with why. */
export interface RejectedEntry {
  op_id: Uuid;
  kind: string;
  author: Uuid;
  entered_at: string;
  lesson_id: Uuid | null;
  student_id: Uuid | null;
  place: string | null;
  value: string | null;
  code: string;
  message: string;
}

/** Printing (src-tauri/src/print.rs). */
export type PrintKind = "journal" | "summary" | "report_cards" | "parent" | "letter" | "class_report";
export interface PrintRequest {
  kind: PrintKind;
  class_id: Uuid;
  /** The journal of one period; null for the year. */
  period_id: Uuid | null;
  /** One student; null for the whole class. */
  student_id: Uuid | null;
  from: string | null;
  to: string | null;
}
export interface PrintPreview {
  title: string;
  pages: number;
  /** Sheets of paper for binding (the journal only). */
  sheets: number | null;
  /** The first pages as SVG pictures. */
  previews: string[];
  suggested_path: string;
}
export interface PrintSaved {
  path: string;
  pages: number;
  bytes: number;
}
export interface PrintStudent {
  id: Uuid;
  number: number;
  full_name: string;
  left_on: string | null;
}

/** Reports (src-tauri/src/reports.rs, classbook-core's reports). */
export interface ReportInfo {
  /** The report's name on the command line («class-sizes»). */
  code: string;
  title: string;
  /** About one class: the class is to be chosen. */
  one_class: boolean;
  /** About one student of the class. */
  one_student: boolean;
}
export interface ReportQuery {
  class_id: Uuid | null;
  teacher_id: Uuid | null;
  student_id: Uuid | null;
  period_id: Uuid | null;
  from: string | null;
  to: string | null;
}
export type ReportColumnKind = "text" | "count" | "number" | "percent" | "date";
/** A cell: empty (null), text, a count or a number, or a date ("2025-09-05"). */
export type ReportValue = null | string | number;
export interface ReportRow {
  cells: ReportValue[];
  link?: { class_id: Uuid; group_id: Uuid | null; subject_id: Uuid; period_id: Uuid };
}
export interface Report {
  name: string;
  title: string;
  subtitle: string;
  columns: { title: string; kind: ReportColumnKind }[];
  rows: ReportRow[];
  totals: ReportValue[] | null;
}
export type ReportFormat = "xlsx" | "csv" | "json" | "pdf";
/** The journal page a report row or a dashboard item is about. */
export type PageLink = NonNullable<ReportRow["link"]>;
/** The deputy head's dashboard of a week (classbook-core's reports/dashboard.rs). */
export interface DashboardItem {
  page: string;
  teacher: string;
  detail: string;
  count: number;
  link: PageLink | null;
}
export interface DashboardSection {
  code: string;
  title: string;
  /** The report that shows the section in full, and its dates. */
  report: string;
  report_from: string;
  report_to: string;
  items: DashboardItem[];
}
export interface Dashboard {
  from: string;
  to: string;
  title: string;
  sections: DashboardSection[];
}
/** The school's deadlines for entries (the timeliness report). */
export interface Deadlines {
  attendance_minutes: number;
  marks_same_day: boolean;
  test_days: number;
  essay_days: number;
  /** "15:30". */
  homework_by: string;
}
export interface ReportSaved {
  path: string;
  rows: number;
}

/** Backups (src-tauri/src/backup.rs, classbook-backup). */
export interface BackupRecord {
  path: string;
  created_at: string;
  sha256: string | null;
  bytes: number | null;
  verified: boolean;
  error: string | null;
}
export interface BackupSchedule {
  enabled: boolean;
  /** ISO weekdays, Monday = 1. */
  days: number[];
  /** "18:00", school time. */
  time: string;
  folder: string | null;
  keep: number;
}
export interface BackupView {
  last_good: BackupRecord | null;
  last_failure: BackupRecord | null;
  schedule: BackupSchedule;
  due: boolean;
  key_fingerprint: string | null;
  key_problem: string | null;
  drives: string[];
}
export interface BackupMade {
  path: string;
  bytes: number;
  fingerprint: string;
}
export interface BackupChecked {
  school_name: string;
  created_at: string;
  fingerprint: string;
  checks: string[];
}

/** The yearly archive (src-tauri/src/archive.rs, classbook-archive). */
export interface ArchiveRecord {
  number: number;
  year: string;
  created_at: string;
  who: string;
  bundle: string;
  manifest_sha256: string;
  signer: string;
  key_fingerprint: string;
  files: number;
  bytes: number;
  destinations: string[];
  verified_at: string | null;
  verified_ok: boolean | null;
}
export interface ArchiveView {
  years: { title: string; closed: boolean }[];
  register: ArchiveRecord[];
  drives: string[];
}
export interface ArchiveMade {
  name: string;
  copies: string[];
  number: number | null;
  files: number;
  pages: number;
  fingerprint: string;
  warnings: string[];
}
export interface ArchiveChecked {
  fingerprint: string;
  register_number: number | null;
  checks: string[];
}

/** Import from spreadsheets (src-tauri/src/import.rs, classbook-exchange). */
export type ImportKind = "students" | "parents" | "staff" | "ktp";
export interface ImportRequest {
  kind: ImportKind;
  path: string;
  order_number: string | null;
  order_date: string | null;
  enrolled_on: string | null;
}
export interface RowError {
  row: number;
  column: string | null;
  message: string;
}
export interface ImportPreview {
  kind: ImportKind;
  sheet: string;
  header_row: number;
  columns: { field: string; header: string | null; column: string | null }[];
  rows: { row: number; action: "create" | "update" | "unchanged"; record: string; details: string[] }[];
  errors: RowError[];
  warnings: RowError[];
  created: number;
  updated: number;
  unchanged: number;
  empty_rows: number;
}
export interface ImportReport {
  kind: ImportKind;
  created: number;
  updated: number;
  unchanged: number;
  operations: number;
}

export function asUiError(error: unknown): UiError {
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { code?: unknown; message: unknown };
    return { code: typeof e.code === "string" ? e.code : "unexpected", message: String(e.message) };
  }
  return { code: "unexpected", message: `Непредвиденная ошибка: ${String(error)}` };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    const refusal = asUiError(error);
    // The shell ended a session left idle past the lock: the app goes back
    // to the login screen whichever screen made the call.
    if (refusal.code === "locked") window.dispatchEvent(new CustomEvent(LOCKED_EVENT, { detail: refusal.message }));
    throw refusal;
  }
}

/** Dispatched on `window` when the shell refuses a call as locked. */
export const LOCKED_EVENT = "classbook-locked";

/** How often at most the window tells the shell the user is active
 * (src-tauri/src/desk.rs, ACTIVITY_REPORT_SECONDS). */
export const ACTIVITY_REPORT_SECONDS = 30;

export const api = {
  startupStatus: () => call<Startup>("startup_status"),
  uiReady: () => call<void>("ui_ready"),
  startDemo: () => call<void>("start_demo"),
  createSchool: (name: string, adminLogin: string) => call<string>("create_school", { name, adminLogin }),
  appInfo: () => call<AppInfo>("app_info"),
  login: (login: string, password: string) => call<Session>("login", { login, password }),
  changePassword: (old: string, next: string) => call<Session>("change_password", { old, new: next }),
  logout: () => call<void>("logout"),
  stillHere: () => call<void>("still_here"),
  todayLessons: () => call<DayLesson[]>("today_lessons"),
  myJournals: () => call<JournalRef[]>("my_journals"),
  periods: () => call<PeriodInfo[]>("periods"),
  workTypes: () => call<WorkType[]>("work_types"),
  journalPage: (key: PageKey) => call<JournalPage>("journal_page", { ...key }),
  setMark: (lessonId: Uuid, studentId: Uuid, value: string, workTypeId: Uuid | null) =>
    call<Uuid>("set_mark", {
      input: {
        mark_id: null,
        lesson_id: lessonId,
        student_id: studentId,
        value,
        work_type_id: workTypeId,
        comment: null,
      },
    }),
  deleteMark: (markId: Uuid) => call<void>("delete_mark", { markId }),
  setAttendance: (lessonId: Uuid, studentId: Uuid, code: AttendanceCode | null) =>
    call<void>("set_attendance", { lessonId, studentId, code }),
  setTopic: (lessonId: Uuid, topic: string, ktpItemId: Uuid | null) =>
    call<void>("set_topic", { lessonId, topic, ktpItemId }),
  ktpPlan: (key: PageKey) =>
    call<KtpItem[]>("ktp_plan", { classId: key.classId, groupId: key.groupId, subjectId: key.subjectId }),
  setHomework: (lessonId: Uuid, text: string) => call<void>("set_homework", { lessonId, text }),
  setFinal: (key: PageKey, studentId: Uuid, value: string | null) =>
    call<void>("set_final", {
      studentId,
      subjectId: key.subjectId,
      periodId: key.periodId,
      classId: key.classId,
      value,
    }),
  dayPlan: (date: string) => call<DayPlanLesson[]>("day_plan", { date }),
  staffList: () => call<StaffRef[]>("staff_list"),
  setSubstitute: (lessonId: Uuid, substituteId: Uuid | null) =>
    call<void>("set_substitute", { lessonId, substituteId }),
  accounts: () => call<AccountInfo[]>("accounts"),
  resetPassword: (login: string) => call<string>("reset_password", { login }),
  closePeriod: (periodId: Uuid, closed: boolean) => call<void>("close_period", { periodId, closed }),
  schoolSettings: () => call<SchoolSettings>("school_settings"),
  setSchoolSettings: (settings: SchoolSettings) => call<void>("set_school_settings", { settings }),
  /** `since`: RFC 3339 with the school's offset. Returns how many entries were voided. */
  voidAccountOps: (accountId: Uuid, since: string, reason: string) =>
    call<number>("void_account_ops", { accountId, since, reason }),
  cellHistory: (lessonId: Uuid, studentId: Uuid) => call<Change[]>("cell_history", { lessonId, studentId }),
  lessonHistory: (lessonId: Uuid) => call<Change[]>("lesson_history", { lessonId }),
  classesLed: () => call<ClassRef[]>("classes_led"),
  absenceRegister: (classId: Uuid, from: string, to: string) =>
    call<AbsenceEntry[]>("absence_register", { classId, from, to }),
  setAbsenceReason: (lessonId: Uuid, studentId: Uuid, code: AttendanceCode, reason: string) =>
    call<void>("set_absence_reason", { lessonId, studentId, code, reason }),
  schoolStructure: () => call<SchoolStructure>("school_structure"),
  classStudents: (classId: Uuid) => call<ClassStudent[]>("class_students", { classId }),
  saveYear: (input: {
    id: Uuid | null;
    title: string;
    starts_on: string;
    ends_on: string;
    period_kind: PeriodKind;
    periods: PeriodRange[];
  }) => call<Uuid>("save_year", { input }),
  saveClass: (input: {
    id: Uuid | null;
    year_id: Uuid;
    grade: number;
    letter: string;
    class_teacher_id: Uuid | null;
    shift: number | null;
  }) => call<Uuid>("save_class", { input }),
  saveSubject: (input: { id: Uuid | null; name: string; short_name: string }) => call<Uuid>("save_subject", { input }),
  saveStaff: (input: { id: Uuid | null; surname: string; first_name: string; patronymic: string; position: string }) =>
    call<Uuid>("save_staff", { input }),
  /** Returns the start password, shown once. */
  createStaffAccount: (staffId: Uuid, login: string, roles: string[]) =>
    call<string>("create_staff_account", { staffId, login, roles }),
  saveGroup: (input: { id: Uuid | null; class_id: Uuid; subject_id: Uuid; title: string; members: Uuid[] }) =>
    call<Uuid>("save_group", { input }),
  saveAssignment: (input: {
    id: Uuid | null;
    class_id: Uuid;
    group_id: Uuid | null;
    subject_id: Uuid;
    teacher_id: Uuid;
    active: boolean;
  }) => call<Uuid>("save_assignment", { input }),
  saveSlot: (input: Omit<SlotInfo, "id"> & { id: Uuid | null }) => call<Uuid>("save_slot", { input }),
  fillLessons: (from: string, to: string) => call<FillReport>("fill_lessons", { from, to }),
  enrolNewStudent: (input: {
    surname: string;
    first_name: string;
    patronymic: string;
    birth_date: string | null;
    class_id: Uuid;
    enrolled_on: string;
    order: { number: string; date: string };
  }) => call<Uuid>("enrol_new_student", { input }),
  withdrawStudent: (studentId: Uuid, date: string, order: { number: string; date: string }) =>
    call<void>("withdraw_student", { studentId, date, order }),
  setLessonStatus: (lessonId: Uuid, status: LessonStatus, movedTo: string | null) =>
    call<void>("set_lesson_status", { lessonId, status, movedTo }),
  syncStatus: () => call<SyncView>("sync_status"),
  syncNow: () => call<void>("sync_now"),
  registerDevice: (server: string, login: string, password: string) =>
    call<SyncView>("register_device", { server, login, password }),
  rejectedEntries: () => call<RejectedEntry[]>("rejected_entries"),
  printClasses: () => call<ClassRef[]>("print_classes"),
  printStudents: (classId: Uuid) => call<PrintStudent[]>("print_students", { classId }),
  printPreview: (request: PrintRequest) => call<PrintPreview>("print_preview", { request }),
  printSave: (request: PrintRequest, path: string) => call<PrintSaved>("print_save", { request, path }),
  reportTeachers: () => call<StaffRef[]>("report_teachers"),
  dashboard: (day: string | null) => call<Dashboard>("dashboard", { day }),
  deadlines: () => call<Deadlines>("deadlines"),
  setDeadlines: (deadlines: Deadlines) => call<void>("set_deadlines", { deadlines }),
  reportNames: () => call<ReportInfo[]>("report_names"),
  reportRun: (name: string, query: ReportQuery) => call<Report>("report_run", { name, query }),
  reportSave: (name: string, query: ReportQuery, format: ReportFormat, path: string) =>
    call<ReportSaved>("report_save", { name, query, format, path }),
  backupView: () => call<BackupView>("backup_view"),
  backupSetPassphrase: (passphrase: string, repeat: string) =>
    call<string>("backup_set_passphrase", { passphrase, repeat }),
  backupNow: (folder: string) => call<BackupMade>("backup_now", { folder }),
  backupVerify: (path: string) => call<BackupChecked>("backup_verify", { path }),
  backupRestore: (path: string) => call<BackupChecked>("backup_restore", { path }),
  backupSetSchedule: (schedule: BackupSchedule) => call<void>("backup_set_schedule", { schedule }),
  archiveView: () => call<ArchiveView>("archive_view"),
  archiveCreate: (year: string, destinations: string[]) => call<ArchiveMade>("archive_create", { year, destinations }),
  archiveVerify: (dir: string) => call<ArchiveChecked>("archive_verify", { dir }),
  archiveRegisterSave: (path: string) => call<string>("archive_register_save", { path }),
  importPreview: (request: ImportRequest) => call<ImportPreview>("import_preview", { request }),
  importApply: (request: ImportRequest) => call<ImportReport>("import_apply", { request }),
  documentsFolder: () => call<string>("documents_folder"),
};
