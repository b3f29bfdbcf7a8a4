//! Tables that break across pages: every page repeats the heading and the
//! column headers, every cell wraps its text inside its column, and a row
//! is never split between pages.

use crate::canvas::{Align, MARGIN, Orientation, Page, line_height};
use crate::fonts::FONTS;

#[derive(Clone, Debug)]
pub struct Column {
    pub title: String,
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: impl Into<String>, width: f32, align: Align) -> Column {
        Column { title: title.into(), width, align }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Row {
    pub cells: Vec<String>,
    pub bold: bool,
    /// Greyed (a student who has left, a total).
    pub shaded: bool,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, ..Row::default() }
    }
}

#[derive(Clone, Debug)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Titles spanning several columns above the column headers: (title, how many columns).
    pub groups: Vec<(String, usize)>,
    pub rows: Vec<Row>,
    /// Text size, points.
    pub size: f32,
    /// The least height of a row, mm (a grid row a mark can be written into).
    pub min_row_height: f32,
}

const PAD: f32 = 0.8;
/// Where the body of a page ends: above the page number.
pub const BOTTOM: f32 = 10.0;

impl Table {
    pub fn new(columns: Vec<Column>, size: f32) -> Table {
        Table { columns, groups: Vec::new(), rows: Vec::new(), size, min_row_height: 0.0 }
    }

