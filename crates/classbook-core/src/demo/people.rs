//! The contingent: students in families with their parents, the movement
//! book of the year (arrivals, withdrawals, transfers between parallel
//! classes) and who sits in which class and subgroup on which day.

use super::Ids;
use super::names::{NamePicker, Person, email, phone};
use super::school::{Calendar, ENG, School, ymd};
use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub(super) struct Order {
    pub date: NaiveDate,
    pub number: String,
    pub order_date: NaiveDate,
}

#[derive(Clone, Debug)]
pub(super) struct Student {
    pub id: Uuid,
    pub person: Person,
    pub birth: NaiveDate,
    /// Expected mark, 2.7…4.95.
    pub ability: f64,
    /// How often the student is ill (1.0 = average).
    pub frailty: f64,
    /// Exempt from physical education (final «осв»).
    pub pe_exempt: bool,
    pub individual_plan: bool,
    pub parents: Vec<usize>,
    /// Class at enrolment (this year's class).
    pub class: usize,
    /// The enrolment entry of the movement book.
    pub enrol: Order,
    /// Arrived during the year (the enrolment is this year's event).
    pub arrived: bool,
    pub withdraw: Option<Order>,
    /// (order, new class).
    pub transfer: Option<(Order, usize)>,
}

#[derive(Clone, Debug)]
pub(super) struct ParentRec {
    pub id: Uuid,
    pub person: Person,
    pub relation: &'static str,
    pub phone: String,
    pub email: Option<String>,
}

/// Membership of a class or subgroup from `from` (inclusive) to `to` (exclusive).
#[derive(Clone, Copy, Debug)]
pub(super) struct Member {
    pub student: u32,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Member {
    pub fn on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day < to)
    }
}

/// A change of subgroup membership caused by a movement: (group, student, date, active).
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupChange {
    pub group: usize,
    pub student: u32,
    pub date: NaiveDate,
    pub active: bool,
}

pub(super) struct People {
    pub students: Vec<Student>,
    pub parents: Vec<ParentRec>,
    pub class_members: Vec<Vec<Member>>,
    pub group_members: Vec<Vec<Member>>,
    /// Subgroup memberships recorded at the start of the year.
    pub initial_groups: Vec<(usize, u32)>,
    /// Later changes, in date order.
    pub group_changes: Vec<GroupChange>,
    /// The student whose account (and parent's) the demo shows.
    pub showcase: usize,
}

struct Family {
    surname: &'static str,
    father: usize,
    parents: Vec<usize>,
    children: usize,
}

fn random_day(rng: &mut impl Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.random_range(0..=span))
}

/// A normal-ish variate from uniforms only (portable across platforms).
pub(super) fn normal(rng: &mut impl Rng, mean: f64, sd: f64) -> f64 {
    let sum: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    mean + sd * (sum - 2.0) * 1.732_050_807_568_877_2
}

impl People {
    pub fn build(ids: &Ids, school: &School, total: usize, names: &NamePicker, rng: &mut impl Rng) -> People {
        let cal: &Calendar = &school.cal;
        let year = cal.year;
        let arrival_days: Vec<NaiveDate> = cal.days.iter().copied().filter(|d| *d >= ymd(year, 9, 8)).collect();
        let arrivals = if arrival_days.len() >= 10 { (total as f64 * 0.01).round() as usize } else { 0 };
        let initial = total.saturating_sub(arrivals);

        // Class sizes: senior classes are smaller.
        let weights: Vec<f64> = school
            .classes
            .iter()
            .map(|c| if c.grade >= 10 { 0.85 } else { 1.0 } * rng.random_range(0.92..1.08))
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut sizes: Vec<usize> = weights.iter().map(|w| (w / sum * initial as f64).floor() as usize).collect();
        let mut rest: Vec<(f64, usize)> =
            weights.iter().enumerate().map(|(i, w)| (w / sum * initial as f64 - sizes[i] as f64, i)).collect();
        rest.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap().then(a.1.cmp(&b.1)));
        let short = initial - sizes.iter().sum::<usize>();
        for &(_, i) in rest.iter().take(short) {
            sizes[i] += 1;
        }

