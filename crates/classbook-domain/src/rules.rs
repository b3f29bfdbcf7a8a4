//! Rules and permissions as pure functions over facts (REQUIREMENTS §1, §3).
//! The store gathers the facts (who the actor is, which lesson, is the period
//! closed) and asks `check`; the server asks the same questions of the same
//! code. A refusal carries a stable code for programs and a Russian message
//! that tells the person what to do.

use crate::entity::Entity;
use crate::model::{EditWindow, Role};
use chrono::{Duration, NaiveDate};
use uuid::Uuid;

/// The logged-in person as the rules see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Uuid,
    pub roles: Vec<Role>,
    /// The staff record of an employee (teachers, class teachers …).
    pub staff_id: Option<Uuid>,
    /// The student record of a student account.
    pub student_id: Option<Uuid>,
    /// The children of a parent account.
    pub children: Vec<Uuid>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    fn is_staff(&self, staff: Option<Uuid>) -> bool {
        self.staff_id.is_some() && self.staff_id == staff
    }
}

/// What the rules need to know about a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonFacts {
    pub date: NaiveDate,
    pub teacher_id: Uuid,
    pub substitute_id: Option<Uuid>,
    pub class_teacher_id: Option<Uuid>,
    /// False in «безотметочные» classes (grade 1 and the like).
    pub graded: bool,
    /// The study period containing the lesson is closed.
    pub period_closed: bool,
    /// The lesson was cancelled: nothing is entered for it.
    pub cancelled: bool,
}

impl LessonFacts {
    /// Who keeps this lesson's journal: the substitute if there is one
    /// (the entry is made under the substituting teacher, 000 §2.11).
    pub fn keeper(&self) -> Uuid {
        self.substitute_id.unwrap_or(self.teacher_id)
    }
}

/// Parts of a lesson's journal entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LessonEntry {
    Mark,
    Attendance,
    Topic,
    Homework,
    Comment,
}

/// Groups of reference data with the same keepers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    /// Years, periods, holidays, classes, groups, rooms, subjects, bells, work types, settings, staff.
    Structure,
    /// Curriculum hours, teaching load and the timetable.
    Curriculum,
    /// Students, parents and their links.
    Contingent,
    /// The calendar-thematic plan of a teacher.
    Ktp,
}

impl Area {
    pub fn of(entity: Entity) -> Area {
        match entity {
            Entity::Curriculum | Entity::Assignment | Entity::TimetableSlot => Area::Curriculum,
            Entity::Student | Entity::Parent | Entity::ParentLink | Entity::Consent => Area::Contingent,
            Entity::KtpItem => Area::Ktp,
            _ => Area::Structure,
        }
    }
}

/// Something a user wants to do, with the facts it depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Enter or change part of a lesson's journal.
    EnterLesson {
        entry: LessonEntry,
        lesson: LessonFacts,
        final_set: bool,
    },
    /// Correct an absence code and give its reason (class teacher, 004 §8.5.1).
    CorrectAbsence {
        lesson: LessonFacts,
    },
    /// Set a period final in a subject.
    SetFinal {
        teaches_subject: bool,
        graded: bool,
        period_closed: bool,
    },
    /// Edit reference data; `own` says the record is the actor's own
    /// (their КТП, a student of their class).
    EditReference {
        area: Area,
        own: bool,
    },
    ManageAccounts,
    ClosePeriod,
    VoidOps,
    /// Make, schedule and restore backups of the journal on this PC.
    KeepBackups,
    /// Produce lessons from the timetable, record substitutions, transfers, cancellations.
    PlanLessons,
    RecordMovement,
    /// Read a class's journal pages.
    ViewClass {
        teaches: bool,
        class_teacher: bool,
    },
    /// Read one student's marks and attendance.
    ViewStudent {
        student_id: Uuid,
    },
}

/// A refusal: `code` for programs, `message` for people.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Denied {
    pub code: &'static str,
    pub message: String,
}

