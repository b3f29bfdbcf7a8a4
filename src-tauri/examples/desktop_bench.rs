//! The desktop app's benchmark: the release binary on the default demo
//! school (800 students, a whole year), in a real window under Xvfb, driven
//! through WebDriver like the end-to-end tests. Measures what a teacher
//! waits for (targets from the desktop issue):
//!
//! - cold start: from spawning the process to the login screen on screen
//!   (the app prints a line and quits when `CLASSBOOK_EXIT_WHEN_READY` is set);
//! - opening a journal page of about 35 × 70: from the click in the journal
//!   list to the painted grid (timed in the window, `ui/src/lib/timing.ts`);
//! - a mark keystroke: from the key to the entry durably committed (the
//!   command returns after the journal's `synchronous=FULL` commit), and to
//!   the grid showing it;
//! - resident memory (the app and its WebKit processes) after an hour's
//!   worth of use, compressed: `CLASSBOOK_BENCH_ROUNDS` rounds (default 20)
//!   of opening two pages, 20 entries and a change log each; with
//!   `CLASSBOOK_BENCH_MINUTES` set, the rounds are spread over that many
//!   minutes of real time (an hour as a teacher lives it, idle gaps included),
//!   with the memory printed as it goes.
//!
//! Run it with scripts/bench-desktop.sh, which builds the release binary and
//! passes it in `CLASSBOOK_DESKTOP_BIN`.

#[allow(dead_code)]
#[path = "../tests/e2e/harness.rs"]
mod harness;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use classbook_core::demo::DemoConfig;
use classbook_core::{Journal, JournalRef, PeriodInfo};
use harness::{App, Display, key};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A page of one teacher's, in one period, and its size.
struct BigPage {
    login: String,
    class_id: uuid::Uuid,
    title: String,
    period: PeriodInfo,
    students: usize,
    lessons: usize,
    /// The first of ten students in a row still in the class, on the
    /// current period's page (where the marks go).
    start_row: usize,
}

fn main() {
    let rounds: usize = std::env::var("CLASSBOOK_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    let minutes: Option<u64> = std::env::var("CLASSBOOK_BENCH_MINUTES").ok().and_then(|m| m.parse().ok());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let started = Instant::now();
    let mut journal = Journal::open(&db).unwrap();
    journal.create_demo(&DemoConfig::default(), |_, _| {}).unwrap();
    drop(journal);
    println!("demo school created in {:.1} s", started.elapsed().as_secs_f64());
    let mut page = big_page(&db);
    // The demo's largest classes have 31 students; the target is a page of
    // 35 rows: the secretary enrols the missing ones by order from the
    // period's first day, as a school would.
    page.students += fill_to_35(&db, &page);
    println!(
        "page: {} by {}, {}: {} students × {} lessons",
        page.title, page.login, page.period.title, page.students, page.lessons
    );

    let display = Display::get();
    let cold = cold_starts(&display, &db, 5);
    println!("cold start to the login screen, 5 runs: {}", list(&cold));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let app = App::start(&display, &db, &[("CLASSBOOK_LOCK_SECONDS", "86400")]).await;
        app.login(&page.login, classbook_core::demo::DEMO_PASSWORD).await;
        app.find("#teacher-day").await;
        let memory_start = app_memory_kib();

        let mut opens = Vec::new();
        for _ in 0..10 {
            open_page(&app, &page, true).await;
            opens.push(last_timing(&app, "journal-painted", opens.len()).await);
        }
        println!("open {}×{} page, click to painted grid, 10 runs: {}", page.students, page.lessons, list(&opens));

        // Marks in the current period's page, one key at a time.
        open_page(&app, &page, false).await;
        to_row(&app, page.start_row).await;
        let (mut saved, mut shown) = (Vec::new(), Vec::new());
        for i in 0..30 {
            app.keys(["5", "4", "3"][i % 3]).await;
            saved.push(last_timing(&app, "entry-saved", saved.len()).await);
            shown.push(last_timing(&app, "entry-shown", shown.len()).await);
            next_row(&app, i).await;
        }
        println!("mark key to durably saved, 30 entries: {}", list(&saved));
        println!("mark key to the grid showing it, 30 entries: {}", list(&shown));

        let use_started = Instant::now();
        let mut entries = 0;
        for round in 0..rounds {
            open_page(&app, &page, true).await;
            open_page(&app, &page, false).await;
            to_row(&app, page.start_row).await;
            for i in 0..20 {
                let entry = match (round + i) % 5 {
                    0 => "н",
                    1 => "0",
                    _ => ["5", "4", "3"][i % 3],
                };
                app.keys(entry).await;
                entries += 1;
                last_timing(&app, "entry-shown", shown.len() + entries - 1).await;
                next_row(&app, i).await;
            }
            app.keys(key::F3).await;
            app.find("#history").await;
            app.keys(key::ESCAPE).await;
            app.click("#nav-day").await;
            app.find("#teacher-day").await;
            if let Some(minutes) = minutes {
                let due = Duration::from_secs(minutes * 60) * (round as u32 + 1) / rounds as u32;
                tokio::time::sleep(due.saturating_sub(use_started.elapsed())).await;
                let (pss, rss, _) = app_memory_kib();
                println!(
                    "memory after {:.0} min ({} rounds): PSS {} MB, RSS summed {} MB",
                    use_started.elapsed().as_secs_f64() / 60.0,
                    round + 1,
                    pss / 1024,
                    rss / 1024
                );
            }
        }
        let memory_end = app_memory_kib();
        println!(
            "use: {rounds} rounds, {} page opens, {entries} entries in {:.0} s",
            rounds * 2,
            use_started.elapsed().as_secs_f64()
        );
        for (when, (pss, rss, each)) in [("after login", memory_start), ("after the use", memory_end)] {
            println!("memory {when}: PSS {} MB, RSS summed {} MB — {each}", pss / 1024, rss / 1024);
        }
        app.stop().await;
    });
}

