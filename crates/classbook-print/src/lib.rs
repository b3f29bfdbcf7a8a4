//! `classbook-print` — the journal on paper: the yearly class journal ready
//! for duplex printing and binding, the summary sheet of finals, a parent's
//! printout for any dates, the report card, the information letter to
//! parents and the class teacher's report for a period. Layout (wrapping,
//! tables that break across pages with their headers, page numbers) is ours;
//! printpdf only writes the PDF, with the font from `assets/fonts` embedded.
//!
//! Each function renders one document (one class) into memory and returns
//! its bytes: printpdf holds a whole document while writing it, so a school
//! is printed class by class, never in one buffer.

mod canvas;
mod class_report;
mod fonts;
mod journal;
mod letter;
mod names;
mod parent;
mod render;
mod report;
mod report_card;
mod save;
mod summary;
mod svg;
mod table;
mod words;

pub use class_report::class_report;
pub use journal::{PrintedJournal, class_journal};
pub use letter::{Letter, parent_letters};
pub use parent::parent_printout;
pub use render::Document;
pub use report::report_document;
pub use report_card::report_cards;
pub use save::{SaveError, save_pdf};
pub use summary::summary_sheet;
pub use words::in_words;

use canvas::{Align, Page};
use chrono::NaiveDate;

/// «05.09.2025», as dates are written in Russian documents.
pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// Page numbers at the foot of every page but the first (a title page
/// counts, unnumbered), the first page being number `first`.
pub(crate) fn number_pages(pages: &mut [Page], first: usize) {
    for (i, page) in pages.iter_mut().enumerate().skip(1) {
        let (w, h) = page.orientation.size();
        page.text_aligned(0.0, w, h - 6.0, 8.0, false, Align::Center, &(first + i).to_string());
    }
}
