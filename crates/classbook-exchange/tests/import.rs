//! Import of real spreadsheet files into a real journal.

mod common;

use classbook_core::Order;
use classbook_exchange::{ExchangeError, ImportKind, ImportOptions, RowAction, apply_with, preview_with};
use common::{School, day, fixture};

fn order() -> ImportOptions {
    ImportOptions {
        order: Some(Order { number: "15-у".into(), date: day(2025, 8, 29) }),
        enrolled_on: Some(day(2025, 9, 1)),
    }
}

#[test]
fn good_students_xlsx_with_title_rows_merged_class_and_empty_rows() {
    let mut school = School::new();
    let admin = school.login("admin");
    let path = fixture("students_good.xlsx");
    let preview = preview_with(&school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(preview.header_row, 3);
    assert_eq!(preview.created, 5);
    assert_eq!(preview.empty_rows, 1);
    let records: Vec<&str> = preview.rows.iter().map(|r| r.record.as_str()).collect();
    assert_eq!(records[2], "Васильев Артём Сергеевич, 30.12.2013, 5А");
    assert_eq!(records[4], "Дмитриев Фёдор Олегович, 19.05.2014, 5Б");
    let report = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    assert_eq!((report.created, report.operations), (5, 10));
}

#[test]
fn the_same_students_from_ods_and_xls_read_alike() {
    let school = School::new();
    let mut school = school;
    let admin = school.login("admin");
    let from_xlsx =
        preview_with(&school.journal, &admin, ImportKind::Students, &fixture("students_good.xlsx"), &order()).unwrap();
    for name in ["students_good.ods", "students_good.xls", "students_text_serial.xlsx"] {
        let other = preview_with(&school.journal, &admin, ImportKind::Students, &fixture(name), &order()).unwrap();
        assert!(other.errors.is_empty(), "{name}: {:?}", other.errors);
        let a: Vec<&str> = from_xlsx.rows.iter().map(|r| r.record.as_str()).collect();
        let b: Vec<&str> = other.rows.iter().map(|r| r.record.as_str()).collect();
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn the_1904_date_system_is_honoured_for_cells_and_serials() {
    let mut school = School::new();
    let admin = school.login("admin");
    let preview =
        preview_with(&school.journal, &admin, ImportKind::Students, &fixture("students_1904.xlsx"), &order()).unwrap();
    let records: Vec<&str> = preview.rows.iter().map(|r| r.record.as_str()).collect();
    assert_eq!(records, ["Алексеева Дарья Игоревна, 12.03.2014, 5А", "Борисов Егор Андреевич, 01.07.2014, 5А"]);
}

#[test]
fn bad_rows_are_all_reported_in_russian_and_nothing_is_written() {
    let mut school = School::new();
    let admin = school.login("admin");
    let before = school.journal.digest().unwrap();
    let path = fixture("students_bad.xlsx");
    let preview = preview_with(&school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    let errors: Vec<String> = preview.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "строка 3, столбец “Дата рождения”: даты «31.02.2014» не бывает: в этом месяце нет 31-го числа — проверьте день и месяц",
            "строка 4, столбец “Имя”: не заполнено: укажите имя ученика",
            "строка 5, столбец “Класс”: класса «5Я» нет в журнале в текущем учебном году: исправьте название (например «5А») или сначала создайте класс на вкладке «Школа»",
            "строка 6: ученик Алексеева Дарья Игоревна, 12.03.2014, уже указан в строке 2: удалите повторную строку",
            "строка 7, столбец “Дата рождения”: «весной» — не дата: укажите дату как ДД.ММ.ГГГГ, например 01.09.2014",
            "строка 8, столбец “Дата рождения”: дата 01.01.2031 ещё не наступила: проверьте год рождения",
            "строка 8, столбец “Пол”: «x» — укажите «м» или «ж»",
        ]
    );
    let error = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &order()).unwrap_err();
    assert_eq!(error.code(), "row_errors");
    assert!(error.to_string().starts_with("В файле 7 ошибок — ничего не записано."), "{error}");
    assert_eq!(school.journal.digest().unwrap(), before);
}

#[test]
fn new_students_need_an_enrolment_order() {
    let mut school = School::new();
    let admin = school.login("admin");
    let preview = preview_with(
        &school.journal,
        &admin,
        ImportKind::Students,
        &fixture("students_good.xlsx"),
        &ImportOptions::default(),
    )
    .unwrap();
    let errors: Vec<String> = preview.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "строка 4, столбец “Номер приказа”: не указан приказ о зачислении (и ещё в 4 строках): добавьте столбцы «Номер приказа» и «Дата приказа» или укажите приказ при импорте"
        ]
    );
}

