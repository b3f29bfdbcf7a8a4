//! The school's structure: calendar of the year, subjects and the weekly
//! curriculum by grade, classes, staff and who teaches what, subgroups,
//! rooms, and a weekly timetable in which no teacher is in two places at once.

use super::names::{NamePicker, Person};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use classbook_domain::model::Role;
use rand::Rng;
use rand::seq::SliceRandom;
use std::collections::BTreeMap;
use uuid::Uuid;

// ---------------------------------------------------------------------------
// Calendar

/// A holiday or vacation of the year.
#[derive(Clone, Debug)]
pub(super) struct HolidayDef {
    pub kind: &'static str,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Dates of the academic year `year`/`year + 1`.
#[derive(Clone, Debug)]
pub(super) struct Calendar {
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Quarters as (first day, last day), Russian dates.
    pub quarters: [(NaiveDate, NaiveDate); 4],
    pub holidays: Vec<HolidayDef>,
    pub today: NaiveDate,
    /// School days from the first of September up to and including `today`.
    pub days: Vec<NaiveDate>,
}

pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date")
}

impl Calendar {
    pub fn new(year: i32, today: NaiveDate) -> Calendar {
        let next = year + 1;
        let quarters = [
            (ymd(year, 9, 1), ymd(year, 10, 24)),
            (ymd(year, 11, 5), ymd(year, 12, 28)),
            (ymd(next, 1, 12), ymd(next, 3, 20)),
            (ymd(next, 3, 30), ymd(next, 5, 26)),
        ];
        let mut holidays = vec![
            HolidayDef {
                kind: "vacation",
                title: "Осенние каникулы".into(),
                from: ymd(year, 10, 25),
                to: ymd(year, 11, 4),
            },
            HolidayDef {
                kind: "vacation",
                title: "Зимние каникулы".into(),
                from: ymd(year, 12, 29),
                to: ymd(next, 1, 11),
            },
            HolidayDef {
                kind: "vacation",
                title: "Весенние каникулы".into(),
                from: ymd(next, 3, 21),
                to: ymd(next, 3, 29),
            },
            HolidayDef {
                kind: "vacation",
                title: "Летние каникулы".into(),
                from: ymd(next, 5, 27),
                to: ymd(next, 8, 31),
            },
            HolidayDef {
                kind: "public_holiday",
                title: "Новогодние каникулы и Рождество Христово".into(),
                from: ymd(next, 1, 1),
                to: ymd(next, 1, 8),
            },
        ];
        let single = [
            (ymd(year, 11, 4), "День народного единства"),
            (ymd(next, 2, 23), "День защитника Отечества"),
            (ymd(next, 3, 8), "Международный женский день"),
            (ymd(next, 5, 1), "Праздник Весны и Труда"),
            (ymd(next, 5, 9), "День Победы"),
        ];
        for (date, title) in single {
            holidays.push(HolidayDef { kind: "public_holiday", title: title.into(), from: date, to: date });
        }
        // A holiday on a weekend moves the day off to the next Monday.
        for (date, _) in single {
            let shift = match date.weekday() {
                Weekday::Sat => 2,
                Weekday::Sun => 1,
                _ => continue,
            };
            let monday = date + Duration::days(shift);
            holidays.push(HolidayDef {
                kind: "moved_day_off",
                title: format!("Выходной день (перенос с {})", date.format("%d.%m.%Y")),
                from: monday,
                to: monday,
            });
        }
        let mut cal = Calendar {
            year,
            starts_on: ymd(year, 9, 1),
            ends_on: ymd(next, 5, 31),
            quarters,
            holidays,
            today,
            days: Vec::new(),
        };
        let mut day = cal.starts_on;
        while day <= today && day <= cal.ends_on {
            if cal.is_school_day(day) {
                cal.days.push(day);
            }
            day += Duration::days(1);
        }
        cal
    }

    pub fn is_school_day(&self, day: NaiveDate) -> bool {
        day.weekday().num_days_from_monday() < 5
            && self.quarter_of(day).is_some()
            && !self.holidays.iter().any(|h| h.from <= day && day <= h.to)
    }

    pub fn quarter_of(&self, day: NaiveDate) -> Option<usize> {
        self.quarters.iter().position(|&(from, to)| from <= day && day <= to)
    }

