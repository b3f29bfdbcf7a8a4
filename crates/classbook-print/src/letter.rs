//! The information letter to parents (информационное письмо родителям
//! (законным представителям)): a student's results for a period — marks,
//! average, the period mark, missed lessons per subject — the warnings the
//! school must give (a «2» and its topic, a forecast of «2», a subject with
//! no marks), the class teacher's signature, and a tear-off slip the parent
//! signs and returns.

use crate::canvas::{Align, MARGIN, Orientation, Page, line_height};
use crate::date_text;
use crate::fonts::FONTS;
use crate::names::{genitive, is_female};
use crate::render::Document;
use crate::summary::signature;
use crate::table::{BOTTOM, Column, Row, Table};
use chrono::NaiveDate;
use classbook_core::{BookFinal, StudentRecord};

const PORTRAIT: Orientation = Orientation::Portrait;
/// The tear-off slip's height, from its cut line to the page's foot.
const SLIP: f32 = 46.0;

/// What one student's letter is made of: their record over the dates, and
/// the period's finals when the letter is for a period.
#[derive(Clone, Debug)]
pub struct Letter {
    pub record: StudentRecord,
    /// «1 четверть»: the period the letter reports on, if it is one.
    pub period: Option<String>,
    pub finals: Vec<BookFinal>,
}

/// Letters to the parents of each student in `letters`, each on pages of its
/// own (a page never holds two students), for the class teacher to sign and
/// hand out; the slip at the foot comes back signed.
pub fn parent_letters(school: &str, letters: &[Letter], printed_on: NaiveDate) -> Document {
    let mut pages = Vec::new();
    for letter in letters {
        let start = pages.len();
        letter_pages(school, letter, printed_on, &mut pages);
        number_student_pages(&mut pages[start..]);
    }
    let title = match letters {
        [one] => format!("Информационное письмо родителям: {}", one.record.full_name),
        _ => "Информационные письма родителям (законным представителям)".to_owned(),
    };
    Document { title, pages }
}

/// «за 1 четверть (с 01.09.2025 по 24.10.2025)» or «с … по …».
fn span_text(letter: &Letter) -> String {
    let dates = format!("с {} по {}", date_text(letter.record.from), date_text(letter.record.to));
    match &letter.period {
        Some(p) => format!("за {p} ({dates})"),
        None => dates,
    }
}

/// «ученика 5А класса Иванова Ивана Петровича».
fn whose(record: &StudentRecord) -> String {
    let class =
        if record.class_name.is_empty() { String::new() } else { format!(" {} класса", record.class_name) };
    match is_female(record.gender.as_deref(), &record.full_name) {
        Some(false) => format!("ученика{class} {}", genitive(&record.full_name, false)),
        Some(true) => format!("ученицы{class} {}", genitive(&record.full_name, true)),
        // Neither the card nor the name says: the name as it is, not a wrong ending.
        None => format!("ученика (ученицы){class}: {}", record.full_name),
    }
}

