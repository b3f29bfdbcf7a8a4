//! Close every study period of a journal's years, as the administrator does
//! on «Администрирование» at the end of a year — so that a demo school can be
//! archived (its generator leaves the fourth quarter and the year open):
//!
//! ```sh
//! classbook --db /var/tmp/demo.db demo
//! cargo run --release -p classbook-archive --example close_year -- /var/tmp/demo.db
//! classbook --db /var/tmp/demo.db archive create --year 2025/2026 --to /media/a/USB1 --to /media/a/USB2
//! ```
//!
//! The login is `admin` (or the second argument), its password
//! CLASSBOOK_PASSWORD or, in the demo school, the demo password.

use classbook_core::Journal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: close_year JOURNAL.db [LOGIN]")?;
    let login = args.next().unwrap_or_else(|| "admin".into());
    let mut journal = Journal::open(std::path::Path::new(&path))?;
    // The demo school's clock stands on its last day, as in the CLI and the app.
    if let Some(start) = journal.demo_clock_start()? {
        journal.set_fixed_now(Some(start));
    }
    let password =
        std::env::var("CLASSBOOK_PASSWORD").unwrap_or_else(|_| classbook_core::demo::DEMO_PASSWORD.to_owned());
    let session = journal.login(&login, &password)?;
    for period in journal.periods()? {
        if period.closed {
            println!("{}: уже закрыт", period.title);
        } else {
            journal.close_period(&session, period.id, true)?;
            println!("{}: закрыт", period.title);
        }
    }
    Ok(())
}