    /// The last school day of a quarter (whatever `today` is).
    pub fn last_school_day(&self, quarter: usize) -> NaiveDate {
        let (from, mut day) = self.quarters[quarter];
        while day > from && !self.is_school_day(day) {
            day -= Duration::days(1);
        }
        day
    }

    /// The first school day of a quarter.
    pub fn first_school_day(&self, quarter: usize) -> NaiveDate {
        let (mut day, to) = self.quarters[quarter];
        while day < to && !self.is_school_day(day) {
            day += Duration::days(1);
        }
        day
    }
}

/// The default «today»: the last school day of the year starting in `year`.
pub(super) fn last_school_day_of_year(year: i32) -> NaiveDate {
    Calendar::new(year, ymd(year, 8, 31)).last_school_day(3)
}

// ---------------------------------------------------------------------------
// Subjects and the curriculum

/// Teaching specialities: who can teach a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Spec {
    Primary,
    RusLit,
    Math,
    Eng,
    Inf,
    Hist,
    Geo,
    Bio,
    Chem,
    Phys,
    ArtTech,
    Music,
    Pe,
    Obzr,
}

impl Spec {
    pub const ALL: [Spec; 14] = [
        Spec::Primary,
        Spec::RusLit,
        Spec::Math,
        Spec::Eng,
        Spec::Inf,
        Spec::Hist,
        Spec::Geo,
        Spec::Bio,
        Spec::Chem,
        Spec::Phys,
        Spec::ArtTech,
        Spec::Music,
        Spec::Pe,
        Spec::Obzr,
    ];

    pub fn position(self) -> &'static str {
        match self {
            Spec::Primary => "учитель начальных классов",
            Spec::RusLit => "учитель русского языка и литературы",
            Spec::Math => "учитель математики",
            Spec::Eng => "учитель английского языка",
            Spec::Inf => "учитель информатики",
            Spec::Hist => "учитель истории и обществознания",
            Spec::Geo => "учитель географии",
            Spec::Bio => "учитель биологии",
            Spec::Chem => "учитель химии",
            Spec::Phys => "учитель физики",
            Spec::ArtTech => "учитель изобразительного искусства и труда (технологии)",
            Spec::Music => "учитель музыки",
            Spec::Pe => "учитель физической культуры",
            Spec::Obzr => "преподаватель-организатор ОБЗР",
        }
    }

    /// The share of men among teachers of this speciality.
    fn male_share(self) -> f64 {
        match self {
            Spec::Primary => 0.03,
            Spec::Pe => 0.6,
            Spec::Obzr => 0.85,
            Spec::Phys | Spec::Inf => 0.4,
            Spec::Hist | Spec::ArtTech => 0.3,
            Spec::Math => 0.2,
            _ => 0.08,
        }
    }

    fn room(self) -> (u32, &'static str) {
        match self {
            Spec::Primary => (1, ""),
            Spec::RusLit => (2, "русский язык"),
            Spec::Math => (2, "математика"),
            Spec::Eng => (2, "иностранный язык"),
            Spec::Hist => (2, "история"),
            Spec::Inf => (3, "информатика"),
            Spec::Geo => (3, "география"),
            Spec::Bio => (3, "биология"),
            Spec::Chem => (3, "химия"),
            Spec::Phys => (3, "физика"),
            Spec::ArtTech => (1, "мастерская"),
            Spec::Music => (1, "музыка"),
            Spec::Obzr => (1, "ОБЗР"),
            Spec::Pe => (0, ""),
        }
    }
}

pub(super) const RUS: usize = 0;
pub(super) const LITR: usize = 1;
pub(super) const LIT: usize = 2;
pub(super) const ENG: usize = 3;
pub(super) const MATH: usize = 4;
pub(super) const ALG: usize = 5;
pub(super) const GEOM: usize = 6;
pub(super) const PROB: usize = 7;
pub(super) const INF: usize = 8;
pub(super) const OKR: usize = 9;
pub(super) const HIST: usize = 10;
pub(super) const SOC: usize = 11;
pub(super) const GEO: usize = 12;
pub(super) const BIO: usize = 13;
pub(super) const PHYS: usize = 14;
pub(super) const CHEM: usize = 15;
pub(super) const ODNK: usize = 16;
pub(super) const IZO: usize = 17;
pub(super) const MUS: usize = 18;
pub(super) const TRUD: usize = 19;
pub(super) const PE: usize = 20;
pub(super) const OBZR: usize = 21;

