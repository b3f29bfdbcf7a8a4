//! Своевременность заполнения журнала: entries made later than the school's
//! deadlines (`Deadlines`), per teacher × journal page. An entry is judged by
//! the op's `entered_at`, the PC's clock when it was made, never by when it
//! reached this PC: an entry made offline and synced days later keeps its time.
//! Each cell is judged by its first entry (a mark by its first op, attendance
//! by the first op of the student's cell, homework by the lesson's first): a
//! later correction is a change, which the change log shows, not a late entry.

use super::school::{Names, Periods, Span, uuid};
use super::{ColumnKind, Report, ReportColumn, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::Result;
use crate::journal::Journal;
use crate::settings::Deadlines;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::{Transaction, TransactionBehavior, params};
// foldhash rather than std's SipHash: a year is 228 000 entries looked up by
// their cell, and SipHash was a tenth of the report's time.
use foldhash::{HashMap, HashMapExt};

/// The span's lessons by date (`lesson_date`), read once into memory: the
/// ops below name their lesson (by its rowid: a number is cheaper to look up
/// than its 36-character id), and judging them needs its day and bell.
const LESSONS: &str = "SELECT l.rowid, l.date, l.number, l.class_id, l.group_id, l.subject_id,
        COALESCE(c.year_id, ''), l.teacher_id
    FROM lesson l LEFT JOIN class c ON c.id = l.class_id
    WHERE l.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR l.class_id = ?3)";

/// The entries of the span's lessons: from the lessons by date
/// (`lesson_date`) to their ops in the change log's index `op_cell` (lesson,
/// student, seq), which carries each op's kind, entry time, author and mark
/// (migration 0005), so the op log itself is not read; voided ops are skipped
/// through their own small index. A mark's kind of work is the mark's own,
/// read once for all marks (a mark re-typed as a test is judged as a test).
const ENTRIES: &str = "SELECT x.kind, x.entered_at, l.rowid, x.student_id, x.mark_id, x.author
    FROM lesson l
    JOIN op_cell x ON x.lesson_id = l.id
    WHERE l.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR l.class_id = ?3)
      AND x.kind IN ('set_attendance', 'set_mark', 'set_homework')
      AND NOT EXISTS (SELECT 1 FROM op v INDEXED BY op_voided WHERE v.seq = x.seq AND v.voided = 1)";

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum What {
    Attendance,
    Mark,
    Homework,
}

/// A journal entry at its first op: when, its lesson (an index into the
/// lessons read), which written work a mark is for, and whose entry. Nothing
/// in it is a copied text: a year of the demo school is 230 000 entries.
struct Entry {
    what: What,
    entered: DateTime<Utc>,
    lesson: usize,
    written: Option<Written>,
    teacher: Option<usize>,
}

/// A lesson of the span; its page and teacher are indices into the pages
/// and teachers read (ids are long texts: the entries refer to them by
/// number rather than hashing and copying them for every entry).
struct Lesson {
    date: NaiveDate,
    number: Option<i64>,
    page: usize,
    teacher: Option<usize>,
}

/// Each id once, by its number.
struct Interned<T: std::hash::Hash + Eq + Clone> {
    all: Vec<T>,
    index: HashMap<T, usize>,
}

impl<T: std::hash::Hash + Eq + Clone> Interned<T> {
    fn new() -> Interned<T> {
        Interned { all: Vec::new(), index: HashMap::new() }
    }

    fn number(&mut self, value: T) -> usize {
        if let Some(&n) = self.index.get(&value) {
            return n;
        }
        self.all.push(value.clone());
        self.index.insert(value, self.all.len() - 1);
        self.all.len() - 1
    }
}

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Page {
    class_id: Option<String>,
    group_id: Option<String>,
    subject_id: Option<String>,
    year: String,
}

#[derive(Default)]
struct Tally {
    /// Entries and late entries of attendance, marks, homework.
    counts: [(i64, i64); 3],
    worst: Duration,
    first_day: Option<NaiveDate>,
}

