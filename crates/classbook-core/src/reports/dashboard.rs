//! The deputy head's dashboard: the week's problems at a glance, each item
//! linking to the journal page it is about. Every section is a filter over
//! one of the reports (run for the week, or for the current quarter up to
//! today), so the dashboard can never disagree with the report that shows a
//! problem in full: lessons without a topic or homework (journal-keeping),
//! entries later than the deadlines (timeliness), cancelled lessons
//! (substitutions), lagging programmes (program), students without marks
//! late in the quarter (fill-rate) and the week's unsatisfactory marks.

use super::school::dmy;
use super::{PageLink, Report, ReportName, ReportQuery, ReportRow, ReportValue};
use crate::accounts::Session;
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

/// The week's problems, section by section; a section with no items is kept
/// (the deputy head sees that it was checked and nothing was found).
#[derive(Clone, Debug, Serialize)]
pub struct Dashboard {
    /// Monday and Sunday of the week shown.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// «Неделя с 01.12.2025 по 07.12.2025».
    pub title: String,
    pub sections: Vec<DashboardSection>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DashboardSection {
    /// Stable code for the UI and tests: `no-topic`, `no-homework`, `late`,
    /// `cancelled`, `program-lag`, `no-marks`, `unsatisfactory`.
    pub code: &'static str,
    pub title: String,
    /// The report (and its dates) that shows this section in full.
    pub report: ReportName,
    pub report_from: NaiveDate,
    pub report_to: NaiveDate,
    pub items: Vec<DashboardItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DashboardItem {
    /// «5А, Математика» or «10Б, Английский язык (1 группа)».
    pub page: String,
    pub teacher: String,
    /// What is wrong, in a few words: «без темы 2 урока из 5».
    pub detail: String,
    /// How much is wrong (lessons, entries, students): the sort key.
    pub count: i64,
    pub link: Option<PageLink>,
}

/// Monday to Sunday of the week that holds `day`.
pub fn week_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
    (monday, monday + Duration::days(6))
}

impl Journal {
    /// The dashboard for the week that holds `day` (today without one).
    pub fn dashboard(&self, session: &Session, day: Option<NaiveDate>) -> Result<Dashboard> {
        self.check_view_school(session)?;
        let today = self.today()?;
        let (from, to) = week_of(day.unwrap_or(today));
        let week = ReportQuery { from: Some(from), to: Some(to), ..Default::default() };
        let mut sections = Vec::new();

        let keeping = self.report(session, ReportName::JournalKeeping, &week)?;
        sections.push(section("no-topic", "Уроки без темы", &keeping, &week, |row, at| {
            let held = count(row, at("Проведено уроков")?)?;
            let missing = held - count(row, at("С темой")?)?;
            Some((missing, format!("без темы {} из {held}", lessons(missing))))
        })?);
        sections.push(section(
            "no-homework",
            "Уроки без домашнего задания",
            &keeping,
            &week,
            |row, at| {
                // «—»: an ungraded class, which gets no homework (002 §3.11).
                let given = count(row, at("С домашним заданием")?)?;
                let held = count(row, at("Проведено уроков")?)?;
                Some((held - given, format!("без задания {} из {held}", lessons(held - given))))
            },
        )?);

        let late = self.report(session, ReportName::Timeliness, &week)?;
        sections.push(section("late", "Записи позже сроков", &late, &week, |row, at| {
            let parts = [
                ("посещаемость", at("Посещаемость: с опозданием")?),
                ("отметки", at("Отметки: с опозданием")?),
                ("домашние задания", at("Домашние задания: с опозданием")?),
            ];
            let found: Vec<(&str, i64)> =
                parts.iter().filter_map(|&(what, i)| count(row, i).map(|n| (what, n))).filter(|p| p.1 > 0).collect();
            let total = found.iter().map(|p| p.1).sum();
            let text = found.iter().map(|(what, n)| format!("{what} — {n}")).collect::<Vec<_>>().join(", ");
            let worst = text_at(row, at("Наибольшее опоздание")?);
            Some((
                total,
                if worst.is_empty() {
                    text
                } else {
                    format!("{text}; наибольшее опоздание {worst}")
                },
            ))
        })?);

        let substitutions = self.report(session, ReportName::Substitutions, &week)?;
        sections.push(section("cancelled", "Отменённые уроки", &substitutions, &week, |row, at| {
            (text_at(row, at("Что с уроком")?) == "урок отменён").then(|| {
                let when = match &row.cells[at("Дата")?] {
                    ReportValue::Date(d) => dmy(*d),
                    _ => String::new(),
                };
                let number = count(row, at("Урок")?).map(|n| format!(", {n}-й урок")).unwrap_or_default();
                Some((1, format!("отменён {when}{number}")))
            })?
        })?);

        // The quarter's reports run up to today: a plan or a mark count is
        // judged on what could have been done by now.
        if let Some((starts, ends)) = self.quarter_holding(today.min(to))? {
            let quarter = ReportQuery { from: Some(starts), to: Some(today.min(ends)), ..Default::default() };
            let program = self.report(session, ReportName::Program, &quarter)?;
            sections.push(section(
                "program-lag",
                "Отставание от программы",
                &program,
                &quarter,
                |row, at| {
                    let lag = count(row, at("Отставание (−) / опережение (+)")?)?;
                    Some((-lag, format!("отставание на {}", topics(-lag))))
                },
            )?);
            // Students without a mark are a problem once half the quarter
            // has passed; before that most pages would be listed.
            let halfway = starts + (ends - starts) / 2;
            if today >= halfway {
                let fill = self.report(session, ReportName::FillRate, &quarter)?;
                sections.push(section(
                    "no-marks",
                    "Ученики без отметок за четверть",
                    &fill,
                    &quarter,
                    |row, at| {
                        let none = count(row, at("Без отметок")?)?;
                        let all = count(row, at("Учащихся")?)?;
                        Some((none, format!("без отметок {none} из {all} учащихся")))
                    },
                )?);
            }
        }

        sections.push(self.unsatisfactory_of_week(session, &week)?);
        Ok(Dashboard { from, to, title: format!("Неделя с {} по {}", dmy(from), dmy(to)), sections })
    }

