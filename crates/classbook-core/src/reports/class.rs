//! The class teacher's reports (REQUIREMENTS §4): attendance of the class,
//! its results and summary sheets for a period, a student's average over the
//! year, the school's success and quality by class, missed lessons with their
//! topics, unsatisfactory marks with their topics, and the forecast warnings.
//!
//! Each report reads a handful of set-based queries over one class (its roll
//! from the movement book, its lessons, marks, attendance and finals through
//! the `lesson_page`, `mark_lesson`, `attendance_lesson` and `final_mark_*`
//! indexes) and builds its cells in memory: no query per cell. A student's
//! marks are theirs whichever subgroup's page they were given on.

use super::{
    ColumnKind, PageLink, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue, need_class,
    need_period,
};
use crate::accounts::{Session, load_actor};
use crate::book::{ClassMovement, ClassPeriod, PeriodStudent};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use crate::page::{PeriodInfo, date, id, period_info, short_name};
use chrono::NaiveDate;
use classbook_domain::grades::{
    self, FinalValue, FinalWarning, FinalsSummary, GradingSystem, HundredScale, MarkValue, StudentOutcome,
};
use classbook_domain::model::MovementKind;
use classbook_domain::rules::{self, Action};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The students on the class's roll at some time from `?2` to `?3` (as on a
/// journal page), in journal order.
const ROLL: &str = concat!(
    with_class_stay!(),
    "SELECT s.id, COALESCE(s.surname, ''), COALESCE(s.first_name, ''), COALESCE(s.patronymic, '')
    FROM class_stay cs JOIN student s ON s.id = cs.student_id
    WHERE cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?2)
    GROUP BY s.id
    ORDER BY s.surname, s.first_name, s.patronymic"
);

/// Every lesson each student of the class sat (or should have sat): the
/// class's lessons held from `?2` to `?3` (not cancelled; a transferred one
/// on the day it moved to) within the student's stay in the class, a
/// subgroup's only for its members (those no longer active only if they have
/// left the class, the page's rule), with the student's attendance entry.
/// One pass over the class's lessons (`lesson_page`), attendance by
/// `attendance_lesson`.
const ROLL_LESSONS: &str = concat!(
    with_class_stay!(),
    ", held AS (
        SELECT id, CASE WHEN status = 'transferred' AND moved_to IS NOT NULL THEN moved_to ELSE date END AS day,
               number, group_id, subject_id, topic
        FROM lesson
        WHERE class_id = ?1 AND date >= ?2 AND date <= ?3 AND status IS NOT 'cancelled'
    )
    SELECT cs.student_id, l.id, l.day, l.number, l.subject_id, l.group_id, l.topic, COALESCE(s.name, ''), a.code
    FROM class_stay cs
    JOIN held l ON l.day >= cs.from_date AND (cs.to_date IS NULL OR l.day < cs.to_date)
    LEFT JOIN subject s ON s.id = l.subject_id
    LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = cs.student_id AND a.code IS NOT NULL
    WHERE l.day <= ?4
      AND (l.group_id IS NULL OR EXISTS (
            SELECT 1 FROM group_member g WHERE g.group_id = l.group_id AND g.student_id = cs.student_id
              AND (g.active = 1 OR cs.to_date IS NOT NULL)))
    ORDER BY l.day, l.number"
);

/// Every mark given in the class's lessons from `?2` to `?3`, with what the
/// reports show beside it; the subject's grading from the curriculum.
const CLASS_MARKS: &str = "SELECT m.student_id, l.subject_id, l.group_id, l.id,
        CASE WHEN l.status = 'transferred' AND l.moved_to IS NOT NULL THEN l.moved_to ELSE l.date END,
        m.value, COALESCE(w.weight, 1.0), cu.grading, w.name, l.topic, COALESCE(s.name, '')
    FROM lesson l
    JOIN mark m ON m.lesson_id = l.id
    LEFT JOIN work_type w ON w.id = m.work_type_id
    LEFT JOIN curriculum cu ON cu.class_id = l.class_id AND cu.subject_id = l.subject_id
    LEFT JOIN subject s ON s.id = l.subject_id
    WHERE l.class_id = ?1 AND l.date >= ?2 AND l.date <= ?3 AND m.deleted = 0 AND m.value IS NOT NULL
    ORDER BY l.date, l.number, m.id";

/// The subjects of the class: its curriculum and whatever has lessons in the dates.
const SUBJECTS: &str = "SELECT s.id, COALESCE(s.name, '') FROM subject s
    WHERE s.id IN (SELECT subject_id FROM curriculum WHERE class_id = ?1
                   UNION SELECT subject_id FROM lesson WHERE class_id = ?1 AND date >= ?2 AND date <= ?3)
    ORDER BY s.print_order, s.name";

/// The finals of a period of everyone ever placed in the class (`movement_class`,
/// then `final_mark_student`).
const FINALS: &str = "SELECT f.student_id, f.subject_id, f.value FROM final_mark f
    WHERE f.period_id = ?2 AND f.value IS NOT NULL
      AND f.student_id IN (SELECT student_id FROM movement WHERE class_id = ?1)";

/// The study periods of the class's year, the short ones first in calendar
/// order, the year and exams last.
const YEAR_PERIODS: &str = "SELECT p.id, COALESCE(p.title, ''), p.starts_on, p.ends_on, p.kind FROM period p
    WHERE p.year_id = (SELECT year_id FROM class WHERE id = ?1)
    ORDER BY p.kind IN ('year', 'exam', 'final'), p.starts_on, p.number";