pub(super) struct SubjectDef {
    pub name: &'static str,
    pub short: &'static str,
    /// Who teaches it from grade 5 (and in grades 1–4 unless `primary`).
    pub spec: Spec,
    /// Taught by the class teacher in grades 1–4.
    pub primary: bool,
    /// Graded «зач/незач».
    pub pass_fail: bool,
    /// Split into two subgroups from grade 5.
    pub split: bool,
}

const fn subject(name: &'static str, short: &'static str, spec: Spec, primary: bool) -> SubjectDef {
    SubjectDef { name, short, spec, primary, pass_fail: false, split: false }
}

/// Subjects in the print order of the journal.
pub(super) const SUBJECTS: [SubjectDef; 22] = [
    subject("Русский язык", "Рус. яз.", Spec::RusLit, true),
    subject("Литературное чтение", "Лит. чт.", Spec::RusLit, true),
    subject("Литература", "Лит-ра", Spec::RusLit, false),
    SubjectDef {
        split: true, ..subject("Иностранный язык (английский)", "Англ. яз.", Spec::Eng, false)
    },
    subject("Математика", "Матем.", Spec::Math, true),
    subject("Алгебра", "Алгебра", Spec::Math, false),
    subject("Геометрия", "Геом.", Spec::Math, false),
    subject("Вероятность и статистика", "ВиС", Spec::Math, false),
    SubjectDef { split: true, ..subject("Информатика", "Информ.", Spec::Inf, false) },
    subject("Окружающий мир", "Окр. мир", Spec::Primary, true),
    subject("История", "История", Spec::Hist, false),
    subject("Обществознание", "Общест.", Spec::Hist, false),
    subject("География", "Геогр.", Spec::Geo, false),
    subject("Биология", "Биол.", Spec::Bio, false),
    subject("Физика", "Физика", Spec::Phys, false),
    subject("Химия", "Химия", Spec::Chem, false),
    SubjectDef {
        pass_fail: true,
        ..subject("Основы духовно-нравственной культуры народов России", "ОДНКНР", Spec::Hist, false)
    },
    subject("Изобразительное искусство", "ИЗО", Spec::ArtTech, true),
    subject("Музыка", "Музыка", Spec::Music, false),
    subject("Труд (технология)", "Труд", Spec::ArtTech, true),
    subject("Физическая культура", "Физ-ра", Spec::Pe, false),
    subject("Основы безопасности и защиты Родины", "ОБЗР", Spec::Obzr, false),
];

/// Weekly hours by grade (ФОП НОО/ООО/СОО for a five-day week, trimmed to
/// the subjects above).
pub(super) fn weekly_plan(grade: u8) -> &'static [(usize, u8)] {
    match grade {
        1 => &[(RUS, 5), (LITR, 4), (MATH, 4), (OKR, 2), (IZO, 1), (MUS, 1), (TRUD, 1), (PE, 3)],
        2..=4 => &[(RUS, 5), (LITR, 4), (ENG, 2), (MATH, 4), (OKR, 2), (IZO, 1), (MUS, 1), (TRUD, 1), (PE, 3)],
        5 => &[
            (RUS, 5),
            (LIT, 3),
            (ENG, 3),
            (MATH, 5),
            (INF, 1),
            (HIST, 2),
            (GEO, 1),
            (BIO, 1),
            (ODNK, 1),
            (IZO, 1),
            (MUS, 1),
            (TRUD, 2),
            (PE, 2),
        ],
        6 => &[
            (RUS, 6),
            (LIT, 3),
            (ENG, 3),
            (MATH, 5),
            (INF, 1),
            (HIST, 2),
            (SOC, 1),
            (GEO, 1),
            (BIO, 1),
            (ODNK, 1),
            (IZO, 1),
            (MUS, 1),
            (TRUD, 2),
            (PE, 2),
        ],
        7 => &[
            (RUS, 4),
            (LIT, 2),
            (ENG, 3),
            (ALG, 3),
            (GEOM, 2),
            (PROB, 1),
            (INF, 1),
            (HIST, 2),
            (SOC, 1),
            (GEO, 2),
            (BIO, 1),
            (PHYS, 2),
            (IZO, 1),
            (MUS, 1),
            (TRUD, 2),
            (PE, 2),
        ],
        8 => &[
            (RUS, 3),
            (LIT, 2),
            (ENG, 3),
            (ALG, 3),
            (GEOM, 2),
            (PROB, 1),
            (INF, 1),
            (HIST, 2),
            (SOC, 1),
            (GEO, 2),
            (BIO, 2),
            (PHYS, 2),
            (CHEM, 2),
            (MUS, 1),
            (TRUD, 1),
            (PE, 2),
            (OBZR, 1),
        ],
        9 => &[
            (RUS, 3),
            (LIT, 3),
            (ENG, 3),
            (ALG, 3),
            (GEOM, 2),
            (PROB, 1),
            (INF, 1),
            (HIST, 3),
            (SOC, 1),
            (GEO, 2),
            (BIO, 2),
            (PHYS, 3),
            (CHEM, 2),
            (TRUD, 1),
            (PE, 2),
            (OBZR, 1),
        ],
        _ => &[
            (RUS, 3),
            (LIT, 3),
            (ENG, 3),
            (ALG, 4),
            (GEOM, 2),
            (PROB, 1),
            (INF, 2),
            (HIST, 2),
            (SOC, 2),
            (GEO, 1),
            (BIO, 1),
            (PHYS, 3),
            (CHEM, 1),
            (PE, 2),
            (OBZR, 1),
        ],
    }
}

