//! The summary sheet of finals (сводная ведомость итоговых отметок): every
//! student's final in every subject for each period and the year. Kept 25
//! years, so it is also printed as a document of its own.

use crate::canvas::{Align, MARGIN, Orientation, Page};
use crate::render::Document;
use crate::table::{Column, Row, Table};
use crate::{date_text, number_pages};
use chrono::NaiveDate;
use classbook_core::ClassBook;

const NUMBER_WIDTH: f32 = 6.0;
const NAME_WIDTH: f32 = 44.0;
const FINAL_WIDTH: f32 = 7.0;

/// A page's heading: the title in bold, a line of detail under it.
/// Returns where the page's body begins.
pub fn heading(page: &mut Page, title: &str, detail: &str) -> f32 {
    let w = page.inner_width();
    page.text(MARGIN, MARGIN + 3.5, 10.0, true, title);
    page.text_aligned(MARGIN, w, MARGIN + 3.5, 8.0, false, Align::Right, detail);
    MARGIN + 8.0
}

/// The finals as tables of at most as many subjects as fit across a page,
/// each repeating the students' names.
pub fn finals_tables(book: &ClassBook) -> Vec<Table> {
    let periods: Vec<(&str, uuid::Uuid)> = book
        .periods
        .iter()
        .map(|p| (p.title.as_str(), p.id))
        .chain(book.year_period.iter().map(|y| ("год", y.id)))
        .collect();
    let subjects = book.subjects();
    let room = Orientation::Landscape.size().0 - 2.0 * MARGIN - NUMBER_WIDTH - NAME_WIDTH;
    let per_table = ((room / (FINAL_WIDTH * periods.len() as f32)) as usize).max(1);
    subjects
        .chunks(per_table)
        .map(|chunk| {
            let mut columns = vec![
                Column::new("№", NUMBER_WIDTH, Align::Center),
                Column::new("Фамилия, имя", NAME_WIDTH, Align::Left),
            ];
            let mut groups = vec![(String::new(), 2)];
            for (_, name) in chunk {
                groups.push((name.to_string(), periods.len()));
                for (title, _) in &periods {
                    columns.push(Column::new(short_period(title), FINAL_WIDTH, Align::Center));
                }
            }
            let mut table = Table::new(columns, 7.0);
            table.groups = groups;
            table.min_row_height = 4.6;
            for student in &book.students {
                let mut cells = vec![student.number.to_string(), student.short_name.clone()];
                for (subject, _) in chunk {
                    for (_, period) in &periods {
                        cells.push(book.final_of(student.id, *subject, *period).unwrap_or_default().to_owned());
                    }
                }
                table.rows.push(Row { cells, shaded: student.left_on.is_some(), bold: false });
            }
            table
        })
        .collect()
}

/// «1 четверть» → «1 ч.», «год» stays.
fn short_period(title: &str) -> String {
    match title.split_once(' ') {
        Some((number, kind)) => format!("{number} {}.", kind.chars().next().unwrap_or(' ')),
        None => title.to_owned(),
    }
}

/// The summary sheet as its own document, with the signatures it needs.
pub fn summary_sheet(book: &ClassBook, printed_on: NaiveDate) -> Document {
    let orientation = Orientation::Landscape;
    let title =
        format!("Сводная ведомость итоговых отметок, {} класс, {} учебный год", book.class_name, book.year_title);
    let detail = book.school_name.clone();
    let mut pages = Vec::new();
    let mut y = f32::MAX;
    for table in finals_tables(book) {
        y = table.lay_out(&mut pages, orientation, f32::MAX, &mut |page| heading(page, &title, &detail));
    }
    if pages.is_empty() {
        pages.push(Page::new(orientation));
        y = heading(pages.last_mut().expect("a page"), &title, &detail);
    }
    if y + 30.0 > orientation.size().1 - 12.0 {
        let mut page = Page::new(orientation);
        y = heading(&mut page, &title, &detail);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    let teacher = book.class_teacher.clone().unwrap_or_default();
    signature(page, y + 10.0, "Классный руководитель", &teacher);
    signature(page, y + 20.0, "Директор", book.director.as_deref().unwrap_or_default());
    page.text(MARGIN, y + 28.0, 8.0, false, format!("Сформирована {}", date_text(printed_on)));
    number_pages(&mut pages, 1);
    Document { title, pages }
}

pub fn signature(page: &mut Page, y: f32, role: &str, name: &str) {
    page.text(MARGIN, y, 10.0, false, role);
    page.line(MARGIN + 48.0, y + 1.0, MARGIN + 98.0, y + 1.0, 0.5);
    page.text(MARGIN + 100.0, y, 10.0, false, format!("/ {name} /"));
}