fn deny(code: &'static str, message: impl Into<String>) -> Result<(), Denied> {
    Err(Denied { code, message: message.into() })
}

fn forbidden(what: &str) -> Result<(), Denied> {
    deny("forbidden", format!("У вашей учётной записи нет права {what}. Обратитесь к администратору школы."))
}

/// School-wide settings the rules depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub edit_window: EditWindow,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { edit_window: EditWindow::Weeks2 }
    }
}

const STAFF_VIEWERS: [Role; 5] = [Role::Admin, Role::Director, Role::Deputy, Role::Inspector, Role::Secretary];

/// May `actor` do `action`, entering it on day `today` (the PC's date when
/// the entry is made, not when it reaches the server)?
pub fn check(actor: &Actor, action: &Action, today: NaiveDate, policy: Policy) -> Result<(), Denied> {
    let any = |roles: &[Role]| roles.iter().any(|r| actor.has(*r));
    match action {
        Action::EnterLesson { entry, lesson, final_set } => {
            if !actor.has(Role::Teacher) {
                return forbidden("вносить записи в журнал: это делает учитель, ведущий урок");
            }
            if !actor.is_staff(Some(lesson.keeper())) {
                return deny(
                    "not_your_lesson",
                    if lesson.substitute_id.is_some() {
                        "Этот урок проведён на замене: записи вносит замещающий учитель."
                    } else {
                        "Вы не ведёте этот урок: записи в журнал вносит только учитель этого класса и предмета."
                    },
                );
            }
            if lesson.cancelled {
                return deny(
                    "lesson_cancelled",
                    "Урок отменён: записи на нём не ведутся. Если урок всё же состоялся, попросите администратора \
                     или завуча вернуть его на вкладке «Замены».",
                );
            }
            if lesson.period_closed {
                return deny(
                    "period_closed",
                    "Учебный период закрыт: изменения в нём больше не принимаются. Обратитесь к администратору.",
                );
            }
            let about_students = matches!(entry, LessonEntry::Mark | LessonEntry::Attendance);
            if !lesson.graded && matches!(entry, LessonEntry::Mark | LessonEntry::Homework) {
                return deny(
                    "ungraded_class",
                    "В безотметочном классе отметки и домашние задания не ставятся: отмечайте посещаемость и темы уроков.",
                );
            }
            if about_students && lesson.date > today {
                return deny(
                    "future_lesson",
                    format!(
                        "Урок {} ещё не наступил: отметки и посещаемость вносятся в день урока или позже.",
                        lesson.date.format("%d.%m.%Y")
                    ),
                );
            }
            if *entry == LessonEntry::Mark && *final_set {
                return deny(
                    "final_set",
                    "Итоговая отметка за период уже выставлена: текущие отметки этого периода изменить нельзя.",
                );
            }
            if about_students && let Some(days) = policy.edit_window.days() {
                let last_day = lesson.date + Duration::days(days);
                if today > last_day {
                    return deny(
                        "edit_window",
                        format!(
                            "Срок исправления записей за урок {} истёк {}: обратитесь к администратору.",
                            lesson.date.format("%d.%m.%Y"),
                            last_day.format("%d.%m.%Y")
                        ),
                    );
                }
            }
            Ok(())
        }
        Action::CorrectAbsence { lesson } => {
            let class_teacher = actor.is_staff(lesson.class_teacher_id);
            let keeper = actor.has(Role::Teacher) && actor.is_staff(Some(lesson.keeper()));
            if !class_teacher && !keeper {
                return forbidden("менять причины пропусков: это делает классный руководитель");
            }
            if lesson.period_closed {
                return deny(
                    "period_closed",
                    "Учебный период закрыт: изменения в нём больше не принимаются. Обратитесь к администратору.",
                );
            }
            Ok(())
        }
        Action::SetFinal { teaches_subject, graded, period_closed } => {
            if !actor.has(Role::Teacher) || !teaches_subject {
                return forbidden("выставлять итоговые отметки по этому предмету в этом классе");
            }
            if *period_closed {
                return deny(
                    "period_closed",
                    "Учебный период закрыт: итоговые отметки изменить нельзя. Обратитесь к администратору.",
                );
            }
            if !graded {
                return deny("ungraded_class", "В безотметочном классе итоговые отметки не выставляются.");
            }
            Ok(())
        }
        Action::EditReference { area, own } => {
            let allowed = match area {
                Area::Structure => any(&[Role::Admin]),
                Area::Curriculum => any(&[Role::Admin, Role::Deputy]),
                Area::Contingent => any(&[Role::Admin, Role::Secretary]) || *own,
                Area::Ktp => any(&[Role::Deputy]) || (*own && actor.has(Role::Teacher)),
            };
            if allowed { Ok(()) } else { forbidden("изменять эти справочные данные") }
        }
        Action::ManageAccounts | Action::ClosePeriod | Action::VoidOps => {
            if any(&[Role::Admin]) {
                Ok(())
            } else {
                forbidden("выполнять это действие администратора")
            }
        }
        Action::KeepBackups => {
            if any(&[Role::Admin]) {
                Ok(())
            } else {
                forbidden("делать и восстанавливать резервные копии журнала")
            }
        }
        Action::PlanLessons => {
            if any(&[Role::Admin, Role::Deputy]) {
                Ok(())
            } else {
                forbidden("менять расписание и замены")
            }
        }
        Action::RecordMovement => {
            if any(&[Role::Admin, Role::Secretary]) {
                Ok(())
            } else {
                forbidden("вести книгу движения учащихся")
            }
        }
        Action::ViewClass { teaches, class_teacher } => {
            if any(&STAFF_VIEWERS) || *class_teacher || (*teaches && actor.has(Role::Teacher)) {
                Ok(())
            } else {
                forbidden("просматривать журнал этого класса")
            }
        }
        Action::ViewStudent { student_id } => {
            let own = actor.student_id == Some(*student_id) || actor.children.contains(student_id);
            if own || any(&STAFF_VIEWERS) || actor.has(Role::Teacher) {
                Ok(())
            } else {
                deny("not_your_data", "Можно смотреть только свои отметки (или отметки своего ребёнка).")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const ME: Uuid = Uuid::from_u128(100);
    const OTHER: Uuid = Uuid::from_u128(200);
    const CHILD: Uuid = Uuid::from_u128(300);

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    /// An actor holding one role; staff roles are the keeper of every lesson
    /// in the table, so only the role decides.
    fn actor(role: Role) -> Actor {
        Actor {
            account_id: Uuid::from_u128(1),
            roles: vec![role],
            staff_id: (!matches!(role, Role::Student | Role::Parent)).then_some(ME),
            student_id: (role == Role::Student).then_some(CHILD),
            children: if role == Role::Parent { vec![CHILD] } else { vec![] },
        }
    }

    fn my_lesson() -> LessonFacts {
        LessonFacts {
            date: day(10),
            teacher_id: ME,
            substitute_id: None,
            class_teacher_id: Some(OTHER),
            graded: true,
            period_closed: false,
            cancelled: false,
        }
    }

    fn enter(entry: LessonEntry) -> Action {
        Action::EnterLesson { entry, lesson: my_lesson(), final_set: false }
    }

    /// Every role × every action, with facts that make only the role matter.
    #[test]
    fn permission_matrix() {
        use Role::*;
        let table: Vec<(&str, Action, &[Role])> = vec![
            ("mark", enter(LessonEntry::Mark), &[Teacher]),
            ("attendance", enter(LessonEntry::Attendance), &[Teacher]),
            ("topic", enter(LessonEntry::Topic), &[Teacher]),
            ("homework", enter(LessonEntry::Homework), &[Teacher]),
            ("comment", enter(LessonEntry::Comment), &[Teacher]),
            // The actor keeps the lesson, so as its teacher they may correct reasons too.
            ("absence reason", Action::CorrectAbsence { lesson: my_lesson() }, &[Teacher]),
            (
                "absence reason as class teacher",
                Action::CorrectAbsence {
                    lesson: LessonFacts { teacher_id: OTHER, class_teacher_id: Some(ME), ..my_lesson() },
                },
                &[Admin, Director, Deputy, Teacher, Secretary, Inspector],
            ),
            ("final", Action::SetFinal { teaches_subject: true, graded: true, period_closed: false }, &[Teacher]),
            ("structure", Action::EditReference { area: Area::Structure, own: false }, &[Admin]),
            ("curriculum", Action::EditReference { area: Area::Curriculum, own: false }, &[Admin, Deputy]),
            ("contingent", Action::EditReference { area: Area::Contingent, own: false }, &[Admin, Secretary]),
            (
                "own class contingent",
                Action::EditReference { area: Area::Contingent, own: true },
                &[Admin, Director, Deputy, Teacher, Secretary, Inspector, Student, Parent],
            ),
            ("others' ktp", Action::EditReference { area: Area::Ktp, own: false }, &[Deputy]),
            ("own ktp", Action::EditReference { area: Area::Ktp, own: true }, &[Deputy, Teacher]),
            ("accounts", Action::ManageAccounts, &[Admin]),
            ("close period", Action::ClosePeriod, &[Admin]),
            ("void ops", Action::VoidOps, &[Admin]),
            ("backups", Action::KeepBackups, &[Admin]),
            ("timetable", Action::PlanLessons, &[Admin, Deputy]),
            ("movement", Action::RecordMovement, &[Admin, Secretary]),
            (
                "view any class",
                Action::ViewClass { teaches: false, class_teacher: false },
                &[Admin, Director, Deputy, Secretary, Inspector],
            ),
            (
                "view taught class",
                Action::ViewClass { teaches: true, class_teacher: false },
                &[Admin, Director, Deputy, Teacher, Secretary, Inspector],
            ),
            (
                "view own child",
                Action::ViewStudent { student_id: CHILD },
                &[Admin, Director, Deputy, Teacher, Secretary, Inspector, Student, Parent],
            ),
            (
                "view another student",
                Action::ViewStudent { student_id: OTHER },
                &[Admin, Director, Deputy, Teacher, Secretary, Inspector],
            ),
        ];
        for (name, action, allowed) in &table {
            let allowed: BTreeSet<Role> = allowed.iter().copied().collect();
            for role in Role::ALL {
                let result = check(&actor(role), action, day(11), Policy::default());
                assert_eq!(result.is_ok(), allowed.contains(&role), "{name} as {role:?}: {result:?}");
                if let Err(denied) = result {
                    assert!(denied.message.chars().any(|c| ('а'..='я').contains(&c)), "Russian message");
                }
            }
        }
    }

    fn teacher_denial(action: Action, today: NaiveDate, policy: Policy) -> &'static str {
        check(&actor(Role::Teacher), &action, today, policy).unwrap_err().code
    }

    #[test]
    fn teachers_keep_only_their_own_lessons() {
        let foreign = LessonFacts { teacher_id: OTHER, ..my_lesson() };
        let action = Action::EnterLesson { entry: LessonEntry::Mark, lesson: foreign.clone(), final_set: false };
        assert_eq!(teacher_denial(action, day(11), Policy::default()), "not_your_lesson");
        // The substitute keeps the substituted lesson; the regular teacher does not.
        let substituted = LessonFacts { teacher_id: OTHER, substitute_id: Some(ME), ..my_lesson() };
        let action = Action::EnterLesson { entry: LessonEntry::Mark, lesson: substituted, final_set: false };
        assert!(check(&actor(Role::Teacher), &action, day(11), Policy::default()).is_ok());
        let replaced = LessonFacts { substitute_id: Some(OTHER), ..my_lesson() };
        let action = Action::EnterLesson { entry: LessonEntry::Topic, lesson: replaced, final_set: false };
        assert_eq!(teacher_denial(action, day(11), Policy::default()), "not_your_lesson");
    }

    #[test]
    fn edit_window_counts_from_the_lesson_date() {
        let policy = |w| Policy { edit_window: w };
        let mark = enter(LessonEntry::Mark);
        // Lesson on the 10th, one week window: the 17th is the last day.
        assert!(check(&actor(Role::Teacher), &mark, day(17), policy(EditWindow::Weeks1)).is_ok());
        assert_eq!(teacher_denial(mark.clone(), day(18), policy(EditWindow::Weeks1)), "edit_window");
        assert!(check(&actor(Role::Teacher), &mark, day(24), policy(EditWindow::Weeks2)).is_ok());
        assert_eq!(teacher_denial(mark.clone(), day(25), policy(EditWindow::Weeks2)), "edit_window");
        assert!(check(&actor(Role::Teacher), &mark, day(31), policy(EditWindow::Weeks3)).is_ok());
        let late = NaiveDate::from_ymd_opt(2026, 11, 11).unwrap();
        assert!(check(&actor(Role::Teacher), &mark, late - Duration::days(1), policy(EditWindow::Month1)).is_ok());
        assert_eq!(teacher_denial(mark.clone(), late, policy(EditWindow::Month1)), "edit_window");
        assert!(check(&actor(Role::Teacher), &mark, day(1) + Duration::days(300), policy(EditWindow::Never)).is_ok());
        // Topics and homework are not marks: the window does not lock them.
        let topic = enter(LessonEntry::Topic);
        assert!(check(&actor(Role::Teacher), &topic, late, policy(EditWindow::Weeks1)).is_ok());
    }

    #[test]
    fn closed_periods_finals_and_ungraded_classes_lock_entries() {
        let closed = LessonFacts { period_closed: true, ..my_lesson() };
        for entry in [LessonEntry::Mark, LessonEntry::Attendance, LessonEntry::Topic, LessonEntry::Homework] {
            let action = Action::EnterLesson { entry, lesson: closed.clone(), final_set: false };
            assert_eq!(teacher_denial(action, day(11), Policy::default()), "period_closed");
        }
        let action = Action::EnterLesson { entry: LessonEntry::Mark, lesson: my_lesson(), final_set: true };
        assert_eq!(teacher_denial(action, day(11), Policy::default()), "final_set");
        let ungraded = LessonFacts { graded: false, ..my_lesson() };
        for (entry, ok) in [
            (LessonEntry::Mark, false),
            (LessonEntry::Homework, false),
            (LessonEntry::Attendance, true),
            (LessonEntry::Topic, true),
        ] {
            let action = Action::EnterLesson { entry, lesson: ungraded.clone(), final_set: false };
            let result = check(&actor(Role::Teacher), &action, day(11), Policy::default());
            assert_eq!(result.is_ok(), ok, "{entry:?}");
        }
        let final_closed = Action::SetFinal { teaches_subject: true, graded: true, period_closed: true };
        assert_eq!(teacher_denial(final_closed, day(11), Policy::default()), "period_closed");
        let final_ungraded = Action::SetFinal { teaches_subject: true, graded: false, period_closed: false };
        assert_eq!(teacher_denial(final_ungraded, day(11), Policy::default()), "ungraded_class");
    }

    #[test]
    fn marks_for_future_lessons_wait_for_the_day() {
        let action = enter(LessonEntry::Attendance);
        assert_eq!(teacher_denial(action, day(9), Policy::default()), "future_lesson");
        // Homework may be set ahead.
        assert!(check(&actor(Role::Teacher), &enter(LessonEntry::Homework), day(9), Policy::default()).is_ok());
    }
}