/// Hours a year for a weekly load (33 study weeks in grade 1, 34 above).
pub(super) fn hours_per_year(grade: u8, weekly: u8) -> u32 {
    weekly as u32 * if grade == 1 { 33 } else { 34 }
}

/// Work types: (name, short name, weight).
pub(super) const WORK_TYPES: [(&str, &str, f64); 9] = [
    ("Ответ на уроке", "Отв", 1.0),
    ("Самостоятельная работа", "С/р", 1.5),
    ("Контрольная работа", "К/р", 2.0),
    ("Диктант", "Дикт", 2.0),
    ("Лабораторная работа", "Л/р", 1.5),
    ("Практическая работа", "П/р", 1.5),
    ("Сочинение", "Соч", 2.0),
    ("Тест", "Тест", 1.5),
    ("Домашняя работа", "Д/з", 1.0),
];
pub(super) const WT_ORAL: usize = 0;
pub(super) const WT_SELF: usize = 1;
pub(super) const WT_CONTROL: usize = 2;
pub(super) const WT_DICTATION: usize = 3;
pub(super) const WT_LAB: usize = 4;
pub(super) const WT_PRACTICAL: usize = 5;
pub(super) const WT_ESSAY: usize = 6;
pub(super) const WT_TEST: usize = 7;
pub(super) const WT_HOMEWORK: usize = 8;

/// Bells of the only schedule: 45-minute lessons from 8:30.
pub(super) const BELLS: [(u32, u32); 7] = [(8, 30), (9, 25), (10, 30), (11, 35), (12, 30), (13, 25), (14, 20)];
pub(super) const LESSON_MINUTES: i64 = 45;

// ---------------------------------------------------------------------------
// Staff, classes, groups, units

#[derive(Clone, Debug)]
pub(super) struct StaffMember {
    pub id: Uuid,
    pub person: Person,
    pub position: String,
    pub role: Role,
    /// The speciality of a teacher.
    pub spec: Option<Spec>,
    pub room: Option<usize>,
    pub login: String,
    pub account: Uuid,
}

#[derive(Clone, Debug)]
pub(super) struct Room {
    pub id: Uuid,
    pub name: String,
}

#[derive(Clone, Debug)]
pub(super) struct ClassInfo {
    pub id: Uuid,
    pub grade: u8,
    pub letter: char,
    pub name: String,
    pub graded: bool,
    /// Staff index of the class teacher.
    pub teacher: usize,
    /// Lessons each weekday (Monday first).
    pub day_len: [u8; 5],
    /// The block taught at each weekday and lesson number (index 0 = lesson 1).
    pub grid: [[Option<usize>; 7]; 5],
    /// Units taught together at one time: one whole-class unit or two subgroups.
    pub blocks: Vec<Vec<usize>>,
    /// Groups of this class, by subject.
    pub groups: Vec<usize>,
}

