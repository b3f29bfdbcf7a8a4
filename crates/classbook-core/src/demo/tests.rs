use super::*;
use chrono::{Datelike, NaiveDate};
use classbook_domain::model::{LessonStatus, Role};
use classbook_domain::rules::{Action, Actor, Area, LessonEntry, LessonFacts, Policy, check};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn fake_hash(password: &str) -> String {
    format!("test:{password}")
}

fn config(classes: usize, students: usize) -> DemoConfig {
    DemoConfig { classes, students, ..DemoConfig::default() }
}

fn local_date(op: &DemoOp) -> NaiveDate {
    (op.at + Duration::minutes(UTC_OFFSET_MINUTES)).date_naive()
}

fn str_field<'a>(fields: &'a BTreeMap<String, Value>, name: &str) -> &'a str {
    fields.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn uuid_field(fields: &BTreeMap<String, Value>, name: &str) -> Option<Uuid> {
    fields.get(name).and_then(Value::as_str).and_then(|s| s.parse().ok())
}

fn records(school: &DemoSchool, entity: Entity) -> impl Iterator<Item = (Uuid, &BTreeMap<String, Value>)> {
    school.ops.iter().filter_map(move |op| match &op.kind {
        OpKind::SaveRecord(r) if r.entity == entity => Some((r.id, &r.fields)),
        _ => None,
    })
}

fn counts(school: &DemoSchool) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for op in &school.ops {
        let name = match &op.kind {
            OpKind::SaveRecord(r) => format!("save_record:{}", r.entity.table()),
            kind => kind.name().to_string(),
        };
        *counts.entry(name).or_default() += 1;
    }
    counts
}

