//! What the paper journal holds, read in one go for printing: a class's
//! yearly journal (its roll with parents' contacts, every subject's pages of
//! each period, the finals) and one student's record over any dates (the
//! weekly printout for parents without the electronic diary).

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use crate::page::{JournalPage, PeriodInfo, date, id, short_name};
use crate::results::ClassResults;
use chrono::NaiveDate;
use classbook_domain::grades::{self, GradingSystem, HundredScale, MarkValue, StudentOutcome};
use classbook_domain::rules::{self, Action};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize)]
pub struct ClassBook {
    pub school_name: String,
    /// «Фамилия Имя Отчество» of the director, for the binding certificate.
    pub director: Option<String>,
    pub class_id: Uuid,
    /// «5А».
    pub class_name: String,
    /// «2025/2026».
    pub year_title: String,
    pub class_teacher: Option<String>,
    /// The study periods printed, in calendar order (a quarter, or all of them).
    pub periods: Vec<PeriodInfo>,
    /// The year itself, when the whole year is printed (its finals).
    pub year_period: Option<PeriodInfo>,
    pub students: Vec<BookStudent>,
    pub sections: Vec<BookSection>,
    pub finals: Vec<BookFinal>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BookStudent {
    pub id: Uuid,
    pub number: usize,
    /// «Фамилия Имя Отчество».
    pub full_name: String,
    /// «Фамилия И. О.», as on the journal's pages.
    pub short_name: String,
    pub birth_date: Option<NaiveDate>,
    /// Set when the student left the class within the printed dates.
    pub left_on: Option<NaiveDate>,
    pub parents: Vec<BookParent>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BookParent {
    pub name: String,
    pub relation: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One subject of the class (or one subgroup's part of it), with its pages.
#[derive(Clone, Debug, Serialize)]
pub struct BookSection {
    pub subject_id: Uuid,
    pub subject_name: String,
    pub group_id: Option<Uuid>,
    pub group_title: Option<String>,
    /// «Фамилия И. О.» of those assigned to teach it.
    pub teachers: Vec<String>,
    /// One page per printed period, in the order of `ClassBook::periods`.
    pub pages: Vec<JournalPage>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BookFinal {
    pub student_id: Uuid,
    pub subject_id: Uuid,
    pub period_id: Uuid,
    pub value: String,
}

impl ClassBook {
    /// The final of a student in a subject for a period, if set.
    pub fn final_of(&self, student_id: Uuid, subject_id: Uuid, period_id: Uuid) -> Option<&str> {
        self.finals
            .iter()
            .find(|f| f.student_id == student_id && f.subject_id == subject_id && f.period_id == period_id)
            .map(|f| f.value.as_str())
    }

    /// The subjects of the class once each (subgroups share their subject), in print order.
    pub fn subjects(&self) -> Vec<(Uuid, &str)> {
        let mut subjects: Vec<(Uuid, &str)> = Vec::new();
        for section in &self.sections {
            if !subjects.iter().any(|(id, _)| *id == section.subject_id) {
                subjects.push((section.subject_id, &section.subject_name));
            }
        }
        subjects
    }
}

/// One student's lessons over a span of dates, with their marks, attendance
/// and homework, and the average per subject.
#[derive(Clone, Debug, Serialize)]
pub struct StudentRecord {
    pub student_id: Uuid,
    pub full_name: String,
    /// «м» or «ж», as the student's card says (the letter to parents writes
    /// «ученика» or «ученицы» by it).
    pub gender: Option<String>,
    pub class_name: String,
    /// «Фамилия Имя Отчество» of the class teacher of `class_name`, who signs
    /// what parents are sent.
    pub class_teacher: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lessons: Vec<RecordLesson>,
    pub subjects: Vec<SubjectAverage>,
    /// Lessons missed («н», «б», «ну») and lateness («оп») over the span.
    pub absences: usize,
    pub absences_excused: usize,
    pub lateness: usize,
    /// Every unsatisfactory mark of the span («2», «1», «незач», a 100-point
    /// result below «3»), in date order: parents are told of each.
    pub low_marks: Vec<RecordMark>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecordMark {
    pub date: NaiveDate,
    pub subject_name: String,
    pub value: String,
    pub topic: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RecordLesson {
    pub date: NaiveDate,
    pub number: u8,
    pub subject_name: String,
    pub topic: Option<String>,
    /// The class's homework, and the student's own when one was set.
    pub homework: Option<String>,
    pub marks: Vec<String>,
    pub attendance: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SubjectAverage {
    pub subject_id: Uuid,
    pub subject_name: String,
    pub marks: usize,
    pub average: Option<f64>,
    /// The period mark the average points to (`grades::forecast` of the
    /// unrounded average, as the journal page's forecast).
    pub forecast: Option<u8>,
    /// Lessons of the subject missed («н», «б», «ну»), and of them excused («б», «ну»).
    pub absences: usize,
    pub absences_excused: usize,
}

/// The class teacher's report for a period (`Journal::class_period`): the
/// roll and its movement, the results from the period's finals, each
/// student's line in them and their attendance.
#[derive(Clone, Debug, Serialize)]
pub struct ClassPeriod {
    pub school_name: String,
    pub class_id: Uuid,
    pub class_name: String,
    pub class_teacher: Option<String>,
    pub period: PeriodInfo,
    /// Students on the roll on the period's first and on its last day.
    pub roll_at_start: usize,
    pub roll_at_end: usize,
    /// The movement book's entries of the period that brought a student into
    /// the class or took one out of it, in date order.
    pub movements: Vec<ClassMovement>,
    /// Success rate and quality (`Journal::class_results`: the figures of the
    /// school's success-quality report for this class).
    pub results: ClassResults,
    /// Everyone on the roll at some time in the period, in journal order.
    pub students: Vec<PeriodStudent>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClassMovement {
    pub date: Option<NaiveDate>,
    /// «Фамилия Имя Отчество».
    pub student: String,
    /// True: came into the class; false: left it.
    pub arrived: bool,
    /// «зачисление», «перевод», «выбытие»…
    pub kind: String,
    /// The class the student came from or went to, inside the school.
    pub other_class: Option<String>,
    pub order_number: Option<String>,
    pub order_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PeriodStudent {
    pub id: Uuid,
    pub full_name: String,
    /// «Фамилия И. О.».
    pub short_name: String,
    /// Their line in the results; None when not on the roll at the period's
    /// end (the results do not count them).
    pub outcome: Option<StudentOutcome>,
    /// Exactly one «3», every other final «4» or «5» (success-quality's «С одной «3»»).
    pub one_three: bool,
    /// Subjects whose final is unsatisfactory («2», «незач»…).
    pub failing_subjects: Vec<String>,
    /// Subjects whose final is «н/а».
    pub not_assessed_subjects: Vec<String>,
    /// Lessons of the period held up to today that the student had, missed
    /// («н», «б», «ну»), of them excused («б», «ну»), and lateness («оп»):
    /// the class's attendance report.
    pub lessons_held: usize,
    pub absences: usize,
    pub absences_excused: usize,
    pub lateness: usize,
}

const CLASS_HEADER: &str = "SELECT c.grade || COALESCE(c.letter, ''), COALESCE(y.title, ''), y.starts_on, y.ends_on,
        t.surname, t.first_name, t.patronymic, c.year_id
    FROM class c
    LEFT JOIN academic_year y ON y.id = c.year_id
    LEFT JOIN staff t ON t.id = c.class_teacher_id
    WHERE c.id = ?1";

/// The director: the staff member whose position is «директор» (not a deputy).
const DIRECTOR: &str = "SELECT surname, first_name, patronymic FROM staff
    WHERE lower(trim(position)) = 'директор' OR lower(trim(position)) LIKE 'директор %'
    ORDER BY surname LIMIT 1";

/// The year's periods: the short ones in calendar order, then the year.
const YEAR_PERIODS: &str = "SELECT id, kind FROM period WHERE year_id = ?1
    ORDER BY kind = 'year', starts_on, number";

const ROLL: &str = concat!(
    with_class_stay!(),
    "SELECT s.id, COALESCE(s.surname, ''), COALESCE(s.first_name, ''), COALESCE(s.patronymic, ''), s.birth_date,
        MAX(cs.to_date)
    FROM class_stay cs JOIN student s ON s.id = cs.student_id
    WHERE cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?2)
    GROUP BY s.id
    ORDER BY s.surname, s.first_name, s.patronymic"
);

const PARENTS: &str = "SELECT p.surname, p.first_name, p.patronymic, l.relation, p.phone, p.email
    FROM parent_link l JOIN parent p ON p.id = l.parent_id
    WHERE l.student_id = ?1 AND l.active = 1
    ORDER BY p.surname, p.first_name";

/// Every page the class has: each subject of its curriculum (as a whole
/// class unless it is taught in subgroups), and every subject or subgroup
/// that has lessons in the dates.
const SECTIONS: &str = "SELECT x.subject_id, COALESCE(s.name, ''), x.group_id, g.title
    FROM (
        SELECT DISTINCT subject_id, group_id FROM lesson WHERE class_id = ?1 AND date >= ?2 AND date <= ?3
        UNION
        SELECT cu.subject_id, NULL FROM curriculum cu
        WHERE cu.class_id = ?1
          AND NOT EXISTS (SELECT 1 FROM study_group sg WHERE sg.class_id = ?1 AND sg.subject_id = cu.subject_id)
    ) x
    JOIN subject s ON s.id = x.subject_id
    LEFT JOIN study_group g ON g.id = x.group_id
    ORDER BY s.print_order, s.name, g.title";

const TEACHERS: &str = "SELECT DISTINCT t.surname, t.first_name, t.patronymic
    FROM assignment a JOIN staff t ON t.id = a.teacher_id
    WHERE a.class_id = ?1 AND a.subject_id = ?2 AND a.group_id IS ?3 AND a.active = 1
    ORDER BY t.surname";

const FINALS: &str = "SELECT student_id, subject_id, period_id, value FROM final_mark
    WHERE student_id = ?1 AND value IS NOT NULL";

/// A student's stays in classes, then their lessons in the dates: the
/// class's own and those of the subgroups the student is in.
const STUDENT_LESSONS: &str = "WITH stay AS (
        SELECT class_id, kind, date AS from_date, LEAD(date) OVER (ORDER BY date, id) AS to_date
        FROM movement WHERE student_id = ?1 AND kind IS NOT NULL AND kind <> 'debt_repaid'
    ),
    class_stay AS (
        SELECT class_id, from_date, to_date FROM stay
        WHERE kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
    ),
    lessons AS (
        SELECT l.id, CASE WHEN l.status = 'transferred' AND l.moved_to IS NOT NULL THEN l.moved_to ELSE l.date END AS day,
            l.number, l.class_id, l.subject_id, l.topic, l.homework
        FROM class_stay cs JOIN lesson l ON l.class_id = cs.class_id
        WHERE l.date >= ?2 AND l.date <= ?3 AND l.date >= cs.from_date AND (cs.to_date IS NULL OR l.date < cs.to_date)
          AND (l.status IS NULL OR l.status <> 'cancelled')
          AND (l.group_id IS NULL OR EXISTS (
                SELECT 1 FROM group_member g WHERE g.group_id = l.group_id AND g.student_id = ?1 AND g.active = 1))
    )
    SELECT l.id, l.day, l.number, COALESCE(s.name, ''), l.topic, l.homework, ih.text, a.code, cu.grading,
        (SELECT group_concat(m.value || char(31) || COALESCE(w.weight, 1.0), char(30))
         FROM mark m LEFT JOIN work_type w ON w.id = m.work_type_id
         WHERE m.lesson_id = l.id AND m.student_id = ?1 AND m.deleted = 0 AND m.value IS NOT NULL),
        l.subject_id
    FROM lessons l
    LEFT JOIN subject s ON s.id = l.subject_id
    LEFT JOIN curriculum cu ON cu.class_id = l.class_id AND cu.subject_id = l.subject_id
    LEFT JOIN individual_homework ih ON ih.lesson_id = l.id AND ih.student_id = ?1
    LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = ?1 AND a.code IS NOT NULL
    ORDER BY l.day, l.number, s.print_order";

/// A subject's part of a student's record while it is read.
#[derive(Default)]
struct Gathered {
    subject_id: Option<Uuid>,
    marks: usize,
    points: Vec<(f64, f64)>,
    absences: usize,
    absences_excused: usize,
}

fn full_name(surname: &str, first: &str, patronymic: &str) -> String {
    [surname, first, patronymic].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

impl Journal {
    /// A class's journal for printing: the whole year (`period_id` None) or one period.
    pub fn class_book(&self, session: &Session, class_id: Uuid, period_id: Option<Uuid>) -> Result<ClassBook> {
        self.check_view_class(session, class_id)?;
        let conn = self.conn();
        type Header = (String, String, Option<String>, Option<String>, Option<String>, String, String, Option<String>);
        let header: Header = conn
            .prepare_cached(CLASS_HEADER)?
            .query_row([class_id.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    r.get(7)?,
                ))
            })
            .optional()?
            .ok_or_else(|| JournalError::not_found("Класс не найден."))?;
        let (class_name, year_title, _, _, teacher_surname, teacher_first, teacher_patronymic, year_id) = header;
        let class_teacher = teacher_surname.map(|s| full_name(&s, &teacher_first, &teacher_patronymic));

        let mut periods = Vec::new();
        let mut year_period = None;
        let year_id =
            year_id.ok_or_else(|| JournalError::invalid(format!("Класс {class_name} не отнесён к учебному году.")))?;
        let ids: Vec<(String, Option<String>)> = conn
            .prepare_cached(YEAR_PERIODS)?
            .query_map([&year_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (period, kind) in ids {
            let info = crate::page::period_info(conn, id(period)?)?;
            if kind.as_deref() == Some("year") {
                year_period = Some(info);
            } else {
                periods.push(info);
            }
        }
        if let Some(chosen) = period_id {
            periods.retain(|p| p.id == chosen);
            if periods.is_empty() {
                let year = year_period.take().filter(|y| y.id == chosen).ok_or_else(|| {
                    JournalError::not_found(format!("В учебном году класса {class_name} нет такого периода."))
                })?;
                periods.push(year);
            } else {
                year_period = None;
            }
        }
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Err(JournalError::invalid(format!("В учебном году класса {class_name} нет учебных периодов.")));
        };
        let (from, to) = (first.starts_on, last.ends_on);

        let mut students = Vec::new();
        let mut parents_stmt = conn.prepare_cached(PARENTS)?;
        let mut finals_stmt = conn.prepare_cached(FINALS)?;
        let mut finals = Vec::new();
        let printed: Vec<Uuid> = periods.iter().chain(year_period.iter()).map(|p| p.id).collect();
        let mut roll = conn.prepare_cached(ROLL)?;
        let mut rows = roll.query(params![class_id.to_string(), from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            let student_id: String = r.get(0)?;
            let (surname, first, patronymic): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let parents = parents_stmt
                .query_map([&student_id], |p| {
                    let part = |i: usize| -> rusqlite::Result<String> {
                        Ok(p.get::<_, Option<String>>(i)?.unwrap_or_default())
                    };
                    Ok(BookParent {
                        name: full_name(&part(0)?, &part(1)?, &part(2)?),
                        relation: p.get(3)?,
                        phone: p.get(4)?,
                        email: p.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for f in finals_stmt.query_map([&student_id], |f| {
                Ok(BookFinal {
                    student_id: id(f.get(0)?)?,
                    subject_id: id(f.get(1)?)?,
                    period_id: id(f.get(2)?)?,
                    value: f.get(3)?,
                })
            })? {
                let f = f?;
                if printed.contains(&f.period_id) {
                    finals.push(f);
                }
            }
            students.push(BookStudent {
                id: id(student_id)?,
                number: students.len() + 1,
                full_name: full_name(&surname, &first, &patronymic),
                short_name: short_name(&surname, &first, &patronymic),
                birth_date: r.get::<_, Option<String>>(4)?.and_then(|d| d.parse().ok()),
                left_on: r.get::<_, Option<String>>(5)?.and_then(|d| d.parse().ok()).filter(|d| *d <= to),
                parents,
            });
        }
        drop(rows);

        let mut sections = Vec::new();
        let found: Vec<(String, String, Option<String>, Option<String>)> = conn
            .prepare_cached(SECTIONS)?
            .query_map(params![class_id.to_string(), from.to_string(), to.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut teachers_stmt = conn.prepare_cached(TEACHERS)?;
        for (subject, subject_name, group, group_title) in found {
            let teachers = teachers_stmt
                .query_map(params![class_id.to_string(), &subject, &group], |r| {
                    let part = |i: usize| -> rusqlite::Result<String> {
                        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
                    };
                    Ok(short_name(&part(0)?, &part(1)?, &part(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let subject_id = id(subject)?;
            let group_id = group.map(id).transpose()?;
            let pages = periods
                .iter()
                .map(|p| self.journal_page(session, class_id, group_id, subject_id, p.id))
                .collect::<Result<Vec<_>>>()?;
            sections.push(BookSection { subject_id, subject_name, group_id, group_title, teachers, pages });
        }

        let director = conn
            .prepare_cached(DIRECTOR)?
            .query_row([], |r| {
                let part =
                    |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
                Ok(full_name(&part(0)?, &part(1)?, &part(2)?))
            })
            .optional()?;
        Ok(ClassBook {
            school_name: self.setting("school_name")?.unwrap_or_default(),
            director,
            class_id,
            class_name,
            year_title,
            class_teacher,
            periods,
            year_period,
            students,
            sections,
            finals,
        })
    }

    /// The classes whose journals the session may print: every class of the
    /// current year for those who read any class (administration, director,
    /// deputy heads, inspectors), the classes they lead for class teachers.
    pub fn printable_classes(&self, session: &Session) -> Result<Vec<crate::ClassRef>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let today = self.school_date(self.now())?;
        let any_class = Action::ViewClass { teaches: false, class_teacher: false };
        if rules::check(&actor, &any_class, today, Default::default()).is_err() {
            return self.classes_led(session);
        }
        let classes = self
            .conn()
            .prepare_cached(
                "SELECT c.id, c.grade || COALESCE(c.letter, '') FROM class c LEFT JOIN academic_year y ON y.id = c.year_id
                 WHERE ?1 BETWEEN y.starts_on AND y.ends_on
                    OR NOT EXISTS (SELECT 1 FROM academic_year WHERE ?1 BETWEEN starts_on AND ends_on)
                 ORDER BY c.grade, c.letter",
            )?
            .query_map([today.to_string()], |r| Ok(crate::ClassRef { class_id: id(r.get(0)?)?, class_name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(classes)
    }

    /// The one student named `name` («Фамилия Имя», the start of the full
    /// name; ё as е) on the roll on `day`, and their class: for a student's
    /// documents and reports without naming the class. None found or
    /// several: an error that lists them.
    pub fn student_named(&self, name: &str, day: NaiveDate) -> Result<(Uuid, Uuid)> {
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е");
        let key = norm(name);
        let students: Vec<(String, String, String, String, String)> = self
            .conn()
            .prepare_cached(
                "SELECT trim(COALESCE(s.surname, '') || ' ' || COALESCE(s.first_name, '') || ' ' || COALESCE(s.patronymic, '')),
                        m.class_id, c.grade || COALESCE(c.letter, ''), m.kind, s.id
                 FROM student s
                 JOIN movement m ON m.student_id = s.id AND m.date <= ?1 AND m.kind IS NOT NULL AND m.kind <> 'debt_repaid'
                 LEFT JOIN class c ON c.id = m.class_id
                 WHERE NOT EXISTS (SELECT 1 FROM movement later WHERE later.student_id = s.id AND later.date <= ?1
                                   AND later.kind IS NOT NULL AND later.kind <> 'debt_repaid'
                                   AND (later.date, later.id) > (m.date, m.id))",
            )?
            .query_map([day.to_string()], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let found: Vec<_> = students
            .iter()
            .filter(|(full, _, _, kind, _)| {
                norm(full).starts_with(&key)
                    && ["enrol", "transfer", "conditional_transfer", "repeat_year"].contains(&kind.as_str())
            })
            .collect();
        match found.as_slice() {
            [(_, class, _, _, student)] => Ok((id(student.clone())?, id(class.clone())?)),
            [] => Err(JournalError::not_found(format!(
                "Ученика «{name}» среди учащихся на {} нет: укажите фамилию и имя, как в списке класса.",
                day.format("%d.%m.%Y")
            ))),
            many => Err(JournalError::invalid(format!(
                "«{name}» подходит нескольким ученикам: {}. Укажите полнее или назовите класс.",
                many.iter().map(|(full, _, class, _, _)| format!("{full} ({class})")).collect::<Vec<_>>().join("; ")
            ))),
        }
    }

    /// A class by its name as written on the journal («5А», «10 Б»).
    pub fn class_by_name(&self, name: &str) -> Result<Uuid> {
        let wanted: String = name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let classes: Vec<(String, String)> = self
            .conn()
            .prepare_cached("SELECT id, grade || COALESCE(letter, '') FROM class ORDER BY grade, letter")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let known: Vec<&str> = classes.iter().map(|(_, n)| n.as_str()).collect();
        match classes.iter().find(|(_, n)| n.to_uppercase() == wanted) {
            Some((class, _)) => Ok(id(class.clone())?),
            None => Err(JournalError::not_found(format!(
                "Класса «{name}» в журнале нет. Есть классы: {}.",
                known.join(", ")
            ))),
        }
    }

    /// A student's finals of one period (the letter to parents shows the
    /// period mark where one is set); readable by whoever may read the
    /// student's record (a parent: their own child's).
    pub fn student_finals(&self, session: &Session, student_id: Uuid, period_id: Uuid) -> Result<Vec<BookFinal>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::ViewStudent { student_id }, self.school_date(self.now())?, Default::default())?;
        let finals = self
            .conn()
            .prepare_cached(FINALS)?
            .query_map([student_id.to_string()], |f| {
                Ok(BookFinal {
                    student_id: id(f.get(0)?)?,
                    subject_id: id(f.get(1)?)?,
                    period_id: id(f.get(2)?)?,
                    value: f.get(3)?,
                })
            })?
            .filter(|f| f.as_ref().map_or(true, |f| f.period_id == period_id))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(finals)
    }

    /// One student's lessons, marks, attendance and homework from `from` to `to`.
    pub fn student_record(
        &self,
        session: &Session,
        student_id: Uuid,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<StudentRecord> {
        if from > to {
            return Err(JournalError::invalid("Начальная дата позже конечной: укажите даты по порядку."));
        }
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::ViewStudent { student_id }, self.school_date(self.now())?, Default::default())?;
        let conn = self.conn();
        let (surname, first, patronymic): (String, String, String) = conn
            .prepare_cached("SELECT COALESCE(surname, ''), COALESCE(first_name, ''), COALESCE(patronymic, '') FROM student WHERE id = ?1")?
            .query_row([student_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| JournalError::not_found("Учащийся не найден."))?;
        let gender: Option<String> = conn
            .prepare_cached("SELECT gender FROM student WHERE id = ?1")?
            .query_row([student_id.to_string()], |r| r.get(0))?;
        let (class_name, class_teacher): (String, Option<String>) = conn
            .prepare_cached(
                "SELECT c.grade || COALESCE(c.letter, ''), t.surname, t.first_name, t.patronymic
                 FROM movement m JOIN class c ON c.id = m.class_id LEFT JOIN staff t ON t.id = c.class_teacher_id
                 WHERE m.student_id = ?1 AND m.date <= ?2 AND m.kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
                 ORDER BY m.date DESC LIMIT 1",
            )?
            .query_row(params![student_id.to_string(), to.to_string()], |r| {
                let part =
                    |i: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default()) };
                let teacher = r.get::<_, Option<String>>(1)?.map(|_| Ok::<_, rusqlite::Error>(full_name(&part(1)?, &part(2)?, &part(3)?))).transpose()?;
                Ok((r.get(0)?, teacher))
            })
            .optional()?
            .unwrap_or_default();

        let scale = HundredScale::default();
        let mut lessons = Vec::new();
        let mut by_subject: BTreeMap<String, Gathered> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let (mut absences, mut absences_excused, mut lateness) = (0, 0, 0);
        let mut low_marks = Vec::new();
        let mut stmt = conn.prepare_cached(STUDENT_LESSONS)?;
        let mut rows = stmt.query(params![student_id.to_string(), from.to_string(), to.to_string()])?;
        while let Some(r) = rows.next()? {
            let subject_name: String = r.get(3)?;
            let homework: Option<String> = r.get(5)?;
            let own_homework: Option<String> = r.get(6)?;
            let attendance: Option<String> = r.get(7)?;
            let grading = r.get::<_, Option<String>>(8)?.and_then(|g| GradingSystem::from_code(&g)).unwrap_or_default();
            let packed: Option<String> = r.get(9)?;
            let day = date(r.get(1)?)?;
            if !order.contains(&subject_name) {
                order.push(subject_name.clone());
            }
            let entry = by_subject.entry(subject_name.clone()).or_default();
            entry.subject_id = Some(id(r.get(10)?)?);
            match attendance.as_deref() {
                Some("н") => {
                    absences += 1;
                    entry.absences += 1;
                }
                Some("б") | Some("ну") => {
                    absences += 1;
                    absences_excused += 1;
                    entry.absences += 1;
                    entry.absences_excused += 1;
                }
                Some("оп") => lateness += 1,
                _ => {}
            }
            let mut marks = Vec::new();
            for mark in packed.iter().flat_map(|p| p.split('\u{1e}')) {
                let (value, weight) = mark.split_once('\u{1f}').unwrap_or((mark, "1"));
                entry.marks += 1;
                if let Ok(parsed) = MarkValue::parse(grading, value) {
                    if let Some(points) = parsed.five_point(&scale) {
                        entry.points.push((points, weight.parse().unwrap_or(1.0)));
                    }
                    if parsed.is_unsatisfactory(&scale) {
                        low_marks.push(RecordMark {
                            date: day,
                            subject_name: subject_name.clone(),
                            value: value.to_owned(),
                            topic: r.get(4)?,
                        });
                    }
                }
                marks.push(value.to_owned());
            }
            lessons.push(RecordLesson {
                date: day,
                number: r.get(2)?,
                subject_name,
                topic: r.get(4)?,
                homework: match (homework, own_homework) {
                    (Some(h), Some(o)) => Some(format!("{h}; индивидуально: {o}")),
                    (None, Some(o)) => Some(format!("индивидуально: {o}")),
                    (h, None) => h,
                },
                marks,
                attendance,
            });
        }
        let mut subjects: Vec<SubjectAverage> = order
            .into_iter()
            .map(|name| {
                let gathered = by_subject.remove(&name).unwrap_or_default();
                let raw = grades::weighted_average(gathered.points);
                SubjectAverage {
                    subject_id: gathered.subject_id.unwrap_or_default(),
                    subject_name: name,
                    marks: gathered.marks,
                    average: raw.map(grades::round_average),
                    forecast: raw.map(grades::forecast),
                    absences: gathered.absences,
                    absences_excused: gathered.absences_excused,
                }
            })
            .collect();
        subjects.sort_by(|a, b| a.subject_name.cmp(&b.subject_name));
        Ok(StudentRecord {
            student_id,
            full_name: full_name(&surname, &first, &patronymic),
            gender,
            class_name,
            class_teacher,
            from,
            to,
            lessons,
            subjects,
            absences,
            absences_excused,
            lateness,
            low_marks,
        })
    }
}