    pub fn width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }

    fn lines(&self, text: &str, width: f32, bold: bool) -> usize {
        FONTS.wrap(text, (width - 2.0 * PAD).max(1.0), self.size, bold).len().max(1)
    }

    pub fn row_height(&self, row: &Row) -> f32 {
        let lines =
            self.columns.iter().zip(&row.cells).map(|(c, text)| self.lines(text, c.width, row.bold)).max().unwrap_or(1);
        (lines as f32 * line_height(self.size) + 2.0 * PAD).max(self.min_row_height)
    }

    fn header_height(&self) -> f32 {
        let lines = self.columns.iter().map(|c| self.lines(&c.title, c.width, true)).max().unwrap_or(1);
        lines as f32 * line_height(self.size) + 2.0 * PAD
    }

    fn groups_height(&self) -> f32 {
        if self.groups.is_empty() {
            return 0.0;
        }
        let mut at = 0;
        let mut lines = 1;
        for (title, span) in &self.groups {
            let width: f32 = self.columns[at..(at + span).min(self.columns.len())].iter().map(|c| c.width).sum();
            lines = lines.max(self.lines(title, width, true));
            at += span;
        }
        lines as f32 * line_height(self.size) + 2.0 * PAD
    }

    /// The height the headers take on each page.
    pub fn headers_height(&self) -> f32 {
        self.groups_height() + self.header_height()
    }

    /// Lay the table out from `top` of the last page in `pages` (a new page
    /// when there is none or no room), starting new pages as needed; every new
    /// page gets `heading` first, which returns where its body begins.
    /// Returns where the table ended on its last page.
    pub fn lay_out(
        &self,
        pages: &mut Vec<Page>,
        orientation: Orientation,
        top: f32,
        heading: &mut dyn FnMut(&mut Page) -> f32,
    ) -> f32 {
        let bottom = orientation.size().1 - BOTTOM - 2.0;
        let first_row = self.rows.first().map(|r| self.row_height(r)).unwrap_or(0.0);
        let mut y = top;
        if pages.is_empty() || y + self.headers_height() + first_row > bottom {
            y = new_page(pages, orientation, heading);
        }
        let left = MARGIN;
        let mut page_top = y;
        y = self.draw_headers(pages.last_mut().expect("a page"), left, y);
        for row in &self.rows {
            let h = self.row_height(row);
            if y + h > bottom && y > page_top + self.headers_height() + 0.01 {
                self.draw_verticals(pages.last_mut().expect("a page"), left, page_top, y);
                page_top = new_page(pages, orientation, heading);
                y = self.draw_headers(pages.last_mut().expect("a page"), left, page_top);
            }
            self.draw_row(pages.last_mut().expect("a page"), left, y, h, row);
            y += h;
        }
        self.draw_verticals(pages.last_mut().expect("a page"), left, page_top, y);
        y
    }

    fn draw_headers(&self, page: &mut Page, left: f32, top: f32) -> f32 {
        let width = self.width();
        let mut y = top;
        let gh = self.groups_height();
        if gh > 0.0 {
            page.shade(left, y, width, gh);
            page.line(left, y, left + width, y, 0.6);
            let mut x = left;
            let mut at = 0;
            for (title, span) in &self.groups {
                let w: f32 = self.columns[at..(at + span).min(self.columns.len())].iter().map(|c| c.width).sum();
                self.cell_text(page, x, y, w, title, true, Align::Center);
                x += w;
                at += span;
                page.line(x, y, x, y + gh, 0.6);
            }
            y += gh;
        }
        let hh = self.header_height();
        page.shade(left, y, width, hh);
        page.line(left, y, left + width, y, 0.6);
        let mut x = left;
        for column in &self.columns {
            self.cell_text(page, x, y, column.width, &column.title, true, Align::Center);
            x += column.width;
        }
        y += hh;
        page.line(left, y, left + width, y, 0.6);
        y
    }

    fn draw_row(&self, page: &mut Page, left: f32, y: f32, h: f32, row: &Row) {
        if row.shaded {
            page.shade(left, y, self.width(), h);
        }
        let mut x = left;
        for (column, text) in self.columns.iter().zip(&row.cells) {
            self.cell_text(page, x, y, column.width, text, row.bold, column.align);
            x += column.width;
        }
        page.line(left, y + h, left + self.width(), y + h, 0.3);
    }

    fn draw_verticals(&self, page: &mut Page, left: f32, top: f32, bottom: f32) {
        let columns_top = top + self.groups_height();
        let mut x = left;
        page.line(x, top, x, bottom, 0.6);
        let mut group_ends = Vec::new();
        let mut at = 0;
        for (_, span) in &self.groups {
            at += span;
            group_ends.push(at);
        }
        for (i, column) in self.columns.iter().enumerate() {
            x += column.width;
            let whole = i + 1 == self.columns.len() || group_ends.contains(&(i + 1)) || self.groups.is_empty();
            page.line(x, if whole { top } else { columns_top }, x, bottom, if whole { 0.6 } else { 0.3 });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_text(&self, page: &mut Page, x: f32, y: f32, w: f32, text: &str, bold: bool, align: Align) {
        let lh = line_height(self.size);
        for (i, line) in FONTS.wrap(text, (w - 2.0 * PAD).max(1.0), self.size, bold).iter().enumerate() {
            let baseline = y + PAD + lh * (i as f32 + 0.8);
            page.text_aligned(x + PAD, w - 2.0 * PAD, baseline, self.size, bold, align, line);
        }
    }
}

fn new_page(pages: &mut Vec<Page>, orientation: Orientation, heading: &mut dyn FnMut(&mut Page) -> f32) -> f32 {
    let mut page = Page::new(orientation);
    let y = heading(&mut page);
    pages.push(page);
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas::Item;

    #[test]
    fn a_long_table_repeats_its_headers_and_keeps_text_inside_its_columns() {
        let columns = vec![Column::new("Дата", 20.0, Align::Center), Column::new("Тема урока", 60.0, Align::Left)];
        let mut table = Table::new(columns, 8.0);
        let topic = "Решение задач на движение по реке: скорость течения, собственная скорость катера";
        table.rows = (0..120).map(|i| Row::new(vec![format!("{i}.09"), topic.to_owned()])).collect();
        let mut pages = Vec::new();
        let mut headings = 0;
        table.lay_out(&mut pages, Orientation::Portrait, f32::MAX, &mut |p| {
            headings += 1;
            p.text(MARGIN, MARGIN, 10.0, true, "Заголовок");
            MARGIN + 5.0
        });
        assert!(pages.len() > 2, "120 wrapped rows fit on {} pages", pages.len());
        assert_eq!(headings, pages.len());
        for page in &pages {
            let texts: Vec<_> = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { x, y, size, bold, text } => Some((*x, *y, *size, *bold, text.clone())),
                    _ => None,
                })
                .collect();
            assert_eq!(texts.iter().filter(|t| t.4 == "Тема урока").count(), 1, "headers on every page");
            for (x, y, size, bold, text) in texts {
                let right = x + FONTS.width(&text, size, bold);
                let column_end = if x < MARGIN + 20.0 { MARGIN + 20.0 } else { MARGIN + 80.0 };
                assert!(right <= column_end, "«{text}» runs past its column ({right} > {column_end})");
                assert!(y <= page.height() - BOTTOM, "«{text}» below the body");
            }
        }
    }
}
