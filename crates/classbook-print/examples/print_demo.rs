//! Prints the demo school's journals: `cargo run --release -p classbook-print
//! --example print_demo -- DB OUT_DIR [CLASS…]` (all classes when none are
//! named), one class at a time, with the time and size of each — the
//! benchmark of docs/BENCHMARKS.md «Printing».

mod common;

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: print_demo DB OUT_DIR [CLASS…]".into());
    };
    let wanted: Vec<String> = args.collect();
    let (journal, session) = common::deputy_on_demo(&db)?;
    let today = journal.today()?;
    let classes: Vec<String> = if wanted.is_empty() {
        journal.school_structure(&session)?.classes.into_iter().map(|c| c.name).collect()
    } else {
        wanted
    };
    std::fs::create_dir_all(&out)?;
    let all = Instant::now();
    let (mut pages, mut bytes) = (0, 0);
    for class in &classes {
        let started = Instant::now();
        let class_id = journal.class_by_name(class)?;
        let book = journal.class_book(&session, class_id, None)?;
        let read = started.elapsed();
        let printed = classbook_print::class_journal(&book, today);
        let pdf = printed.document.to_pdf();
        std::fs::write(std::path::Path::new(&out).join(format!("journal-{class}.pdf")), &pdf)?;
        println!(
            "{class}: {} pages, {} sheets, {:.1} MB, read {:.0} ms, total {:.0} ms",
            printed.document.page_count(),
            printed.sheets,
            pdf.len() as f64 / 1e6,
            read.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
        pages += printed.document.page_count();
        bytes += pdf.len();
    }
    println!(
        "{} classes: {pages} pages, {:.1} MB in {:.1} s",
        classes.len(),
        bytes as f64 / 1e6,
        all.elapsed().as_secs_f64()
    );
    Ok(())
}
