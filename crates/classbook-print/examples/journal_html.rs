//! The same class journal as HTML, the way web journals print it (a page of
//! tables handed to the browser's «print to PDF»): the benchmark's other
//! side, for headless Chromium. `journal_html DB OUT_DIR CLASS…` writes
//! `OUT_DIR/journal-CLASS.html` with the same sections, tables and texts as
//! `classbook_print::class_journal` — title, class list, each subject's grid
//! and topics per period, the attendance summary and the finals.

use classbook_core::ClassBook;

mod common;
use std::collections::HashMap;
use std::fmt::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: journal_html DB OUT_DIR CLASS…".into());
    };
    let (journal, session) = common::deputy_on_demo(&db)?;
    std::fs::create_dir_all(&out)?;
    for class in args {
        let book = journal.class_book(&session, journal.class_by_name(&class)?, None)?;
        std::fs::write(std::path::Path::new(&out).join(format!("journal-{class}.html")), html(&book))?;
    }
    Ok(())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn html(book: &ClassBook) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=ru><meta charset=utf-8><title>Классный журнал {0}</title><style>
@page {{ size: A4 landscape; margin: 12mm }}
body {{ font: 7pt 'Liberation Sans', Arial, sans-serif }}
section {{ break-after: page }}
table {{ border-collapse: collapse; width: 100% }}
thead {{ display: table-header-group }}
tr {{ break-inside: avoid }}
th, td {{ border: 0.3pt solid black; padding: 0.8mm; }}
th {{ background: #e6e6e6 }}
td.c {{ text-align: center; width: 8mm }}
h1 {{ font-size: 28pt; text-align: center; margin-top: 40mm }} h2 {{ font-size: 10pt }}
</style><section><h1>КЛАССНЫЙ ЖУРНАЛ</h1><h1>{0} класс</h1><p style='text-align:center'>{1} · {2} учебный год · \
Классный руководитель: {3}</p></section>",
        esc(&book.class_name),
        esc(&book.school_name),
        esc(&book.year_title),
        esc(book.class_teacher.as_deref().unwrap_or_default())
    );
    h.push_str("<section><h2>Список класса</h2><table><thead><tr><th>№<th>Фамилия, имя, отчество<th>Дата рождения<th>Родители<th>Телефон<th>Эл. почта</thead>");
    for s in &book.students {
        let join = |f: &dyn Fn(&classbook_core::BookParent) -> String| {
            s.parents.iter().map(f).map(|t| esc(&t)).collect::<Vec<_>>().join("<br>")
        };
        let _ = write!(
            h,
            "<tr><td>{}<td>{}<td>{}<td>{}<td>{}<td>{}",
            s.number,
            esc(&s.full_name),
            s.birth_date.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
            join(&|p| p.name.clone()),
            join(&|p| p.phone.clone().unwrap_or_default()),
            join(&|p| p.email.clone().unwrap_or_default())
        );
    }
    h.push_str("</table></section>");
    for section in &book.sections {
        for (period, page) in book.periods.iter().zip(&section.pages) {
            let mut cells: HashMap<_, Vec<String>> = HashMap::new();
            for a in &page.attendance {
                cells.entry((a.student_id, a.lesson_id)).or_default().push(a.code.clone());
            }
            for m in &page.marks {
                cells.entry((m.student_id, m.lesson_id)).or_default().push(m.value.clone());
            }
            // 27 lessons a spread, as on paper.
            for chunk in page.lessons.chunks(27) {
                let _ = write!(
                    h,
                    "<section><h2>{} · {}</h2><table><thead><tr><th>№<th>Фамилия, имя",
                    esc(&section.subject_name),
                    esc(&period.title)
                );
                for l in chunk {
                    let _ = write!(h, "<th>{}", l.date.format("%d<br>%m"));
                }
                h.push_str("<th>Ср.<th>Итог</thead>");
                for (s, summary) in page.students.iter().zip(&page.summaries) {
                    let _ = write!(h, "<tr><td>{}<td>{}", s.number, esc(&s.name));
                    for l in chunk {
                        let _ = write!(
                            h,
                            "<td class=c>{}",
                            cells.get(&(s.id, l.id)).map(|c| c.join(" ")).unwrap_or_default()
                        );
                    }
                    let _ = write!(
                        h,
                        "<td class=c>{}<td class=c>{}",
                        summary.average.map(|a| format!("{a:.2}")).unwrap_or_default(),
                        summary.final_value.clone().unwrap_or_default()
                    );
                }
                let _ = write!(
                    h,
                    "</table></section><section><h2>{} · {} · что пройдено на уроке</h2><table><thead><tr><th>Дата<th>Что пройдено на уроке<th>Домашнее задание<th>Примечание</thead>",
                    esc(&section.subject_name),
                    esc(&period.title)
                );
                for l in chunk {
                    let _ = write!(
                        h,
                        "<tr><td>{}<td>{}<td>{}<td>{}",
                        l.date.format("%d.%m"),
                        esc(l.topic.as_deref().unwrap_or_default()),
                        esc(l.homework.as_deref().unwrap_or_default()),
                        esc(l.substitute_name.as_deref().unwrap_or_default())
                    );
                }
                h.push_str("</table></section>");
            }
        }
    }
    h.push_str("<section><h2>Сводная ведомость итоговых отметок</h2><table><thead><tr><th>№<th>Фамилия, имя");
    let subjects = book.subjects();
    for (_, name) in &subjects {
        let _ = write!(h, "<th colspan={}>{}", book.periods.len(), esc(name));
    }
    h.push_str("</thead>");
    for s in &book.students {
        let _ = write!(h, "<tr><td>{}<td>{}", s.number, esc(&s.short_name));
        for (subject, _) in &subjects {
            for p in &book.periods {
                let _ = write!(h, "<td class=c>{}", book.final_of(s.id, *subject, p.id).unwrap_or_default());
            }
        }
    }
    h.push_str("</table></section></html>");
    h
}