        let mut people = People {
            students: Vec::with_capacity(total),
            parents: Vec::with_capacity(total * 2),
            class_members: vec![Vec::new(); school.classes.len()],
            group_members: vec![Vec::new(); school.groups.len()],
            initial_groups: Vec::new(),
            group_changes: Vec::new(),
            showcase: 0,
        };
        let mut families: Vec<Family> = Vec::new();
        let mut family_of: Vec<usize> = Vec::new();

        for (ci, &size) in sizes.iter().enumerate() {
            for _ in 0..size {
                let enrol = initial_enrolment(rng, cal, school.classes[ci].grade);
                add_student(ids, school, names, rng, &mut people, &mut families, &mut family_of, ci, enrol, false);
            }
        }
        for _ in 0..arrivals {
            let ci = rng.random_range(0..school.classes.len());
            let date = *arrival_days.choose(rng).expect("days");
            let order_date = date - Duration::days(rng.random_range(1..=3));
            let enrol = Order { date, number: String::new(), order_date };
            add_student(ids, school, names, rng, &mut people, &mut families, &mut family_of, ci, enrol, true);
        }

        // The demo student: in a graded class, grade 7 if there is one.
        let graded: Vec<usize> = (0..school.classes.len()).filter(|&c| school.classes[c].graded).collect();
        let showcase_class = graded
            .iter()
            .copied()
            .find(|&c| school.classes[c].grade == 7)
            .or_else(|| graded.first().copied())
            .unwrap_or(0);
        people.showcase = (0..people.students.len())
            .find(|&s| {
                let st = &people.students[s];
                st.class == showcase_class
                    && !st.arrived
                    && st.parents.iter().any(|&p| people.parents[p].relation == "мать")
            })
            .or_else(|| (0..people.students.len()).find(|&s| people.students[s].class == showcase_class))
            .unwrap_or(0);

        // Movements of the year.
        let initial_ids: Vec<usize> = (0..people.students.len()).filter(|&s| !people.students[s].arrived).collect();
        let withdraw_days: Vec<NaiveDate> = cal.days.iter().copied().filter(|d| *d >= ymd(year, 9, 15)).collect();
        let withdrawals = if withdraw_days.is_empty() { 0 } else { (initial as f64 * 0.02).round() as usize };
        let mut candidates: Vec<usize> = initial_ids.iter().copied().filter(|&s| s != people.showcase).collect();
        candidates.shuffle(rng);
        let mut next = candidates.into_iter();
        for _ in 0..withdrawals {
            let Some(s) = next.next() else { break };
            let date = *withdraw_days.choose(rng).expect("days");
            people.students[s].withdraw = Some(Order { date, number: String::new(), order_date: date });
        }
        let quarter_starts: Vec<NaiveDate> =
            (1..4).map(|q| cal.first_school_day(q)).filter(|d| *d <= cal.today).collect();
        let transfers = if quarter_starts.is_empty() { 0 } else { ((initial as f64 * 0.01).round() as usize).max(1) };
        let mut done = 0;
        for s in next {
            if done == transfers {
                break;
            }
            let class = people.students[s].class;
            let grade = school.classes[class].grade;
            let parallel: Vec<usize> =
                (0..school.classes.len()).filter(|&c| c != class && school.classes[c].grade == grade).collect();
            let Some(&to) = parallel.choose(rng) else { continue };
            let date = *quarter_starts.choose(rng).expect("quarters");
            let order_date = date - Duration::days(rng.random_range(3..=6));
            people.students[s].transfer = Some((Order { date, number: String::new(), order_date }, to));
            done += 1;
        }

        // Order numbers of the year's movement book, in date order.
        let mut events: Vec<(NaiveDate, usize, u8)> = Vec::new();
        for (s, st) in people.students.iter().enumerate() {
            if st.arrived {
                events.push((st.enrol.order_date, s, 0));
            }
            if let Some(w) = &st.withdraw {
                events.push((w.order_date, s, 1));
            }
            if let Some((t, _)) = &st.transfer {
                events.push((t.order_date, s, 2));
            }
        }
        events.sort();
        for (n, &(_, s, kind)) in events.iter().enumerate() {
            let number = format!("{}-у", 61 + n * 2 + rng.random_range(0..2));
            let st = &mut people.students[s];
            match kind {
                0 => st.enrol.number = number,
                1 => st.withdraw.as_mut().unwrap().number = number,
                _ => st.transfer.as_mut().unwrap().0.number = number,
            }
        }

