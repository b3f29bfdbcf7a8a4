//! Times every report on a demo journal (docs/BENCHMARKS.md «Reports»):
//! `cargo run --release -p classbook-core --example report_bench -- DB [RUNS]`.
//! School-wide reports run over the whole school; a class's reports run for
//! every class in turn (the whole school, class by class) — both for the
//! first quarter and for the year — and the deputy head's dashboard of the
//! current week. Prints the median of RUNS (default 5).

use classbook_core::domain::model::Role;
use classbook_core::{Journal, ReportName, ReportQuery};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: report_bench DB [RUNS]")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let mut journal = Journal::open(db.as_ref())?;
    journal.set_fixed_now(journal.demo_clock_start()?);
    let deputy = journal.list_accounts()?.into_iter().find(|a| a.roles.contains(&Role::Deputy)).ok_or("no deputy")?;
    let session = journal.login(&deputy.login, classbook_core::demo::DEMO_PASSWORD)?;
    let periods = journal.periods()?;
    let quarter = periods.first().ok_or("no periods")?.clone();
    let year = periods.iter().max_by_key(|p| p.ends_on - p.starts_on).ok_or("no year")?.clone();
    let classes = journal.printable_classes(&session)?;
    // The student-average report is about one student: each class's first.
    let students =
        classes.iter().map(|c| first_student(&journal, &session, c.class_id)).collect::<Result<Vec<_>, _>>()?;

    println!(
        "{:<20} {:>12} {:>12}   (median of {runs}; class reports: all {} classes)",
        "report",
        "1 четверть",
        "год",
        classes.len()
    );
    for name in ReportName::ALL {
        let mut cells = Vec::new();
        for period in [&quarter, &year] {
            let mut times = Vec::new();
            for _ in 0..runs {
                let started = Instant::now();
                if name.about_one_class() {
                    for (class, student) in classes.iter().zip(&students) {
                        let query = ReportQuery {
                            class_id: Some(class.class_id),
                            student_id: *student,
                            period_id: Some(period.id),
                            ..ReportQuery::default()
                        };
                        journal.report(&session, *name, &query)?;
                    }
                } else {
                    let query = ReportQuery { period_id: Some(period.id), ..ReportQuery::default() };
                    journal.report(&session, *name, &query)?;
                }
                times.push(started.elapsed());
            }
            times.sort();
            cells.push(times[times.len() / 2]);
        }
        println!("{:<20} {:>12} {:>12}", name.code(), ms(cells[0]), ms(cells[1]));
    }
    // The dashboard of the demo's current week (its clock is the last
    // school day): every section, the week's and the quarter's reports.
    let mut times = Vec::new();
    let mut items = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let dashboard = journal.dashboard(&session, None)?;
        times.push(started.elapsed());
        items = dashboard.sections.iter().map(|s| s.items.len()).sum();
    }
    times.sort();
    println!("{:<20} {:>12}   (the week; {items} problems listed)", "dashboard", ms(times[times.len() / 2]));
    Ok(())
}

fn first_student(
    journal: &Journal,
    session: &classbook_core::Session,
    class_id: uuid::Uuid,
) -> Result<Option<uuid::Uuid>, Box<dyn std::error::Error>> {
    Ok(journal.class_students(session, class_id)?.first().map(|s| s.id))
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}
