//! Any report (`classbook_core::Report`) on paper: its title and what it
//! covers on every page, the table with its headers repeated, the totals,
//! the date printed. Columns get the width their contents need, text columns
//! giving way when the page is too narrow (their text then wraps).

use crate::canvas::{Align, MARGIN, Orientation, Page};
use crate::fonts::FONTS;
use crate::render::Document;
use crate::table::{Column, Row, Table};
use crate::{date_text, number_pages};
use chrono::NaiveDate;
use classbook_core::{ColumnKind, Report};

const SIZE: f32 = 8.0;
/// The widest a text column asks for before it wraps, mm.
const TEXT_MAX: f32 = 90.0;

pub fn report_document(report: &Report, printed_on: NaiveDate) -> Document {
    let widths = natural_widths(report);
    let natural: f32 = widths.iter().sum();
    let orientation = if natural > Orientation::Portrait.size().0 - 2.0 * MARGIN {
        Orientation::Landscape
    } else {
        Orientation::Portrait
    };
    let room = orientation.size().0 - 2.0 * MARGIN;
    let widths = fit(report, widths, room);
    let columns = report
        .columns
        .iter()
        .zip(widths)
        .map(|(c, w)| {
            Column::new(c.title.clone(), w, if c.kind == ColumnKind::Text { Align::Left } else { Align::Center })
        })
        .collect();
    let mut table = Table::new(columns, SIZE);
    table.rows = report.rows.iter().map(|r| Row::new(r.cells.iter().map(|v| v.display()).collect())).collect();
    if let Some(totals) = &report.totals {
        table.rows.push(Row { cells: totals.iter().map(|v| v.display()).collect(), bold: true, shaded: true });
    }
    let mut pages = Vec::new();
    let y = table.lay_out(&mut pages, orientation, f32::MAX, &mut |p| heading(p, report));
    if pages.is_empty() {
        let mut page = Page::new(orientation);
        heading(&mut page, report);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    let note = if report.rows.is_empty() { "Нет данных за выбранное время. " } else { "" };
    page.text(
        MARGIN,
        (y + 6.0).min(page.height() - 12.0),
        8.0,
        false,
        format!("{note}Сформирован {}", date_text(printed_on)),
    );
    number_pages(&mut pages, 1);
    Document { title: format!("{} {}", report.title, report.subtitle), pages }
}

/// The title, and under it what the report covers, wrapped (a report's
/// subtitle can be long: dates, a teacher, the deadlines it judges by).
fn heading(page: &mut Page, report: &Report) -> f32 {
    let w = page.inner_width();
    page.text(MARGIN, MARGIN + 3.5, 10.0, true, report.title.clone());
    MARGIN + 5.5 + page.paragraph(MARGIN, MARGIN + 5.0, w, 8.0, false, &report.subtitle)
}

/// The width each column's widest cell (or header word) needs, mm.
fn natural_widths(report: &Report) -> Vec<f32> {
    let pad = 2.0;
    report
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let header = column.title.split_whitespace().map(|w| FONTS.width(w, SIZE, true)).fold(0.0, f32::max);
            let cells = report
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .chain(report.totals.iter().filter_map(|t| t.get(i)))
                .map(|v| FONTS.width(&v.display(), SIZE, false))
                .fold(0.0, f32::max);
            (header.max(cells) + pad).clamp(8.0, TEXT_MAX)
        })
        .collect()
}

/// Narrow the text columns (numbers keep their width) until the table fits `room`.
fn fit(report: &Report, mut widths: Vec<f32>, room: f32) -> Vec<f32> {
    let total: f32 = widths.iter().sum();
    if total <= room {
        return widths;
    }
    let text: f32 =
        widths.iter().zip(&report.columns).filter(|(_, c)| c.kind == ColumnKind::Text).map(|(w, _)| *w).sum();
    let fixed = total - text;
    let scale = ((room - fixed) / text).max(0.2);
    for (w, c) in widths.iter_mut().zip(&report.columns) {
        if c.kind == ColumnKind::Text {
            *w *= scale;
        }
    }
    // Numbers too, if the text alone could not make room.
    let total: f32 = widths.iter().sum();
    if total > room {
        widths.iter_mut().for_each(|w| *w *= room / total);
    }
    widths
}