#[derive(Clone, Debug)]
pub(super) struct GroupInfo {
    pub id: Uuid,
    pub class: usize,
    pub subject: usize,
    /// 0 or 1.
    pub index: u8,
    pub title: String,
}

/// A class (or subgroup) × subject with its teacher: one journal page a period.
#[derive(Clone, Debug)]
pub(super) struct Unit {
    pub class: usize,
    pub group: Option<usize>,
    pub subject: usize,
    pub teacher: usize,
    pub weekly: u8,
    pub hours: u32,
}

pub(super) struct School {
    pub cal: Calendar,
    pub staff: Vec<StaffMember>,
    pub rooms: Vec<Room>,
    pub classes: Vec<ClassInfo>,
    pub groups: Vec<GroupInfo>,
    pub units: Vec<Unit>,
    /// Bitmask of (weekday * 8 + lesson index) per staff member.
    pub busy: Vec<u64>,
    pub director: usize,
    pub deputy: usize,
    pub admin: usize,
    pub secretary: usize,
}

const LETTERS: [char; 14] = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'К', 'Л', 'М', 'Н', 'О'];

/// Grades of `count` classes spread over grades 1–11: every grade gets a
/// class once there are eleven, the rest go mostly to grades 1–9.
pub(super) fn class_grades(count: usize) -> Vec<u8> {
    let count = count.max(1);
    if count < 11 {
        return (0..count)
            .map(|i| if count == 1 { 5 } else { 1 + ((i * 10 + (count - 1) / 2) / (count - 1)) as u8 })
            .collect();
    }
    let weight = |g: usize| if g >= 10 { 0.7 } else { 1.0 };
    let mut per_grade = [1usize; 11];
    for _ in 11..count {
        let mut best = 0;
        for g in 1..11 {
            if weight(g + 1) / per_grade[g] as f64 > weight(best + 1) / per_grade[best] as f64 {
                best = g;
            }
        }
        per_grade[best] += 1;
    }
    (0..11).flat_map(|g| std::iter::repeat_n(g as u8 + 1, per_grade[g])).collect()
}

pub(super) fn bit(day: usize, lesson: usize) -> u64 {
    1u64 << (day * 8 + lesson)
}

