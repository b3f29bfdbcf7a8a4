//! The year day by day: lessons scheduled from the timetable, substitutions
//! and cancellations, and what teachers enter for each lesson — attendance
//! within minutes of the bell, topics from the КТП and homework in the
//! afternoon, marks (some days late, a few corrected or deleted), absence
//! reasons from class teachers, then period finals and closing.
//!
//! Every entry respects the rules the store enforces: the keeper of the
//! lesson (the substitute, if any) enters it; marks stay inside the edit
//! window and before the period's finals; nothing is entered after a period
//! is closed or after `today`.

use super::people::{Member, People, normal};
use super::school::*;
use super::setup::{Refs, page_id};
use super::topics::{ItemKind, homework};
use super::{Out, at};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use classbook_domain::grades::{forecast, min_marks_for_final, weekly_hours, weighted_average};
use classbook_domain::ids::derived_id_near;
use classbook_domain::model::{AttendanceCode, LessonStatus};
use classbook_domain::op::{
    ClosePeriod, DeleteMark, OpKind, ScheduleLesson, SetAbsenceReason, SetAttendance, SetFinalMark, SetHomework,
    SetIndividualHomework, SetLessonComment, SetLessonStatus, SetLessonTopic, SetMark, SetSubstitute,
};
use rand::Rng;
use rand::seq::IndexedRandom;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

const PRESENT: u8 = 0;
const ILL: u8 = 1;
const EXCUSED: u8 = 2;
const SKIP: u8 = 3;
const LATE: u8 = 4;
/// The teacher already knows why (the code is entered as «б»/«ну» at once).
const KNOWN: u8 = 8;
const NO_EPISODE: u32 = u32::MAX;

/// A spell of absence of one student: illness, an excused absence, truancy.
struct Episode {
    /// When the class teacher enters the reason, if ever.
    corrected: Option<NaiveDateTime>,
    code: AttendanceCode,
    reason: &'static str,
}

/// One mark as the finals see it.
struct MarkRec {
    student: u32,
    subject: u8,
    quarter: u8,
    /// 1–5, or `PASS` / `FAIL`.
    value: u8,
    weight: f32,
    deleted: bool,
}
const PASS: u8 = 10;
const FAIL: u8 = 11;

pub(super) struct Journal<'a, R: Rng> {
    school: &'a School,
    people: &'a People,
    refs: &'a Refs,
    out: &'a mut Out,
    rng: &'a mut R,
    /// Per student × school day: `ILL | KNOWN`, `SKIP | from << 4` …
    status: Vec<u8>,
    episode: Vec<u32>,
    episodes: Vec<Episode>,
    long_ill: Vec<[bool; 4]>,
    /// Per student × subject: a student's strength in the subject.
    subject_offset: Vec<f32>,
    ledger: Vec<MarkRec>,
    ktp_pos: Vec<usize>,
    /// Per student × subject: the quarter finals (−1 none, 0 «осв», 1–5, `PASS`).
    quarter_finals: Vec<[i8; 4]>,
    ndays: usize,
}

fn fit(normal: NaiveDateTime, wanted: NaiveDateTime, deadline: NaiveDateTime) -> Option<NaiveDateTime> {
    if wanted <= deadline {
        Some(wanted)
    } else if normal <= deadline {
        Some(normal)
    } else {
        None
    }
}

fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

impl<'a, R: Rng> Journal<'a, R> {
    pub fn new(school: &'a School, people: &'a People, refs: &'a Refs, out: &'a mut Out, rng: &'a mut R) -> Self {
        let ns = people.students.len();
        let ndays = school.cal.days.len();
        let mut journal = Journal {
            school,
            people,
            refs,
            out,
            rng,
            status: vec![PRESENT; ns * ndays],
            episode: vec![NO_EPISODE; ns * ndays],
            episodes: Vec::new(),
            long_ill: vec![[false; 4]; ns],
            subject_offset: Vec::with_capacity(ns * SUBJECTS.len()),
            ledger: Vec::with_capacity(ns * ndays * 2),
            ktp_pos: vec![0; school.units.len()],
            quarter_finals: vec![[-1; 4]; ns * SUBJECTS.len()],
            ndays,
        };
        for _ in 0..ns * SUBJECTS.len() {
            let offset = normal(journal.rng, 0.0, 0.3) as f32;
            journal.subject_offset.push(offset);
        }
        journal.plan_attendance();
        journal
    }