    /// The week's «2» (and other unsatisfactory marks) per class and subject,
    /// from each class's `unsatisfactory` report.
    fn unsatisfactory_of_week(&self, session: &Session, week: &ReportQuery) -> Result<DashboardSection> {
        let mut items: Vec<DashboardItem> = Vec::new();
        for class in self.printable_classes(session)? {
            let query = ReportQuery { class_id: Some(class.class_id), ..week.clone() };
            let report = self.report(session, ReportName::Unsatisfactory, &query)?;
            let (Some(student), Some(subject)) = (column(&report, "Ученик"), column(&report, "Предмет"))
            else {
                return Err(missing_column(&report));
            };
            // One item per subject of the class: how many marks, of how many students.
            let mut by_subject: Vec<(String, Vec<String>, Option<PageLink>)> = Vec::new();
            for row in &report.rows {
                let name = text_at(row, subject);
                match by_subject.iter_mut().find(|s| s.0 == name) {
                    Some(found) => found.1.push(text_at(row, student)),
                    None => by_subject.push((name, vec![text_at(row, student)], row.link.clone())),
                }
            }
            for (subject, students, link) in by_subject {
                let mut names = students.clone();
                names.sort();
                names.dedup();
                items.push(DashboardItem {
                    page: format!("{}, {subject}", class.class_name),
                    teacher: String::new(),
                    detail: format!("{}: {}", marks(students.len() as i64), names.join(", ")),
                    count: students.len() as i64,
                    link,
                });
            }
        }
        items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.page.cmp(&b.page)));
        let (from, to) = (week.from.unwrap_or_default(), week.to.unwrap_or_default());
        Ok(DashboardSection {
            code: "unsatisfactory",
            title: "Неудовлетворительные отметки за неделю".to_owned(),
            report: ReportName::Unsatisfactory,
            report_from: from,
            report_to: to,
            items,
        })
    }

    /// The first and last day of the shortest study period (a quarter, or a
    /// half-year where there are no quarters) that holds `day`.
    fn quarter_holding(&self, day: NaiveDate) -> Result<Option<(NaiveDate, NaiveDate)>> {
        Ok(self
            .periods()?
            .into_iter()
            .filter(|p| p.starts_on <= day && day <= p.ends_on)
            .min_by_key(|p| p.ends_on - p.starts_on)
            .map(|p| (p.starts_on, p.ends_on)))
    }
}