impl School {
    #[allow(clippy::needless_range_loop)]
    pub fn build(
        seed_ids: &super::Ids,
        cal: Calendar,
        class_count: usize,
        students: usize,
        names: &NamePicker,
        rng: &mut impl Rng,
    ) -> School {
        let year = cal.year;
        // Classes.
        let grades = class_grades(class_count);
        let mut classes: Vec<ClassInfo> = Vec::with_capacity(grades.len());
        for &grade in &grades {
            let letter = LETTERS[classes.iter().filter(|c| c.grade == grade).count() % LETTERS.len()];
            let name = format!("{grade}{letter}");
            let total: u8 = weekly_plan(grade).iter().map(|&(_, h)| h).sum();
            let mut day_len = [total / 5; 5];
            for &d in [1usize, 2, 3, 0, 4].iter().take((total % 5) as usize) {
                day_len[d] += 1;
            }
            classes.push(ClassInfo {
                id: seed_ids.named("demo_class", format_args!("{year}/{name}")),
                grade,
                letter,
                name,
                graded: grade > 1,
                teacher: usize::MAX,
                day_len,
                grid: [[None; 7]; 5],
                blocks: Vec::new(),
                groups: Vec::new(),
            });
        }

        // Groups of split subjects from grade 5.
        let mut groups = Vec::new();
        for (ci, class) in classes.iter_mut().enumerate() {
            for &(subject, _) in weekly_plan(class.grade) {
                if SUBJECTS[subject].split && class.grade >= 5 {
                    for index in 0..2u8 {
                        class.groups.push(groups.len());
                        groups.push(GroupInfo {
                            id: seed_ids.named("demo_group", format_args!("{year}/{}/{subject}/{index}", class.name)),
                            class: ci,
                            subject,
                            index,
                            title: format!("{}, {}, {} группа", class.name, SUBJECTS[subject].short, index + 1),
                        });
                    }
                }
            }
        }

        // Teachers needed per speciality.
        let mut hours: BTreeMap<Spec, u32> = BTreeMap::new();
        let mut split_needed: BTreeMap<Spec, bool> = BTreeMap::new();
        let primary_classes = classes.iter().filter(|c| c.grade <= 4).count();
        for class in &classes {
            for &(subject, weekly) in weekly_plan(class.grade) {
                let def = &SUBJECTS[subject];
                if class.grade <= 4 && def.primary {
                    continue;
                }
                let split = def.split && class.grade >= 5;
                *hours.entry(def.spec).or_default() += weekly as u32 * if split { 2 } else { 1 };
                if split {
                    split_needed.insert(def.spec, true);
                }
            }
        }
        let mut count: BTreeMap<Spec, usize> = BTreeMap::new();
        for (&spec, &h) in &hours {
            let min = if split_needed.contains_key(&spec) { 2 } else { 1 };
            count.insert(spec, (h as usize).div_ceil(24).max(min));
        }
        let needed: usize = primary_classes + count.values().sum::<usize>();
        let target = (((students as f64) / 12.0).round() as usize).max(20).max(needed);
        for _ in needed..target {
            // The speciality with the heaviest load per teacher gets one more.
            let spec = *count
                .iter()
                .max_by(|a, b| {
                    let la = hours[a.0] as f64 / *a.1 as f64;
                    let lb = hours[b.0] as f64 / *b.1 as f64;
                    la.partial_cmp(&lb).unwrap().then(b.0.cmp(a.0))
                })
                .expect("some speciality")
                .0;
            *count.get_mut(&spec).unwrap() += 1;
        }

        // Staff: administration first, then teachers.
        let mut staff: Vec<StaffMember> = Vec::new();
        let mut add_staff = |person: Person, position: &str, role: Role, spec: Option<Spec>, key: &str| {
            staff.push(StaffMember {
                id: seed_ids.named("demo_staff", key),
                person,
                position: position.to_string(),
                role,
                spec,
                room: None,
                login: String::new(),
                account: Uuid::nil(),
            });
            staff.len() - 1
        };
        let male = rng.random_bool(0.3);
        let director = add_staff(names.adult(rng, male), "директор", Role::Director, None, "director");
        let deputy = add_staff(
            names.adult(rng, false),
            "заместитель директора по учебно-воспитательной работе",
            Role::Deputy,
            None,
            "deputy",
        );
        let admin = add_staff(
            names.adult(rng, true),
            "инженер (администратор электронного журнала)",
            Role::Admin,
            None,
            "admin",
        );
        let secretary =
            add_staff(names.adult(rng, false), "секретарь учебной части", Role::Secretary, None, "secretary");
        let mut by_spec: BTreeMap<Spec, Vec<usize>> = BTreeMap::new();
        let mut primary_teachers = Vec::new();
        for spec in Spec::ALL {
            let n = if spec == Spec::Primary { primary_classes } else { count.get(&spec).copied().unwrap_or(0) };
            for i in 0..n {
                let male = rng.random_bool(spec.male_share());
                let idx = add_staff(
                    names.adult(rng, male),
                    spec.position(),
                    Role::Teacher,
                    Some(spec),
                    &format!("{spec:?}/{i}"),
                );
                by_spec.entry(spec).or_default().push(idx);
                if spec == Spec::Primary {
                    primary_teachers.push(idx);
                }
            }
        }

        // Logins and accounts.
        let mut taken: BTreeMap<String, usize> = BTreeMap::new();
        for (i, member) in staff.iter_mut().enumerate() {
            let base = match i {
                _ if i == director => "director".to_string(),
                _ if i == deputy => "zavuch".to_string(),
                _ if i == admin => "admin".to_string(),
                _ if i == secretary => "secretary".to_string(),
                _ => member.person.login(),
            };
            let n = taken.entry(base.clone()).or_insert(0);
            *n += 1;
            member.login = if *n == 1 { base } else { format!("{base}{n}") };
            member.account = seed_ids.named("demo_account", &member.login);
        }

        // Rooms: a classroom for every teacher, two gyms for physical education.
        let mut rooms: Vec<Room> = Vec::new();
        let mut per_floor = [0u32; 4];
        let gyms = [
            Room { id: seed_ids.named("demo_room", "gym1"), name: "Спортивный зал".into() },
            Room { id: seed_ids.named("demo_room", "gym2"), name: "Малый спортивный зал".into() },
        ];
        rooms.extend(gyms);
        let mut gym = 0;
        for member in staff.iter_mut() {
            let Some(spec) = member.spec else { continue };
            let (floor, hint) = spec.room();
            if floor == 0 {
                member.room = Some(gym % 2);
                gym += 1;
                continue;
            }
            per_floor[floor as usize] += 1;
            let number = floor * 100 + per_floor[floor as usize];
            let name = if hint.is_empty() { format!("Каб. {number}") } else { format!("Каб. {number} ({hint})") };
            member.room = Some(rooms.len());
            rooms.push(Room { id: seed_ids.named("demo_room", number), name });
        }

        // Who teaches what.
        let mut load = vec![0u32; staff.len()];
        let mut units: Vec<Unit> = Vec::new();
        let mut chosen: BTreeMap<(usize, Spec, u8), usize> = BTreeMap::new();
        let mut next_primary = 0;
        for ci in 0..classes.len() {
            let grade = classes[ci].grade;
            if grade <= 4 {
                classes[ci].teacher = primary_teachers[next_primary];
                next_primary += 1;
            }
            for &(subject, weekly) in weekly_plan(grade) {
                let def = &SUBJECTS[subject];
                let hours = hours_per_year(grade, weekly);
                let mut pick = |slot: u8, exclude: Option<usize>, load: &mut Vec<u32>| -> usize {
                    if let Some(&t) = chosen.get(&(ci, def.spec, slot))
                        && Some(t) != exclude
                    {
                        return t;
                    }
                    let t = by_spec[&def.spec]
                        .iter()
                        .copied()
                        .filter(|&t| Some(t) != exclude)
                        .min_by_key(|&t| (load[t], t))
                        .expect("a teacher of the speciality");
                    chosen.insert((ci, def.spec, slot), t);
                    let _ = load;
                    t
                };
                if grade <= 4 && def.primary {
                    let t = classes[ci].teacher;
                    load[t] += weekly as u32;
                    classes[ci].blocks.push(vec![units.len()]);
                    units.push(Unit { class: ci, group: None, subject, teacher: t, weekly, hours });
                } else if def.split && grade >= 5 {
                    let t0 = pick(0, None, &mut load);
                    load[t0] += weekly as u32;
                    let t1 = pick(1, Some(t0), &mut load);
                    load[t1] += weekly as u32;
                    let gs: Vec<usize> =
                        classes[ci].groups.iter().copied().filter(|&g| groups[g].subject == subject).collect();
                    let first = units.len();
                    units.push(Unit { class: ci, group: Some(gs[0]), subject, teacher: t0, weekly, hours });
                    units.push(Unit { class: ci, group: Some(gs[1]), subject, teacher: t1, weekly, hours });
                    classes[ci].blocks.push(vec![first, first + 1]);
                } else {
                    let t = pick(0, None, &mut load);
                    load[t] += weekly as u32;
                    classes[ci].blocks.push(vec![units.len()]);
                    units.push(Unit { class: ci, group: None, subject, teacher: t, weekly, hours });
                }
            }
        }

        // Class teachers of grades 5–11: a teacher of the class with the most
        // hours in it who leads no other class.
        let mut leads = vec![false; staff.len()];
        for class in &classes {
            if class.teacher != usize::MAX {
                leads[class.teacher] = true;
            }
        }
        for ci in 0..classes.len() {
            if classes[ci].teacher != usize::MAX {
                continue;
            }
            let mut hours_here: BTreeMap<usize, u32> = BTreeMap::new();
            for u in units.iter().filter(|u| u.class == ci) {
                *hours_here.entry(u.teacher).or_default() += u.weekly as u32;
            }
            let candidate = hours_here
                .iter()
                .filter(|(t, _)| !leads[**t] && staff[**t].spec != Some(Spec::Primary))
                .max_by_key(|(t, h)| (**h, std::cmp::Reverse(**t)))
                .map(|(t, _)| *t)
                .or_else(|| {
                    (0..staff.len())
                        .filter(|&t| staff[t].role == Role::Teacher && !leads[t])
                        .min_by_key(|&t| (load[t], t))
                })
                .unwrap_or_else(|| *hours_here.keys().next().expect("a teacher"));
            leads[candidate] = true;
            classes[ci].teacher = candidate;
        }

        let busy = timetable(&mut classes, &units, staff.len(), &load, rng);
        School { cal, staff, rooms, classes, groups, units, busy, director, deputy, admin, secretary }
    }

