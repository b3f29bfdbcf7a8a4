//! A class's results for a period: the finals summary with success rate
//! and quality of knowledge.

use super::sheet::{self, Cell, Sheet};
use super::{ExportFormat, Exported};
use crate::error::Result;
use classbook_core::{ClassResults, Journal, PeriodInfo, Session};
use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

#[derive(Serialize)]
struct ResultsDocument<'a> {
    class: String,
    period: &'a str,
    results: ClassResults,
}

pub fn export_results(
    journal: &Journal,
    session: &Session,
    class_id: Uuid,
    period: &PeriodInfo,
    format: ExportFormat,
    out: &Path,
) -> Result<Exported> {
    let results = journal.class_results(session, class_id, period.id)?;
    let class = class_title(journal, session, class_id)?;
    let s = &results.summary;
    let percent = |v: Option<f64>| v.map_or(Cell::Empty, |p| Cell::Number((p * 10.0).round() / 10.0));
    let count = |n: usize| Cell::Number(n as f64);
    let rows = vec![
        vec!["Показатель".into(), "Значение".into()],
        vec!["Класс".into(), Cell::Text(class.clone())],
        vec!["Период".into(), Cell::Text(period.title.clone())],
        vec!["Учащихся".into(), count(s.students)],
        vec!["Отличников".into(), count(s.excellent)],
        vec!["На «4» и «5»".into(), count(s.good)],
        vec!["С «3»".into(), count(s.satisfactory)],
        vec!["Зачтено (безотметочно)".into(), count(s.passed)],
        vec!["Неуспевающих".into(), count(s.failing)],
        vec!["Не аттестовано".into(), count(s.not_assessed)],
        vec!["Итоговые не выставлены".into(), count(s.missing)],
        vec!["Освобождены".into(), count(s.excluded)],
        vec!["Успеваемость, %".into(), percent(results.success_rate)],
        vec!["Качество знаний, %".into(), percent(results.quality)],
    ];
    let sheets = [Sheet { name: "Итоги".into(), rows }];
    sheet::write(format, out, &sheets, &ResultsDocument { class, period: &period.title, results })
}

/// «5А», for those who may view the class.
pub(crate) fn class_title(journal: &Journal, session: &Session, class_id: Uuid) -> Result<String> {
    if let Some(j) = journal.my_journals(session)?.into_iter().find(|j| j.class_id == class_id) {
        return Ok(j.class_name);
    }
    let classes = journal.state_table(session, classbook_core::domain::entity::Entity::Class)?;
    let snapshot_name = crate::snapshot::records(&classes)
        .find(|r| r.id() == Some(class_id))
        .map(|r| format!("{}{}", r.value("grade").as_i64().unwrap_or(0), r.text("letter")));
    Ok(snapshot_name.unwrap_or_default())
}