fn letter_pages(school: &str, letter: &Letter, printed_on: NaiveDate, pages: &mut Vec<Page>) {
    let record = &letter.record;
    let span = span_text(letter);
    let mut page = Page::new(PORTRAIT);
    let w = page.inner_width();
    let mut y = MARGIN;
    if !school.is_empty() {
        y += page.paragraph_centered(MARGIN, y, w, 9.0, false, school) + 2.0;
    }
    y += page.paragraph_centered(MARGIN, y, w, 12.0, true, "Информационное письмо родителям (законным представителям)")
        + 4.0;
    let greeting = format!("Уважаемые родители (законные представители) {}!", whose(record));
    y += page.paragraph_centered(MARGIN, y, w, 10.0, true, &greeting) + 2.0;
    let about = format!(
        "Сообщаем Вам результаты обучения Вашего ребёнка {span}: отметки по предметам, средний балл, \
         отметки за период и пропущенные уроки. Просим ознакомиться с письмом, обсудить его с ребёнком \
         и вернуть классному руководителю отрывной талон с Вашей подписью."
    );
    y += page.paragraph(MARGIN, y, w, 9.0, false, &about);
    pages.push(page);

    let continued_title = format!("{} · {}", record.full_name, span);
    let mut continued = |p: &mut Page| {
        p.text(MARGIN, MARGIN + 3.5, 9.0, true, continued_title.clone());
        MARGIN + 7.0
    };
    let mark_column = match &letter.period {
        Some(p) => format!("Отметка за {p}"),
        None => "Отметка за период".to_owned(),
    };
    let mut table = Table::new(
        vec![
            Column::new("Предмет", 42.0, Align::Left),
            Column::new("Отметки", 74.0, Align::Left),
            Column::new("Средний балл", 18.0, Align::Center),
            Column::new(mark_column, 22.0, Align::Center),
            Column::new("Пропущено уроков (из них по уважит. причине)", 30.0, Align::Center),
        ],
        8.5,
    );
    table.rows = record
        .subjects
        .iter()
        .map(|s| {
            let marks: Vec<&str> = record
                .lessons
                .iter()
                .filter(|l| l.subject_name == s.subject_name)
                .flat_map(|l| l.marks.iter().map(String::as_str))
                .collect();
            let final_mark = letter.finals.iter().find(|f| f.subject_id == s.subject_id).map(|f| f.value.clone());
            let missed = match (s.absences, s.absences_excused) {
                (0, _) => String::new(),
                (n, 0) => n.to_string(),
                (n, e) => format!("{n} ({e})"),
            };
            Row::new(vec![
                s.subject_name.clone(),
                marks.join(" "),
                s.average.map(decimal).unwrap_or_default(),
                final_mark.unwrap_or_default(),
                missed,
            ])
        })
        .collect();
    y = table.lay_out(pages, PORTRAIT, y + 3.0, &mut continued);

    let totals = format!(
        "Пропущено уроков {span}: {}, из них по уважительной причине: {}. Опозданий: {}.",
        record.absences, record.absences_excused, record.lateness
    );
    y = flow(pages, y + 3.0, 9.0, false, 0.0, &totals, &mut continued);
    let warnings = warnings(letter);
    if !warnings.is_empty() {
        y = flow(pages, y + 2.0, 9.5, true, 0.0, "Обратите внимание:", &mut continued);
        for text in &warnings {
            y = flow(pages, y + 0.8, 9.0, false, 4.0, text, &mut continued);
            let page = pages.last_mut().expect("a page");
            let first_line = y - line_height(9.0) * FONTS.wrap(text, page.inner_width() - 4.0, 9.0, false).len() as f32;
            page.text(MARGIN + 0.5, first_line + line_height(9.0) * 0.8, 9.0, false, "•");
        }
    }

    // The signature, then the slip at the foot of the page (a new page when
    // there is no room for both: the slip is torn off whole).
    if y + 22.0 + SLIP > PORTRAIT.size().1 - BOTTOM - 2.0 {
        let mut page = Page::new(PORTRAIT);
        y = continued(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    let teacher = record.class_teacher.as_deref().unwrap_or_default();
    signature(page, y + 10.0, "Классный руководитель", teacher);
    page.text(MARGIN, y + 18.0, 10.0, false, format!("Дата: {}", date_text(printed_on)));
    slip(page, record, &span);
}

/// «Ознакомлен(а)»: cut off along the dashed line and returned signed.
fn slip(page: &mut Page, record: &StudentRecord, span: &str) {
    let top = page.height() - BOTTOM - SLIP;
    let w = page.inner_width();
    let mut x = MARGIN;
    while x < MARGIN + w {
        page.line(x, top, (x + 2.0).min(MARGIN + w), top, 0.4);
        x += 3.5;
    }
    page.text_aligned(MARGIN, w, top - 1.2, 6.5, false, Align::Right, "линия отреза");
    let mut y = top + 3.0;
    y += page.paragraph_centered(MARGIN, y, w, 10.0, true, "Ознакомлен(а)") + 1.0;
    let text = format!("С информационным письмом о результатах обучения {} {span} ознакомлен(а).", whose(record));
    y += page.paragraph(MARGIN, y, w, 9.0, false, &text) + 2.0;
    page.text(MARGIN, y + 4.0, 10.0, false, format!("Ученик (ученица): {}", record.full_name));
    // The label is longer than `signature`'s column: the lines follow it.
    let label = "Родитель (законный представитель):";
    let x = MARGIN + FONTS.width(label, 10.0, false) + 3.0;
    page.text(MARGIN, y + 13.0, 10.0, false, label);
    page.line(x, y + 14.0, x + 40.0, y + 14.0, 0.5);
    page.text(x + 41.0, y + 13.0, 10.0, false, "/");
    page.line(x + 44.0, y + 14.0, x + 94.0, y + 14.0, 0.5);
    page.text(x + 95.0, y + 13.0, 10.0, false, "/");
    page.text(x, y + 17.5, 6.5, false, "подпись");
    page.text(x + 44.0, y + 17.5, 6.5, false, "расшифровка подписи");
    page.text(MARGIN, y + 25.0, 10.0, false, "Дата: «____» ______________ 20____ г.");
}

/// A paragraph from `top` of the last page, indented by `indent`, on a new
/// page (with its heading) when it does not fit; returns where it ended.
#[allow(clippy::too_many_arguments)]
fn flow(
    pages: &mut Vec<Page>,
    top: f32,
    size: f32,
    bold: bool,
    indent: f32,
    text: &str,
    continued: &mut dyn FnMut(&mut Page) -> f32,
) -> f32 {
    let width = PORTRAIT.size().0 - 2.0 * MARGIN - indent;
    let need = FONTS.wrap(text, width, size, bold).len() as f32 * line_height(size);
    let mut y = top;
    if y + need > PORTRAIT.size().1 - BOTTOM - 2.0 {
        let mut page = Page::new(PORTRAIT);
        y = continued(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    y + page.paragraph(MARGIN + indent, y, width, size, bold, text)
}

/// What parents must be told, in order: each unsatisfactory mark with its
/// topic, a subject whose average forecasts «2» with no period mark set yet,
/// the subjects with no marks at all.
fn warnings(letter: &Letter) -> Vec<String> {
    let record = &letter.record;
    let mut out = Vec::new();
    for m in &record.low_marks {
        let topic = match &m.topic {
            Some(t) if !t.trim().is_empty() => format!(", тема урока: «{}»", t.trim()),
            _ => String::new(),
        };
        out.push(format!("{} — отметка «{}» по предмету «{}»{topic}.", date_text(m.date), m.value, m.subject_name));
    }
    for s in &record.subjects {
        let has_final = letter.finals.iter().any(|f| f.subject_id == s.subject_id);
        if let (Some(forecast @ ..=2), Some(average), false) = (s.forecast, s.average, has_final) {
            out.push(format!(
                "{}: средний балл {}, прогноз отметки за период — «{forecast}». Есть риск \
                 неудовлетворительной отметки: нужно исправить отметки до конца периода.",
                s.subject_name,
                decimal(average)
            ));
        }
    }
    let unmarked: Vec<&str> =
        record.subjects.iter().filter(|s| s.marks == 0).map(|s| s.subject_name.as_str()).collect();
    if !unmarked.is_empty() {
        out.push(format!("Нет ни одной отметки: {}.", unmarked.join(", ")));
    }
    out
}

/// 4.25 → «4,25», as decimals are written in Russian.
fn decimal(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// «Лист 2 из 3» only when a letter takes more than one page; each letter
/// counts its own pages (they are handed out one student at a time).
fn number_student_pages(pages: &mut [Page]) {
    let total = pages.len();
    if total < 2 {
        return;
    }
    for (i, page) in pages.iter_mut().enumerate() {
        let (w, h) = page.orientation.size();
        page.text_aligned(0.0, w, h - 6.0, 8.0, false, Align::Center, &format!("Лист {} из {total}", i + 1));
    }
}