#[test]
fn reimporting_the_same_file_creates_no_duplicates() {
    let mut school = School::new();
    let admin = school.login("admin");
    let path = fixture("students_good.xlsx");
    apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    let students = school.journal.stats().unwrap().students;
    let digest = school.journal.digest().unwrap();
    let again = apply_with(&mut school.journal, &admin, ImportKind::Students, &path, &order()).unwrap();
    assert_eq!((again.created, again.unchanged, again.operations), (0, 5, 0));
    assert_eq!(school.journal.stats().unwrap().students, students);
    assert_eq!(school.journal.digest().unwrap(), digest);
    // The same people from the .xls of another office PC are the same people.
    let xls =
        preview_with(&school.journal, &admin, ImportKind::Students, &fixture("students_good.xls"), &order()).unwrap();
    assert!(xls.rows.iter().all(|r| r.action == RowAction::Unchanged));
}

#[test]
fn broken_files_say_what_to_do() {
    let mut school = School::new();
    let admin = school.login("admin");
    let err =
        |name: &str| preview_with(&school.journal, &admin, ImportKind::Students, &fixture(name), &order()).unwrap_err();
    let password = err("password.xlsx");
    assert_eq!(password.code(), "password_protected");
    assert!(password.to_string().contains("защищён паролем"), "{password}");
    let truncated = err("truncated.xlsx");
    assert_eq!(truncated.code(), "file_broken");
    assert!(truncated.to_string().contains("повреждён или это не таблица"), "{truncated}");
    assert_eq!(err("not_a_spreadsheet.xlsx").code(), "file_broken");
    assert_eq!(err("no_such_file.xlsx").code(), "file_unreadable");
    let headers = err("students_wrong_headers.xlsx");
    assert!(matches!(headers, ExchangeError::MissingColumns { .. }));
    assert_eq!(
        headers.to_string(),
        "В таблице (лист «Sheet», строка заголовков 1) нет обязательных столбцов: «Фамилия», «Имя», «Дата рождения». \
         Добавьте их или переименуйте существующие столбцы."
    );
}

#[test]
fn parents_link_to_students_by_birth_date_or_class() {
    let mut school = School::new();
    let admin = school.login("admin");
    apply_with(&mut school.journal, &admin, ImportKind::Students, &fixture("students_good.xlsx"), &order()).unwrap();
    let path = fixture("parents_good.xlsx");
    let report = apply_with(&mut school.journal, &admin, ImportKind::Parents, &path, &order()).unwrap();
    // The mother of two is one parent with two links.
    assert_eq!((report.created, report.updated), (2, 1));
    let links = school.journal.archive_tables(&admin).unwrap();
    let count = |name: &str| links.iter().find(|t| t.name == name).unwrap().rows.len();
    assert_eq!((count("parent"), count("parent_link")), (2, 3));
    let again = apply_with(&mut school.journal, &admin, ImportKind::Parents, &path, &order()).unwrap();
    assert_eq!((again.created, again.unchanged, again.operations), (0, 3, 0));

    let bad =
        preview_with(&school.journal, &admin, ImportKind::Parents, &fixture("parents_bad.xlsx"), &order()).unwrap();
    let errors: Vec<String> = bad.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "строка 2, столбец “Телефон”: «123» — не номер телефона: укажите 10–11 цифр, например +7 912 345-67-89",
            "строка 2, столбец “Эл. почта”: «not-an-email» — не адрес почты: укажите адрес вида name@example.ru",
            "строка 2, столбец “Ребёнок”: ученика «Неизвестный Ученик» с такой датой рождения или классом нет в журнале: проверьте ФИО, дату и класс или сначала импортируйте учащихся",
        ]
    );
}

