//! Runs one report over the whole year of a demo journal RUNS times (for a
//! profiler): `cargo run --release -p classbook-core --example one_report -- DB NAME [RUNS]`.

use classbook_core::domain::model::Role;
use classbook_core::{Journal, ReportName, ReportQuery};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: one_report DB NAME [RUNS]")?;
    let name = ReportName::parse(&args.next().ok_or("usage: one_report DB NAME [RUNS]")?).ok_or("no such report")?;
    let runs: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(5);
    let mut journal = Journal::open(db.as_ref())?;
    journal.set_fixed_now(journal.demo_clock_start()?);
    let deputy = journal.list_accounts()?.into_iter().find(|a| a.roles.contains(&Role::Deputy)).ok_or("no deputy")?;
    let session = journal.login(&deputy.login, classbook_core::demo::DEMO_PASSWORD)?;
    let year = journal.periods()?.into_iter().max_by_key(|p| p.ends_on - p.starts_on).ok_or("no year")?;
    let query = ReportQuery { period_id: Some(year.id), ..ReportQuery::default() };
    for _ in 0..runs {
        let started = std::time::Instant::now();
        let report = journal.report(&session, name, &query)?;
        println!("{} rows in {:.0} ms", report.rows.len(), started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(())
}
