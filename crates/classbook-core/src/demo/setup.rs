//! The school set up before 1 September, as the people responsible enter it:
//! the administrator (settings, calendar, reference data, staff, classes,
//! accounts, subgroups), the secretary (students, parents, the movement
//! book, consents), the deputy head (curriculum, teaching load, timetable)
//! and every teacher (their КТП). Movements during the year are entered on
//! their dates.

use super::names::Person;
use super::people::People;
use super::school::*;
use super::topics::{KtpTemplate, plan};
use super::{Clock, DemoAccount, Ids, Out, at, record};
use chrono::{Duration, NaiveDate};
use classbook_domain::entity::Entity;
use classbook_domain::ids::derived_id;
use classbook_domain::model::{ConsentStatus, MovementKind, PeriodKind, Role};
use classbook_domain::op::{OpKind, RecordMovement, SaveAccount, SetConsent, SetPassword};
use rand::Rng;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Ids and plans the journal needs.
pub(super) struct Refs {
    pub subject_ids: Vec<Uuid>,
    pub work_type_ids: Vec<Uuid>,
    /// Quarters 1–4, then the year.
    pub period_ids: [Uuid; 5],
    pub plans: Vec<Vec<KtpTemplate>>,
    pub unit_plan: Vec<usize>,
    pub ktp_ids: Vec<Vec<Uuid>>,
    pub admin_account: Uuid,
    pub deputy_account: Uuid,
    pub accounts: Vec<DemoAccount>,
}

pub const DEMO_PASSWORD: &str = "demo2025";
pub const START_PASSWORD: &str = "start2025";

