//! `classbook-desktop` — the Classbook desktop app: a Tauri window over the
//! journal file of this PC. The shell only opens the journal, keeps who is
//! logged in, and forwards the UI's commands to `classbook-core`.
//!
//! `classbook-desktop [--db PATH] [--demo]` (or `CLASSBOOK_DB=PATH`) opens
//! another journal file; with none it opens the app's default journal. When
//! the file does not exist yet, the window offers the demo school or a new
//! school; `--demo` creates the demo school without asking.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod archive;
mod backup;
mod commands;
mod desk;
mod error;
mod import;
mod print;
mod reports;
mod school;
mod sync;

use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// The allocator of every Classbook binary (see `classbook-cli`): applying
/// synced ops allocates many small strings, and glibc's malloc was a fifth
/// of that work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The journal file and whether to create the demo school in it without asking.
fn arguments() -> Result<(PathBuf, bool)> {
    let mut args = std::env::args_os().skip(1);
    let mut path = std::env::var_os("CLASSBOOK_DB").filter(|p| !p.is_empty()).map(PathBuf::from);
    let mut demo = false;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--db") => path = Some(args.next().context("после --db укажите путь к файлу журнала")?.into()),
            Some(text) if text.starts_with("--db=") => path = Some(text["--db=".len()..].into()),
            Some("--demo") => demo = true,
            _ => bail!("неизвестный аргумент {arg:?}: программа принимает только --db ПУТЬ и --demo"),
        }
    }
    let path = match path {
        Some(path) => desk::absolute(&path),
        None => desk::default_journal_path()
            .context("не удалось определить папку данных пользователя: укажите файл журнала в --db")?,
    };
    Ok((path, demo))
}

/// `CLASSBOOK_LOCK_SECONDS`: inactivity before the lock, for tests and kiosks.
fn lock_override() -> Result<Option<u64>> {
    match std::env::var("CLASSBOOK_LOCK_SECONDS") {
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(Some(seconds)),
            _ => bail!("CLASSBOOK_LOCK_SECONDS должно быть целым числом секунд больше нуля, а не «{text}»"),
        },
        Err(_) => Ok(None),
    }
}

/// `CLASSBOOK_SYNC_SECONDS`: seconds between sync rounds (default 60), for tests.
fn sync_interval() -> Result<Option<std::time::Duration>> {
    match std::env::var("CLASSBOOK_SYNC_SECONDS") {
        Ok(text) => match text.trim().parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(Some(std::time::Duration::from_secs(seconds))),
            _ => bail!("CLASSBOOK_SYNC_SECONDS должно быть целым числом секунд больше нуля, а не «{text}»"),
        },
        Err(_) => Ok(None),
    }
}

fn main() {
    // WebKitGTK paints a blank window with some GPU drivers (NVIDIA, some
    // Wayland set-ups) unless its DMA-BUF renderer is off.
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: nothing else runs yet; no other thread reads the environment.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
    let desk = match arguments()
        .and_then(|(path, demo)| Ok(desk::Desk::new(path, lock_override()?, demo, sync_interval()?)))
    {
        Ok(desk) => desk,
        Err(error) => {
            eprintln!("Ошибка: {error:#}");
            std::process::exit(2);
        }
    };
    desk.start();
    let link = desk.clone();
    let result = tauri::Builder::default()
        .manage(desk)
        .setup(move |app| {
            lighten_web_view(app);
            backup::start_scheduler(link.clone());
            sync::start(link);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup_status,
            commands::start_demo,
            commands::create_school,
            commands::ui_ready,
            commands::app_info,
            commands::login,
            commands::change_password,
            commands::logout,
            commands::still_here,
            commands::today_lessons,
            commands::my_journals,
            commands::periods,
            commands::work_types,
            commands::journal_page,
            commands::set_mark,
            commands::delete_mark,
            commands::set_attendance,
            commands::set_topic,
            commands::set_homework,
            commands::cell_history,
            commands::lesson_history,
            commands::classes_led,
            commands::absence_register,
            commands::set_absence_reason,
            commands::set_final,
            commands::accounts,
            commands::reset_password,
            commands::close_period,
            commands::school_settings,
            commands::set_school_settings,
            commands::deadlines,
            commands::set_deadlines,
            commands::void_account_ops,
            commands::ktp_plan,
            commands::day_plan,
            commands::staff_list,
            commands::set_substitute,
            school::school_structure,
            school::class_students,
            school::save_year,
            school::save_class,
            school::save_subject,
            school::save_staff,
            school::create_staff_account,
            school::save_group,
            school::save_assignment,
            school::save_slot,
            school::fill_lessons,
            school::set_lesson_status,
            school::enrol_new_student,
            school::withdraw_student,
            commands::sync_status,
            commands::sync_now,
            commands::register_device,
            commands::rejected_entries,
            print::print_classes,
            print::print_students,
            print::print_preview,
            print::print_save,
            reports::report_names,
            reports::report_run,
            reports::report_save,
            reports::dashboard,
            reports::report_teachers,
            backup::backup_view,
            backup::backup_set_passphrase,
            backup::backup_now,
            backup::backup_verify,
            backup::backup_restore,
            backup::backup_set_schedule,
            archive::archive_view,
            archive::archive_create,
            archive::archive_verify,
            archive::archive_register_save,
            import::import_preview,
            import::import_apply,
            import::documents_folder,
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Ошибка: не удалось запустить окно программы: {error}");
        std::process::exit(1);
    }
}

/// The window shows one local app, never a browsed site: WebKit's
/// «document viewer» cache model turns its memory and page caches off,
/// which the browser defaults size for many sites.
fn lighten_web_view(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
        let lightened = window.with_webview(|webview| {
            use webkit2gtk::{WebContextExt, WebViewExt};
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(webkit2gtk::CacheModel::DocumentViewer);
            }
        });
        if let Err(error) = lightened {
            eprintln!("Предупреждение: не удалось настроить кэш окна: {error}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}
