//! What the print benchmarks share: the demo journal opened on its own day,
//! as its deputy head (who may print every class).

use classbook_core::{Journal, Session};

pub fn deputy_on_demo(db: &str) -> Result<(Journal, Session), Box<dyn std::error::Error>> {
    let mut journal = Journal::open(db.as_ref())?;
    journal.set_fixed_now(journal.demo_clock_start()?);
    let deputy = journal
        .list_accounts()?
        .into_iter()
        .find(|a| a.roles.contains(&classbook_core::domain::model::Role::Deputy))
        .ok_or("no deputy head in this journal")?;
    let session = journal.login(&deputy.login, classbook_core::demo::DEMO_PASSWORD)?;
    Ok((journal, session))
}
