//! The report card (табель успеваемости): a student's finals per subject for
//! each period and the year, one page per student.

use crate::canvas::{Align, MARGIN, Orientation, Page};
use crate::render::Document;
use crate::summary::{heading, signature};
use crate::table::{Column, Row, Table};
use crate::{date_text, number_pages};
use chrono::NaiveDate;
use classbook_core::ClassBook;
use uuid::Uuid;

const PORTRAIT: Orientation = Orientation::Portrait;

/// Report cards of `students` of `book` (all of them when empty).
pub fn report_cards(book: &ClassBook, students: &[Uuid], printed_on: NaiveDate) -> Document {
    let periods: Vec<(&str, Uuid)> = book
        .periods
        .iter()
        .map(|p| (p.title.as_str(), p.id))
        .chain(book.year_period.iter().map(|y| ("Год", y.id)))
        .collect();
    let mut pages = Vec::new();
    for student in book.students.iter().filter(|s| students.is_empty() || students.contains(&s.id)) {
        let mut page = Page::new(PORTRAIT);
        let title = format!("Табель успеваемости: {}", student.full_name);
        let detail = format!("{} класс · {} учебный год", book.class_name, book.year_title);
        let mut y = heading(&mut page, &title, &detail);
        if !book.school_name.is_empty() {
            y += page.paragraph(MARGIN, y, page.inner_width(), 9.0, false, &book.school_name);
        }
        pages.push(page);
        let width = ((PORTRAIT.size().0 - 2.0 * MARGIN - 70.0) / periods.len() as f32).min(24.0);
        let mut columns = vec![Column::new("Предмет", 70.0, Align::Left)];
        columns.extend(periods.iter().map(|(t, _)| Column::new(*t, width, Align::Center)));
        let mut table = Table::new(columns, 9.0);
        for (subject, name) in book.subjects() {
            let mut cells = vec![name.to_owned()];
            cells.extend(
                periods.iter().map(|(_, p)| book.final_of(student.id, subject, *p).unwrap_or_default().to_owned()),
            );
            table.rows.push(Row::new(cells));
        }
        y = table.lay_out(&mut pages, PORTRAIT, y + 3.0, &mut |p| heading(p, &title, &detail));
        let page = pages.last_mut().expect("a page");
        signature(page, y + 12.0, "Классный руководитель", book.class_teacher.as_deref().unwrap_or_default());
        signature(page, y + 24.0, "Родитель", "");
        page.text(MARGIN, y + 32.0, 8.0, false, format!("Выдан {}", date_text(printed_on)));
    }
    number_pages(&mut pages, 1);
    Document { title: format!("Табели успеваемости, {} класс", book.class_name), pages }
}
