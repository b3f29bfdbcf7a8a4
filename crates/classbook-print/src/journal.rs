//! The class journal on paper, for duplex printing and binding: title page,
//! contents, the class list with parents' contacts, each subject's spreads
//! (marks and attendance on the left page, topics and homework on the facing
//! right page), the attendance summary, the summary sheet of finals, and the
//! binding certificate with the real number of sheets.

use crate::canvas::{Align, MARGIN, Orientation, Page};
use crate::render::Document;
use crate::summary::{finals_tables, heading};
use crate::table::{BOTTOM, Column, Row, Table};
use crate::words::{in_words, plural};
use crate::{date_text, number_pages};
use chrono::NaiveDate;
use classbook_core::{BookSection, ClassBook, JournalPage, PageLesson};
use std::collections::HashMap;
use uuid::Uuid;

const LANDSCAPE: Orientation = Orientation::Landscape;
/// Text size of the grids, points.
const GRID_SIZE: f32 = 7.0;
const NUMBER_WIDTH: f32 = 6.0;
const NAME_WIDTH: f32 = 44.0;
const LESSON_WIDTH: f32 = 8.0;
const FINAL_WIDTH: f32 = 9.0;

/// A printed journal and the count its binding certificate states.
#[derive(Clone, Debug)]
pub struct PrintedJournal {
    pub document: Document,
    /// Sheets of paper when printed on both sides: pages / 2.
    pub sheets: usize,
}

/// The journal of `book` (a year or one period), as printed on `printed_on`.
pub fn class_journal(book: &ClassBook, printed_on: NaiveDate) -> PrintedJournal {
    let mut body: Vec<Page> = Vec::new();
    let mut contents: Vec<(String, usize)> = Vec::new();

    contents.push(("Список класса".to_owned(), body.len()));
    class_list(book, &mut body);
    for section in &book.sections {
        let start = spreads(book, section, &mut body);
        contents.push((section_title(section), start));
    }
    start_on_right(&mut body);
    contents.push(("Сведения о пропущенных уроках".to_owned(), body.len()));
    attendance_summary(book, &mut body);
    start_on_right(&mut body);
    contents.push(("Сводная ведомость итоговых отметок".to_owned(), body.len()));
    let title = format!("Сводная ведомость итоговых отметок, {} класс", book.class_name);
    for table in finals_tables(book) {
        table.lay_out(&mut body, LANDSCAPE, f32::MAX, &mut |page| heading(page, &title, &subtitle(book)));
    }

    // The front (title and contents) is an even number of pages, so the body
    // starts on a right-hand page and its left pages are its odd indices.
    let contents_count = contents_pages(book, &contents, 0).len();
    let front = (1 + contents_count).next_multiple_of(2);
    let mut pages = vec![title_page(book, printed_on)];
    pages.extend(contents_pages(book, &contents, front));
    while pages.len() < front {
        pages.push(blank_page());
    }
    pages.extend(body);
    // The certificate is the back of the last sheet.
    if pages.len().is_multiple_of(2) {
        pages.push(blank_page());
    }
    let sheets = pages.len().div_ceil(2);
    pages.push(certificate_page(book, sheets));
    number_pages(&mut pages, 1);
    let title = format!("Классный журнал {} класса, {}", book.class_name, book.year_title);
    PrintedJournal { document: Document { title, pages }, sheets }
}

fn subtitle(book: &ClassBook) -> String {
    let span = match (book.periods.first(), book.periods.last()) {
        (Some(p), _) if book.periods.len() == 1 => format!(", {}", p.title),
        _ => String::new(),
    };
    format!("{} класс · {} учебный год{span}", book.class_name, book.year_title)
}

fn section_title(section: &BookSection) -> String {
    match &section.group_title {
        Some(group) => format!("{} ({group})", section.subject_name),
        None => section.subject_name.clone(),
    }
}

fn blank_page() -> Page {
    let mut page = Page::new(LANDSCAPE);
    page.text_aligned(
        MARGIN,
        page.inner_width(),
        page.height() / 2.0,
        9.0,
        false,
        Align::Center,
        "Страница оставлена пустой",
    );
    page
}

/// Pad `body` so the next page is a left-hand one (an odd index of the body).
fn start_on_left(body: &mut Vec<Page>) {
    if body.len().is_multiple_of(2) {
        body.push(blank_page());
    }
}

/// Pad `body` so the next page is a right-hand one.
fn start_on_right(body: &mut Vec<Page>) {
    if !body.len().is_multiple_of(2) {
        body.push(blank_page());
    }
}