/// A section from `report`'s rows that `problem` finds something wrong in
/// (a count above zero), the largest first. `problem` gets the row and a
/// lookup of the report's columns by title.
fn section(
    code: &'static str,
    title: &str,
    report: &Report,
    query: &ReportQuery,
    problem: impl Fn(&ReportRow, &dyn Fn(&str) -> Option<usize>) -> Option<(i64, String)>,
) -> Result<DashboardSection> {
    let at = |title: &str| column(report, title);
    // The page's columns must exist: a renamed one is a bug to see at once.
    // (A column `problem` reads that went missing would empty its section;
    // the dashboard's test fills every section, so it fails there.)
    let (class, subject, group, teacher) = (at("Класс"), at("Предмет"), at("Группа"), at("Учитель"));
    let (Some(class), Some(subject)) = (class, subject) else { return Err(missing_column(report)) };
    let mut items = Vec::new();
    for row in &report.rows {
        let Some((count, detail)) = problem(row, &at) else { continue };
        if count <= 0 {
            continue;
        }
        let group = group.map(|g| text_at(row, g)).filter(|g| !g.is_empty());
        let page = match group {
            Some(group) => format!("{}, {} ({group})", text_at(row, class), text_at(row, subject)),
            None => format!("{}, {}", text_at(row, class), text_at(row, subject)),
        };
        items.push(DashboardItem {
            page,
            teacher: teacher.map(|t| text_at(row, t)).unwrap_or_default(),
            detail,
            count,
            link: row.link.clone(),
        });
    }
    items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.page.cmp(&b.page)));
    Ok(DashboardSection {
        code,
        title: title.to_owned(),
        report: report.name,
        report_from: query.from.unwrap_or_default(),
        report_to: query.to.unwrap_or_default(),
        items,
    })
}

fn column(report: &Report, title: &str) -> Option<usize> {
    report.columns.iter().position(|c| c.title == title)
}

fn missing_column(report: &Report) -> JournalError {
    JournalError::Corrupt(format!("в отчёте «{}» нет столбца, нужного сводке недели", report.title))
}

fn count(row: &ReportRow, at: usize) -> Option<i64> {
    match row.cells.get(at)? {
        ReportValue::Count(n) => Some(*n),
        _ => None,
    }
}

fn text_at(row: &ReportRow, at: usize) -> String {
    row.cells.get(at).map(ReportValue::display).unwrap_or_default()
}

/// «1 урок», «3 урока», «5 уроков».
fn lessons(n: i64) -> String {
    plural(n, "урок", "урока", "уроков")
}

fn topics(n: i64) -> String {
    plural(n, "тему", "темы", "тем")
}

fn marks(n: i64) -> String {
    plural(n, "отметка", "отметки", "отметок")
}

fn plural(n: i64, one: &str, few: &str, many: &str) -> String {
    let word = match (n % 10, n % 100) {
        (1, r) if r != 11 => one,
        (2..=4, r) if !(12..=14).contains(&r) => few,
        _ => many,
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        let wednesday = NaiveDate::from_ymd_opt(2025, 12, 3).unwrap();
        let (from, to) = week_of(wednesday);
        assert_eq!(
            (from, to),
            (NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 12, 7).unwrap())
        );
        assert_eq!(week_of(to), (from, to));
        assert_eq!(week_of(from), (from, to));
    }

    #[test]
    fn counts_take_the_russian_plural() {
        assert_eq!(lessons(1), "1 урок");
        assert_eq!(lessons(3), "3 урока");
        assert_eq!(lessons(11), "11 уроков");
        assert_eq!(lessons(22), "22 урока");
        assert_eq!(topics(5), "5 тем");
        assert_eq!(marks(21), "21 отметка");
    }
}