/// Which deadline a work type's marks have: a test (контрольная, тест) or an
/// essay (сочинение, изложение), by the type's name or short name.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Written {
    Test,
    Essay,
}

pub(crate) fn classify(name: &str, short: &str) -> Option<Written> {
    let (name, short) = (name.to_lowercase(), short.to_lowercase());
    if name.contains("контрольн") || name.contains("тест") || ["к/р", "кр", "тест"].contains(&short.trim())
    {
        Some(Written::Test)
    } else if name.contains("сочинен") || name.contains("изложен") || short.trim() == "соч" {
        Some(Written::Essay)
    } else {
        None
    }
}

pub fn report(journal: &Journal, session: &Session, query: &ReportQuery) -> Result<Report> {
    journal.check_view_school(session)?;
    let span = Span::of(journal, query, ReportName::Timeliness)?;
    let deadlines = journal.deadlines()?;
    let offset = journal.school_offset()?;
    // The ops entered since the change log was last read are not in `op_cell`
    // yet: index them first (a short write, as the change log itself does).
    {
        let tx = Transaction::new_unchecked(journal.conn(), TransactionBehavior::Immediate)?;
        crate::history::index_cells(&tx)?;
        tx.commit()?;
    }
    // Small tables, read whole: the bells by lesson number (the first
    // schedule's, when a school has several) and the kinds of written work.
    let mut bells: HashMap<i64, NaiveTime> = HashMap::new();
    for row in journal
        .conn()
        .prepare_cached("SELECT number, starts_at FROM bell WHERE number IS NOT NULL ORDER BY schedule DESC")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?)))?
    {
        let (number, starts) = row?;
        if let Some(time) = starts.and_then(|s| NaiveTime::parse_from_str(&s, "%H:%M").ok()) {
            bells.insert(number, time);
        }
    }
    let mut written: HashMap<String, Written> = HashMap::new();
    for row in journal
        .conn()
        .prepare_cached("SELECT id, COALESCE(name, ''), COALESCE(short_name, '') FROM work_type")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
    {
        let (id, name, short) = row?;
        if let Some(kind) = classify(&name, &short) {
            written.insert(id, kind);
        }
    }
    // The marks of written work (tests, essays) by their id as a number: one
    // pass over the marks instead of looking each entry's mark up.
    let mut written_marks: HashMap<u128, Written> = HashMap::new();
    if !written.is_empty() {
        let mut stmt =
            journal.conn().prepare_cached("SELECT id, work_type_id FROM mark WHERE work_type_id IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(&kind), Ok(id)) =
                (written.get(borrowed(r.get_ref(1)?)), uuid::Uuid::parse_str(borrowed(r.get_ref(0)?)))
            {
                written_marks.insert(id.as_u128(), kind);
            }
        }
    }

    // The first op of each cell: attendance by (lesson, student), a mark by
    // its id, homework by lesson.
    let span_params = params![span.from.to_string(), span.to.to_string(), query.class_id.map(|c| c.to_string())];
    let mut lessons = Vec::new();
    let (mut pages, mut teachers) = (Interned::<Page>::new(), Interned::<String>::new());
    let mut lesson_index: HashMap<i64, usize> = HashMap::new();
    let mut stmt = journal.conn().prepare_cached(LESSONS)?;
    let mut rows = stmt.query(span_params)?;
    while let Some(r) = rows.next()? {
        let Ok(date) = r.get::<_, String>(1)?.parse::<NaiveDate>() else { continue };
        lesson_index.insert(r.get(0)?, lessons.len());
        lessons.push(Lesson {
            date,
            number: r.get(2)?,
            page: pages.number(Page {
                class_id: r.get(3)?,
                group_id: r.get(4)?,
                subject_id: r.get(5)?,
                year: r.get(6)?,
            }),
            teacher: r.get::<_, Option<String>>(7)?.map(|t| teachers.number(t)),
        });
    }
    // Whose entry: the staff member of the account it was made under (a
    // substitute's entries are theirs), else the lesson's teacher.
    let mut staff_of: HashMap<String, usize> = HashMap::new();
    for row in journal
        .conn()
        .prepare_cached("SELECT id, staff_id FROM account WHERE staff_id IS NOT NULL")?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
    {
        let (account, staff) = row?;
        staff_of.insert(account, teachers.number(staff));
    }

    // The first op of each cell: attendance by (lesson, student), a mark by
    // its id, homework by lesson. Texts are borrowed from the row and copied
    // only for an op that is (so far) its cell's first.
    // Keyed by the student's or the mark's id as a number, so that looking a
    // cell up copies nothing.
    let mut first: HashMap<(What, usize, u128), Entry> = HashMap::new();
    let mut stmt = journal.conn().prepare_cached(ENTRIES)?;
    let mut rows = stmt.query(span_params)?;
    while let Some(r) = rows.next()? {
        let kind = borrowed(r.get_ref(0)?);
        let Ok(entered) = DateTime::parse_from_rfc3339(borrowed(r.get_ref(1)?)) else { continue };
        let entered = entered.to_utc();
        let Some(&lesson_at) = lesson_index.get(&r.get::<_, i64>(2)?) else { continue };
        let (what, key) = match kind {
            "set_attendance" => (What::Attendance, (lesson_at, borrowed(r.get_ref(3)?))),
            "set_mark" => (What::Mark, (usize::MAX, borrowed(r.get_ref(4)?))),
            _ => (What::Homework, (lesson_at, "")),
        };
        let key = (what, key.0, uuid::Uuid::parse_str(key.1).map_or(0, |id| id.as_u128()));
        if first.get(&key).is_some_and(|e| e.entered <= entered) {
            continue;
        }
        let entry = Entry {
            what,
            entered,
            lesson: lesson_at,
            written: (what == What::Mark).then(|| written_marks.get(&key.2).copied()).flatten(),
            teacher: staff_of.get(borrowed(r.get_ref(5)?)).copied().or(lessons[lesson_at].teacher),
        };
        first.insert(key, entry);
    }

    let teacher_filter = query.teacher_id.map(|t| teachers.number(t.to_string()));
    let mut tallies: HashMap<(Option<usize>, usize), Tally> = HashMap::new();
    for entry in first.into_values() {
        let lesson = &lessons[entry.lesson];
        let teacher = entry.teacher;
        if teacher_filter.is_some() && teacher != teacher_filter {
            continue;
        }
        let entered = entry.entered;
        let deadline = deadline(&entry, lesson, &deadlines, &bells, offset);
        let tally = tallies.entry((teacher, lesson.page)).or_default();
        let slot = &mut tally.counts[entry.what as usize];
        slot.0 += 1;
        if let Some(deadline) = deadline
            && entered > deadline
        {
            slot.1 += 1;
            tally.worst = tally.worst.max(entered - deadline);
        }
        tally.first_day = Some(tally.first_day.map_or(lesson.date, |d| d.min(lesson.date)));
    }

    let names = Names::load(journal)?;
    let periods = Periods::load(journal)?;
    let mut rows = Vec::new();
    let mut totals = [0i64; 6];
    for ((teacher, page), tally) in tallies {
        let (teacher, page) = (teacher.map(|t| teachers.all[t].as_str()), &pages.all[page]);
        let mut cells = vec![
            ReportValue::from(names.staff(teacher)),
            names.class(page.class_id.as_deref()).into(),
            names.group(page.group_id.as_deref()).into(),
            names.subject(page.subject_id.as_deref()).into(),
        ];
        for (i, (all, late)) in tally.counts.iter().enumerate() {
            cells.push(ReportValue::Count(*all));
            cells.push(ReportValue::Count(*late));
            totals[2 * i] += all;
            totals[2 * i + 1] += late;
        }
        let late = tally.counts.iter().any(|c| c.1 > 0);
        cells.push(if late { ReportValue::Text(delay(tally.worst)) } else { ReportValue::Empty });
        let mut row = ReportRow::new(cells);
        row.link = periods.link(
            &span,
            &page.year,
            &tally.first_day.map(|d| d.to_string()).unwrap_or_default(),
            uuid(page.class_id.clone()),
            uuid(page.group_id.clone()),
            uuid(page.subject_id.clone()),
        );
        rows.push(row);
    }
    rows.sort_by(|a, b| {
        let key = |r: &ReportRow| r.cells.iter().take(4).map(ReportValue::display).collect::<Vec<_>>();
        key(a).cmp(&key(b))
    });
    let mut total_row = vec![ReportValue::from("Всего"), ReportValue::Empty, ReportValue::Empty, ReportValue::Empty];
    total_row.extend(totals.map(ReportValue::Count));
    total_row.push(ReportValue::Empty);
    let count = |title: &str| ReportColumn::new(title, ColumnKind::Count);
    Ok(Report {
        name: ReportName::Timeliness,
        title: ReportName::Timeliness.title().to_owned(),
        subtitle: format!(
            "{}; сроки: посещаемость — {} мин от начала урока, отметки — {}, контрольные и тесты — {} дн., сочинения — {} дн., домашнее задание — до {}",
            span.subtitle(journal, query)?,
            deadlines.attendance_minutes,
            if deadlines.marks_same_day { "в день урока" } else { "без срока" },
            deadlines.test_days,
            deadlines.essay_days,
            deadlines.homework_by,
        ),
        columns: vec![
            ReportColumn::new("Учитель", ColumnKind::Text),
            ReportColumn::new("Класс", ColumnKind::Text),
            ReportColumn::new("Группа", ColumnKind::Text),
            ReportColumn::new("Предмет", ColumnKind::Text),
            count("Посещаемость: записей"),
            count("Посещаемость: с опозданием"),
            count("Отметки: выставлено"),
            count("Отметки: с опозданием"),
            count("Домашние задания: записано"),
            count("Домашние задания: с опозданием"),
            ReportColumn::new("Наибольшее опоздание", ColumnKind::Text),
        ],
        rows,
        totals: Some(total_row),
    })
}