fn title_page(book: &ClassBook, printed_on: NaiveDate) -> Page {
    let mut page = Page::new(LANDSCAPE);
    let (x, w) = (MARGIN, page.inner_width());
    let mut y = 40.0;
    if !book.school_name.is_empty() {
        y += page.paragraph_centered(x, y, w, 14.0, false, &book.school_name) + 20.0;
    }
    page.text_aligned(x, w, y + 10.0, 28.0, true, Align::Center, "КЛАССНЫЙ ЖУРНАЛ");
    page.text_aligned(x, w, y + 30.0, 20.0, true, Align::Center, &format!("{} класс", book.class_name));
    page.text_aligned(x, w, y + 44.0, 14.0, false, Align::Center, &format!("{} учебный год", book.year_title));
    if book.periods.len() == 1 {
        let p = &book.periods[0];
        let span = format!("{} ({} — {})", p.title, date_text(p.starts_on), date_text(p.ends_on));
        page.text_aligned(x, w, y + 54.0, 12.0, false, Align::Center, &span);
    }
    if let Some(teacher) = &book.class_teacher {
        page.text_aligned(x, w, y + 72.0, 12.0, false, Align::Center, &format!("Классный руководитель: {teacher}"));
    }
    let note = format!("Распечатан из электронного журнала Classbook {}", date_text(printed_on));
    page.text_aligned(x, w, page.height() - 20.0, 8.0, false, Align::Center, &note);
    page
}

fn contents_pages(book: &ClassBook, contents: &[(String, usize)], offset: usize) -> Vec<Page> {
    let mut table =
        Table::new(vec![Column::new("Раздел", 200.0, Align::Left), Column::new("Страница", 30.0, Align::Center)], 10.0);
    table.rows =
        contents.iter().map(|(title, at)| Row::new(vec![title.clone(), (offset + at + 1).to_string()])).collect();
    let mut pages = Vec::new();
    let sub = subtitle(book);
    table.lay_out(&mut pages, LANDSCAPE, f32::MAX, &mut |page| heading(page, "Содержание", &sub));
    pages
}

fn class_list(book: &ClassBook, body: &mut Vec<Page>) {
    let mut table = Table::new(
        vec![
            Column::new("№", 8.0, Align::Center),
            Column::new("Фамилия, имя, отчество", 62.0, Align::Left),
            Column::new("Дата рождения", 22.0, Align::Center),
            Column::new("Родители (законные представители)", 86.0, Align::Left),
            Column::new("Телефон", 40.0, Align::Left),
            Column::new("Эл. почта", 55.0, Align::Left),
        ],
        8.0,
    );
    for student in &book.students {
        let parent = |p: &classbook_core::BookParent| match &p.relation {
            Some(relation) if !relation.is_empty() => format!("{} ({relation})", p.name),
            _ => p.name.clone(),
        };
        let mut name = student.full_name.clone();
        if let Some(left) = student.left_on {
            name.push_str(&format!(" (выбыл(а) {})", date_text(left)));
        }
        table.rows.push(Row {
            cells: vec![
                student.number.to_string(),
                name,
                student.birth_date.map(date_text).unwrap_or_default(),
                student.parents.iter().map(parent).collect::<Vec<_>>().join("\n"),
                student.parents.iter().map(|p| p.phone.clone().unwrap_or_default()).collect::<Vec<_>>().join("\n"),
                student.parents.iter().map(|p| p.email.clone().unwrap_or_default()).collect::<Vec<_>>().join("\n"),
            ],
            shaded: student.left_on.is_some(),
            bold: false,
        });
    }
    let sub = subtitle(book);
    table.lay_out(body, LANDSCAPE, f32::MAX, &mut |page| heading(page, "Список класса", &sub));
    start_on_left(body);
}

/// A section's spreads; returns the body index of its first page.
fn spreads(book: &ClassBook, section: &BookSection, body: &mut Vec<Page>) -> usize {
    start_on_left(body);
    let start = body.len();
    for (period, page) in book.periods.iter().zip(&section.pages) {
        let lessons: Vec<&PageLesson> = page.lessons.iter().collect();
        let chunks = chunk_lessons(&lessons);
        if chunks.is_empty() {
            // A period without lessons still shows its list (and its finals).
            spread(book, section, page, &period.title, &[], true, body);
        }
        let count = chunks.len();
        for (i, chunk) in chunks.into_iter().enumerate() {
            spread(book, section, page, &period.title, chunk, i + 1 == count, body);
        }
    }
    start
}