/// Structural checks every generated school must pass.
fn check_school(config: &DemoConfig, school: &DemoSchool) {
    // Ops are in time order, none after today, and every op writes known fields.
    assert!(school.ops.windows(2).all(|w| w[0].at <= w[1].at), "ops in time order");
    for op in &school.ops {
        assert!(local_date(op) <= config.today, "{op:?} after today");
        if let OpKind::SaveRecord(_) = op.kind {
            assert!(op.kind.effect().is_ok(), "{op:?}");
        }
    }

    // Calendar from the ops.
    let quarters: Vec<(NaiveDate, NaiveDate)> = records(school, Entity::Period)
        .filter(|(_, f)| str_field(f, "kind") == "quarter")
        .map(|(_, f)| (str_field(f, "starts_on").parse().unwrap(), str_field(f, "ends_on").parse().unwrap()))
        .collect();
    assert_eq!(quarters.len(), 4);
    let holidays: Vec<(NaiveDate, NaiveDate)> = records(school, Entity::Holiday)
        .map(|(_, f)| (str_field(f, "starts_on").parse().unwrap(), str_field(f, "ends_on").parse().unwrap()))
        .collect();
    let school_day = |d: NaiveDate| {
        d.weekday().num_days_from_monday() < 5
            && quarters.iter().any(|&(a, b)| a <= d && d <= b)
            && !holidays.iter().any(|&(a, b)| a <= d && d <= b)
    };

    let classes: HashMap<Uuid, (i64, bool)> = records(school, Entity::Class)
        .map(|(id, f)| (id, (f["grade"].as_i64().unwrap(), f["graded"].as_bool().unwrap())))
        .collect();
    assert_eq!(classes.len(), config.classes);
    for &(grade, graded) in classes.values() {
        assert!((1..=11).contains(&grade));
        assert_eq!(graded, grade != 1);
    }

    // Timetable: no teacher in two places at once.
    let mut slots = HashSet::new();
    for (_, f) in records(school, Entity::TimetableSlot) {
        let key = (uuid_field(f, "teacher_id").unwrap(), f["weekday"].as_i64().unwrap(), f["number"].as_i64().unwrap());
        assert!(slots.insert(key), "teacher double-booked in the timetable: {key:?}");
    }

    // Lessons: school days up to today, keepers never double-booked.
    let mut lessons: HashMap<Uuid, (NaiveDate, u8, Uuid, Uuid)> = HashMap::new();
    let mut substitute: HashMap<Uuid, Uuid> = HashMap::new();
    let mut cancelled: HashSet<Uuid> = HashSet::new();
    for op in &school.ops {
        match &op.kind {
            OpKind::ScheduleLesson(l) => {
                assert!(school_day(l.date), "lesson on {} is not a school day", l.date);
                assert!(l.date <= config.today);
                lessons.insert(l.lesson_id, (l.date, l.number, l.class_id, l.teacher_id));
            }
            OpKind::SetSubstitute(s) => {
                substitute.insert(s.lesson_id, s.substitute_id.unwrap());
            }
            OpKind::SetLessonStatus(s) => {
                assert_eq!(s.status, LessonStatus::Cancelled);
                cancelled.insert(s.lesson_id);
            }
            _ => {}
        }
    }
    let mut busy = HashSet::new();
    for (id, &(date, number, _, teacher)) in &lessons {
        if cancelled.contains(id) {
            continue;
        }
        let keeper = substitute.get(id).copied().unwrap_or(teacher);
        assert!(busy.insert((keeper, date, number)), "{keeper} double-booked on {date} lesson {number}");
    }

    // Grade 1: no marks, no homework, no finals.
    let first_grade: HashSet<Uuid> = classes.iter().filter(|(_, v)| v.0 == 1).map(|(k, _)| *k).collect();
    let in_first = |lesson: &Uuid| first_grade.contains(&lessons[lesson].2);
    for op in &school.ops {
        match &op.kind {
            OpKind::SetMark(m) => assert!(!in_first(&m.lesson_id), "mark in grade 1"),
            OpKind::SetHomework(h) => assert!(!in_first(&h.lesson_id), "homework in grade 1"),
            OpKind::SetLessonTopic(t) => assert!(lessons.contains_key(&t.lesson_id)),
            _ => {}
        }
    }

    // КТП hours match the curriculum.
    let mut ktp: HashMap<(Uuid, Uuid), i64> = HashMap::new();
    for (_, f) in records(school, Entity::KtpItem) {
        let page = uuid_field(f, "group_id").or(uuid_field(f, "class_id")).unwrap();
        *ktp.entry((page, uuid_field(f, "subject_id").unwrap())).or_default() += f["hours"].as_i64().unwrap();
    }
    let curriculum: HashMap<(Uuid, Uuid), i64> = records(school, Entity::Curriculum)
        .map(|(_, f)| {
            (
                (uuid_field(f, "class_id").unwrap(), uuid_field(f, "subject_id").unwrap()),
                f["hours_per_year"].as_i64().unwrap(),
            )
        })
        .collect();
    let group_class: HashMap<Uuid, Uuid> =
        records(school, Entity::StudyGroup).map(|(id, f)| (id, uuid_field(f, "class_id").unwrap())).collect();
    for ((page, subject), hours) in &ktp {
        let class = group_class.get(page).copied().unwrap_or(*page);
        assert_eq!(curriculum[&(class, *subject)], *hours, "КТП hours of {page}/{subject}");
    }

    // Accounts: every printed one exists, with the password it says.
    let logins: HashMap<Uuid, String> = school
        .ops
        .iter()
        .filter_map(|op| match &op.kind {
            OpKind::SaveAccount(a) => Some((a.account_id, a.login.clone())),
            _ => None,
        })
        .collect();
    for account in &school.accounts {
        assert_eq!(logins.get(&account.account_id), Some(&account.login), "{account:?}");
    }
    assert!(logins.contains_key(&school.admin_account));
    let distinct: HashSet<&String> = logins.values().collect();
    assert_eq!(distinct.len(), logins.len(), "logins are unique");
}