#[test]
fn staff_from_xlsx_and_ods_match_by_name() {
    let mut school = School::new();
    let admin = school.login("admin");
    let report =
        apply_with(&mut school.journal, &admin, ImportKind::Staff, &fixture("staff_good.xlsx"), &order()).unwrap();
    // Петрова is already on staff with the same position.
    assert_eq!((report.created, report.unchanged), (2, 1));
    let ods = preview_with(&school.journal, &admin, ImportKind::Staff, &fixture("staff_good.ods"), &order()).unwrap();
    assert_eq!(ods.unchanged, 3);
    let dup =
        preview_with(&school.journal, &admin, ImportKind::Staff, &fixture("staff_duplicates.xlsx"), &order()).unwrap();
    let errors: Vec<String> = dup.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "строка 4: сотрудник смирнова Ольга викторовна уже указан в строке 2: удалите повторную строку",
            "строка 5, столбец “Должность”: не заполнено: укажите должность, например «учитель математики»",
        ]
    );
    assert_eq!(dup.empty_rows, 1);
}

#[test]
fn ktp_is_imported_by_the_deputy_and_checked_by_the_rules() {
    let mut school = School::new();
    let admin = school.login("admin");
    // The administrator keeps the structure; КТП is the deputy's or the teacher's (rules::check in core).
    let denied =
        apply_with(&mut school.journal, &admin, ImportKind::Ktp, &fixture("ktp_good.xlsx"), &order()).unwrap_err();
    assert_eq!(denied.code(), "forbidden", "{denied}");
    let zavuch = school.login("zavuch");
    let report =
        apply_with(&mut school.journal, &zavuch, ImportKind::Ktp, &fixture("ktp_good.xlsx"), &order()).unwrap();
    assert_eq!(report.created, 3);
    let plan = school.journal.ktp_plan(&zavuch, school.class_5a, None, school.math).unwrap();
    let topics: Vec<(u32, &str, Option<f64>)> = plan.iter().map(|k| (k.number, k.topic.as_str(), k.hours)).collect();
    assert_eq!(
        topics,
        [
            (1, "Натуральные числа и шкалы", Some(1.0)),
            (2, "Сложение натуральных чисел", Some(2.0)),
            (3, "Вычитание", Some(1.5))
        ]
    );
    let xls = apply_with(&mut school.journal, &zavuch, ImportKind::Ktp, &fixture("ktp_good.xls"), &order()).unwrap();
    assert_eq!(xls.created, 3);
    let again = apply_with(&mut school.journal, &zavuch, ImportKind::Ktp, &fixture("ktp_good.xlsx"), &order()).unwrap();
    assert_eq!(again.unchanged, 3);

    let bad = preview_with(&school.journal, &zavuch, ImportKind::Ktp, &fixture("ktp_bad.xlsx"), &order()).unwrap();
    let errors: Vec<String> = bad.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        errors,
        [
            "строка 3, столбец “№”: урок № 1 этого плана уже указан в строке 2: у каждого урока свой номер",
            "строка 4, столбец “Предмет”: предмета «Астрономия» нет в журнале: напишите его так, как он назван на вкладке «Школа» → «Предметы»",
            "строка 5, столбец “Часы”: «много» — не число: укажите число, например 2 или 1,5",
            "строка 5, столбец “Учитель”: сотрудника «Иванов И. И.» нет в журнале: проверьте ФИО или сначала импортируйте сотрудников",
            "строка 6, столбец “№”: не заполнено: укажите номер урока по порядку",
            "строка 6, столбец “Тема”: не заполнено: укажите тему урока",
        ]
    );
}