/// Lessons in groups that fit one spread: as many columns as the grid has,
/// and as many topics as fit the facing page.
fn chunk_lessons<'a>(lessons: &'a [&'a PageLesson]) -> Vec<&'a [&'a PageLesson]> {
    let page_width = LANDSCAPE.size().0 - 2.0 * MARGIN;
    let columns = ((page_width - NUMBER_WIDTH - NAME_WIDTH) / LESSON_WIDTH) as usize;
    let with_finals = ((page_width - NUMBER_WIDTH - NAME_WIDTH - 2.0 * FINAL_WIDTH) / LESSON_WIDTH) as usize;
    let topics = topics_table(&[]);
    let room = LANDSCAPE.size().1 - BOTTOM - 2.0 - body_top() - topics.headers_height();
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < lessons.len() {
        let mut height = 0.0;
        let mut end = start;
        while end < lessons.len() && end - start < columns {
            let h = topics.row_height(&topic_row(lessons[end]));
            if height + h > room && end > start {
                break;
            }
            height += h;
            end += 1;
        }
        // The period's last spread needs room for the average and the final.
        if end == lessons.len() && end - start > with_finals {
            end = start + with_finals;
        }
        chunks.push(&lessons[start..end]);
        start = end;
    }
    chunks
}

fn body_top() -> f32 {
    MARGIN + 8.0
}

#[allow(clippy::too_many_arguments)]
fn spread(
    book: &ClassBook,
    section: &BookSection,
    page: &JournalPage,
    period_title: &str,
    lessons: &[&PageLesson],
    last: bool,
    body: &mut Vec<Page>,
) {
    start_on_left(body);
    let title = format!("{} · {period_title}", section_title(section));
    let teacher = if section.teachers.is_empty() {
        subtitle(book)
    } else {
        format!("{} · учитель: {}", subtitle(book), section.teachers.join(", "))
    };
    let grid = grid_table(page, lessons, last);
    grid.lay_out(body, LANDSCAPE, f32::MAX, &mut |p| heading(p, &title, &teacher));
    let topics = topics_table(lessons);
    let topics_title = format!("{title} · что пройдено на уроке, домашнее задание");
    topics.lay_out(body, LANDSCAPE, f32::MAX, &mut |p| heading(p, &topics_title, &teacher));
}

fn grid_table(page: &JournalPage, lessons: &[&PageLesson], last: bool) -> Table {
    let mut columns =
        vec![Column::new("№", NUMBER_WIDTH, Align::Center), Column::new("Фамилия, имя", NAME_WIDTH, Align::Left)];
    for lesson in lessons {
        columns.push(Column::new(lesson.date.format("%d\n%m").to_string(), LESSON_WIDTH, Align::Center));
    }
    if last {
        columns.push(Column::new("Ср. балл", FINAL_WIDTH, Align::Center));
        columns.push(Column::new("Итог", FINAL_WIDTH, Align::Center));
    }
    let mut table = Table::new(columns, GRID_SIZE);
    table.min_row_height = 4.6;
    let mut cells: HashMap<(Uuid, Uuid), Vec<String>> = HashMap::new();
    for a in &page.attendance {
        cells.entry((a.student_id, a.lesson_id)).or_default().push(a.code.clone());
    }
    for m in &page.marks {
        cells.entry((m.student_id, m.lesson_id)).or_default().push(m.value.clone());
    }
    for (student, summary) in page.students.iter().zip(&page.summaries) {
        let mut row = vec![student.number.to_string(), student.name.clone()];
        for lesson in lessons {
            row.push(cells.get(&(student.id, lesson.id)).map(|c| c.join(" ")).unwrap_or_default());
        }
        if last {
            row.push(summary.average.map(|a| format!("{a:.2}")).unwrap_or_default());
            row.push(summary.final_value.clone().unwrap_or_default());
        }
        table.rows.push(Row { cells: row, shaded: student.left_on.is_some(), bold: false });
    }
    table
}

fn topics_table(lessons: &[&PageLesson]) -> Table {
    let mut table = Table::new(
        vec![
            Column::new("Дата", 16.0, Align::Center),
            Column::new("Что пройдено на уроке", 128.0, Align::Left),
            Column::new("Домашнее задание", 95.0, Align::Left),
            Column::new("Примечание", 34.0, Align::Left),
        ],
        GRID_SIZE,
    );
    table.min_row_height = 4.6;
    table.rows = lessons.iter().map(|l| topic_row(l)).collect();
    table
}

fn topic_row(lesson: &PageLesson) -> Row {
    let mut notes = Vec::new();
    match lesson.status.as_deref() {
        Some("cancelled") => notes.push("урок не проведён".to_owned()),
        Some("transferred") => {
            if let Some(from) = lesson.moved_from {
                notes.push(format!("перенесён с {}", date_text(from)));
            }
        }
        _ => {}
    }
    if let Some(substitute) = &lesson.substitute_name {
        notes.push(format!("замена: {substitute}"));
    }
    Row::new(vec![
        format!("{} ({} ур.)", lesson.date.format("%d.%m"), lesson.number),
        lesson.topic.clone().unwrap_or_default(),
        lesson.homework.clone().unwrap_or_default(),
        notes.join("; "),
    ])
}

fn attendance_summary(book: &ClassBook, body: &mut Vec<Page>) {
    // (student, period index) → [missed, of them ill, of them excused, late]
    let mut counts: HashMap<(Uuid, usize), [usize; 4]> = HashMap::new();
    for section in &book.sections {
        for (period, page) in section.pages.iter().enumerate() {
            for a in &page.attendance {
                let c = counts.entry((a.student_id, period)).or_default();
                match a.code.as_str() {
                    "н" => c[0] += 1,
                    "б" => {
                        c[0] += 1;
                        c[1] += 1
                    }
                    "ну" => {
                        c[0] += 1;
                        c[2] += 1
                    }
                    "оп" => c[3] += 1,
                    _ => {}
                }
            }
        }
    }
    let mut columns =
        vec![Column::new("№", NUMBER_WIDTH, Align::Center), Column::new("Фамилия, имя", NAME_WIDTH, Align::Left)];
    let mut groups = vec![(String::new(), 2)];
    let spans: Vec<String> = book
        .periods
        .iter()
        .map(|p| p.title.clone())
        .chain((book.periods.len() > 1).then(|| "За год".to_owned()))
        .collect();
    let width = ((LANDSCAPE.size().0 - 2.0 * MARGIN - NUMBER_WIDTH - NAME_WIDTH) / (spans.len() * 4) as f32).min(14.0);
    for span in &spans {
        groups.push((span.clone(), 4));
        for title in ["всего", "по бол.", "по ув. пр.", "опозд."] {
            columns.push(Column::new(title, width, Align::Center));
        }
    }
    let mut table = Table::new(columns, GRID_SIZE);
    table.groups = groups;
    table.min_row_height = 4.6;
    for student in &book.students {
        let mut row = vec![student.number.to_string(), student.short_name.clone()];
        let mut year = [0usize; 4];
        for period in 0..book.periods.len() {
            let c = counts.get(&(student.id, period)).copied().unwrap_or_default();
            for (total, v) in year.iter_mut().zip(c) {
                *total += v;
            }
            row.extend(c.iter().map(|v| count(*v)));
        }
        if book.periods.len() > 1 {
            row.extend(year.iter().map(|v| count(*v)));
        }
        table.rows.push(Row { cells: row, shaded: student.left_on.is_some(), bold: false });
    }
    let sub = subtitle(book);
    let title = "Сведения о пропущенных уроках: всего, из них по болезни и по уважительной причине; опоздания";
    table.lay_out(body, LANDSCAPE, f32::MAX, &mut |page| heading(page, title, &sub));
}

/// A count in a summary cell: blank for none, so the real ones stand out.
fn count(n: usize) -> String {
    if n == 0 { String::new() } else { n.to_string() }
}

fn certificate_page(book: &ClassBook, sheets: usize) -> Page {
    let mut page = Page::new(LANDSCAPE);
    let (x, w) = (MARGIN + 40.0, page.inner_width() - 80.0);
    let n = sheets as u32;
    let text = format!(
        "В настоящем журнале {} класса на {} учебный год прошито, пронумеровано и скреплено печатью {n} ({}) {}.",
        book.class_name,
        book.year_title,
        in_words(n),
        plural(n, "лист", "листа", "листов")
    );
    let mut y = 60.0;
    y += page.paragraph(x, y, w, 13.0, false, &text) + 25.0;
    let director = book.director.clone().unwrap_or_default();
    page.text(x, y, 12.0, false, "Директор");
    page.line(x + 30.0, y + 1.0, x + 90.0, y + 1.0, 0.5);
    page.text(x + 95.0, y, 12.0, false, format!("/ {director} /"));
    page.text(x + 32.0, y + 5.0, 7.0, false, "подпись");
    y += 25.0;
    page.text(x, y, 12.0, false, "М. П.");
    page.text(x + 95.0, y, 12.0, false, "«____» ______________ 20___ г.");
    page
}