/// Replays every op through `rules::check` as the store would judge it at
/// the moment it was entered.
fn check_rules(school: &DemoSchool) {
    let mut actors: HashMap<Uuid, Actor> = HashMap::new();
    let mut parent_of: HashMap<Uuid, Uuid> = HashMap::new();
    for op in &school.ops {
        if let OpKind::SaveAccount(a) = &op.kind {
            actors.insert(
                a.account_id,
                Actor {
                    account_id: a.account_id,
                    roles: a.roles.clone(),
                    staff_id: a.staff_id,
                    student_id: a.student_id,
                    children: vec![],
                },
            );
            if let Some(p) = a.parent_id {
                parent_of.insert(p, a.account_id);
            }
        }
    }
    let policy = Policy::default();
    let mut class_info: HashMap<Uuid, (bool, Option<Uuid>)> = HashMap::new();
    let mut periods: HashMap<Uuid, (NaiveDate, NaiveDate, String)> = HashMap::new();
    let mut closed: HashSet<Uuid> = HashSet::new();
    let mut teaches: HashSet<(Uuid, Uuid)> = HashSet::new();
    let mut lessons: HashMap<Uuid, (NaiveDate, Uuid, Uuid, Uuid, Option<Uuid>)> = HashMap::new();
    let mut finals: HashSet<(Uuid, Uuid, Uuid)> = HashSet::new();
    let mut class_of_student: HashMap<Uuid, Uuid> = HashMap::new();
    let mut denied: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_denial: BTreeMap<String, String> = BTreeMap::new();
    for op in &school.ops {
        let actor = actors.get(&op.author).unwrap_or_else(|| panic!("unknown author of {op:?}"));
        let today = local_date(op);
        let quarter_of = |date: NaiveDate, periods: &HashMap<Uuid, (NaiveDate, NaiveDate, String)>| {
            periods.iter().find(|(_, (a, b, kind))| kind == "quarter" && *a <= date && date <= *b).map(|(id, _)| *id)
        };
        let facts = |lesson: Uuid| {
            let (date, class, _subject, teacher, substitute) = lessons[&lesson];
            let (graded, class_teacher_id) = class_info[&class];
            let period = quarter_of(date, &periods);
            LessonFacts {
                date,
                teacher_id: teacher,
                substitute_id: substitute,
                class_teacher_id,
                graded,
                period_closed: period.is_some_and(|p| closed.contains(&p)),
                cancelled: false,
            }
        };
        let final_set = |lesson: Uuid, student: Uuid| {
            let (date, _, subject, _, _) = lessons[&lesson];
            quarter_of(date, &periods).is_some_and(|p| finals.contains(&(student, subject, p)))
        };
        let action = match &op.kind {
            OpKind::SaveRecord(r) => {
                let own = r.entity == Entity::KtpItem && uuid_field(&r.fields, "teacher_id") == actor.staff_id;
                Action::EditReference { area: Area::of(r.entity), own }
            }
            OpKind::SaveAccount(_) | OpKind::SetPassword(_) => Action::ManageAccounts,
            OpKind::ScheduleLesson(_) | OpKind::SetSubstitute(_) | OpKind::SetLessonStatus(_) => Action::PlanLessons,
            OpKind::SetLessonTopic(t) => {
                Action::EnterLesson { entry: LessonEntry::Topic, lesson: facts(t.lesson_id), final_set: false }
            }
            OpKind::SetHomework(h) => {
                Action::EnterLesson { entry: LessonEntry::Homework, lesson: facts(h.lesson_id), final_set: false }
            }
            OpKind::SetIndividualHomework(h) => {
                Action::EnterLesson { entry: LessonEntry::Homework, lesson: facts(h.lesson_id), final_set: false }
            }
            OpKind::SetLessonComment(c) => {
                Action::EnterLesson { entry: LessonEntry::Comment, lesson: facts(c.lesson_id), final_set: false }
            }
            OpKind::SetMark(m) => Action::EnterLesson {
                entry: LessonEntry::Mark,
                lesson: facts(m.lesson_id),
                final_set: final_set(m.lesson_id, m.student_id),
            },
            OpKind::DeleteMark(m) => Action::EnterLesson {
                entry: LessonEntry::Mark,
                lesson: facts(m.lesson_id),
                final_set: final_set(m.lesson_id, m.student_id),
            },
            OpKind::SetAttendance(a) => {
                Action::EnterLesson { entry: LessonEntry::Attendance, lesson: facts(a.lesson_id), final_set: false }
            }
            OpKind::SetAbsenceReason(a) => Action::CorrectAbsence { lesson: facts(a.lesson_id) },
            OpKind::SetFinalMark(f) => {
                let class = class_of_student[&f.student_id];
                Action::SetFinal {
                    teaches_subject: actor.staff_id.is_some_and(|s| teaches.contains(&(s, f.subject_id))),
                    graded: class_info[&class].0,
                    period_closed: closed.contains(&f.period_id),
                }
            }
            OpKind::ClosePeriod(_) => Action::ClosePeriod,
            OpKind::RecordMovement(_) => Action::RecordMovement,
            OpKind::SetConsent(_) => Action::EditReference { area: Area::Contingent, own: false },
            OpKind::VoidOps(_) => Action::VoidOps,
        };
        if let Err(e) = check(actor, &action, today, policy) {
            *denied.entry(format!("{}:{}", op.kind.name(), e.code)).or_default() += 1;
            first_denial.entry(format!("{}:{}", op.kind.name(), e.code)).or_insert_with(|| format!("{op:?}"));
        }
        // Apply what the later checks depend on.
        match &op.kind {
            OpKind::SaveRecord(r) if r.entity == Entity::Class => {
                class_info
                    .insert(r.id, (r.fields["graded"].as_bool().unwrap(), uuid_field(&r.fields, "class_teacher_id")));
            }
            OpKind::SaveRecord(r) if r.entity == Entity::Period => {
                periods.insert(
                    r.id,
                    (
                        str_field(&r.fields, "starts_on").parse().unwrap(),
                        str_field(&r.fields, "ends_on").parse().unwrap(),
                        str_field(&r.fields, "kind").to_string(),
                    ),
                );
            }
            OpKind::SaveRecord(r) if r.entity == Entity::Assignment => {
                teaches.insert((
                    uuid_field(&r.fields, "teacher_id").unwrap(),
                    uuid_field(&r.fields, "subject_id").unwrap(),
                ));
            }
            OpKind::ScheduleLesson(l) => {
                lessons.insert(l.lesson_id, (l.date, l.class_id, l.subject_id, l.teacher_id, None));
            }
            OpKind::SetSubstitute(s) => {
                lessons.get_mut(&s.lesson_id).unwrap().4 = s.substitute_id;
            }
            OpKind::SetFinalMark(f) => {
                finals.insert((f.student_id, f.subject_id, f.period_id));
            }
            OpKind::ClosePeriod(c) => {
                closed.insert(c.period_id);
            }
            OpKind::RecordMovement(m) if m.kind.places_in_class() => {
                class_of_student.insert(m.student_id, m.class_id.unwrap());
            }
            _ => {}
        }
    }
    assert!(denied.is_empty(), "denied: {denied:?}\nfirst: {first_denial:#?}");
    let _ = parent_of;
}

