//! The state tables an operation may write and the fields of each. This list
//! is the contract between operations and the SQLite schema in
//! `migrations/client/`: every field here is a column there, and each field is
//! a last-writer-wins register ordered by the writing operation's clock.

use serde::{Deserialize, Serialize};

macro_rules! entities {
    ($($variant:ident => $table:literal [$($field:literal),* $(,)?]),* $(,)?) => {
        /// A kind of record in the journal state.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Entity { $($variant),* }

        impl Entity {
            pub const ALL: &'static [Entity] = &[$(Entity::$variant),*];

            /// The SQLite table holding this entity's state.
            pub fn table(self) -> &'static str {
                match self { $(Entity::$variant => $table),* }
            }

            /// The fields an operation may write, each a column of `table()`.
            pub fn fields(self) -> &'static [&'static str] {
                match self { $(Entity::$variant => &[$($field),*]),* }
            }
        }
    };
}

entities! {
    Setting => "setting" ["key", "value"],
    AcademicYear => "academic_year" ["title", "starts_on", "ends_on"],
    Period => "period" ["year_id", "kind", "number", "title", "starts_on", "ends_on", "closed"],
    Holiday => "holiday" ["year_id", "kind", "starts_on", "ends_on", "title"],
    Class => "class" ["year_id", "grade", "letter", "class_teacher_id", "graded", "shift"],
    StudyGroup => "study_group" ["class_id", "subject_id", "title", "kind"],
    GroupMember => "group_member" ["group_id", "student_id", "active"],
    Student => "student" ["surname", "first_name", "patronymic", "birth_date", "gender", "individual_plan"],
    Parent => "parent" ["surname", "first_name", "patronymic", "phone", "email"],
    ParentLink => "parent_link" ["parent_id", "student_id", "relation", "active"],
    Staff => "staff" ["surname", "first_name", "patronymic", "position"],
    Account => "account" ["login", "roles", "staff_id", "student_id", "parent_id", "blocked", "password_hash", "must_change_password"],
    Subject => "subject" ["name", "short_name", "print_order", "federal"],
    Curriculum => "curriculum" ["class_id", "subject_id", "hours_per_year", "grading"],
    WorkType => "work_type" ["name", "short_name", "weight"],
    Room => "room" ["name"],
    Bell => "bell" ["schedule", "number", "starts_at", "ends_at"],
    Assignment => "assignment" ["class_id", "group_id", "subject_id", "teacher_id", "active"],
    TimetableSlot => "timetable_slot" ["class_id", "group_id", "subject_id", "teacher_id", "room_id", "weekday", "number", "valid_from", "valid_to"],
    Lesson => "lesson" ["date", "number", "class_id", "group_id", "subject_id", "teacher_id", "room_id", "substitute_id", "status", "moved_to", "topic", "ktp_item_id", "homework", "comment"],
    KtpItem => "ktp_item" ["teacher_id", "class_id", "group_id", "subject_id", "number", "topic", "hours"],
    IndividualHomework => "individual_homework" ["lesson_id", "student_id", "text"],
    Mark => "mark" ["lesson_id", "student_id", "value", "work_type_id", "comment", "deleted"],
    Attendance => "attendance" ["lesson_id", "student_id", "code", "reason"],
    FinalMark => "final_mark" ["student_id", "subject_id", "period_id", "value", "deferred_until"],
    Movement => "movement" ["student_id", "kind", "class_id", "date", "order_number", "order_date", "note"],
    Consent => "consent" ["person_id", "status", "date", "note"],
}

impl Entity {
    /// The field named `name`, as the schema's own static string.
    pub fn field(self, name: &str) -> Option<&'static str> {
        self.fields().iter().copied().find(|f| *f == name)
    }
}
