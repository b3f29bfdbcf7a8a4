//! A student's printout for parents over any dates (a week, usually): every
//! lesson with its topic, homework, marks and attendance, the average per
//! subject, absences and lateness — for families without the electronic diary.

use crate::canvas::{Align, MARGIN, Orientation, Page};
use crate::render::Document;
use crate::summary::{heading, signature};
use crate::table::{Column, Row, Table};
use crate::{date_text, number_pages};
use classbook_core::StudentRecord;

const PORTRAIT: Orientation = Orientation::Portrait;

/// One printout per student, each starting on a new page.
pub fn parent_printout(school: &str, records: &[StudentRecord]) -> Document {
    let mut pages = Vec::new();
    for record in records {
        student_pages(school, record, &mut pages);
    }
    number_pages(&mut pages, 1);
    let title = match records {
        [one] => format!("Сведения об успеваемости: {}", one.full_name),
        _ => "Сведения об успеваемости для родителей".to_owned(),
    };
    Document { title, pages }
}

fn student_pages(school: &str, record: &StudentRecord, pages: &mut Vec<Page>) {
    let title = format!("{}, {} класс", record.full_name, record.class_name);
    let span = format!("с {} по {}", date_text(record.from), date_text(record.to));
    let mut page = Page::new(PORTRAIT);
    let mut y = heading(&mut page, &title, school);
    let about = format!("Сведения об успеваемости и посещаемости {span}");
    y += page.paragraph(MARGIN, y, page.inner_width(), 9.0, false, &about);
    pages.push(page);

    let mut lessons = Table::new(
        vec![
            Column::new("Дата", 15.0, Align::Center),
            Column::new("Предмет", 32.0, Align::Left),
            Column::new("Тема урока", 58.0, Align::Left),
            Column::new("Домашнее задание", 52.0, Align::Left),
            Column::new("Отметки", 14.0, Align::Center),
            Column::new("Посещ.", 15.0, Align::Center),
        ],
        8.0,
    );
    lessons.rows = record
        .lessons
        .iter()
        .map(|l| {
            Row::new(vec![
                l.date.format("%d.%m").to_string(),
                l.subject_name.clone(),
                l.topic.clone().unwrap_or_default(),
                l.homework.clone().unwrap_or_default(),
                l.marks.join(" "),
                l.attendance.clone().unwrap_or_default(),
            ])
        })
        .collect();
    let mut continued = |p: &mut Page| heading(p, &title, &span);
    y = lessons.lay_out(pages, PORTRAIT, y + 3.0, &mut continued);

    let mut averages = Table::new(
        vec![
            Column::new("Предмет", 80.0, Align::Left),
            Column::new("Отметок", 25.0, Align::Center),
            Column::new("Средний балл", 30.0, Align::Center),
        ],
        8.0,
    );
    averages.rows = record
        .subjects
        .iter()
        .filter(|s| s.marks > 0)
        .map(|s| {
            Row::new(vec![
                s.subject_name.clone(),
                s.marks.to_string(),
                s.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
            ])
        })
        .collect();
    if !averages.rows.is_empty() {
        y = averages.lay_out(pages, PORTRAIT, y + 5.0, &mut continued);
    }
    let totals = format!(
        "Пропущено уроков: {} (из них по уважительной причине: {}). Опозданий: {}.",
        record.absences, record.absences_excused, record.lateness
    );
    if y + 40.0 > PORTRAIT.size().1 - 12.0 {
        let mut page = Page::new(PORTRAIT);
        y = continued(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    y += 4.0 + page.paragraph(MARGIN, y + 4.0, page.inner_width(), 9.0, false, &totals);
    signature(page, y + 12.0, "Классный руководитель", "");
    signature(page, y + 24.0, "Ознакомлен(а), родитель", "");
}