#[test]
fn default_school() {
    let config = DemoConfig::default();
    assert_eq!(config.today, NaiveDate::from_ymd_opt(2026, 5, 26).unwrap());
    let started = std::time::Instant::now();
    let school = generate(&config, &fake_hash);
    let elapsed = started.elapsed();
    let counts = counts(&school);
    eprintln!("default demo school: {} ops in {elapsed:?}", school.ops.len());
    for (kind, n) in &counts {
        eprintln!("  {kind:36} {n:>8}");
    }
    for a in &school.accounts {
        eprintln!("  {:12} {:10} {} — {}", a.login, a.password, a.name, a.role);
    }
    check_school(&config, &school);
    assert_eq!(counts["save_record:student"], 800);
    assert!((300_000..=460_000).contains(&school.ops.len()), "{}", school.ops.len());
    let staff = counts["save_record:staff"];
    assert!(staff >= 20 + 4, "{staff}");
    // Every kind of entry the reports look for is there.
    for kind in [
        "set_mark",
        "delete_mark",
        "set_attendance",
        "set_absence_reason",
        "set_final_mark",
        "close_period",
        "set_substitute",
        "set_lesson_status",
        "set_individual_homework",
        "set_homework",
        "set_lesson_topic",
        "record_movement",
        "set_consent",
    ] {
        assert!(counts.get(kind).copied().unwrap_or(0) > 0, "no {kind}");
    }
    // Movements: withdrawals, transfers and arrivals during the year.
    let mut kinds = BTreeMap::new();
    for op in &school.ops {
        if let OpKind::RecordMovement(m) = &op.kind {
            *kinds.entry(format!("{:?}", m.kind)).or_insert(0) += 1;
        }
    }
    assert!(kinds["Withdraw"] >= 10 && kinds["Transfer"] >= 4, "{kinds:?}");
    // Three quarters closed, their finals set, some special values among them.
    let finals: Vec<&str> = school
        .ops
        .iter()
        .filter_map(|op| match &op.kind {
            OpKind::SetFinalMark(f) => f.value.as_deref(),
            _ => None,
        })
        .collect();
    for value in ["5", "4", "3", "осв", "н/а", "зач"] {
        assert!(finals.contains(&value), "no final «{value}»");
    }
    assert_eq!(counts["close_period"], 3);
    // Marks: mostly fours and fives, some threes, few twos.
    let mut values: BTreeMap<String, usize> = BTreeMap::new();
    for op in &school.ops {
        if let OpKind::SetMark(m) = &op.kind {
            *values.entry(m.value.clone()).or_default() += 1;
        }
    }
    eprintln!("  mark values: {values:?}");
    let total: usize = ["2", "3", "4", "5"].iter().map(|v| values[*v]).sum();
    assert!(values["4"] + values["5"] > total / 2);
    assert!(values["2"] * 10 < total);
    let passwords: BTreeSet<&str> = school.accounts.iter().map(|a| a.password.as_str()).collect();
    assert_eq!(passwords, BTreeSet::from(["demo2025", "start2025"]));
    check_rules(&school);
}