/// The taught page nearest to 70 lessons among pages of at least 30 students, in any period.
fn big_page(db: &Path) -> BigPage {
    let mut journal = Journal::open(db).unwrap();
    let day: NaiveDate = journal.setting("demo_today").unwrap().unwrap().parse().unwrap();
    journal.set_fixed_now(Some(Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap()))));
    let periods = journal.periods().unwrap();
    let password = classbook_core::demo::DEMO_PASSWORD;
    let logins: Vec<String> = {
        let accounts = journal.list_accounts().unwrap();
        accounts.into_iter().filter(|a| !a.must_change_password).map(|a| a.login).collect()
    };
    let today = journal.today().unwrap();
    let current = periods.iter().find(|p| p.starts_on <= today && today <= p.ends_on).expect("a period today").id;
    let mut best: Option<(usize, BigPage)> = None;
    for login in logins {
        let Ok(session) = journal.login(&login, password) else { continue };
        let pages: Vec<JournalRef> = journal.my_journals(&session).unwrap();
        for j in pages.iter().filter(|j| j.teaches && j.group_id.is_none()) {
            // Ten students in a row still in the class this period (marks go to them).
            let Ok(now) = journal.journal_page(&session, j.class_id, None, j.subject_id, current) else { continue };
            let active: Vec<bool> = now.students.iter().map(|s| s.left_on.is_none()).collect();
            let Some(start_row) = (0..active.len().saturating_sub(9)).find(|&r| active[r..r + 10].iter().all(|a| *a))
            else {
                continue;
            };
            for period in &periods {
                let Ok(page) = journal.journal_page(&session, j.class_id, None, j.subject_id, period.id) else {
                    continue;
                };
                let (students, lessons) = (page.students.len(), page.lessons.len());
                let distance = lessons.abs_diff(70) + 35usize.saturating_sub(students) * 10;
                if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                    let title = format!("{} · {}", j.class_name, j.subject_name);
                    let period = period.clone();
                    let big = BigPage {
                        login: login.clone(),
                        class_id: j.class_id,
                        title,
                        period,
                        students,
                        lessons,
                        start_row,
                    };
                    best = Some((distance, big));
                }
            }
        }
    }
    best.expect("the demo school has taught pages").1
}

/// Enrols new students into the page's class from its period's first day
/// until the page has 35 rows; returns how many.
fn fill_to_35(db: &Path, page: &BigPage) -> usize {
    let mut journal = Journal::open(db).unwrap();
    let day: NaiveDate = journal.setting("demo_today").unwrap().unwrap().parse().unwrap();
    journal.set_fixed_now(Some(Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(7, 0, 0).unwrap()))));
    let secretary = journal.list_accounts().unwrap().into_iter().find(|a| a.login == "secretary").unwrap();
    let session = journal.login(&secretary.login, classbook_core::demo::DEMO_PASSWORD).unwrap();
    let missing = 35usize.saturating_sub(page.students);
    let first_day = page.period.starts_on;
    for i in 0..missing {
        let student = classbook_core::NewStudent {
            surname: ["Яковлев", "Яшина", "Юдин", "Юрьева", "Ярцев"][i % 5].into(),
            first_name: "Илья".into(),
            patronymic: "Петрович".into(),
            birth_date: None,
            class_id: page.class_id,
            enrolled_on: first_day,
            order: classbook_core::Order { number: format!("{}-у", 90 + i), date: first_day },
        };
        journal.enrol_new_student(&session, student).unwrap();
    }
    missing
}