/// The school's classes of the period's year, each student on a class's roll
/// at the period's end (their latest movement up to it places them there, as
/// in `class_results`), with their finals of the period in each subject of
/// the class's curriculum. One query for the whole school.
// `INDEXED BY final_mark_student`: left to itself SQLite picked
// `final_mark_subject` and read every final of the subject and period for each
// student (2.1 s on the demo school's first quarter; 54 ms by student).
const SCHOOL_FINALS: &str = "WITH last AS (
        SELECT m.student_id, m.class_id, m.kind,
               ROW_NUMBER() OVER (PARTITION BY m.student_id ORDER BY m.date DESC, m.id DESC) AS n
        FROM movement m
        WHERE m.date <= ?1 AND m.kind IS NOT NULL AND m.kind <> 'debt_repaid'
    ),
    roll AS (
        SELECT student_id, class_id FROM last
        WHERE n = 1 AND kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
    )
    SELECT c.id, c.grade || COALESCE(c.letter, ''), r.student_id, cu.subject_id, f.value
    FROM class c
    LEFT JOIN roll r ON r.class_id = c.id
    LEFT JOIN curriculum cu ON cu.class_id = c.id AND r.student_id IS NOT NULL
    LEFT JOIN final_mark f INDEXED BY final_mark_student ON f.student_id = r.student_id AND f.subject_id = cu.subject_id AND f.period_id = ?2
    WHERE c.year_id = ?3
    ORDER BY c.grade, c.letter, c.id, r.student_id";

/// The dates a report covers, and the period when it was asked for one.
pub(super) struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: Option<PeriodInfo>,
}

impl Span {
    pub(super) fn label(&self) -> String {
        match &self.period {
            Some(p) if p.starts_on == self.from && p.ends_on == self.to => p.title.clone(),
            _ => format!("с {} по {}", self.from.format("%d.%m.%Y"), self.to.format("%d.%m.%Y")),
        }
    }
}

/// A period report's period (`need_period`).
fn period_span(journal: &Journal, query: &ReportQuery, name: ReportName) -> Result<Span> {
    let period = period_info(journal.conn(), need_period(query, name)?)?;
    Ok(Span { from: period.starts_on, to: period.ends_on, period: Some(period) })
}

/// A report over dates: `from`/`to`, each defaulting to the period's bounds
/// when a period is given; without a period both dates are needed.
pub(super) fn date_span(journal: &Journal, query: &ReportQuery, name: ReportName) -> Result<Span> {
    let period = query.period_id.map(|p| period_info(journal.conn(), p)).transpose()?;
    let from = query.from.or(period.as_ref().map(|p| p.starts_on));
    let to = query.to.or(period.as_ref().map(|p| p.ends_on));
    match (from, to) {
        (Some(from), Some(to)) if from <= to => Ok(Span { from, to, period }),
        (Some(_), Some(_)) => Err(JournalError::invalid("Дата начала отчёта позже даты его окончания.")),
        _ => Err(JournalError::invalid(format!(
            "Для отчёта «{}» укажите учебный период или даты начала и окончания.",
            name.title()
        ))),
    }
}