    pub fn teacher_ids(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.staff.len()).filter(|&t| self.staff[t].role == Role::Teacher)
    }
}

/// Places every class's weekly lessons so that no teacher is double-booked.
/// Greedy with a one-swap repair; a class that still does not fit is redone
/// with another order, the whole week if needed.
fn timetable(classes: &mut [ClassInfo], units: &[Unit], staff: usize, load: &[u32], rng: &mut impl Rng) -> Vec<u64> {
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(classes[c].grade), c));
    for _attempt in 0..50 {
        let mut busy = vec![0u64; staff];
        let mut ok = true;
        for &ci in &order {
            let mut placed = false;
            for _ in 0..40 {
                let snapshot = busy.clone();
                if let Some(grid) = place_class(&classes[ci], units, &mut busy, load, rng) {
                    classes[ci].grid = grid;
                    placed = true;
                    break;
                }
                busy = snapshot;
            }
            if !placed {
                ok = false;
                break;
            }
        }
        if ok {
            return busy;
        }
    }
    panic!("demo school: could not build a timetable without double-booked teachers");
}

#[allow(clippy::needless_range_loop)]
fn place_class(
    class: &ClassInfo,
    units: &[Unit],
    busy: &mut [u64],
    load: &[u32],
    rng: &mut impl Rng,
) -> Option<[[Option<usize>; 7]; 5]> {
    let teachers = |b: usize| class.blocks[b].iter().map(|&u| units[u].teacher);
    let mut instances: Vec<usize> = Vec::new();
    for (b, block) in class.blocks.iter().enumerate() {
        instances.extend(std::iter::repeat_n(b, units[block[0]].weekly as usize));
    }
    instances.shuffle(rng);
    instances.sort_by_key(|&b| {
        let max_load = teachers(b).map(|t| load[t]).max().unwrap_or(0);
        (std::cmp::Reverse(class.blocks[b].len()), std::cmp::Reverse(max_load))
    });
    let mut grid = [[None; 7]; 5];
    let mut per_day = vec![[0u8; 5]; class.blocks.len()];
    let free = |busy: &[u64], b: usize, d: usize, n: usize| teachers(b).all(|t| busy[t] & bit(d, n) == 0);
    for &b in &instances {
        let subject = units[class.blocks[b][0]].subject;
        let main = matches!(subject, RUS | MATH | ALG | GEOM | PHYS | CHEM | ENG);
        let light = matches!(subject, PE | MUS | IZO | TRUD);
        let mut best: Option<(i32, usize, usize)> = None;
        for d in 0..5 {
            for n in 0..class.day_len[d] as usize {
                if grid[d][n].is_some() || !free(busy, b, d, n) {
                    continue;
                }
                let mut score = rng.random_range(0..10) - 40 * per_day[b][d] as i32;
                if main && (1..=3).contains(&n) {
                    score += 4;
                }
                if light && n >= 3 {
                    score += 3;
                }
                if best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, d, n));
                }
            }
        }
        if let Some((_, d, n)) = best {
            grid[d][n] = Some(b);
            per_day[b][d] += 1;
            for t in teachers(b) {
                busy[t] |= bit(d, n);
            }
            continue;
        }
        // Repair: move a placed block into an empty cell and take its place.
        let mut done = false;
        'search: for d in 0..5 {
            for n in 0..class.day_len[d] as usize {
                if grid[d][n].is_some() {
                    continue;
                }
                for d2 in 0..5 {
                    for n2 in 0..class.day_len[d2] as usize {
                        let Some(x) = grid[d2][n2] else { continue };
                        let ours_fit = teachers(b).all(|t| busy[t] & bit(d2, n2) == 0 || teachers(x).any(|tx| tx == t));
                        if !ours_fit || !free(busy, x, d, n) {
                            continue;
                        }
                        for t in teachers(x) {
                            busy[t] &= !bit(d2, n2);
                            busy[t] |= bit(d, n);
                        }
                        grid[d][n] = Some(x);
                        per_day[x][d2] -= 1;
                        per_day[x][d] += 1;
                        for t in teachers(b) {
                            busy[t] |= bit(d2, n2);
                        }
                        grid[d2][n2] = Some(b);
                        per_day[b][d2] += 1;
                        done = true;
                        break 'search;
                    }
                }
            }
        }
        if !done {
            return None;
        }
    }
    Some(grid)
}
