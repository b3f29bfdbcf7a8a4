//! A small demo school in a temp dir for each test, and what the journal
//! itself says about it (read through classbook-core while the app is closed),
//! so the tests can check the window against the file.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use classbook_core::demo::{DemoAccount, DemoConfig};
use classbook_core::{
    AbsenceEntry, ClassRef, DayLesson, Journal, JournalPage, JournalRef, KtpItem, MarkInput, PageStudent, Session,
};
use std::path::PathBuf;
use tempfile::TempDir;

pub struct DemoJournal {
    _dir: TempDir,
    pub path: PathBuf,
    pub accounts: Vec<DemoAccount>,
}

impl DemoJournal {
    /// 4 classes and 80 students: the whole year, quick to generate.
    pub fn create() -> DemoJournal {
        DemoJournal::create_with(4, 80)
    }

    /// A demo school of `classes` classes (11 and more give every grade a
    /// class, 5А among them) and `students` students.
    pub fn create_with(classes: usize, students: usize) -> DemoJournal {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        let mut journal = Journal::open(&path).unwrap();
        let config = DemoConfig { classes, students, ..DemoConfig::default() };
        let school = journal.create_demo(&config, |_, _| {}).unwrap();
        DemoJournal { _dir: dir, path, accounts: school.accounts }
    }

