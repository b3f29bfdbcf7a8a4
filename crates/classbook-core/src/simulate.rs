//! A teacher's work, simulated: realistic entries (marks, attendance,
//! topics, homework) on the lessons the teacher keeps within the edit
//! window, each made through the same service the desktop app calls, so the
//! same rules judge it and it lands in the outbox like a typed entry. The
//! sync load and fault tests drive it (`classbook simulate`).

use crate::accounts::Session;
use crate::entries::MarkInput;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::{Duration, NaiveDate};
use classbook_domain::model::AttendanceCode;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// What a simulation entered, and how many entries the rules refused (a
/// student who had left, a final already set …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Simulated {
    pub marks: usize,
    pub attendance: usize,
    pub topics: usize,
    pub homework: usize,
    pub refused: usize,
}

impl Simulated {
    pub fn entered(&self) -> usize {
        self.marks + self.attendance + self.topics + self.homework
    }
}

/// The lessons a staff member keeps (teaches or substitutes) between two dates.
const KEPT_LESSONS: &str = "SELECT l.id, l.class_id, l.group_id, l.subject_id, l.date, COALESCE(c.graded, 1)
    FROM lesson l LEFT JOIN class c ON c.id = l.class_id
    WHERE COALESCE(l.substitute_id, l.teacher_id) = ?1 AND l.date BETWEEN ?2 AND ?3
      AND COALESCE(l.status, 'held') = 'held'
    ORDER BY l.date, l.id";

const TOPICS: &[&str] =
    &["Повторение пройденного", "Решение задач", "Самостоятельная работа", "Работа над ошибками", "Обобщение по теме"];
const HOMEWORK: &[&str] = &["§ 12, упр. 3", "Задачи № 45–48", "Выучить правило", "Повторить конспект"];

/// A kept lesson as read: id, class, group, subject, date, graded.
type LessonRow = (String, String, Option<String>, String, String, bool);
/// A journal page: class, group, subject, period.
type PageKey = (String, Option<String>, String, Uuid);

struct Lesson {
    id: Uuid,
    /// Marks and homework only where the class is graded (not in grade 1).
    graded: bool,
    /// The page's students still in the class (or group).
    students: std::rc::Rc<Vec<Uuid>>,
}

impl Journal {
    /// Enter `entries` realistic entries as `session`'s teacher, on lessons
    /// of the last two weeks up to today; the same `seed` picks the same.
    pub fn simulate(&mut self, session: &Session, entries: usize, seed: u64) -> Result<Simulated> {
        let lessons = self.simulation_lessons(session)?;
        if lessons.is_empty() {
            return Err(JournalError::invalid(format!(
                "У «{}» нет уроков за последние две недели: моделировать нечего. Выберите учителя.",
                session.login
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut done = Simulated::default();
        while done.entered() + done.refused < entries {
            let lesson = lessons.choose(&mut rng).expect("not empty");
            let student = lesson.students.choose(&mut rng).copied();
            // An ungraded class gets attendance and topics only.
            let roll = if lesson.graded { rng.random_range(0..100) } else { rng.random_range(55..90) };
            let result = match (roll, student) {
                (0..55, Some(student)) => {
                    let value = ["2", "3", "3", "4", "4", "4", "5", "5"].choose(&mut rng).expect("not empty");
                    let input = MarkInput {
                        mark_id: None,
                        lesson_id: lesson.id,
                        student_id: student,
                        value: (*value).into(),
                        work_type_id: None,
                        comment: None,
                    };
                    self.set_mark(session, input).map(|_| done.marks += 1)
                }
                (55..80, Some(student)) => {
                    let code =
                        [Some(AttendanceCode::Absent), Some(AttendanceCode::Ill), Some(AttendanceCode::Late), None]
                            .choose(&mut rng)
                            .copied()
                            .expect("not empty");
                    self.set_attendance(session, lesson.id, student, code).map(|_| done.attendance += 1)
                }
                (80..90, _) => {
                    let topic = TOPICS.choose(&mut rng).expect("not empty");
                    self.set_topic(session, lesson.id, topic, None).map(|_| done.topics += 1)
                }
                _ => {
                    let text = HOMEWORK.choose(&mut rng).expect("not empty");
                    self.set_homework(session, lesson.id, text).map(|_| done.homework += 1)
                }
            };
            match result {
                Ok(()) => {}
                Err(JournalError::Denied(_) | JournalError::Invalid(_) | JournalError::NotFound(_)) => {
                    done.refused += 1
                }
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }

    /// The teacher's lessons from 13 days ago to today, with their page's students.
    fn simulation_lessons(&self, session: &Session) -> Result<Vec<Lesson>> {
        let staff: Option<String> = self
            .conn()
            .prepare_cached("SELECT staff_id FROM account WHERE id = ?1")?
            .query_row([session.account_id.to_string()], |r| r.get(0))?;
        let Some(staff) = staff else {
            return Err(JournalError::invalid(format!(
                "«{}» не учитель: моделировать можно работу учителя.",
                session.login
            )));
        };
        let today: NaiveDate = self.today()?;
        let from = today - Duration::days(13);
        let rows: Vec<LessonRow> = self
            .conn()
            .prepare_cached(KEPT_LESSONS)?
            .query_map(rusqlite::params![staff, from.to_string(), today.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut pages: HashMap<PageKey, std::rc::Rc<Vec<Uuid>>> = HashMap::new();
        let mut lessons = Vec::new();
        for (id, class, group, subject, date, graded) in rows {
            let parse = |t: &str| t.parse::<Uuid>().map_err(|_| JournalError::Corrupt(format!("неверный код «{t}»")));
            let date: NaiveDate = date.parse().map_err(|_| JournalError::Corrupt(format!("неверная дата «{date}»")))?;
            let Some(period) = self.period_of(date)? else { continue };
            let key = (class.clone(), group.clone(), subject.clone(), period);
            let students = match pages.get(&key) {
                Some(students) => students.clone(),
                None => {
                    let group_id = group.as_deref().map(parse).transpose()?;
                    let page = self.journal_page(session, parse(&class)?, group_id, parse(&subject)?, period)?;
                    let present = page.students.iter().filter(|s| s.left_on.is_none()).map(|s| s.id);
                    let students = std::rc::Rc::new(present.collect::<Vec<_>>());
                    pages.insert(key, students.clone());
                    students
                }
            };
            lessons.push(Lesson { id: parse(&id)?, graded, students });
        }
        Ok(lessons)
    }
}