/// The class's name («5А»), or a Russian error when there is no such class.
fn class_name(conn: &Connection, class_id: Uuid) -> Result<String> {
    conn.prepare_cached("SELECT grade || COALESCE(letter, '') FROM class WHERE id = ?1")?
        .query_row([class_id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| JournalError::not_found("Класс не найден."))
}

struct Pupil {
    id: Uuid,
    /// «Фамилия И. О.».
    name: String,
    full_name: String,
}

fn roll(conn: &Connection, class_id: Uuid, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pupil>> {
    Ok(conn
        .prepare_cached(ROLL)?
        .query_map(params![class_id.to_string(), from.to_string(), to.to_string()], |r| {
            let (surname, first, patronymic): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            Ok(Pupil {
                id: id(r.get(0)?)?,
                name: short_name(&surname, &first, &patronymic),
                full_name: [surname.as_str(), &first, &patronymic]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

struct SatLesson {
    student: Uuid,
    lesson: Uuid,
    day: NaiveDate,
    number: i64,
    subject: Uuid,
    group: Option<Uuid>,
    topic: Option<String>,
    subject_name: String,
    code: Option<String>,
}

impl SatLesson {
    fn missed(&self) -> bool {
        matches!(self.code.as_deref(), Some("н" | "б" | "ну"))
    }
}

/// The lessons held up to today (a lesson still ahead was not missed).
fn roll_lessons(journal: &Journal, class_id: Uuid, span: &Span) -> Result<Vec<SatLesson>> {
    let today = journal.today()?;
    let params = params![class_id.to_string(), span.from.to_string(), span.to.to_string(), today.to_string()];
    Ok(journal
        .conn()
        .prepare_cached(ROLL_LESSONS)?
        .query_map(params, |r| {
            Ok(SatLesson {
                student: id(r.get(0)?)?,
                lesson: id(r.get(1)?)?,
                day: date(r.get(2)?)?,
                number: r.get(3)?,
                subject: id(r.get(4)?)?,
                group: r.get::<_, Option<String>>(5)?.map(id).transpose()?,
                topic: r.get(6)?,
                subject_name: r.get(7)?,
                code: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

struct GivenMark {
    student: Uuid,
    subject: Uuid,
    group: Option<Uuid>,
    day: NaiveDate,
    value: String,
    weight: f64,
    mark: Option<MarkValue>,
    work_type: Option<String>,
    topic: Option<String>,
    subject_name: String,
}

fn class_marks(conn: &Connection, class_id: Uuid, from: NaiveDate, to: NaiveDate) -> Result<Vec<GivenMark>> {
    Ok(conn
        .prepare_cached(CLASS_MARKS)?
        .query_map(params![class_id.to_string(), from.to_string(), to.to_string()], |r| {
            let value: String = r.get(5)?;
            let grading = r.get::<_, Option<String>>(7)?.and_then(|g| GradingSystem::from_code(&g)).unwrap_or_default();
            Ok(GivenMark {
                student: id(r.get(0)?)?,
                subject: id(r.get(1)?)?,
                group: r.get::<_, Option<String>>(2)?.map(id).transpose()?,
                day: date(r.get(4)?)?,
                mark: MarkValue::parse(grading, &value).ok(),
                value,
                weight: r.get(6)?,
                work_type: r.get(8)?,
                topic: r.get(9)?,
                subject_name: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Each student's weighted average per subject (unrounded, as the page's
/// forecast takes it), and the subgroup whose page their marks are on.
#[derive(Default)]
struct Averages {
    weighted: HashMap<(Uuid, Uuid), Vec<(f64, f64)>>,
    group: HashMap<(Uuid, Uuid), Uuid>,
}

impl Averages {
    fn of(marks: &[GivenMark]) -> Averages {
        let scale = HundredScale::default();
        let mut averages = Averages::default();
        for m in marks {
            if let Some(g) = m.group {
                averages.group.insert((m.student, m.subject), g);
            }
            if let Some(points) = m.mark.and_then(|v| v.five_point(&scale)) {
                averages.weighted.entry((m.student, m.subject)).or_default().push((points, m.weight));
            }
        }
        averages
    }

    fn raw(&self, student: Uuid, subject: Uuid) -> Option<f64> {
        self.weighted.get(&(student, subject)).and_then(|m| grades::weighted_average(m.iter().copied()))
    }

    fn shown(&self, student: Uuid, subject: Uuid) -> Option<f64> {
        self.raw(student, subject).map(grades::round_average)
    }
}

fn subjects(conn: &Connection, class_id: Uuid, from: NaiveDate, to: NaiveDate) -> Result<Vec<(Uuid, String)>> {
    Ok(conn
        .prepare_cached(SUBJECTS)?
        .query_map(params![class_id.to_string(), from.to_string(), to.to_string()], |r| {
            Ok((id(r.get(0)?)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn finals(conn: &Connection, class_id: Uuid, period_id: Uuid) -> Result<HashMap<(Uuid, Uuid), String>> {
    Ok(conn
        .prepare_cached(FINALS)?
        .query_map(params![class_id.to_string(), period_id.to_string()], |r| {
            Ok(((id(r.get(0)?)?, id(r.get(1)?)?), r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

struct YearPeriod {
    info: PeriodInfo,
    short: bool,
}

fn year_periods(conn: &Connection, class_id: Uuid) -> Result<Vec<YearPeriod>> {
    Ok(conn
        .prepare_cached(YEAR_PERIODS)?
        .query_map([class_id.to_string()], |r| {
            let kind: Option<String> = r.get(4)?;
            Ok(YearPeriod {
                info: PeriodInfo {
                    id: id(r.get(0)?)?,
                    title: r.get(1)?,
                    starts_on: date(r.get(2)?)?,
                    ends_on: date(r.get(3)?)?,
                    closed: false,
                },
                short: !matches!(kind.as_deref(), Some("year" | "exam" | "final")),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Links rows about one lesson to its page: the query's period when the day
/// is in it, else the short period of the class's year holding the day.
struct Pages {
    class_id: Uuid,
    periods: Vec<(Uuid, NaiveDate, NaiveDate)>,
}

impl Pages {
    fn new(conn: &Connection, class_id: Uuid, span: &Span) -> Result<Pages> {
        let mut periods: Vec<_> = span.period.iter().map(|p| (p.id, p.starts_on, p.ends_on)).collect();
        for p in year_periods(conn, class_id)? {
            if p.short {
                periods.push((p.info.id, p.info.starts_on, p.info.ends_on));
            }
        }
        Ok(Pages { class_id, periods })
    }

    fn link(&self, subject_id: Uuid, group_id: Option<Uuid>, day: NaiveDate) -> Option<PageLink> {
        let (period_id, _, _) = self.periods.iter().find(|(_, from, to)| *from <= day && day <= *to)?;
        Some(PageLink { class_id: self.class_id, group_id, subject_id, period_id: *period_id })
    }
}

fn subtitle(class: &str, span: &Span) -> String {
    format!("{class}, {}", span.label())
}

fn percent_text(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}").replace('.', ","))
}

fn col(title: impl Into<String>, kind: ColumnKind) -> ReportColumn {
    ReportColumn::new(title, kind)
}

fn numbered(pupils: &[Pupil]) -> impl Iterator<Item = (ReportValue, &Pupil)> {
    pupils.iter().enumerate().map(|(i, p)| (ReportValue::Count(i as i64 + 1), p))
}

fn report(name: ReportName, subtitle: String, columns: Vec<ReportColumn>, rows: Vec<ReportRow>) -> Report {
    Report { name, title: name.title().to_owned(), subtitle, columns, rows, totals: None }
}

/// Посещаемость класса: per student the lessons held, missed (of them ill,
/// valid reason, without reason) and lateness.
pub fn attendance(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::Attendance;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = date_span(journal, query, name)?;
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let lessons = roll_lessons(journal, class_id, &span)?;
    let counts = attendance_counts(&lessons);
    let mut held_by_class: Vec<Uuid> = lessons.iter().map(|l| l.lesson).collect();
    held_by_class.sort();
    held_by_class.dedup();
    let mut totals = [0i64; 6];
    let mut rows = Vec::new();
    for (n, p) in numbered(&pupils) {
        let c = counts.get(&p.id).copied().unwrap_or_default();
        for (t, x) in totals.iter_mut().zip(c) {
            *t += x;
        }
        let mut cells = vec![n, p.name.clone().into()];
        cells.extend(c.map(ReportValue::Count));
        rows.push(ReportRow::new(cells));
    }
    // The class held each lesson once: the total of lessons is the class's, not a sum over students.
    totals[0] = held_by_class.len() as i64;
    let mut total_row = vec![ReportValue::Empty, "Итого".into()];
    total_row.extend(totals.map(ReportValue::Count));
    let mut report = report(
        name,
        subtitle(&class, &span),
        vec![
            col("№", ColumnKind::Count),
            col("Ученик", ColumnKind::Text),
            col("Проведено уроков", ColumnKind::Count),
            col("Пропущено всего", ColumnKind::Count),
            col("По болезни («б»)", ColumnKind::Count),
            col("По уважительной причине («ну»)", ColumnKind::Count),
            col("Без уважительной причины («н»)", ColumnKind::Count),
            col("Опоздания («оп»)", ColumnKind::Count),
        ],
        rows,
    );
    report.totals = Some(total_row);
    Ok(report)
}

/// Per student: lessons held, missed, «б», «ну», «н», «оп».
fn attendance_counts(lessons: &[SatLesson]) -> HashMap<Uuid, [i64; 6]> {
    let mut counts: HashMap<Uuid, [i64; 6]> = HashMap::new();
    for l in lessons {
        let c = counts.entry(l.student).or_default();
        c[0] += 1;
        c[1] += i64::from(l.missed());
        match l.code.as_deref() {
            Some("б") => c[2] += 1,
            Some("ну") => c[3] += 1,
            Some("н") => c[4] += 1,
            Some("оп") => c[5] += 1,
            _ => {}
        }
    }
    counts
}

/// Итоги успеваемости класса за период: each student's finals, their count of
/// «5», «4», «3», «2»; per subject success and quality in the totals, the
/// class's in the subtitle (`Journal::class_results`).
pub fn results(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::Results;
    let class_id = need_class(query, name)?;
    let span = period_span(journal, query, name)?;
    let period = span.period.clone().expect("a period report has its period");
    let class_results = journal.class_results(session, class_id, period.id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    // Results count the students on the roll at the period's end, as `class_results` does.
    let pupils = roll(conn, class_id, period.ends_on, period.ends_on)?;
    let subjects = subjects(conn, class_id, span.from, span.to)?;
    let finals = finals(conn, class_id, period.id)?;
    let mut columns = vec![col("№", ColumnKind::Count), col("Ученик", ColumnKind::Text)];
    columns.extend(subjects.iter().map(|(_, s)| col(s.clone(), ColumnKind::Text)));
    columns.extend(["«5»", "«4»", "«3»", "«2»"].map(|t| col(t, ColumnKind::Count)));
    let mut sums = [0i64; 4];
    let mut rows = Vec::new();
    for (n, p) in numbered(&pupils) {
        let mut cells = vec![n, p.name.clone().into()];
        let mut counts = [0i64; 4];
        for (subject, _) in &subjects {
            let value = finals.get(&(p.id, *subject));
            if let Some(Ok(FinalValue::Point(mark))) = value.map(|v| FinalValue::parse(v)) {
                counts[(5 - mark.clamp(2, 5)) as usize] += 1;
            }
            cells.push(value.map_or(ReportValue::Empty, |v| v.clone().into()));
        }
        for (s, c) in sums.iter_mut().zip(counts) {
            *s += c;
        }
        cells.extend(counts.map(ReportValue::Count));
        rows.push(ReportRow::new(cells));
    }
    let mut totals = vec![ReportValue::Empty, "Успеваемость / качество, %".into()];
    for (subject, _) in &subjects {
        let summary = FinalsSummary::for_subject(
            pupils.iter().map(|p| finals.get(&(p.id, *subject)).and_then(|v| FinalValue::parse(v).ok())),
        );
        totals.push(
            format!("{} / {}", percent_text(summary.success_rate()), percent_text(summary.quality_rate())).into(),
        );
    }
    totals.extend(sums.map(ReportValue::Count));
    let subtitle = format!(
        "{}; успеваемость {} %, качество {} %",
        subtitle(&class, &span),
        percent_text(class_results.success_rate),
        percent_text(class_results.quality)
    );
    let mut report = report(name, subtitle, columns, rows);
    report.totals = Some(totals);
    Ok(report)
}

/// Сводная ведомость отметок: student × subject, the period's weighted
/// average and the final.
pub fn summary_marks(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::SummaryMarks;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = period_span(journal, query, name)?;
    let period_id = span.period.as_ref().map(|p| p.id).expect("a period report has its period");
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let subjects = subjects(conn, class_id, span.from, span.to)?;
    let averages = Averages::of(&class_marks(conn, class_id, span.from, span.to)?);
    let finals = finals(conn, class_id, period_id)?;
    let mut columns = vec![col("№", ColumnKind::Count), col("Ученик", ColumnKind::Text)];
    for (_, s) in &subjects {
        columns.push(col(format!("{s}: средний балл"), ColumnKind::Number));
        columns.push(col(format!("{s}: итоговая"), ColumnKind::Text));
    }
    let mut rows = Vec::new();
    for (n, p) in numbered(&pupils) {
        let mut cells = vec![n, p.name.clone().into()];
        for (subject, _) in &subjects {
            cells.push(averages.shown(p.id, *subject).into());
            cells.push(finals.get(&(p.id, *subject)).map_or(ReportValue::Empty, |v| v.clone().into()));
        }
        rows.push(ReportRow::new(cells));
    }
    // The class's average in a subject: the mean of its students' averages.
    let mut totals = vec![ReportValue::Empty, "Средний балл класса".into()];
    for (subject, _) in &subjects {
        let shown: Vec<f64> = pupils.iter().filter_map(|p| averages.shown(p.id, *subject)).collect();
        let mean = (!shown.is_empty()).then(|| grades::round_average(shown.iter().sum::<f64>() / shown.len() as f64));
        totals.push(mean.into());
        totals.push(ReportValue::Empty);
    }
    let mut report = report(name, subtitle(&class, &span), columns, rows);
    report.totals = Some(totals);
    Ok(report)
}

/// Сводная ведомость посещаемости: student × subject, lessons missed.
pub fn summary_attendance(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::SummaryAttendance;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = date_span(journal, query, name)?;
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let subjects = subjects(conn, class_id, span.from, span.to)?;
    let mut missed: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    for l in roll_lessons(journal, class_id, &span)?.iter().filter(|l| l.missed()) {
        *missed.entry((l.student, l.subject)).or_default() += 1;
    }
    let mut columns = vec![col("№", ColumnKind::Count), col("Ученик", ColumnKind::Text)];
    columns.extend(subjects.iter().map(|(_, s)| col(s.clone(), ColumnKind::Count)));
    columns.push(col("Всего", ColumnKind::Count));
    let mut sums = vec![0i64; subjects.len() + 1];
    let mut rows = Vec::new();
    for (n, p) in numbered(&pupils) {
        let mut cells = vec![n, p.name.clone().into()];
        let mut all = 0;
        for (i, (subject, _)) in subjects.iter().enumerate() {
            let k = missed.get(&(p.id, *subject)).copied().unwrap_or(0);
            sums[i] += k;
            all += k;
            cells.push(ReportValue::Count(k));
        }
        sums[subjects.len()] += all;
        cells.push(ReportValue::Count(all));
        rows.push(ReportRow::new(cells));
    }
    let mut totals = vec![ReportValue::Empty, "Итого".into()];
    totals.extend(sums.into_iter().map(ReportValue::Count));
    let mut report = report(name, subtitle(&class, &span), columns, rows);
    report.totals = Some(totals);
    Ok(report)
}

/// The student's marks in the class's lessons of the dates (`mark_lesson`
/// with the student as its second column).
const STUDENT_MARKS: &str = "SELECT l.subject_id, l.date, m.value, COALESCE(w.weight, 1.0), cu.grading
    FROM lesson l
    JOIN mark m ON m.lesson_id = l.id AND m.student_id = ?2
    LEFT JOIN work_type w ON w.id = m.work_type_id
    LEFT JOIN curriculum cu ON cu.class_id = l.class_id AND cu.subject_id = l.subject_id
    WHERE l.class_id = ?1 AND l.date >= ?3 AND l.date <= ?4 AND m.deleted = 0 AND m.value IS NOT NULL";

/// The student's class: the query's, else the last one the movement book placed them in.
const STUDENT_CLASS: &str = "SELECT class_id FROM movement
    WHERE student_id = ?1 AND class_id IS NOT NULL
      AND kind IN ('enrol', 'transfer', 'conditional_transfer', 'repeat_year')
    ORDER BY date DESC, id DESC LIMIT 1";

/// Средний балл ученика и его динамика: per subject the weighted average in
/// each period of the year, and its change from the first short period with
/// marks to the last.
/// The student a report is about, their class (the query's, else the one
/// they are in now) and its year's periods; the session must read the class.
struct OneStudent {
    student_id: Uuid,
    class_id: Uuid,
    class: String,
    /// «Фамилия И. О.».
    student: String,
    periods: Vec<YearPeriod>,
    first: NaiveDate,
    last: NaiveDate,
}

fn one_student(journal: &Journal, session: &Session, query: &ReportQuery, name: ReportName) -> Result<OneStudent> {
    let student_id = query
        .student_id
        .ok_or_else(|| JournalError::invalid(format!("Для отчёта «{}» укажите ученика.", name.title())))?;
    let conn = journal.conn();
    let class_id = match query.class_id {
        Some(c) => c,
        None => conn
            .prepare_cached(STUDENT_CLASS)?
            .query_row([student_id.to_string()], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| JournalError::not_found("Ученик не найден ни в одном классе."))?,
    };
    journal.check_view_class(session, class_id)?;
    let class = class_name(conn, class_id)?;
    let student: String = conn
        .prepare_cached("SELECT COALESCE(surname, ''), COALESCE(first_name, ''), COALESCE(patronymic, '') FROM student WHERE id = ?1")?
        .query_row([student_id.to_string()], |r| Ok(short_name(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?, &r.get::<_, String>(2)?)))
        .optional()?
        .ok_or_else(|| JournalError::not_found("Ученик не найден."))?;
    let periods = year_periods(conn, class_id)?;
    let (Some(first), Some(last)) =
        (periods.iter().map(|p| p.info.starts_on).min(), periods.iter().map(|p| p.info.ends_on).max())
    else {
        return Err(JournalError::not_found("У учебного года класса нет учебных периодов."));
    };
    Ok(OneStudent { student_id, class_id, class, student, periods, first, last })
}

/// Табель успеваемости: a student's finals per subject in each period of the
/// year and for the year — the printed report card's table, for export.
pub fn report_card(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::ReportCard;
    let one = one_student(journal, session, query, name)?;
    let conn = journal.conn();
    let finals_by_period =
        one.periods.iter().map(|p| finals(conn, one.class_id, p.info.id)).collect::<Result<Vec<_>>>()?;
    let mut columns = vec![col("Предмет", ColumnKind::Text)];
    columns.extend(one.periods.iter().map(|p| col(p.info.title.clone(), ColumnKind::Text)));
    let rows = subjects(conn, one.class_id, one.first, one.last)?
        .into_iter()
        .map(|(subject, subject_name)| {
            let mut cells = vec![ReportValue::from(subject_name)];
            cells.extend(finals_by_period.iter().map(|finals| {
                finals.get(&(one.student_id, subject)).map_or(ReportValue::Empty, |v| ReportValue::from(v.clone()))
            }));
            ReportRow::new(cells)
        })
        .collect();
    Ok(report(name, format!("{}, {}", one.student, one.class), columns, rows))
}

pub fn student_average(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::StudentAverage;
    let OneStudent { student_id, class_id, class, student, periods, first, last } =
        one_student(journal, session, query, name)?;
    let conn = journal.conn();
    let scale = HundredScale::default();
    // (subject, five-point value, weight, day): read once, bucketed by period below.
    let marks: Vec<(Uuid, NaiveDate, f64, f64)> = conn
        .prepare_cached(STUDENT_MARKS)?
        .query_map(params![class_id.to_string(), student_id.to_string(), first.to_string(), last.to_string()], |r| {
            let grading = r.get::<_, Option<String>>(4)?.and_then(|g| GradingSystem::from_code(&g)).unwrap_or_default();
            let value: String = r.get(2)?;
            let points = MarkValue::parse(grading, &value).ok().and_then(|v| v.five_point(&scale));
            Ok((id(r.get(0)?)?, date(r.get(1)?)?, points, r.get::<_, f64>(3)?))
        })?
        .filter_map(|row| match row {
            Ok((s, d, Some(p), w)) => Some(Ok((s, d, p, w))),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    let subjects = subjects(conn, class_id, first, last)?;
    let mut columns = vec![col("Предмет", ColumnKind::Text)];
    columns.extend(periods.iter().map(|p| col(p.info.title.clone(), ColumnKind::Number)));
    columns.push(col("Изменение", ColumnKind::Number));
    let mut rows = Vec::new();
    for (subject, subject_name) in &subjects {
        let mut cells = vec![ReportValue::from(subject_name.clone())];
        let mut short = Vec::new();
        for p in &periods {
            let average = grades::weighted_average(
                marks
                    .iter()
                    .filter(|(s, d, _, _)| s == subject && p.info.starts_on <= *d && *d <= p.info.ends_on)
                    .map(|&(_, _, points, weight)| (points, weight)),
            )
            .map(grades::round_average);
            if p.short
                && let Some(a) = average
            {
                short.push(a);
            }
            cells.push(average.into());
        }
        let change = (short.len() >= 2).then(|| grades::round_average(short[short.len() - 1] - short[0]));
        cells.push(change.into());
        rows.push(ReportRow::new(cells));
    }
    Ok(report(name, format!("{student}, {class}"), columns, rows))
}

/// Успеваемость и качество знаний по школе: per class of the period's year
/// and the whole school, from the finals of the period.
pub fn success_quality(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::SuccessQuality;
    journal.check_view_school(session)?;
    let conn = journal.conn();
    let span = period_span(journal, query, name)?;
    let period = span.period.as_ref().expect("a period report has its period");
    let year_id: Option<String> = conn
        .prepare_cached("SELECT year_id FROM period WHERE id = ?1")?
        .query_row([period.id.to_string()], |r| r.get(0))?;
    // Per class in order: its id, its name and each student's finals.
    type ClassFinals = (String, String, BTreeMap<String, Vec<Option<FinalValue>>>);
    let mut classes: Vec<ClassFinals> = Vec::new();
    let mut stmt = conn.prepare_cached(SCHOOL_FINALS)?;
    let mut found = stmt.query(params![period.ends_on.to_string(), period.id.to_string(), year_id])?;
    while let Some(r) = found.next()? {
        let class_id: String = r.get(0)?;
        if classes.last().is_none_or(|(c, _, _)| *c != class_id) {
            classes.push((class_id, r.get(1)?, BTreeMap::new()));
        }
        let Some(student) = r.get::<_, Option<String>>(2)? else { continue };
        let finals = classes.last_mut().expect("pushed above").2.entry(student).or_default();
        if r.get::<_, Option<String>>(3)?.is_some() {
            finals.push(r.get::<_, Option<String>>(4)?.and_then(|v| FinalValue::parse(&v).ok()));
        }
    }
    let line = |label: String, students: Vec<&Vec<Option<FinalValue>>>| {
        let summary = FinalsSummary::for_students(students.iter().map(|f| f.iter().copied()));
        let threes = students.iter().filter(|f| one_three(f)).count();
        ReportRow::new(vec![
            label.into(),
            ReportValue::Count(summary.students as i64),
            summary.success_rate().into(),
            summary.quality_rate().into(),
            ReportValue::Count(summary.excellent as i64),
            ReportValue::Count(summary.good as i64),
            ReportValue::Count(threes as i64),
            ReportValue::Count(summary.failing as i64),
        ])
    };
    let rows: Vec<ReportRow> =
        classes.iter().map(|(_, class, students)| line(class.clone(), students.values().collect())).collect();
    let totals = line("Всего по школе".to_owned(), classes.iter().flat_map(|(_, _, s)| s.values()).collect());
    let mut report = report(
        name,
        period.title.clone(),
        vec![
            col("Класс", ColumnKind::Text),
            col("Учащихся", ColumnKind::Count),
            col("Успеваемость, %", ColumnKind::Percent),
            col("Качество знаний, %", ColumnKind::Percent),
            col("Отличники", ColumnKind::Count),
            col("Хорошисты («4» и «5»)", ColumnKind::Count),
            col("С одной «3»", ColumnKind::Count),
            col("Неуспевающие", ColumnKind::Count),
        ],
        rows,
    );
    report.totals = Some(totals.cells);
    Ok(report)
}

/// «С одной тройкой»: exactly one «3», every other final «4» or «5» (or neutral).
fn one_three(finals: &[Option<FinalValue>]) -> bool {
    StudentOutcome::of(finals.iter().copied()) == StudentOutcome::Satisfactory
        && finals.iter().filter(|f| **f == Some(FinalValue::Point(3))).count() == 1
}

/// Пропущенные уроки с темами: every lesson a student missed in the dates,
/// with its subject and topic, to catch up on.
pub fn missed_topics(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::MissedTopics;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = date_span(journal, query, name)?;
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let pages = Pages::new(conn, class_id, &span)?;
    let mut by_student: HashMap<Uuid, Vec<&SatLesson>> = HashMap::new();
    let lessons = roll_lessons(journal, class_id, &span)?;
    for l in lessons.iter().filter(|l| l.missed()) {
        by_student.entry(l.student).or_default().push(l);
    }
    let mut rows = Vec::new();
    for p in &pupils {
        for l in by_student.get(&p.id).into_iter().flatten() {
            rows.push(ReportRow {
                cells: vec![
                    p.name.clone().into(),
                    ReportValue::Date(l.day),
                    ReportValue::Count(l.number),
                    l.subject_name.clone().into(),
                    l.topic.clone().map_or(ReportValue::Empty, ReportValue::Text),
                    l.code.clone().map_or(ReportValue::Empty, ReportValue::Text),
                ],
                link: pages.link(l.subject, l.group, l.day),
            });
        }
    }
    Ok(report(
        name,
        subtitle(&class, &span),
        vec![
            col("Ученик", ColumnKind::Text),
            col("Дата", ColumnKind::Date),
            col("Урок", ColumnKind::Count),
            col("Предмет", ColumnKind::Text),
            col("Тема", ColumnKind::Text),
            col("Пропуск", ColumnKind::Text),
        ],
        rows,
    ))
}

/// Неудовлетворительные отметки с темами: each student's «2» and «1» (and
/// «незач», and 100-point results below «3») in the dates.
pub fn unsatisfactory(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::Unsatisfactory;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = date_span(journal, query, name)?;
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let pages = Pages::new(conn, class_id, &span)?;
    let scale = HundredScale::default();
    let marks = class_marks(conn, class_id, span.from, span.to)?;
    let mut by_student: HashMap<Uuid, Vec<&GivenMark>> = HashMap::new();
    for m in marks.iter().filter(|m| m.mark.is_some_and(|v| v.is_unsatisfactory(&scale))) {
        by_student.entry(m.student).or_default().push(m);
    }
    let mut rows = Vec::new();
    for p in &pupils {
        for m in by_student.get(&p.id).into_iter().flatten() {
            rows.push(ReportRow {
                cells: vec![
                    p.name.clone().into(),
                    ReportValue::Date(m.day),
                    m.subject_name.clone().into(),
                    m.value.clone().into(),
                    m.work_type.clone().map_or(ReportValue::Empty, ReportValue::Text),
                    m.topic.clone().map_or(ReportValue::Empty, ReportValue::Text),
                ],
                link: pages.link(m.subject, m.group, m.day),
            });
        }
    }
    Ok(report(
        name,
        subtitle(&class, &span),
        vec![
            col("Ученик", ColumnKind::Text),
            col("Дата", ColumnKind::Date),
            col("Предмет", ColumnKind::Text),
            col("Отметка", ColumnKind::Text),
            col("Вид работы", ColumnKind::Text),
            col("Тема", ColumnKind::Text),
        ],
        rows,
    ))
}

/// Предупреждения по прогнозу: a final already set below the forecast of
/// the student's weighted average (parents must be told, 001 §3.5.4); and,
/// when the period ends within the query's dates (without dates: always),
/// a final not set yet where the average forecasts «2».
pub fn forecast(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    let name = ReportName::Forecast;
    let class_id = need_class(query, name)?;
    journal.check_view_class(session, class_id)?;
    let conn = journal.conn();
    let class = class_name(conn, class_id)?;
    let span = period_span(journal, query, name)?;
    let period = span.period.as_ref().expect("a period report has its period");
    let ends_soon =
        query.from.is_none_or(|from| from <= period.ends_on) && query.to.is_none_or(|to| period.ends_on <= to);
    let pupils = roll(conn, class_id, span.from, span.to)?;
    let subjects = subjects(conn, class_id, span.from, span.to)?;
    let averages = Averages::of(&class_marks(conn, class_id, span.from, span.to)?);
    let finals = finals(conn, class_id, period.id)?;
    let mut rows = Vec::new();
    for p in &pupils {
        for (subject, subject_name) in &subjects {
            let Some(average) = averages.raw(p.id, *subject) else { continue };
            let expected = grades::forecast(average);
            let final_value = finals.get(&(p.id, *subject));
            let warning = match final_value {
                Some(v) => match FinalValue::parse(v).ok().and_then(|v| grades::final_warning(v, Some(average))) {
                    Some(w @ FinalWarning::BelowForecast { .. }) => Some(w.to_string()),
                    _ => None,
                },
                None if ends_soon && expected <= 2 => Some(format!(
                    "Прогноз «{expected}» (средний балл {}): итоговая не выставлена, период заканчивается {}",
                    format!("{:.2}", grades::round_average(average)).replace('.', ","),
                    period.ends_on.format("%d.%m.%Y")
                )),
                None => None,
            };
            let Some(warning) = warning else { continue };
            rows.push(ReportRow {
                cells: vec![
                    p.name.clone().into(),
                    subject_name.clone().into(),
                    ReportValue::Number(grades::round_average(average)),
                    ReportValue::Count(i64::from(expected)),
                    final_value.map_or(ReportValue::Empty, |v| v.clone().into()),
                    warning.into(),
                ],
                link: Some(PageLink {
                    class_id,
                    group_id: averages.group.get(&(p.id, *subject)).copied(),
                    subject_id: *subject,
                    period_id: period.id,
                }),
            });
        }
    }
    Ok(report(
        name,
        subtitle(&class, &span),
        vec![
            col("Ученик", ColumnKind::Text),
            col("Предмет", ColumnKind::Text),
            col("Средний балл", ColumnKind::Number),
            col("Прогноз", ColumnKind::Count),
            col("Итоговая", ColumnKind::Text),
            col("Предупреждение", ColumnKind::Text),
        ],
        rows,
    ))
}

/// The movement book's entries of students ever placed in class `?1`, each
/// with the class of the student's entry before it, from `?2` to `?3`.
const CLASS_MOVEMENT: &str = "WITH book AS (
        SELECT m.*, LAG(m.class_id) OVER (PARTITION BY m.student_id ORDER BY m.date, m.id) AS prev
        FROM movement m
        WHERE m.kind IS NOT NULL AND m.student_id IN (SELECT student_id FROM movement WHERE class_id = ?1)
    )
    SELECT b.date, b.kind, b.class_id, b.prev, b.order_number, b.order_date,
           COALESCE(s.surname, ''), COALESCE(s.first_name, ''), COALESCE(s.patronymic, ''),
           c.grade || COALESCE(c.letter, ''), p.grade || COALESCE(p.letter, '')
    FROM book b
    LEFT JOIN student s ON s.id = b.student_id
    LEFT JOIN class c ON c.id = b.class_id
    LEFT JOIN class p ON p.id = b.prev
    WHERE b.date BETWEEN ?2 AND ?3 AND (b.class_id = ?1 OR b.prev = ?1)
    ORDER BY b.date, b.id";

/// The finals of the period of each student on the class's roll on `?3` in
/// every subject of its curriculum (NULL where not set): the very rows
/// `Journal::class_results` folds, with the subjects' names.
const FINALS_AT_END: &str = concat!(
    with_class_stay!(),
    "SELECT cs.student_id, COALESCE(s.name, ''), f.value
    FROM class_stay cs
    JOIN curriculum c ON c.class_id = cs.class_id
    LEFT JOIN subject s ON s.id = c.subject_id
    LEFT JOIN final_mark f INDEXED BY final_mark_student ON f.student_id = cs.student_id AND f.subject_id = c.subject_id AND f.period_id = ?2
    WHERE cs.from_date <= ?3 AND (cs.to_date IS NULL OR cs.to_date > ?3)
    ORDER BY cs.student_id, s.print_order, s.name"
);

impl Journal {
    /// The class teacher's report of a period (Отчёт классного руководителя):
    /// the roll at the period's start and end and the movement between, the
    /// results from the finals (success and quality as `class_results`), each
    /// student's line in them and their attendance. For the class's own
    /// class teacher and those who read every class; a teacher who only
    /// teaches in the class is refused.
    pub fn class_period(&self, session: &Session, class_id: Uuid, period_id: Uuid) -> Result<ClassPeriod> {
        let conn = self.conn();
        let class = class_name(conn, class_id)?;
        self.check_leads_class(session, class_id)?;
        let period = period_info(conn, period_id)?;
        let results = self.class_results(session, class_id, period_id)?;
        let (starts, ends) = (period.starts_on, period.ends_on);
        let roll_at_start = roll(conn, class_id, starts, starts)?.len();
        let roll_at_end = roll(conn, class_id, ends, ends)?.len();

        let mut finals: HashMap<Uuid, Vec<(String, Option<FinalValue>)>> = HashMap::new();
        let mut stmt = conn.prepare_cached(FINALS_AT_END)?;
        let mut rows = stmt.query(params![class_id.to_string(), period_id.to_string(), ends.to_string()])?;
        while let Some(r) = rows.next()? {
            let value: Option<String> = r.get(2)?;
            finals.entry(id(r.get(0)?)?).or_default().push((r.get(1)?, value.and_then(|v| FinalValue::parse(&v).ok())));
        }
        drop(rows);

        let span = Span { from: starts, to: ends, period: Some(period.clone()) };
        let attendance = attendance_counts(&roll_lessons(self, class_id, &span)?);
        let students = roll(conn, class_id, starts, ends)?
            .into_iter()
            .map(|p| {
                let own = finals.get(&p.id);
                let values: Vec<Option<FinalValue>> = own.iter().flat_map(|f| f.iter().map(|(_, v)| *v)).collect();
                let subjects_where = |keep: fn(&FinalValue) -> bool| -> Vec<String> {
                    own.iter()
                        .flat_map(|f| f.iter())
                        .filter(|(_, v)| v.as_ref().is_some_and(keep))
                        .map(|(s, _)| s.clone())
                        .collect()
                };
                let c = attendance.get(&p.id).copied().unwrap_or_default();
                PeriodStudent {
                    id: p.id,
                    full_name: p.full_name,
                    short_name: p.name,
                    outcome: own.map(|_| StudentOutcome::of(values.iter().copied())),
                    one_three: own.is_some() && one_three(&values),
                    failing_subjects: subjects_where(FinalValue::is_unsatisfactory),
                    not_assessed_subjects: subjects_where(|v| *v == FinalValue::NotAssessed),
                    lessons_held: c[0] as usize,
                    absences: c[1] as usize,
                    absences_excused: (c[2] + c[3]) as usize,
                    lateness: c[5] as usize,
                }
            })
            .collect();

        let mut movements = Vec::new();
        let mut stmt = conn.prepare_cached(CLASS_MOVEMENT)?;
        let mut rows = stmt.query(params![class_id.to_string(), starts.to_string(), ends.to_string()])?;
        let here = class_id.to_string();
        while let Some(r) = rows.next()? {
            let kind_code: String = r.get(1)?;
            let Ok(kind) = serde_json::from_value::<MovementKind>(kind_code.into()) else { continue };
            let (now_here, was_here) = (
                r.get::<_, Option<String>>(2)? == Some(here.clone()),
                r.get::<_, Option<String>>(3)? == Some(here.clone()),
            );
            let arrived = kind.places_in_class() && now_here && !was_here;
            let left = was_here && (!now_here || matches!(kind, MovementKind::Withdraw | MovementKind::Graduate));
            if !arrived && !left {
                continue;
            }
            let other: Option<String> = if arrived {
                r.get(10)?
            } else if now_here {
                None
            } else {
                r.get(9)?
            };
            movements.push(ClassMovement {
                date: r.get::<_, Option<String>>(0)?.and_then(|d| d.parse().ok()),
                student: [r.get::<_, String>(6)?, r.get(7)?, r.get(8)?]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                arrived,
                kind: kind.title().to_owned(),
                other_class: other.filter(|c| !c.is_empty()),
                order_number: r.get(4)?,
                order_date: r.get::<_, Option<String>>(5)?.and_then(|d| d.parse().ok()),
            });
        }
        drop(rows);

        let class_teacher: Option<String> = conn
            .prepare_cached(
                "SELECT trim(COALESCE(t.surname, '') || ' ' || COALESCE(t.first_name, '') || ' ' || COALESCE(t.patronymic, ''))
                 FROM class c JOIN staff t ON t.id = c.class_teacher_id WHERE c.id = ?1",
            )?
            .query_row([class_id.to_string()], |r| r.get(0))
            .optional()?;
        Ok(ClassPeriod {
            school_name: self.setting("school_name")?.unwrap_or_default(),
            class_id,
            class_name: class,
            class_teacher,
            period,
            roll_at_start,
            roll_at_end,
            movements,
            results,
            students,
        })
    }

    /// Is the session the class's class teacher, or one who reads every
    /// class (administration, director, deputy heads, inspectors)?
    fn check_leads_class(&self, session: &Session, class_id: Uuid) -> Result<()> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        let leads: bool = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM class WHERE id = ?1 AND class_teacher_id = ?2)")?
            .query_row(params![class_id.to_string(), actor.staff_id.map(|s| s.to_string())], |r| r.get(0))?;
        let today = self.school_date(self.now())?;
        rules::check(&actor, &Action::ViewClass { teaches: false, class_teacher: leads }, today, Default::default())
            .map_err(|denied| {
                JournalError::Denied(rules::Denied {
                    code: denied.code,
                    message: "Отчёт классного руководителя печатает классный руководитель этого класса, \
                              администрация, директор и заместители директора."
                        .to_owned(),
                })
            })?;
        Ok(())
    }
}