        // Rosters.
        for (s, st) in people.students.iter().enumerate() {
            let from = if st.arrived { st.enrol.date } else { cal.starts_on };
            let left = st.withdraw.as_ref().map(|w| w.date);
            match &st.transfer {
                Some((t, to)) => {
                    people.class_members[st.class].push(Member { student: s as u32, from, to: Some(t.date) });
                    people.class_members[*to].push(Member { student: s as u32, from: t.date, to: left });
                }
                None => people.class_members[st.class].push(Member { student: s as u32, from, to: left }),
            }
        }

        // Subgroups: English alphabetically in halves, informatics at random.
        for (ci, class) in school.classes.iter().enumerate() {
            if class.groups.is_empty() {
                continue;
            }
            let mut start: Vec<u32> =
                people.class_members[ci].iter().filter(|m| m.from == cal.starts_on).map(|m| m.student).collect();
            for &g in &class.groups {
                let group = &school.groups[g];
                if group.index != 0 {
                    continue;
                }
                let pair = class
                    .groups
                    .iter()
                    .copied()
                    .find(|&h| school.groups[h].subject == group.subject && school.groups[h].index == 1)
                    .expect("two subgroups");
                if group.subject == ENG {
                    start.sort_by(|a, b| {
                        let (pa, pb) = (&people.students[*a as usize].person, &people.students[*b as usize].person);
                        (&pa.surname, &pa.first_name).cmp(&(&pb.surname, &pb.first_name))
                    });
                } else {
                    start.shuffle(rng);
                }
                let half = start.len().div_ceil(2);
                for (i, &s) in start.iter().enumerate() {
                    let target = if i < half { g } else { pair };
                    people.initial_groups.push((target, s));
                }
            }
        }
        for &(g, s) in &people.initial_groups {
            let st = &people.students[s as usize];
            let to = st.transfer.as_ref().map(|(t, _)| t.date).or(st.withdraw.as_ref().map(|w| w.date));
            people.group_members[g].push(Member { student: s, from: cal.starts_on, to });
            if let Some(date) = to {
                people.group_changes.push(GroupChange { group: g, student: s, date, active: false });
            }
        }
        // Newcomers (arrivals and transfers in) join the smaller subgroup.
        let mut joins: Vec<(NaiveDate, u32, usize)> = Vec::new();
        for (s, st) in people.students.iter().enumerate() {
            if st.arrived {
                joins.push((st.enrol.date, s as u32, st.class));
            }
            if let Some((t, to)) = &st.transfer {
                joins.push((t.date, s as u32, *to));
            }
        }
        joins.sort();
        for (date, s, ci) in joins {
            let st = &people.students[s as usize];
            let left = st.withdraw.as_ref().map(|w| w.date);
            for &g in &school.classes[ci].groups {
                if school.groups[g].index != 0 {
                    continue;
                }
                let pair = school.classes[ci]
                    .groups
                    .iter()
                    .copied()
                    .find(|&h| school.groups[h].subject == school.groups[g].subject && school.groups[h].index == 1)
                    .expect("two subgroups");
                let size = |g: usize| people.group_members[g].iter().filter(|m| m.on(date)).count();
                let target = if size(pair) < size(g) { pair } else { g };
                people.group_members[target].push(Member { student: s, from: date, to: left });
                people.group_changes.push(GroupChange { group: target, student: s, date, active: true });
                if let Some(date) = left {
                    people.group_changes.push(GroupChange { group: target, student: s, date, active: false });
                }
            }
        }
        people.group_changes.sort_by_key(|c| (c.date, c.student, c.group, c.active));
        people
    }

    /// Who is in a class (or subgroup) on a day, in enrolment order.
    pub fn roster<'a>(&'a self, members: &'a [Member], day: NaiveDate) -> impl Iterator<Item = u32> + 'a {
        members.iter().filter(move |m| m.on(day)).map(|m| m.student)
    }
}