#[test]
fn same_seed_same_school_and_another_seed_another() {
    let config = config(8, 180);
    let a = generate(&config, &fake_hash);
    let b = generate(&config, &fake_hash);
    assert_eq!(a.ops.len(), b.ops.len());
    assert!(a.ops == b.ops, "same seed, same ops");
    assert_eq!(a.accounts, b.accounts);
    let json = |s: &DemoSchool| serde_json::to_string(&s.ops.iter().map(|o| &o.kind).collect::<Vec<_>>()).unwrap();
    assert_eq!(json(&a), json(&b));
    let c = generate(&DemoConfig { seed: 8, ..config }, &fake_hash);
    assert_ne!(json(&a), json(&c), "another seed, another school");
}

#[test]
fn small_schools_work() {
    for (classes, students) in [(3, 60), (1, 12), (11, 100), (12, 0)] {
        let config = config(classes, students);
        let school = generate(&config, &fake_hash);
        check_school(&config, &school);
        check_rules(&school);
        let students_saved = records(&school, Entity::Student).count();
        assert_eq!(students_saved, students);
    }
    let three = generate(&config(3, 60), &fake_hash);
    let grades: BTreeSet<i64> = records(&three, Entity::Class).map(|(_, f)| f["grade"].as_i64().unwrap()).collect();
    assert_eq!(grades, BTreeSet::from([1, 6, 11]));
}

#[test]
fn early_today_and_mid_year() {
    for today in [(2025, 9, 3), (2025, 11, 20), (2026, 3, 24)] {
        let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
        let config = DemoConfig { classes: 6, students: 140, today, ..DemoConfig::default() };
        let school = generate(&config, &fake_hash);
        check_school(&config, &school);
        check_rules(&school);
    }
}

#[test]
fn after_the_year_finals_and_year_marks() {
    let today = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap();
    let config = DemoConfig { classes: 5, students: 120, today, ..DemoConfig::default() };
    let school = generate(&config, &fake_hash);
    check_school(&config, &school);
    check_rules(&school);
    let closes = school.ops.iter().filter(|op| matches!(op.kind, OpKind::ClosePeriod(_))).count();
    assert_eq!(closes, 5, "four quarters and the year");
}

#[test]
fn grades_spread_over_one_to_eleven() {
    let grades = school::class_grades(30);
    assert_eq!(grades.len(), 30);
    assert_eq!(grades.iter().copied().collect::<BTreeSet<_>>(), (1..=11).collect());
    let per_grade: Vec<usize> = (1..=11).map(|g| grades.iter().filter(|&&x| x == g).count()).collect();
    assert_eq!(per_grade, [3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2]);
    assert_eq!(school::class_grades(3), vec![1, 6, 11]);
    let _ = Role::Admin;
}