    /// The journal as the app sees it: its clock on the demo's last day, 10:00 Moscow time.
    pub fn open(&self) -> Journal {
        let mut journal = Journal::open(&self.path).unwrap();
        let day: NaiveDate = journal.setting("demo_today").unwrap().unwrap().parse().unwrap();
        let local = day.and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap()); // 10:00 at UTC+3
        journal.set_fixed_now(Some(Utc.from_utc_datetime(&local)));
        journal
    }

    pub fn account(&self, role_prefix: &str) -> &DemoAccount {
        self.accounts
            .iter()
            .find(|a| a.role.starts_with(role_prefix))
            .unwrap_or_else(|| panic!("no demo account «{role_prefix}…»"))
    }

    pub fn session(&self, journal: &mut Journal, account: &DemoAccount) -> Session {
        journal.login(&account.login, &account.password).unwrap()
    }

    /// A demo teacher with lessons on the demo's «today», and the first of them.
    pub fn teacher_with_lessons(&self) -> (DemoAccount, DayLesson) {
        let mut journal = self.open();
        for account in self.accounts.iter().filter(|a| a.role.starts_with("учитель") && a.password != START) {
            let session = self.session(&mut journal, account);
            if let Some(lesson) = journal.today_lessons(&session).unwrap().into_iter().next() {
                return (account.clone(), lesson);
            }
        }
        panic!("no demo teacher has lessons today");
    }

    /// A teacher's lesson today (their own, class-wide) whose page has a
    /// student with a forecast of 4 or 5 and no final yet: the teacher, the
    /// lesson, the student's row in the finals list (students still in the
    /// class) and the student.
    pub fn teacher_with_a_final_to_set(&self) -> (DemoAccount, DayLesson, usize, PageStudent) {
        let mut journal = self.open();
        for account in self.accounts.iter().filter(|a| a.role.starts_with("учитель") && a.password != START) {
            let session = self.session(&mut journal, account);
            for lesson in journal.today_lessons(&session).unwrap() {
                let Some(period) = lesson.period_id.filter(|_| !lesson.substitute && lesson.group_id.is_none()) else {
                    continue;
                };
                let page = journal.journal_page(&session, lesson.class_id, None, lesson.subject_id, period).unwrap();
                let active = page.students.iter().filter(|s| s.left_on.is_none());
                let found = active.enumerate().find(|(_, s)| {
                    page.summaries
                        .iter()
                        .any(|x| x.student_id == s.id && x.forecast.is_some_and(|f| f >= 4) && x.final_value.is_none())
                });
                if let Some((row, student)) = found {
                    return (account.clone(), lesson.clone(), row, student.clone());
                }
            }
        }
        panic!("no demo teacher has a student with a forecast of 4 or 5 and no final today");
    }

    /// A teacher's own lesson today on a page whose КТП has a topic not
    /// taken up yet: the teacher, the lesson, that topic.
    pub fn teacher_with_a_topic_to_take(&self) -> (DemoAccount, DayLesson, KtpItem) {
        let mut journal = self.open();
        for account in self.accounts.iter().filter(|a| a.role.starts_with("учитель") && a.password != START) {
            let session = self.session(&mut journal, account);
            for lesson in journal.today_lessons(&session).unwrap() {
                if lesson.substitute {
                    continue;
                }
                let plan = journal.ktp_plan(&session, lesson.class_id, lesson.group_id, lesson.subject_id).unwrap();
                if let Some(next) = plan.into_iter().find(|k| k.taught_on.is_none()) {
                    return (account.clone(), lesson, next);
                }
            }
        }
        panic!("no demo teacher's page today has a КТП topic not taken up yet");
    }

    pub fn ktp(&self, account: &DemoAccount, lesson: &DayLesson) -> Vec<KtpItem> {
        let mut journal = self.open();
        let session = self.session(&mut journal, account);
        journal.ktp_plan(&session, lesson.class_id, lesson.group_id, lesson.subject_id).unwrap()
    }

    /// The deputy head records that a second teacher takes the first one's
    /// lesson today (as the app would, through the core): returns the
    /// substitute and the lesson.
    pub fn substitution_today(&self) -> (DemoAccount, DayLesson) {
        let (owner, lesson) = self.teacher_with_lessons();
        let mut journal = self.open();
        let teachers = self.accounts.iter().filter(|a| a.role.starts_with("учитель") && a.password != START);
        for account in teachers.filter(|a| a.login != owner.login) {
            let session = self.session(&mut journal, account);
            // Their staff record, from a lesson of their own.
            let Some(page) = journal.my_journals(&session).unwrap().into_iter().find(|j| j.teaches) else { continue };
            let Some(period) = journal.period_of(journal.today().unwrap()).unwrap() else { continue };
            let own = journal.journal_page(&session, page.class_id, page.group_id, page.subject_id, period).unwrap();
            let Some(staff) = own.lessons.iter().find(|l| l.substitute_id.is_none()).and_then(|l| l.teacher_id) else {
                continue;
            };
            let deputy = self.session(&mut journal, self.account("завуч"));
            journal.set_substitute(&deputy, lesson.lesson_id, Some(staff)).unwrap();
            return (account.clone(), lesson);
        }
        panic!("no second demo teacher to substitute");
    }

    /// A class teacher and a page of their class they only read (a colleague teaches it).
    pub fn class_teacher_with_read_only_page(&self) -> (DemoAccount, JournalRef) {
        let mut journal = self.open();
        for account in self.accounts.iter().filter(|a| a.role.contains("кл. р") && a.password != START) {
            let session = self.session(&mut journal, account);
            if let Some(page) = journal.my_journals(&session).unwrap().into_iter().find(|j| !j.teaches) {
                return (account.clone(), page);
            }
        }
        panic!("no demo class teacher has a page taught by someone else");
    }

    /// A class teacher, their class and the position in the register's
    /// default view (the last two weeks) of an «н» without a reason.
    pub fn class_teacher_with_absence(&self) -> (DemoAccount, ClassRef, usize, AbsenceEntry) {
        let mut journal = self.open();
        let today = journal.today().unwrap();
        let from = today - chrono::Days::new(13);
        for account in self.accounts.iter().filter(|a| a.role.contains("кл. р") && a.password != START) {
            let session = self.session(&mut journal, account);
            for class in journal.classes_led(&session).unwrap() {
                let register = journal.absence_register(&session, class.class_id, from, today).unwrap();
                if let Some(i) = register.iter().position(|e| e.code == "н" && e.reason.is_none()) {
                    return (account.clone(), class, i, register[i].clone());
                }
            }
        }
        panic!("no demo class has an absence without a reason in the last two weeks");
    }

    pub fn register(&self, account: &DemoAccount, class: uuid::Uuid) -> Vec<AbsenceEntry> {
        let mut journal = self.open();
        let today = journal.today().unwrap();
        let session = self.session(&mut journal, account);
        journal.absence_register(&session, class, today - chrono::Days::new(13), today).unwrap()
    }

    pub fn page(
        &self,
        account: &DemoAccount,
        class: uuid::Uuid,
        subject: uuid::Uuid,
        period: uuid::Uuid,
    ) -> JournalPage {
        let mut journal = self.open();
        let session = self.session(&mut journal, account);
        journal.journal_page(&session, class, None, subject, period).unwrap()
    }

    /// What the journal answers when `account` enters a mark in a cell: the
    /// refusal the window must show. Nothing is written (it is refused).
    pub fn refusal(&self, account: &DemoAccount, lesson: uuid::Uuid, student: uuid::Uuid) -> String {
        let mut journal = self.open();
        let session = self.session(&mut journal, account);
        let input = MarkInput {
            mark_id: None,
            lesson_id: lesson,
            student_id: student,
            value: "5".into(),
            work_type_id: None,
            comment: None,
        };
        match journal.set_mark(&session, input) {
            Err(error) => error.to_string(),
            Ok(_) => panic!("{} may enter this mark: no refusal to test", account.login),
        }
    }
}

const START: &str = classbook_core::demo::START_PASSWORD;

/// The grid's title of a page, as the journal list shows it.
pub fn title(class_name: &str, group: Option<&str>, subject_name: &str) -> String {
    match group {
        Some(g) => format!("{class_name} ({g}) · {subject_name}"),
        None => format!("{class_name} · {subject_name}"),
    }
}