/// When a student now in `grade` was first enrolled: on 1 September of
/// their first-grade year for most, later for some.
fn initial_enrolment(rng: &mut impl Rng, cal: &Calendar, grade: u8) -> Order {
    let first_year = cal.year - grade as i32 + 1;
    if grade == 1 || rng.random_bool(0.85) {
        let order_date = ymd(first_year, 8, rng.random_range(20..=29));
        Order { date: ymd(first_year, 9, 1), number: format!("{}-у", rng.random_range(40..=95)), order_date }
    } else {
        let date = random_day(rng, ymd(first_year, 10, 1), ymd(cal.year, 5, 20));
        Order { date, number: format!("{}-у", rng.random_range(5..=160)), order_date: date - Duration::days(1) }
    }
}

#[allow(clippy::too_many_arguments)]
fn add_student(
    ids: &Ids,
    school: &School,
    names: &NamePicker,
    rng: &mut impl Rng,
    people: &mut People,
    families: &mut Vec<Family>,
    family_of: &mut Vec<usize>,
    class: usize,
    enrol: Order,
    arrived: bool,
) {
    let index = people.students.len();
    let grade = school.classes[class].grade;
    // A younger or older brother or sister of someone already enrolled.
    let sibling = (index > 0 && rng.random_bool(0.12))
        .then(|| rng.random_range(0..index))
        .filter(|&other| people.students[other].class != class && families[family_of[other]].children < 3);
    let family = match sibling {
        Some(other) => family_of[other],
        None => {
            let surname = names.surname(rng);
            let father = names.male(rng, true);
            let mut parents = Vec::new();
            let has_mother = rng.random_bool(0.95);
            let has_father = rng.random_bool(0.75);
            if has_mother {
                let mut mother = names.adult(rng, false);
                if rng.random_bool(0.88) {
                    mother.surname = super::names::feminine(surname);
                }
                parents.push(new_parent(ids, rng, people, mother, "мать"));
            }
            if has_father {
                let father_person = Person {
                    surname: surname.to_string(),
                    first_name: super::names::MALE_NAMES[father].0.to_string(),
                    patronymic: names.adult(rng, true).patronymic,
                    male: true,
                };
                parents.push(new_parent(ids, rng, people, father_person, "отец"));
            }
            if !has_mother && !has_father {
                let grandfather = names.male(rng, true);
                let guardian = names.person(rng, surname, grandfather, false, true);
                parents.push(new_parent(ids, rng, people, guardian, "опекун"));
            }
            families.push(Family { surname, father, parents, children: 0 });
            families.len() - 1
        }
    };
    families[family].children += 1;
    family_of.push(family);
    let male = rng.random_bool(0.5);
    let fam = &families[family];
    let person = names.person(rng, fam.surname, fam.father, male, false);
    let birth_from = ymd(school.cal.year - 6 - grade as i32, 3, 1);
    let birth = random_day(rng, birth_from, birth_from + Duration::days(364));
    let ability = normal(rng, 3.95, 0.45).clamp(2.7, 4.95);
    let frailty = (normal(rng, 1.0, 0.45)).clamp(0.2, 2.5);
    people.students.push(Student {
        id: ids.named("demo_student", index),
        person,
        birth,
        ability,
        frailty,
        pe_exempt: grade >= 2 && rng.random_bool(0.012),
        individual_plan: rng.random_bool(0.006),
        parents: fam.parents.clone(),
        class,
        enrol,
        arrived,
        withdraw: None,
        transfer: None,
    });
}

fn new_parent(ids: &Ids, rng: &mut impl Rng, people: &mut People, person: Person, relation: &'static str) -> usize {
    let index = people.parents.len();
    let email = rng.random_bool(0.6).then(|| email(rng, &person));
    people.parents.push(ParentRec { id: ids.named("demo_parent", index), person, relation, phone: phone(rng), email });
    index
}