/// A text column as borrowed from its row ("" for NULL or a non-text).
fn borrowed(value: rusqlite::types::ValueRef<'_>) -> &str {
    value.as_str_or_null().ok().flatten().unwrap_or_default()
}

/// When the entry was due, in UTC; `None` when the school sets no deadline
/// for it (marks of ordinary work with «same day» switched off).
fn deadline(
    entry: &Entry,
    lesson: &Lesson,
    deadlines: &Deadlines,
    bells: &HashMap<i64, NaiveTime>,
    offset: FixedOffset,
) -> Option<DateTime<Utc>> {
    let local =
        |day: NaiveDate, time: NaiveTime| offset.from_local_datetime(&day.and_time(time)).single().map(|t| t.to_utc());
    let day_end = |days: u32| local(lesson.date + Duration::days(days as i64 + 1), NaiveTime::MIN);
    match entry.what {
        // Without a bell for the lesson's number, by the end of its day.
        What::Attendance => match lesson.number.and_then(|n| bells.get(&n)) {
            Some(&start) => {
                local(lesson.date, start).map(|t| t + Duration::minutes(deadlines.attendance_minutes as i64))
            }
            None => day_end(0),
        },
        What::Mark => match entry.written {
            Some(Written::Test) => day_end(deadlines.test_days),
            Some(Written::Essay) => day_end(deadlines.essay_days),
            None if deadlines.marks_same_day => day_end(0),
            None => None,
        },
        What::Homework => local(lesson.date, deadlines.homework_time()),
    }
}

/// «2 дн. 3 ч», «1 ч 05 мин», «12 мин».
fn delay(d: Duration) -> String {
    let minutes = d.num_minutes().max(1);
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    if days > 0 {
        format!("{days} дн. {hours} ч")
    } else if hours > 0 {
        format!("{hours} ч {mins:02} мин")
    } else {
        format!("{mins} мин")
    }
}
