//! Tauri's build step: embeds ui/dist and the capabilities. Listing the app's
//! commands makes each one need an explicit `allow-…` permission, so the
//! window can call only what capabilities/default.json grants.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "startup_status",
        "start_demo",
        "create_school",
        "ui_ready",
        "app_info",
        "login",
        "change_password",
        "logout",
        "today_lessons",
        "my_journals",
        "periods",
        "work_types",
        "journal_page",
        "set_mark",
        "delete_mark",
        "set_attendance",
        "set_topic",
        "set_homework",
        "cell_history",
        "lesson_history",
        "classes_led",
        "absence_register",
        "set_absence_reason",
        "set_final",
        "accounts",
        "reset_password",
        "close_period",
        "school_settings",
        "set_school_setting",
        "void_account_ops",
        "ktp_plan",
        "day_plan",
        "staff_list",
        "set_substitute",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build step");
}
