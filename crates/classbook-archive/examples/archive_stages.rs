//! Where the time of `create_archive` goes, stage by stage, on a journal
//! whose year is closed (docs/BENCHMARKS.md «Archive»):
//!
//! ```sh
//! CLASSBOOK_BACKUP_PASSPHRASE=… cargo run --release -p classbook-archive --example archive_stages -- \
//!     /var/tmp/demo.db 2025/2026 /var/tmp/usb1 /var/tmp/usb2
//! ```

use classbook_archive::{Stage, create_archive};
use classbook_backup::{SchoolKey, keys::KdfParams};
use classbook_core::Journal;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, year, dests @ ..] = args.as_slice() else {
        return Err("usage: archive_stages JOURNAL.db YEAR DIR1 DIR2 …".into());
    };
    let dests: Vec<PathBuf> = dests.iter().map(PathBuf::from).collect();
    let mut journal = Journal::open(std::path::Path::new(db))?;
    if let Some(start) = journal.demo_clock_start()? {
        journal.set_fixed_now(Some(start));
    }
    let password =
        std::env::var("CLASSBOOK_PASSWORD").unwrap_or_else(|_| classbook_core::demo::DEMO_PASSWORD.to_owned());
    let session = journal.login("admin", &password)?;
    let phrase = std::env::var("CLASSBOOK_BACKUP_PASSPHRASE")?;
    let started = Instant::now();
    let key = SchoolKey::derive(&phrase, &KdfParams::for_school(classbook_backup::school_of(journal.path())?))?;
    println!("{:<28} {:>8.2} s", "key (argon2id)", started.elapsed().as_secs_f64());
    let mut current: Option<(Stage, Instant)> = None;
    let done = create_archive(&journal, &session, year, &dests, &key, &mut |p| {
        if current.map(|c| c.0) != Some(p.stage) {
            if let Some((stage, since)) = current {
                println!("{:<28} {:>8.2} s", stage.title(), since.elapsed().as_secs_f64());
            }
            current = Some((p.stage, Instant::now()));
        }
    })?;
    println!("{:<28} {:>8.2} s", "всего", started.elapsed().as_secs_f64());
    println!("{}: {} files, {:.1} MB", done.name, done.manifest.files.len() + 2, done.manifest.bytes() as f64 / 1e6);
    Ok(())
}