/// Spawns the release binary `runs` times and times each until it says the login screen is shown.
fn cold_starts(display: &Display, db: &Path, runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let mut child = Command::new(harness::app_binary())
                .env("DISPLAY", &display.name)
                .env("CLASSBOOK_DB", db)
                .env("CLASSBOOK_EXIT_WHEN_READY", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start classbook-desktop");
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
            let took = started.elapsed();
            assert!(line.contains("login screen shown"), "the app said «{line}»");
            child.wait().unwrap();
            took
        })
        .collect()
}

async fn to_row(app: &App, row: usize) {
    if row > 0 {
        app.keys(&key::DOWN.repeat(row)).await;
    }
}

/// Down the ten students from `start_row`, then back up to the first.
async fn next_row(app: &App, i: usize) {
    if i % 10 == 9 {
        app.keys(&key::UP.repeat(9)).await;
    } else {
        app.keys(key::DOWN).await;
    }
}

/// From the day screen to the page: the journal list, the period, the page.
async fn open_page(app: &App, page: &BigPage, in_its_period: bool) {
    app.click("#nav-journals").await;
    if in_its_period {
        let label = if page.period.closed {
            format!("{} (закрыт)", page.period.title)
        } else {
            page.period.title.clone()
        };
        // The list loads its periods after it is shown: wait for the option.
        app.find(&format!("#period option[value=\"{}\"]", page.period.id)).await;
        app.find("#period").await.select_by_label(&label).await.unwrap();
    }
    app.click(&format!("button.journal[data-title=\"{}\"]", page.title)).await;
    app.find("#journal-grid").await;
}

/// Waits for the window's `count + 1`-th timing named `name` and returns it.
async fn last_timing(app: &App, name: &str, count: usize) -> Duration {
    let started = Instant::now();
    loop {
        let timings = app.client.execute("return window.__classbookTimings || []", vec![]).await.unwrap();
        let found: Vec<f64> = timings
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["name"] == name)
            .map(|t| t["ms"].as_f64().unwrap())
            .collect();
        if found.len() > count {
            return Duration::from_secs_f64(found[count] / 1000.0);
        }
        assert!(started.elapsed() < harness::TIMEOUT, "no timing «{name}» № {} from the window", count + 1);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Memory of the app process and all its descendants (WebKit's web and
/// network processes), in KiB: (proportional set size, resident set size,
/// one line per process). The three processes map the same WebKit libraries,
/// so the plain sum of their RSS counts those pages up to three times; the
/// PSS divides each shared page among the processes that map it.
fn app_memory_kib() -> (u64, u64, String) {
    let mut parent = std::collections::HashMap::new();
    let mut names = std::collections::HashMap::new();
    let mut apps = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else { continue };
        let field = |name: &str| {
            status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).map(str::to_owned)
        };
        let name = field("Name:").unwrap_or_default();
        if name == "classbook-deskt" {
            apps.push(pid);
        }
        parent.insert(pid, field("PPid:").and_then(|p| p.parse::<u32>().ok()).unwrap_or(0));
        names.insert(pid, name);
    }
    let descends_from = |ancestor: u32, mut pid: u32| {
        while pid > 1 {
            if pid == ancestor {
                return true;
            }
            pid = parent.get(&pid).copied().unwrap_or(0);
        }
        false
    };
    // The app this benchmark started (through tauri-driver), not another one running.
    let me = std::process::id();
    let app = apps.into_iter().find(|&pid| descends_from(me, pid)).expect("the classbook-desktop process");
    let descends = |pid: u32| descends_from(app, pid);
    let (mut pss, mut rss, mut lines) = (0, 0, Vec::new());
    for (pid, name) in names.iter().filter(|(pid, _)| descends(**pid)) {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let kib = |key: &str| -> u64 {
            rollup
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
                .unwrap_or(0)
        };
        let (p, r) = (kib("Pss:"), kib("Rss:"));
        pss += p;
        rss += r;
        lines.push(format!(
            "{name} PSS {} MB, RSS {} MB (anonymous {} MB)",
            p / 1024,
            r / 1024,
            kib("Pss_Anon:") / 1024
        ));
    }
    lines.sort();
    (pss, rss, lines.join("; "))
}

/// «median 120 ms (min 110, max 150)».
fn list(samples: &[Duration]) -> String {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let median = ms[ms.len() / 2];
    format!("median {median:.1} ms (min {:.1}, max {:.1}; n = {})", ms[0], ms[ms.len() - 1], ms.len())
}
