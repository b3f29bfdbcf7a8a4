//! The class teacher's report for a period (отчёт классного руководителя о
//! результатах за период): the roll at the period's start and end with the
//! movement between, success rate and quality of knowledge, the students on
//! each line of the results, and the class's attendance, signed by the class
//! teacher. Every figure is the core's (`Journal::class_period`).

use crate::canvas::{Align, MARGIN, Orientation, Page, line_height};
use crate::fonts::FONTS;
use crate::render::Document;
use crate::summary::signature;
use crate::table::{BOTTOM, Column, Row, Table};
use crate::{date_text, number_pages};
use chrono::NaiveDate;
use classbook_core::ClassPeriod;
use classbook_core::domain::grades::StudentOutcome;

const PORTRAIT: Orientation = Orientation::Portrait;

/// The report of `report`'s class for its period, to hand to the deputy head.
pub fn class_report(report: &ClassPeriod, printed_on: NaiveDate) -> Document {
    let period = &report.period;
    let title = format!("Отчёт классного руководителя о результатах за {}", period.title);
    let detail =
        format!("{} класс · с {} по {}", report.class_name, date_text(period.starts_on), date_text(period.ends_on));
    let mut heading = |p: &mut Page| {
        p.text(MARGIN, MARGIN + 3.5, 9.0, true, title.clone());
        p.text_aligned(MARGIN, p.inner_width(), MARGIN + 3.5, 8.0, false, Align::Right, &detail);
        MARGIN + 7.0
    };
    let mut page = Page::new(PORTRAIT);
    let w = page.inner_width();
    let mut y = MARGIN;
    if !report.school_name.is_empty() {
        y += page.paragraph_centered(MARGIN, y, w, 9.0, false, &report.school_name) + 2.0;
    }
    y += page.paragraph_centered(MARGIN, y, w, 12.0, true, &title) + 1.0;
    let teacher = report.class_teacher.as_deref().unwrap_or("не назначен");
    let about = format!("{detail} · классный руководитель: {teacher}");
    y += page.paragraph_centered(MARGIN, y, w, 9.0, false, &about) + 2.0;
    let mut pages = vec![page];

    // 1. The roll and its movement.
    y = section(&mut pages, y, "1. Состав класса и движение учащихся", &mut heading);
    let arrived = report.movements.iter().filter(|m| m.arrived).count();
    let left = report.movements.len() - arrived;
    let roll = format!(
        "На начало периода ({}): {} уч. На конец периода ({}): {} уч. Прибыло: {arrived}, выбыло: {left}.",
        date_text(period.starts_on),
        report.roll_at_start,
        date_text(period.ends_on),
        report.roll_at_end
    );
    y = flow(&mut pages, y, &roll, &mut heading);
    if !report.movements.is_empty() {
        let mut table = Table::new(
            vec![
                Column::new("Дата", 20.0, Align::Center),
                Column::new("Ученик", 58.0, Align::Left),
                Column::new("Движение", 42.0, Align::Left),
                Column::new("Откуда / куда", 22.0, Align::Center),
                Column::new("Приказ", 44.0, Align::Left),
            ],
            8.0,
        );
        table.rows = report
            .movements
            .iter()
            .map(|m| {
                let what = format!("{}: {}", if m.arrived { "прибыл(а)" } else { "выбыл(а)" }, m.kind);
                let order = match (&m.order_number, m.order_date) {
                    (Some(n), Some(d)) => format!("№ {n} от {}", date_text(d)),
                    (Some(n), None) => format!("№ {n}"),
                    _ => String::new(),
                };
                Row::new(vec![
                    m.date.map(date_text).unwrap_or_default(),
                    m.student.clone(),
                    what,
                    m.other_class.clone().unwrap_or_default(),
                    order,
                ])
            })
            .collect();
        y = table.lay_out(&mut pages, PORTRAIT, y + 1.5, &mut heading) + 2.0;
    }

    // 2. Results from the finals.
    y = section(&mut pages, y + 2.0, "2. Успеваемость и качество знаний", &mut heading);
    let results = &report.results;
    let summary = &results.summary;
    let rates = format!(
        "Учащихся на конец периода: {}, из них аттестуются: {}. Успеваемость: {} %. Качество знаний: {} %.",
        summary.students,
        summary.counted(),
        percent(results.success_rate),
        percent(results.quality)
    );
    y = flow(&mut pages, y, &rates, &mut heading);
    let note = "Успеваемость — доля учащихся, у которых все итоговые отметки «3» и выше (или «зачтено»); \
                качество знаний — доля учащихся только с «4» и «5».";
    y = flow(&mut pages, y + 0.5, note, &mut heading);
    let listed = |keep: &dyn Fn(&classbook_core::PeriodStudent) -> Option<String>| -> Vec<String> {
        report.students.iter().filter_map(keep).collect()
    };
    let line = |outcome: StudentOutcome| {
        move |s: &classbook_core::PeriodStudent| (s.outcome == Some(outcome)).then(|| s.short_name.clone())
    };
    let with_subjects = |name: &str, subjects: &[String]| format!("{name} ({})", subjects.join(", "));
    let one_three = listed(&|s| s.one_three.then(|| s.short_name.clone()));
    let lines: Vec<(&str, usize, Vec<String>)> = vec![
        ("Отличники (все «5»)", summary.excellent, listed(&line(StudentOutcome::Excellent))),
        ("Хорошисты («4» и «5»)", summary.good, listed(&line(StudentOutcome::Good))),
        ("С одной «3»", one_three.len(), one_three),
        (
            "Неуспевающие (есть «2»)",
            summary.failing,
            listed(&|s| {
                (s.outcome == Some(StudentOutcome::Failing)).then(|| with_subjects(&s.short_name, &s.failing_subjects))
            }),
        ),
        (
            "Не аттестованы (н/а)",
            summary.not_assessed,
            listed(&|s| {
                (s.outcome == Some(StudentOutcome::NotAssessed))
                    .then(|| with_subjects(&s.short_name, &s.not_assessed_subjects))
            }),
        ),
        ("Итоговые отметки выставлены не по всем предметам", summary.missing, listed(&line(StudentOutcome::Missing))),
    ];
    let mut table = Table::new(
        vec![
            Column::new("Итоги", 52.0, Align::Left),
            Column::new("Учащихся", 18.0, Align::Center),
            Column::new("Кто", 116.0, Align::Left),
        ],
        8.5,
    );
    table.rows = lines
        .into_iter()
        .filter(|(title, count, _)| *count > 0 || !title.starts_with("Итоговые"))
        .map(|(title, count, names)| Row::new(vec![title.to_owned(), count.to_string(), names.join(", ")]))
        .collect();
    y = table.lay_out(&mut pages, PORTRAIT, y + 1.5, &mut heading) + 2.0;

    // 3. Attendance.
    y = section(&mut pages, y + 2.0, "3. Посещаемость", &mut heading);
    let (missed, excused, late) =
        report.students.iter().fold((0, 0, 0), |(m, e, l), s| (m + s.absences, e + s.absences_excused, l + s.lateness));
    let totals = format!(
        "Пропущено уроков всего: {missed}, из них по уважительной причине: {excused}, без уважительной \
         причины: {}. Опозданий: {late}.",
        missed - excused
    );
    y = flow(&mut pages, y, &totals, &mut heading);
    let mut table = Table::new(
        vec![
            Column::new("№", 8.0, Align::Center),
            Column::new("Ученик", 62.0, Align::Left),
            Column::new("Уроков", 20.0, Align::Center),
            Column::new("Пропущено", 24.0, Align::Center),
            Column::new("из них по уважит. причине", 26.0, Align::Center),
            Column::new("без уважит. причины", 24.0, Align::Center),
            Column::new("Опоздания", 22.0, Align::Center),
        ],
        8.0,
    );
    table.rows = report
        .students
        .iter()
        .enumerate()
        .map(|(i, s)| Row {
            cells: vec![
                (i + 1).to_string(),
                s.short_name.clone(),
                s.lessons_held.to_string(),
                s.absences.to_string(),
                s.absences_excused.to_string(),
                (s.absences - s.absences_excused).to_string(),
                s.lateness.to_string(),
            ],
            // Greyed: not on the roll at the period's end.
            shaded: s.outcome.is_none(),
            bold: false,
        })
        .collect();
    table.rows.push(Row {
        cells: vec![
            String::new(),
            "Итого".to_owned(),
            String::new(),
            missed.to_string(),
            excused.to_string(),
            (missed - excused).to_string(),
            late.to_string(),
        ],
        bold: true,
        shaded: true,
    });
    y = table.lay_out(&mut pages, PORTRAIT, y + 1.5, &mut heading);

    if y + 24.0 > PORTRAIT.size().1 - BOTTOM - 2.0 {
        let mut page = Page::new(PORTRAIT);
        y = heading(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    signature(page, y + 12.0, "Классный руководитель", report.class_teacher.as_deref().unwrap_or_default());
    page.text(MARGIN, y + 20.0, 10.0, false, format!("Дата: {}", date_text(printed_on)));
    number_pages(&mut pages, 1);
    Document { title: format!("{title}, {} класс", report.class_name), pages }
}

/// 95.83 → «95,8», as the core's reports write percents; «—» when nobody is counted.
pub(crate) fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}").replace('.', ","))
}

/// A section's title in bold, kept with at least a few lines below it.
fn section(pages: &mut Vec<Page>, top: f32, title: &str, heading: &mut dyn FnMut(&mut Page) -> f32) -> f32 {
    let mut y = top;
    if y + 25.0 > PORTRAIT.size().1 - BOTTOM - 2.0 {
        let mut page = Page::new(PORTRAIT);
        y = heading(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    y + page.paragraph(MARGIN, y, page.inner_width(), 10.0, true, title) + 0.5
}

/// A paragraph on the last page, or a new one when it does not fit.
fn flow(pages: &mut Vec<Page>, top: f32, text: &str, heading: &mut dyn FnMut(&mut Page) -> f32) -> f32 {
    let width = PORTRAIT.size().0 - 2.0 * MARGIN;
    let need = FONTS.wrap(text, width, 9.0, false).len() as f32 * line_height(9.0);
    let mut y = top;
    if y + need > PORTRAIT.size().1 - BOTTOM - 2.0 {
        let mut page = Page::new(PORTRAIT);
        y = heading(&mut page);
        pages.push(page);
    }
    let page = pages.last_mut().expect("a page");
    y + page.paragraph(MARGIN, y, width, 9.0, false, text)
}