    fn cal(&self) -> &'a Calendar {
        &self.school.cal
    }

    fn today_end(&self) -> NaiveDateTime {
        at(self.cal().today, 23, 59)
    }

    /// Finals are set for a quarter that ended before today.
    fn finalized(&self, q: usize) -> bool {
        self.cal().quarters[q].1 < self.cal().today
    }

    /// Marks of quarter `q` must be in before its finals are set.
    fn mark_deadline(&self, q: usize) -> NaiveDateTime {
        if self.finalized(q) { at(self.cal().last_school_day(q), 17, 30) } else { self.today_end() }
    }

    fn close_at(&self, q: usize) -> Option<NaiveDateTime> {
        let end = if q < 4 { self.cal().quarters[q].1 } else { self.cal().ends_on };
        let when = at(end + Duration::days(3), 10, 0);
        let finals = if q < 4 { self.finalized(q) } else { self.finalized(3) };
        (finals && when.date() <= self.cal().today).then_some(when)
    }

    /// Anything else about a lesson of quarter `q` must be in before it is closed.
    fn other_deadline(&self, q: usize) -> NaiveDateTime {
        match self.close_at(q) {
            Some(t) => (t - Duration::hours(1)).min(self.today_end()),
            None => self.today_end(),
        }
    }

    /// Illness, excused absences, truancy and lateness of every student.
    fn plan_attendance(&mut self) {
        let nd = self.ndays;
        let school = self.school;
        let people = self.people;
        let days = &school.cal.days;
        const ILL_DAYS: [usize; 14] = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10];
        const ILL_REASONS: [&str; 3] =
            ["Справка из детской поликлиники", "Медицинская справка (ОРВИ)", "Справка врача"];
        const EXCUSED_REASONS: [&str; 4] = [
            "Заявление родителей (семейные обстоятельства)",
            "Участие в олимпиаде",
            "Участие в спортивных соревнованиях",
            "Приказ директора: участие в конкурсе",
        ];
        let after = |d: usize| if d + 1 < nd { days[d + 1] } else { days[d] + Duration::days(1) };
        for s in 0..people.students.len() {
            let frailty = people.students[s].frailty;
            let long_start = (nd > 30 && self.rng.random_bool(0.01)).then(|| self.rng.random_range(0..nd - 15));
            let base = s * nd;
            let mut d = 0;
            while d < nd {
                let r: f64 = self.rng.random();
                let p_ill = 0.0095 * frailty;
                if Some(d) == long_start || r < p_ill {
                    let len = if Some(d) == long_start {
                        self.rng.random_range(10..=15)
                    } else {
                        *ILL_DAYS.choose(self.rng).unwrap()
                    };
                    let len = len.min(nd - d);
                    let last = d + len - 1;
                    let corrected = self.rng.random_bool(0.85).then(|| {
                        at(after(last), 13, 0)
                            + minutes(self.rng.random_range(0..240))
                            + Duration::days(i64::from(self.rng.random_bool(0.3)))
                    });
                    let e = self.episodes.len() as u32;
                    self.episodes.push(Episode {
                        corrected,
                        code: AttendanceCode::Ill,
                        reason: ILL_REASONS.choose(self.rng).unwrap(),
                    });
                    if len >= 10
                        && let Some(q) = school.cal.quarter_of(days[d])
                    {
                        self.long_ill[s][q] = true;
                    }
                    for i in d..=last {
                        let known = i > d && self.rng.random_bool(0.5);
                        self.status[base + i] = ILL | if known { KNOWN } else { 0 };
                        self.episode[base + i] = e;
                    }
                    d = last + 1;
                    continue;
                }
                let r = r - p_ill;
                if r < 0.003 {
                    let len = if self.rng.random_bool(0.8) { 1 } else { 2 }.min(nd - d);
                    let known = self.rng.random_bool(0.5);
                    let corrected = self.rng.random_bool(0.9).then(|| {
                        let day = if self.rng.random_bool(0.5) { days[d] } else { after(d) };
                        at(day, 15, 30) + minutes(self.rng.random_range(0..150))
                    });
                    let e = self.episodes.len() as u32;
                    self.episodes.push(Episode {
                        corrected,
                        code: AttendanceCode::Excused,
                        reason: EXCUSED_REASONS.choose(self.rng).unwrap(),
                    });
                    for i in d..d + len {
                        self.status[base + i] = EXCUSED | if known { KNOWN } else { 0 };
                        self.episode[base + i] = e;
                    }
                    d += len;
                    continue;
                }
                let r = r - 0.003;
                if r < 0.004 {
                    let from = self.rng.random_range(3..=6u8);
                    self.status[base + d] = SKIP | (from << 4);
                    if self.rng.random_bool(0.2) {
                        let e = self.episodes.len() as u32;
                        self.episodes.push(Episode {
                            corrected: Some(at(after(d), 14, 0) + minutes(self.rng.random_range(0..120))),
                            code: AttendanceCode::Excused,
                            reason: "Посещение врача (талон)",
                        });
                        self.episode[base + d] = e;
                    }
                } else if r < 0.004 + 0.006 {
                    self.status[base + d] = LATE;
                }
                d += 1;
            }
        }
    }

    /// The code a teacher enters for a student at lesson `number` (1-based).
    fn code(&self, student: u32, day: usize, number: u8) -> Option<AttendanceCode> {
        let st = self.status[student as usize * self.ndays + day];
        let known = st & KNOWN != 0;
        match st & 7 {
            ILL => Some(if known { AttendanceCode::Ill } else { AttendanceCode::Absent }),
            EXCUSED => Some(if known { AttendanceCode::Excused } else { AttendanceCode::Absent }),
            SKIP => (number >= st >> 4).then_some(AttendanceCode::Absent),
            LATE => (number == 1).then_some(AttendanceCode::Late),
            _ => None,
        }
    }

    fn members(&self, unit: &Unit) -> &'a [Member] {
        match unit.group {
            Some(g) => &self.people.group_members[g],
            None => &self.people.class_members[unit.class],
        }
    }

    pub fn run(&mut self) {
        let school = self.school;
        let cal = self.cal();
        let deputy = self.refs.deputy_account;
        let nd = self.ndays;
        if nd == 0 {
            return;
        }
        // Teachers away: a few spells a month, one to three days each.
        let mut absent: Vec<Vec<usize>> = vec![Vec::new(); nd];
        let teachers: Vec<usize> = school.teacher_ids().collect();
        let mut d = 0;
        while d < nd {
            let month = (cal.days[d].year(), cal.days[d].month());
            let mut end = d;
            while end < nd && (cal.days[end].year(), cal.days[end].month()) == month {
                end += 1;
            }
            for _ in 0..self.rng.random_range(3..=5) {
                let t = *teachers.choose(self.rng).expect("teachers");
                let start = self.rng.random_range(d..end);
                for day in absent.iter_mut().skip(start).take(self.rng.random_range(1..=3)) {
                    if !day.contains(&t) {
                        day.push(t);
                    }
                }
            }
            d = end;
        }
        // A couple of lessons cancelled for school events.
        let mut cancelled: BTreeSet<(usize, usize)> = BTreeSet::new();
        for _ in 0..3 {
            cancelled.insert((self.rng.random_range(0..nd), self.rng.random_range(0..school.classes.len())));
        }

        let mut week: Option<NaiveDate> = None;
        let mut scheduled = 0i64;
        for (di, &date) in cal.days.iter().enumerate() {
            let w = date.weekday().num_days_from_monday() as usize;
            let q = cal.quarter_of(date).expect("school days lie in quarters");
            let monday = date - Duration::days(w as i64);
            if week != Some(monday) {
                week = Some(monday);
                scheduled = 0;
            }
            let schedule_at = at(monday - Duration::days(3), 16, 0);
            let mut substituting = vec![0u8; school.staff.len()];
            let mut morning = 0i64;
            for (ci, class) in school.classes.iter().enumerate() {
                let len = class.day_len[w] as usize;
                for n in 0..len {
                    let Some(block) = class.grid[w][n] else { continue };
                    for &u in &class.blocks[block] {
                        let unit = &school.units[u];
                        let subject = self.refs.subject_ids[unit.subject];
                        let teacher = &school.staff[unit.teacher];
                        let lesson_id = ScheduleLesson::natural_id(page_id(school, unit), subject, date, (n + 1) as u8);
                        self.out.push(
                            deputy,
                            schedule_at + Duration::milliseconds(scheduled * 300),
                            OpKind::ScheduleLesson(ScheduleLesson {
                                lesson_id,
                                date,
                                number: (n + 1) as u8,
                                class_id: class.id,
                                group_id: unit.group.map(|g| school.groups[g].id),
                                subject_id: subject,
                                teacher_id: teacher.id,
                                room_id: teacher.room.map(|r| school.rooms[r].id),
                            }),
                        );
                        scheduled += 1;
                        if cancelled.contains(&(di, ci)) && n + 1 == len {
                            let when = at(date - Duration::days(1), 14, 0) + Duration::seconds(morning);
                            morning += 20;
                            self.cancel(deputy, when, lesson_id);
                            continue;
                        }
                        let mut keeper = unit.teacher;
                        if absent[di].contains(&unit.teacher) {
                            let when = at(date, 7, 40) + Duration::seconds(morning);
                            morning += 15;
                            match self.substitute(unit.teacher, w, n, &absent[di], &substituting) {
                                Some(t) => {
                                    substituting[t] |= 1 << n;
                                    keeper = t;
                                    self.out.push(
                                        deputy,
                                        when,
                                        OpKind::SetSubstitute(SetSubstitute {
                                            lesson_id,
                                            substitute_id: Some(school.staff[t].id),
                                        }),
                                    );
                                }
                                None => {
                                    self.cancel(deputy, when, lesson_id);
                                    continue;
                                }
                            }
                        }
                        self.entries(di, date, q, u, n, lesson_id, keeper);
                    }
                }
            }
            if date == cal.last_school_day(q) && self.finalized(q) {
                self.finals(q);
                if let Some(when) = self.close_at(q) {
                    self.close(when, q);
                }
                if q == 3
                    && let Some(when) = self.close_at(4)
                {
                    self.close(when, 4);
                }
            }
        }
    }

    fn cancel(&mut self, deputy: Uuid, when: NaiveDateTime, lesson_id: Uuid) {
        self.out.push(
            deputy,
            when,
            OpKind::SetLessonStatus(SetLessonStatus { lesson_id, status: LessonStatus::Cancelled, moved_to: None }),
        );
    }

    fn close(&mut self, when: NaiveDateTime, period: usize) {
        let admin = self.refs.admin_account;
        self.out.push(
            admin,
            when,
            OpKind::ClosePeriod(ClosePeriod { period_id: self.refs.period_ids[period], closed: true }),
        );
    }

    /// A free teacher for lesson `n` on weekday `w`, of the same speciality if possible.
    fn substitute(&mut self, teacher: usize, w: usize, n: usize, absent: &[usize], used: &[u8]) -> Option<usize> {
        let school = self.school;
        let spec = school.staff[teacher].spec;
        let mut tiers: [Vec<usize>; 3] = Default::default();
        for t in school.teacher_ids() {
            if absent.contains(&t) || school.busy[t] & bit(w, n) != 0 || used[t] & (1 << n) != 0 {
                continue;
            }
            let tier = if school.staff[t].spec == spec {
                0
            } else if school.staff[t].spec != Some(Spec::Primary) {
                1
            } else {
                2
            };
            tiers[tier].push(t);
        }
        tiers.iter().find(|t| !t.is_empty()).and_then(|t| t.choose(self.rng).copied())
    }

    #[allow(clippy::too_many_arguments)]
    fn entries(&mut self, di: usize, date: NaiveDate, q: usize, u: usize, n: usize, lesson_id: Uuid, keeper: usize) {
        let school = self.school;
        let people = self.people;
        let refs = self.refs;
        let unit = &school.units[u];
        let class = &school.classes[unit.class];
        let author = school.staff[keeper].account;
        let (h, m) = BELLS[n];
        let start = at(date, h, m);
        let end = start + minutes(LESSON_MINUTES);
        let window_end = at(date + Duration::days(14), 23, 59);
        let mark_deadline = self.mark_deadline(q).min(window_end);
        let other_deadline = self.other_deadline(q);
        let attendance_deadline = other_deadline.min(window_end);

        // Attendance: within minutes of the bell, sometimes after the lesson or days later.
        let normal_att = start + minutes(5);
        let r: f64 = self.rng.random();
        let wanted = if r < 0.9 {
            start + minutes(self.rng.random_range(2..=8))
        } else if r < 0.97 {
            end.max(at(date, 14, 0)) + minutes(self.rng.random_range(0..180))
        } else {
            at(date + Duration::days(self.rng.random_range(1..=3)), 15, 0) + minutes(self.rng.random_range(0..240))
        };
        let att_at = fit(normal_att, wanted, attendance_deadline);
        let class_teacher = school.staff[class.teacher].account;
        let members = self.members(unit);
        let mut present: Vec<u32> = Vec::with_capacity(members.len());
        let mut absent: Vec<u32> = Vec::new();
        let mut k = 0i64;
        for s in people.roster(members, date) {
            let code = self.code(s, di, (n + 1) as u8);
            match code {
                None | Some(AttendanceCode::Late) => present.push(s),
                Some(_) => absent.push(s),
            }
            let (Some(code), Some(t)) = (code, att_at) else { continue };
            let student_id = people.students[s as usize].id;
            let when = t + Duration::seconds(k * 7);
            k += 1;
            self.out.push(
                author,
                when,
                OpKind::SetAttendance(SetAttendance { lesson_id, student_id, code: Some(code) }),
            );
            let e = self.episode[s as usize * self.ndays + di];
            if e == NO_EPISODE {
                continue;
            }
            let episode = &self.episodes[e as usize];
            let Some(corrected) = episode.corrected else { continue };
            let corrected = corrected.max(when + minutes(10)) + Duration::seconds(n as i64 * 20);
            if corrected <= other_deadline {
                self.out.push(
                    class_teacher,
                    corrected,
                    OpKind::SetAbsenceReason(SetAbsenceReason {
                        lesson_id,
                        student_id,
                        code: episode.code,
                        reason: episode.reason.to_string(),
                    }),
                );
            }
        }

        // Topic from the КТП and homework, in the afternoon.
        let plan = &refs.plans[refs.unit_plan[u]];
        let pos = self.ktp_pos[u].min(plan.len().saturating_sub(1));
        self.ktp_pos[u] += 1;
        let Some(item) = plan.get(pos) else { return };
        let normal_topic = end.max(at(date, 15, 0)) + minutes(self.rng.random_range(0..60));
        let wanted = if self.rng.random_bool(0.96) {
            normal_topic
        } else {
            at(date + Duration::days(self.rng.random_range(1..=4)), 16, 0) + minutes(self.rng.random_range(0..180))
        };
        let Some(topic_at) = fit(normal_topic, wanted, other_deadline) else { return };
        self.out.push(
            author,
            topic_at,
            OpKind::SetLessonTopic(SetLessonTopic {
                lesson_id,
                topic: item.title.clone(),
                ktp_item_id: Some(refs.ktp_ids[u][pos]),
            }),
        );
        if self.rng.random_bool(0.003) {
            let comment = [
                "Урок проведён в компьютерном классе",
                "Урок-экскурсия в школьный музей",
                "Урок проведён в форме практикума",
                "Часть урока — подготовка к олимпиаде",
            ]
            .choose(self.rng)
            .unwrap()
            .to_string();
            self.out.push(
                author,
                topic_at + Duration::seconds(20),
                OpKind::SetLessonComment(SetLessonComment { lesson_id, comment }),
            );
        }
        if !class.graded {
            return;
        }
        if let Some(text) = homework(unit.subject, class.grade, item, self.rng) {
            self.out.push(
                author,
                topic_at + Duration::seconds(40),
                OpKind::SetHomework(SetHomework { lesson_id, text }),
            );
            if !present.is_empty() && self.rng.random_bool(0.004) {
                let s = *present.choose(self.rng).unwrap();
                let text = match self.rng.random_range(0..4) {
                    0 => format!("Карточка № {}", self.rng.random_range(1..30)),
                    1 => "Подготовить сообщение по теме урока".to_string(),
                    2 => "Выполнить работу над ошибками".to_string(),
                    _ => format!(
                        "Индивидуальное задание: № {}, {}",
                        self.rng.random_range(100..300),
                        self.rng.random_range(300..400)
                    ),
                };
                self.out.push(
                    author,
                    topic_at + Duration::seconds(60),
                    OpKind::SetIndividualHomework(SetIndividualHomework {
                        lesson_id,
                        student_id: people.students[s as usize].id,
                        text,
                    }),
                );
            }
        }

        // Marks.
        let ctx = MarkCtx { lesson_id, author, date, q, subject: unit.subject, deadline: mark_deadline };
        let exempt = |s: u32| unit.subject == PE && people.students[s as usize].pe_exempt;
        let mut cells: Vec<(u32, u8)> = Vec::new();
        let check = match item.kind {
            ItemKind::Control => Some(WT_CONTROL),
            ItemKind::Dictation => Some(WT_DICTATION),
            ItemKind::Essay => Some(WT_ESSAY),
            ItemKind::Test => Some(WT_TEST),
            _ => None,
        };
        if let Some(wt) = check {
            // Checked at home: marks come one to three days later (essays later still).
            let days = if wt == WT_ESSAY {
                if self.rng.random_bool(0.9) { self.rng.random_range(3..=7) } else { self.rng.random_range(8..=10) }
            } else {
                let r: f64 = self.rng.random();
                if r < 0.05 {
                    0
                } else if r < 0.9 {
                    self.rng.random_range(1..=3)
                } else {
                    self.rng.random_range(4..=6)
                }
            };
            let normal = end + minutes(120);
            let wanted = at(date + Duration::days(days), 16, 0) + minutes(self.rng.random_range(0..240));
            if let Some(base) = fit(normal, wanted, ctx.deadline) {
                for (i, &s) in present.iter().enumerate() {
                    if !exempt(s) {
                        self.mark(&ctx, s, wt, base + Duration::seconds(i as i64 * 15), &mut cells, None);
                    }
                }
                // Those who missed it write it later; the absence stays recorded.
                for (i, &s) in absent.iter().enumerate() {
                    if self.rng.random_bool(0.5) {
                        let later =
                            base + Duration::days(self.rng.random_range(3..=8)) + Duration::seconds(i as i64 * 15);
                        if later <= ctx.deadline {
                            let comment = Some("Работа написана позже".to_string());
                            self.mark(&ctx, s, wt, later, &mut cells, comment);
                        }
                    }
                }
            }
            return;
        }
        if matches!(item.kind, ItemKind::Lab | ItemKind::Practical) {
            let wt = if item.kind == ItemKind::Lab { WT_LAB } else { WT_PRACTICAL };
            let normal = end + minutes(self.rng.random_range(30..240));
            let wanted = if self.rng.random_bool(0.7) {
                normal
            } else {
                at(date + Duration::days(self.rng.random_range(1..=2)), 16, 0) + minutes(self.rng.random_range(0..180))
            };
            if let Some(base) = fit(normal, wanted, ctx.deadline) {
                for (i, &s) in present.iter().enumerate() {
                    if self.rng.random_bool(0.85) {
                        self.mark(&ctx, s, wt, base + Duration::seconds(i as i64 * 15), &mut cells, None);
                    }
                }
            }
            return;
        }
        // A regular lesson: answers at the board, sometimes a short independent
        // work or a homework check.
        let factor: f64 = match unit.weekly {
            1 => 2.2,
            2 => 1.45,
            _ => 1.0,
        };
        let p_oral: f64 = 0.075 * factor * if unit.subject == PE { 1.6 } else { 1.0 };
        let late = self.rng.random_bool(0.03);
        for &s in &present {
            if exempt(s) || !self.rng.random_bool(p_oral.min(0.6)) {
                continue;
            }
            let normal = if self.rng.random_bool(0.6) {
                start + minutes(self.rng.random_range(10..44))
            } else {
                end.max(at(date, 14, 30)) + minutes(self.rng.random_range(0..180))
            };
            let wanted = if late {
                at(date + Duration::days(self.rng.random_range(1..=5)), 15, 0) + minutes(self.rng.random_range(0..240))
            } else {
                normal
            };
            if let Some(t) = fit(normal, wanted, ctx.deadline) {
                self.mark(&ctx, s, WT_ORAL, t, &mut cells, None);
            }
        }
        if unit.subject == PE || SUBJECTS[unit.subject].pass_fail || item.kind == ItemKind::Review {
            return;
        }
        let r: f64 = self.rng.random();
        if r < 0.1 {
            let normal = end.max(at(date, 14, 0)) + minutes(self.rng.random_range(30..300));
            let wanted = if self.rng.random_bool(0.95) {
                normal
            } else {
                at(date + Duration::days(self.rng.random_range(1..=3)), 17, 0)
            };
            if let Some(base) = fit(normal, wanted, ctx.deadline) {
                for (i, &s) in present.iter().enumerate() {
                    if self.rng.random_bool(0.6) {
                        self.mark(&ctx, s, WT_SELF, base + Duration::seconds(i as i64 * 15), &mut cells, None);
                    }
                }
            }
        } else if r < 0.18 && !present.is_empty() {
            let count = self.rng.random_range(2..=5).min(present.len());
            let checked: Vec<u32> = present.choose_multiple(self.rng, count).copied().collect();
            for s in checked {
                let t = start + minutes(self.rng.random_range(5..20));
                if let Some(t) = fit(t, t, ctx.deadline) {
                    self.mark(&ctx, s, WT_HOMEWORK, t, &mut cells, None);
                }
            }
        }
    }

    /// Gives student `s` a mark of work type `wt` at `when`, and now and then
    /// corrects a typo, deletes a mistaken mark or replaces a «2» after a retake.
    fn mark(
        &mut self,
        ctx: &MarkCtx,
        s: u32,
        wt: usize,
        when: NaiveDateTime,
        cells: &mut Vec<(u32, u8)>,
        comment: Option<String>,
    ) {
        let people = self.people;
        let st = &people.students[s as usize];
        let k = match cells.iter_mut().find(|(x, _)| *x == s) {
            Some((_, k)) => {
                *k += 1;
                *k - 1
            }
            None => {
                cells.push((s, 1));
                0
            }
        };
        let mark_id = derived_id_near(ctx.lesson_id, "demo_mark", &[ctx.lesson_id, st.id, Uuid::from_u128(k as u128)]);
        let level = st.ability + self.subject_offset[s as usize * SUBJECTS.len() + ctx.subject] as f64;
        let pass_fail = SUBJECTS[ctx.subject].pass_fail;
        let delta = match wt {
            WT_CONTROL | WT_DICTATION => -0.2,
            WT_ESSAY | WT_TEST => -0.1,
            WT_HOMEWORK => 0.15,
            WT_ORAL => 0.05,
            _ => 0.0,
        };
        let raw = normal(self.rng, level + delta, 0.75);
        let value: u8 =
            if pass_fail { if raw > 2.9 { PASS } else { FAIL } } else { (raw.round() as i64).clamp(2, 5) as u8 };
        let text = |v: u8| match v {
            PASS => "зач".to_string(),
            FAIL => "незач".to_string(),
            v => v.to_string(),
        };
        let comment = comment.or_else(|| {
            (value == 2 && self.rng.random_bool(0.2)).then(|| {
                if wt == WT_HOMEWORK {
                    "Не выполнено домашнее задание"
                } else {
                    "Не готов к уроку"
                }
                .to_string()
            })
        });
        let student_id = st.id;
        let work_type_id = Some(self.refs.work_type_ids[wt]);
        self.out.push(
            ctx.author,
            when,
            OpKind::SetMark(SetMark {
                mark_id,
                lesson_id: ctx.lesson_id,
                student_id,
                value: text(value),
                work_type_id,
                comment,
            }),
        );
        let index = self.ledger.len();
        self.ledger.push(MarkRec {
            student: s,
            subject: ctx.subject as u8,
            quarter: ctx.q as u8,
            value,
            weight: WORK_TYPES[wt].2 as f32,
            deleted: false,
        });
        let r: f64 = self.rng.random();
        if r < 0.003 {
            // A slip of the hand, corrected minutes later.
            let fixed = match value {
                PASS => FAIL,
                FAIL => PASS,
                5 => 4,
                v => v + 1,
            };
            let t = when + minutes(self.rng.random_range(2..20));
            if t <= ctx.deadline {
                self.out.push(
                    ctx.author,
                    t,
                    OpKind::SetMark(SetMark {
                        mark_id,
                        lesson_id: ctx.lesson_id,
                        student_id,
                        value: text(fixed),
                        work_type_id,
                        comment: None,
                    }),
                );
                self.ledger[index].value = fixed;
            }
        } else if r < 0.0045 {
            // Put against the wrong student, deleted.
            let t = when + minutes(self.rng.random_range(1..30));
            if t <= ctx.deadline {
                self.out.push(
                    ctx.author,
                    t,
                    OpKind::DeleteMark(DeleteMark { mark_id, lesson_id: ctx.lesson_id, student_id }),
                );
                self.ledger[index].deleted = true;
            }
        } else if value == 2 && self.rng.random_bool(0.35) {
            // Retaken and corrected within the edit window.
            let fixed = if self.rng.random_bool(0.65) { 3 } else { 4 };
            let t = at(ctx.date + Duration::days(self.rng.random_range(3..=12)), 15, 0)
                + minutes(self.rng.random_range(0..180));
            if t <= ctx.deadline && t > when {
                self.out.push(
                    ctx.author,
                    t,
                    OpKind::SetMark(SetMark {
                        mark_id,
                        lesson_id: ctx.lesson_id,
                        student_id,
                        value: text(fixed),
                        work_type_id,
                        comment: Some("Исправлено после пересдачи".to_string()),
                    }),
                );
                self.ledger[index].value = fixed;
            }
        }
    }

    /// Quarter finals from the forecast, then (after the fourth) the year's.
    fn finals(&mut self, q: usize) {
        let school = self.school;
        let people = self.people;
        let cal = self.cal();
        let last = cal.last_school_day(q);
        let nsub = SUBJECTS.len();
        let ns = self.people.students.len();
        let mut marks: Vec<Vec<(f64, f64)>> = vec![Vec::new(); ns * nsub];
        let mut pass_fail: Vec<(u16, u16)> = vec![(0, 0); ns * nsub];
        let mut count: Vec<u16> = vec![0; ns * nsub];
        for m in self.ledger.iter().filter(|m| m.quarter as usize == q && !m.deleted) {
            let i = m.student as usize * nsub + m.subject as usize;
            count[i] += 1;
            match m.value {
                PASS => pass_fail[i].0 += 1,
                FAIL => pass_fail[i].1 += 1,
                v => marks[i].push((v as f64, m.weight as f64)),
            }
        }
        let next_start = if q < 3 { cal.first_school_day(q + 1) } else { last + Duration::days(7) };
        let mut teacher_time: BTreeMap<usize, NaiveDateTime> = BTreeMap::new();
        for unit in &school.units {
            if !school.classes[unit.class].graded {
                continue;
            }
            let author = school.staff[unit.teacher].account;
            let start = *teacher_time
                .entry(unit.teacher)
                .or_insert_with(|| at(last, 17, 45) + minutes(self.rng.random_range(0..120)));
            let subject_id = self.refs.subject_ids[unit.subject];
            let pass_fail_subject = SUBJECTS[unit.subject].pass_fail;
            let roster: Vec<u32> = people.roster(self.members(unit), last).collect();
            let mut k = 0i64;
            for &s in &roster {
                let i = s as usize * nsub + unit.subject;
                let st = &people.students[s as usize];
                let mut deferred_until = None;
                let value: Option<String> = if unit.subject == PE && st.pe_exempt {
                    self.quarter_finals[i][q] = 0;
                    Some("осв".into())
                } else if pass_fail_subject {
                    let (pass, fail) = pass_fail[i];
                    if pass + fail == 0 {
                        Some("н/а".into())
                    } else if fail > pass {
                        Some("незач".into())
                    } else {
                        self.quarter_finals[i][q] = PASS as i8;
                        Some("зач".into())
                    }
                } else {
                    let quota = min_marks_for_final(weekly_hours(unit.hours as f64));
                    let long_ill = self.long_ill[s as usize][q];
                    match weighted_average(marks[i].iter().copied()) {
                        _ if long_ill && (count[i] as usize) < quota && self.rng.random_bool(0.5) => {
                            deferred_until = Some(next_start + Duration::days(14));
                            None
                        }
                        None => Some("н/а".into()),
                        Some(avg) => {
                            let mut f = forecast(avg);
                            let frac = avg - avg.floor();
                            if (0.5..0.6).contains(&frac) && f > 2 && self.rng.random_bool(0.15) {
                                f -= 1;
                            }
                            self.quarter_finals[i][q] = f as i8;
                            Some(f.to_string())
                        }
                    }
                };
                self.out.push(
                    author,
                    start + Duration::seconds(k * 8),
                    OpKind::SetFinalMark(SetFinalMark {
                        student_id: st.id,
                        subject_id,
                        period_id: self.refs.period_ids[q],
                        value,
                        deferred_until,
                    }),
                );
                k += 1;
            }
            teacher_time.insert(unit.teacher, start + Duration::seconds(k * 8) + minutes(5));
        }
        if q != 3 {
            return;
        }
        // The year: the forecast of the quarter finals.
        for unit in &school.units {
            if !school.classes[unit.class].graded {
                continue;
            }
            let author = school.staff[unit.teacher].account;
            let start = teacher_time[&unit.teacher] + minutes(20);
            let subject_id = self.refs.subject_ids[unit.subject];
            let roster: Vec<u32> = self.people.roster(self.members(unit), last).collect();
            for (k, &s) in roster.iter().enumerate() {
                let i = s as usize * nsub + unit.subject;
                let finals = self.quarter_finals[i];
                let value = if finals.contains(&0) {
                    "осв".to_string()
                } else if SUBJECTS[unit.subject].pass_fail {
                    if finals.contains(&(PASS as i8)) { "зач".into() } else { "н/а".into() }
                } else {
                    let numeric = finals.iter().filter(|&&f| (1..=5).contains(&f)).map(|&f| (f as f64, 1.0));
                    match weighted_average(numeric) {
                        Some(avg) => forecast(avg).to_string(),
                        None => "н/а".into(),
                    }
                };
                self.out.push(
                    author,
                    start + Duration::seconds(k as i64 * 8),
                    OpKind::SetFinalMark(SetFinalMark {
                        student_id: self.people.students[s as usize].id,
                        subject_id,
                        period_id: self.refs.period_ids[4],
                        value: Some(value),
                        deferred_until: None,
                    }),
                );
            }
            teacher_time.insert(unit.teacher, start + Duration::seconds(roster.len() as i64 * 8));
        }
    }
}

struct MarkCtx {
    lesson_id: Uuid,
    author: Uuid,
    date: NaiveDate,
    q: usize,
    subject: usize,
    deadline: NaiveDateTime,
}