fn s(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

fn date(d: NaiveDate) -> Value {
    Value::String(d.to_string())
}

fn uuid(id: Uuid) -> Value {
    Value::String(id.to_string())
}

fn opt_uuid(id: Option<Uuid>) -> Value {
    id.map(uuid).unwrap_or(Value::Null)
}

fn person_fields(p: &Person) -> Vec<(&'static str, Value)> {
    vec![("surname", s(&p.surname)), ("first_name", s(&p.first_name)), ("patronymic", s(&p.patronymic))]
}

/// The unit's class or subgroup id: the page its lessons and КТП belong to.
pub(super) fn page_id(school: &School, unit: &Unit) -> Uuid {
    match unit.group {
        Some(g) => school.groups[g].id,
        None => school.classes[unit.class].id,
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn emit(
    ids: &Ids,
    school: &School,
    people: &People,
    out: &mut Out,
    rng: &mut impl Rng,
    demo_hash: &str,
    start_hash: &str,
    inspector: &Person,
) -> Refs {
    let cal = &school.cal;
    let y = cal.year;
    let admin = school.staff[school.admin].account;
    let deputy = school.staff[school.deputy].account;
    let secretary = school.staff[school.secretary].account;

    // --- The administrator: settings, calendar and reference data.
    let mut clock = Clock::new(ymd(y, 8, 25), 9, 0, 20);
    let save = |out: &mut Out, clock: &mut Clock, entity: Entity, id: Uuid, fields: Vec<(&'static str, Value)>| {
        out.push(admin, clock.tick(), record(entity, id, fields));
    };
    // `demo_today` marks the journal as the demo school and says which day
    // its data ends on: the desktop app pins its clock there.
    let demo_today = cal.today.to_string();
    for (key, value) in [
        ("school_name", "МБОУ «Средняя общеобразовательная школа № 7»"),
        ("edit_window", "2w"),
        ("utc_offset_minutes", "180"),
        ("demo_today", demo_today.as_str()),
    ] {
        let id = classbook_domain::ids::named_id("setting", key);
        save(out, &mut clock, Entity::Setting, id, vec![("key", s(key)), ("value", s(value))]);
    }
    let year_id = ids.named("demo_academic_year", y);
    save(
        out,
        &mut clock,
        Entity::AcademicYear,
        year_id,
        vec![
            ("title", s(format!("{y}/{}", y + 1))),
            ("starts_on", date(cal.starts_on)),
            ("ends_on", date(cal.ends_on)),
        ],
    );
    let quarter = serde_json::to_value(PeriodKind::Quarter).expect("enum");
    let mut period_ids = [Uuid::nil(); 5];
    for (q, &(from, to)) in cal.quarters.iter().enumerate() {
        period_ids[q] = ids.named("demo_period", format_args!("{y}/q{}", q + 1));
        save(
            out,
            &mut clock,
            Entity::Period,
            period_ids[q],
            vec![
                ("year_id", uuid(year_id)),
                ("kind", quarter.clone()),
                ("number", json!(q + 1)),
                ("title", s(format!("{} четверть", q + 1))),
                ("starts_on", date(from)),
                ("ends_on", date(to)),
                ("closed", json!(false)),
            ],
        );
    }
    period_ids[4] = ids.named("demo_period", format_args!("{y}/year"));
    save(
        out,
        &mut clock,
        Entity::Period,
        period_ids[4],
        vec![
            ("year_id", uuid(year_id)),
            ("kind", serde_json::to_value(PeriodKind::Year).expect("enum")),
            ("number", json!(1)),
            ("title", s(format!("{y}/{} учебный год", y + 1))),
            ("starts_on", date(cal.starts_on)),
            ("ends_on", date(cal.ends_on)),
            ("closed", json!(false)),
        ],
    );
    for (i, h) in cal.holidays.iter().enumerate() {
        save(
            out,
            &mut clock,
            Entity::Holiday,
            ids.named("demo_holiday", format_args!("{y}/{i}")),
            vec![
                ("year_id", uuid(year_id)),
                ("kind", s(h.kind)),
                ("starts_on", date(h.from)),
                ("ends_on", date(h.to)),
                ("title", s(&h.title)),
            ],
        );
    }
    let subject_ids: Vec<Uuid> = (0..SUBJECTS.len()).map(|i| ids.named("demo_subject", i)).collect();
    for (i, def) in SUBJECTS.iter().enumerate() {
        save(
            out,
            &mut clock,
            Entity::Subject,
            subject_ids[i],
            vec![
                ("name", s(def.name)),
                ("short_name", s(def.short)),
                ("print_order", json!(i + 1)),
                ("federal", json!(true)),
            ],
        );
    }
    let work_type_ids: Vec<Uuid> = (0..WORK_TYPES.len()).map(|i| ids.named("demo_work_type", i)).collect();
    for (i, &(name, short, weight)) in WORK_TYPES.iter().enumerate() {
        save(
            out,
            &mut clock,
            Entity::WorkType,
            work_type_ids[i],
            vec![("name", s(name)), ("short_name", s(short)), ("weight", json!(weight))],
        );
    }
    for room in &school.rooms {
        save(out, &mut clock, Entity::Room, room.id, vec![("name", s(&room.name))]);
    }
    for (n, &(h, m)) in BELLS.iter().enumerate() {
        let end = (h * 60 + m) as i64 + LESSON_MINUTES;
        save(
            out,
            &mut clock,
            Entity::Bell,
            ids.named("demo_bell", n + 1),
            vec![
                ("schedule", s("основное")),
                ("number", json!(n + 1)),
                ("starts_at", s(format!("{h:02}:{m:02}"))),
                ("ends_at", s(format!("{:02}:{:02}", end / 60, end % 60))),
            ],
        );
    }
    for member in &school.staff {
        let mut fields = person_fields(&member.person);
        fields.push(("position", s(&member.position)));
        save(out, &mut clock, Entity::Staff, member.id, fields);
    }
    for class in &school.classes {
        save(
            out,
            &mut clock,
            Entity::Class,
            class.id,
            vec![
                ("year_id", uuid(year_id)),
                ("grade", json!(class.grade)),
                ("letter", s(class.letter.to_string())),
                ("class_teacher_id", uuid(school.staff[class.teacher].id)),
                ("graded", json!(class.graded)),
                ("shift", json!(1)),
            ],
        );
    }
    for group in &school.groups {
        save(
            out,
            &mut clock,
            Entity::StudyGroup,
            group.id,
            vec![
                ("class_id", uuid(school.classes[group.class].id)),
                ("subject_id", uuid(subject_ids[group.subject])),
                ("title", s(&group.title)),
                ("kind", s("subgroup")),
            ],
        );
    }

    // --- Accounts: every employee, the inspector, one student and one parent.
    let showcase = people.students.get(people.showcase);
    let showcase_class = &school.classes[showcase.map(|s| s.class).unwrap_or(0)];
    let must_change = school
        .teacher_ids()
        .filter(|&t| !school.classes.iter().any(|c| c.teacher == t))
        .max_by_key(|&t| (school.staff[t].person.male, std::cmp::Reverse(t)))
        .unwrap_or(school.staff.len() - 1);
    let account = |out: &mut Out,
                   clock: &mut Clock,
                   id: Uuid,
                   login: &str,
                   role: Role,
                   staff_id: Option<Uuid>,
                   student_id: Option<Uuid>,
                   parent_id: Option<Uuid>,
                   hash: &str,
                   must: bool| {
        out.push(
            admin,
            clock.tick(),
            OpKind::SaveAccount(SaveAccount {
                account_id: id,
                login: login.to_string(),
                roles: vec![role],
                staff_id,
                student_id,
                parent_id,
                blocked: false,
            }),
        );
        out.push(
            admin,
            clock.tick(),
            OpKind::SetPassword(SetPassword { account_id: id, password_hash: hash.to_string(), must_change: must }),
        );
    };
    // The administrator's own account comes first.
    let mut order: Vec<usize> = vec![school.admin];
    order.extend((0..school.staff.len()).filter(|&i| i != school.admin));
    for i in order {
        let m = &school.staff[i];
        account(out, &mut clock, m.account, &m.login, m.role, Some(m.id), None, None, demo_hash, false);
    }
    // One teacher forgot their password: late on `today` the
    // administrator issued a start password, to be changed at the next
    // login. (Given at the start, it would have barred the teacher's whole
    // year of entries: nobody works under a start password.)
    out.push(
        admin,
        super::at(cal.today, 23, 30),
        OpKind::SetPassword(SetPassword {
            account_id: school.staff[must_change].account,
            password_hash: start_hash.to_string(),
            must_change: true,
        }),
    );
    let inspector_account = ids.named("demo_account", "inspector");
    account(out, &mut clock, inspector_account, "inspector", Role::Inspector, None, None, None, demo_hash, false);
    let student_account = ids.named("demo_account", "student");
    let parent_account = ids.named("demo_account", "parent");
    let parent = showcase.and_then(|st| {
        st.parents
            .iter()
            .copied()
            .find(|&p| people.parents[p].relation == "мать")
            .or_else(|| st.parents.first().copied())
    });
    if let (Some(st), Some(p)) = (showcase, parent) {
        account(out, &mut clock, student_account, "student", Role::Student, None, Some(st.id), None, demo_hash, false);
        let parent_id = Some(people.parents[p].id);
        account(out, &mut clock, parent_account, "parent", Role::Parent, None, None, parent_id, demo_hash, false);
    }

    let mut accounts = Vec::new();
    let mut show = |member: usize, role: String, password: &str| {
        let m = &school.staff[member];
        accounts.push(DemoAccount {
            login: m.login.clone(),
            password: password.to_string(),
            role,
            name: m.person.full(),
            account_id: m.account,
        });
    };
    show(school.admin, "администратор".into(), DEMO_PASSWORD);
    show(school.director, "директор".into(), DEMO_PASSWORD);
    show(school.deputy, "завуч (зам. директора по УВР)".into(), DEMO_PASSWORD);
    show(school.secretary, "секретарь".into(), DEMO_PASSWORD);
    show(showcase_class.teacher, format!("учитель, кл. руководитель {}", showcase_class.name), DEMO_PASSWORD);
    if let Some(u) = school.units.iter().find(|u| {
        school.classes[u.class].id == showcase_class.id
            && matches!(u.subject, ALG | MATH)
            && u.teacher != showcase_class.teacher
    }) {
        show(u.teacher, format!("учитель математики в {}", showcase_class.name), DEMO_PASSWORD);
    }
    if let Some(c) = school.classes.iter().find(|c| c.grade == 1) {
        show(c.teacher, format!("учитель нач. классов, кл. рук. {}", c.name), DEMO_PASSWORD);
    }
    show(must_change, "учитель, сменит пароль при входе".into(), START_PASSWORD);
    accounts.push(DemoAccount {
        login: "inspector".into(),
        password: DEMO_PASSWORD.into(),
        role: "проверяющий".into(),
        name: inspector.full(),
        account_id: inspector_account,
    });
    if let (Some(st), Some(p)) = (showcase, parent) {
        let pupil = if st.person.male { "ученик" } else { "ученица" };
        accounts.push(DemoAccount {
            login: "student".into(),
            password: DEMO_PASSWORD.into(),
            role: format!("{pupil} {}", showcase_class.name),
            name: st.person.full(),
            account_id: student_account,
        });
        accounts.push(DemoAccount {
            login: "parent".into(),
            password: DEMO_PASSWORD.into(),
            role: format!(
                "родитель ({}) {} {}",
                people.parents[p].relation,
                if st.person.male { "ученика" } else { "ученицы" },
                showcase_class.name
            ),
            name: people.parents[p].person.full(),
            account_id: parent_account,
        });
    }

    // --- The secretary: students, parents, the movement book.
    let mut clock = Clock::new(ymd(y, 8, 26), 9, 0, 8);
    let mut parent_saved = vec![false; people.parents.len()];
    let enrol_student = |out: &mut Out, clock: &mut Clock, st: usize, parent_saved: &mut Vec<bool>| {
        let student = &people.students[st];
        let mut fields = person_fields(&student.person);
        fields.push(("birth_date", date(student.birth)));
        fields.push(("gender", s(if student.person.male { "м" } else { "ж" })));
        fields.push(("individual_plan", json!(student.individual_plan)));
        out.push(secretary, clock.tick(), record(Entity::Student, student.id, fields));
        for &p in &student.parents {
            let parent = &people.parents[p];
            if !parent_saved[p] {
                parent_saved[p] = true;
                let mut fields = person_fields(&parent.person);
                fields.push(("phone", s(&parent.phone)));
                fields.push(("email", parent.email.clone().map(Value::String).unwrap_or(Value::Null)));
                out.push(secretary, clock.tick(), record(Entity::Parent, parent.id, fields));
            }
            out.push(
                secretary,
                clock.tick(),
                record(
                    Entity::ParentLink,
                    derived_id("demo_parent_link", &[parent.id, student.id]),
                    vec![
                        ("parent_id", uuid(parent.id)),
                        ("student_id", uuid(student.id)),
                        ("relation", s(parent.relation)),
                        ("active", json!(true)),
                    ],
                ),
            );
        }
        let note = student.arrived.then(|| {
            format!(
                "Прибыл{} из МБОУ «СОШ № {}»",
                if student.person.male { "" } else { "а" },
                [3, 5, 12, 18, 24, 31][st % 6]
            )
        });
        out.push(
            secretary,
            clock.tick(),
            OpKind::RecordMovement(RecordMovement {
                movement_id: derived_id("demo_movement", &[student.id, Uuid::from_u128(0)]),
                student_id: student.id,
                kind: MovementKind::Enrol,
                class_id: Some(school.classes[student.class].id),
                date: student.enrol.date,
                order_number: student.enrol.number.clone(),
                order_date: student.enrol.order_date,
                note,
            }),
        );
    };
    for st in 0..people.students.len() {
        if !people.students[st].arrived {
            enrol_student(out, &mut clock, st, &mut parent_saved);
        }
    }
    // Arrivals, withdrawals and transfers on their dates.
    for st in 0..people.students.len() {
        let student = &people.students[st];
        if student.arrived {
            let mut c = Clock::new(student.enrol.order_date, 10, 0, 15);
            enrol_student(out, &mut c, st, &mut parent_saved);
        }
        if let Some(w) = &student.withdraw {
            let note = [
                "Выбыл(а) в связи со сменой места жительства",
                "Перевод в МБОУ «СОШ № 3»",
                "Перевод в МАОУ «Лицей № 1»",
                "Переход на семейное образование",
            ][st % 4];
            out.push(
                secretary,
                at(w.order_date, 11, 0) + Duration::seconds(st as i64 % 600),
                OpKind::RecordMovement(RecordMovement {
                    movement_id: derived_id("demo_movement", &[student.id, Uuid::from_u128(2)]),
                    student_id: student.id,
                    kind: MovementKind::Withdraw,
                    class_id: None,
                    date: w.date,
                    order_number: w.number.clone(),
                    order_date: w.order_date,
                    note: Some(note.to_string()),
                }),
            );
        }
        if let Some((t, to)) = &student.transfer {
            out.push(
                secretary,
                at(t.order_date, 11, 30) + Duration::seconds(st as i64 % 600),
                OpKind::RecordMovement(RecordMovement {
                    movement_id: derived_id("demo_movement", &[student.id, Uuid::from_u128(1)]),
                    student_id: student.id,
                    kind: MovementKind::Transfer,
                    class_id: Some(school.classes[*to].id),
                    date: t.date,
                    order_number: t.number.clone(),
                    order_date: t.order_date,
                    note: Some(format!(
                        "Перевод из {} в {} по заявлению родителей",
                        school.classes[student.class].name, school.classes[*to].name
                    )),
                }),
            );
        }
    }

    // --- Consents to personal-data processing.
    let consent_from = ymd(y, 8, 28);
    let consent = |out: &mut Out, rng: &mut dyn rand::RngCore, person: Uuid, day: NaiveDate, refuse: f64, none: f64| {
        let r: f64 = rng.random();
        if r < none {
            return;
        }
        let refused = r < none + refuse;
        let minute = rng.random_range(0..480);
        out.push(
            secretary,
            at(day, 9, 0) + Duration::minutes(minute),
            OpKind::SetConsent(SetConsent {
                person_id: person,
                status: if refused { ConsentStatus::Refused } else { ConsentStatus::Given },
                date: day,
                note: refused.then(|| "Отказ от электронного дневника: еженедельная выписка на бумаге".to_string()),
            }),
        );
    };
    for st in &people.students {
        let day = if st.arrived { st.enrol.order_date } else { consent_from + Duration::days(rng.random_range(0..14)) };
        consent(out, rng, st.id, day, 0.015, 0.02);
    }
    let mut first_child: Vec<Option<NaiveDate>> = vec![None; people.parents.len()];
    for st in &people.students {
        for &p in &st.parents {
            if first_child[p].is_none() {
                first_child[p] = Some(if st.arrived {
                    st.enrol.order_date
                } else {
                    consent_from + Duration::days(rng.random_range(0..14))
                });
            }
        }
    }
    for (p, parent) in people.parents.iter().enumerate() {
        consent(out, rng, parent.id, first_child[p].unwrap_or(consent_from), 0.03, 0.02);
    }
    for member in &school.staff {
        consent(out, rng, member.id, ymd(y, 8, 26), 0.0, 0.0);
    }

    // --- Subgroups (the administrator), after the students exist.
    let mut clock = Clock::new(ymd(y, 8, 28), 9, 0, 5);
    for &(g, st) in &people.initial_groups {
        let group = &school.groups[g];
        let student = people.students[st as usize].id;
        out.push(admin, clock.tick(), member(group.id, student, true));
    }
    for change in &people.group_changes {
        let group = &school.groups[change.group];
        let student = people.students[change.student as usize].id;
        let when = at(change.date, 8, 0) + Duration::seconds(change.student as i64 % 900);
        out.push(admin, when, member(group.id, student, change.active));
    }

    // --- The deputy head: curriculum, teaching load, timetable.
    let mut clock = Clock::new(ymd(y, 8, 27), 9, 0, 10);
    for class in &school.classes {
        for &(subject, weekly) in weekly_plan(class.grade) {
            let grading = if SUBJECTS[subject].pass_fail { "pass_fail" } else { "five" };
            out.push(
                deputy,
                clock.tick(),
                record(
                    Entity::Curriculum,
                    derived_id("demo_curriculum", &[class.id, subject_ids[subject]]),
                    vec![
                        ("class_id", uuid(class.id)),
                        ("subject_id", uuid(subject_ids[subject])),
                        ("hours_per_year", json!(hours_per_year(class.grade, weekly))),
                        ("grading", s(grading)),
                    ],
                ),
            );
        }
    }
    for unit in &school.units {
        let page = page_id(school, unit);
        out.push(
            deputy,
            clock.tick(),
            record(
                Entity::Assignment,
                derived_id("demo_assignment", &[page, subject_ids[unit.subject]]),
                vec![
                    ("class_id", uuid(school.classes[unit.class].id)),
                    ("group_id", opt_uuid(unit.group.map(|g| school.groups[g].id))),
                    ("subject_id", uuid(subject_ids[unit.subject])),
                    ("teacher_id", uuid(school.staff[unit.teacher].id)),
                    ("active", json!(true)),
                ],
            ),
        );
    }
    for class in &school.classes {
        for d in 0..5 {
            for n in 0..class.day_len[d] as usize {
                let Some(block) = class.grid[d][n] else { continue };
                for &u in &class.blocks[block] {
                    let unit = &school.units[u];
                    let page = page_id(school, unit);
                    let teacher = &school.staff[unit.teacher];
                    out.push(
                        deputy,
                        clock.tick(),
                        record(
                            Entity::TimetableSlot,
                            derived_id("demo_timetable_slot", &[page, Uuid::from_u128((d * 16 + n + 1) as u128)]),
                            vec![
                                ("class_id", uuid(class.id)),
                                ("group_id", opt_uuid(unit.group.map(|g| school.groups[g].id))),
                                ("subject_id", uuid(subject_ids[unit.subject])),
                                ("teacher_id", uuid(teacher.id)),
                                ("room_id", opt_uuid(teacher.room.map(|r| school.rooms[r].id))),
                                ("weekday", json!(d + 1)),
                                ("number", json!(n + 1)),
                                ("valid_from", date(cal.starts_on)),
                                ("valid_to", date(cal.ends_on)),
                            ],
                        ),
                    );
                }
            }
        }
    }

    // --- Teachers: their КТП (imported from Excel, so entered quickly).
    let mut plans: Vec<Vec<KtpTemplate>> = Vec::new();
    let mut plan_index: BTreeMap<(usize, u8, u32), usize> = BTreeMap::new();
    let mut unit_plan = Vec::with_capacity(school.units.len());
    let mut ktp_ids = Vec::with_capacity(school.units.len());
    let mut teacher_clock: BTreeMap<usize, Clock> = BTreeMap::new();
    for unit in &school.units {
        let grade = school.classes[unit.class].grade;
        let p = *plan_index.entry((unit.subject, grade, unit.hours)).or_insert_with(|| {
            plans.push(plan(unit.subject, grade, unit.hours as usize));
            plans.len() - 1
        });
        unit_plan.push(p);
        let page = page_id(school, unit);
        let subject = subject_ids[unit.subject];
        let teacher = &school.staff[unit.teacher];
        let clock = teacher_clock.entry(unit.teacher).or_insert_with(|| {
            let day = ymd(y, 8, 28) + Duration::days(rng.random_range(0..4));
            Clock::free(day, rng.random_range(10..20), rng.random_range(0..60), 2)
        });
        let mut items = Vec::with_capacity(plans[p].len());
        for (n, item) in plans[p].iter().enumerate() {
            let id = derived_id("demo_ktp_item", &[page, subject, Uuid::from_u128(n as u128 + 1)]);
            items.push(id);
            out.push(
                teacher.account,
                clock.tick(),
                record(
                    Entity::KtpItem,
                    id,
                    vec![
                        ("teacher_id", uuid(teacher.id)),
                        ("class_id", uuid(school.classes[unit.class].id)),
                        ("group_id", opt_uuid(unit.group.map(|g| school.groups[g].id))),
                        ("subject_id", uuid(subject)),
                        ("number", json!(n + 1)),
                        ("topic", s(&item.title)),
                        ("hours", json!(1)),
                    ],
                ),
            );
        }
        ktp_ids.push(items);
    }

    Refs {
        subject_ids,
        work_type_ids,
        period_ids,
        plans,
        unit_plan,
        ktp_ids,
        admin_account: admin,
        deputy_account: deputy,
        accounts,
    }
}

fn member(group: Uuid, student: Uuid, active: bool) -> OpKind {
    record(
        Entity::GroupMember,
        derived_id("demo_group_member", &[group, student]),
        vec![("group_id", uuid(group)), ("student_id", uuid(student)), ("active", json!(active))],
    )
}
