//! Operations: every change a user makes is one `Op`. An op is data — who,
//! on which device, when (clock stamp and wall time), hash-chained to the
//! device's previous op — plus a typed payload. `OpKind::effect` says what the
//! op writes; applying effects is the store's job.

use crate::entity::Entity;
use crate::hlc::Hlc;
use crate::ids::{dated_id, derived_id, derived_id_near};
use crate::model::{AttendanceCode, ConsentStatus, LessonStatus, MovementKind};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One change to the journal, as stored in the op log and sent in sync.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: Uuid,
    /// The account the change was made under.
    pub author: Uuid,
    pub device: Uuid,
    /// Position in the device's chain, starting at 1.
    pub device_seq: u64,
    pub hlc: Hlc,
    /// The PC's wall clock when the user made the entry (timeliness reports use it).
    pub entered_at: DateTime<Utc>,
    /// Hash of the device's previous op (empty for the first).
    pub prev_hash: String,
    /// Hash over everything above and the payload.
    pub hash: String,
    pub kind: OpKind,
}

/// The part of an op that its hash covers.
#[derive(Serialize)]
struct HashedPart<'a> {
    id: &'a Uuid,
    author: &'a Uuid,
    device: &'a Uuid,
    device_seq: u64,
    hlc: &'a Hlc,
    entered_at: &'a DateTime<Utc>,
    prev_hash: &'a str,
    kind: &'a OpKind,
}

impl Op {
    /// The hash this op must carry: blake3 over its canonical JSON.
    pub fn compute_hash(&self) -> String {
        let part = HashedPart {
            id: &self.id,
            author: &self.author,
            device: &self.device,
            device_seq: self.device_seq,
            hlc: &self.hlc,
            entered_at: &self.entered_at,
            prev_hash: &self.prev_hash,
            kind: &self.kind,
        };
        let bytes = serde_json::to_vec(&part).expect("an op always serialises");
        blake3::hash(&bytes).to_hex().to_string()
    }

    pub fn seal(mut self) -> Op {
        self.hash = self.compute_hash();
        self
    }

    pub fn hash_is_valid(&self) -> bool {
        self.hash == self.compute_hash()
    }
}

/// An op hash as stored: its 32 bytes, or none for the empty `prev_hash` of
/// a device's first op. `None` when the text is not a hash.
pub fn hash_to_bytes(hex: &str) -> Option<Vec<u8>> {
    if hex.is_empty() {
        return Some(Vec::new());
    }
    blake3::Hash::from_hex(hex).ok().map(|hash| hash.as_bytes().to_vec())
}

/// The text form of stored hash bytes (see [`hash_to_bytes`]).
pub fn hash_from_bytes(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return Some(String::new());
    }
    let bytes: [u8; 32] = bytes.try_into().ok()?;
    Some(blake3::Hash::from_bytes(bytes).to_hex().to_string())
}

/// What applying an op does to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Write these fields of one record, each if this op's stamp is newer.
    Write(Write),
    /// Invalidate the ops of `account` stamped at or after `since_ms`.
    Void { account: Uuid, since_ms: i64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Write {
    pub entity: Entity,
    pub id: Uuid,
    pub fields: Vec<(&'static str, Value)>,
}

/// Every kind of change. Journal entries are typed so permissions can be
/// judged per action; reference data (rooms, subjects, classes, students …)
/// is plain record editing through `SaveRecord`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum OpKind {
    SaveRecord(SaveRecord),
    SaveAccount(SaveAccount),
    SetPassword(SetPassword),
    ScheduleLesson(ScheduleLesson),
    SetSubstitute(SetSubstitute),
    SetLessonStatus(SetLessonStatus),
    SetLessonTopic(SetLessonTopic),
    SetHomework(SetHomework),
    SetIndividualHomework(SetIndividualHomework),
    SetLessonComment(SetLessonComment),
    SetMark(SetMark),
    DeleteMark(DeleteMark),
    SetAttendance(SetAttendance),
    SetAbsenceReason(SetAbsenceReason),
    SetFinalMark(SetFinalMark),
    ClosePeriod(ClosePeriod),
    RecordMovement(RecordMovement),
    SetConsent(SetConsent),
    VoidOps(VoidOps),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveRecord {
    pub entity: Entity,
    pub id: Uuid,
    pub fields: BTreeMap<String, Value>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SaveAccount {
    pub account_id: Uuid,
    pub login: String,
    pub roles: Vec<crate::model::Role>,
    pub staff_id: Option<Uuid>,
    pub student_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub blocked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetPassword {
    pub account_id: Uuid,
    /// An argon2id PHC string; the password itself never leaves the PC.
    pub password_hash: String,
    pub must_change: bool,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleLesson {
    pub lesson_id: Uuid,
    pub date: NaiveDate,
    pub number: u8,
    pub class_id: Uuid,
    pub group_id: Option<Uuid>,
    pub subject_id: Uuid,
    pub teacher_id: Uuid,
    pub room_id: Option<Uuid>,
}

impl ScheduleLesson {
    /// Lessons from the timetable get ids from their natural key, so two PCs
    /// producing the same week of lessons offline do not double them; the
    /// ids sort by date (see `ids::dated_id`).
    pub fn natural_id(class_or_group: Uuid, subject_id: Uuid, date: NaiveDate, number: u8) -> Uuid {
        let day = Uuid::from_u128(((date.num_days_from_ce() as u128) << 8) | number as u128);
        dated_id(date, "lesson", &[class_or_group, subject_id, day])
    }
}

use chrono::Datelike;

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetSubstitute {
    pub lesson_id: Uuid,
    pub substitute_id: Option<Uuid>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetLessonStatus {
    pub lesson_id: Uuid,
    pub status: LessonStatus,
    pub moved_to: Option<NaiveDate>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetLessonTopic {
    pub lesson_id: Uuid,
    pub topic: String,
    pub ktp_item_id: Option<Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetHomework {
    pub lesson_id: Uuid,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetIndividualHomework {
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetLessonComment {
    pub lesson_id: Uuid,
    pub comment: String,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetMark {
    /// Several marks may share a cell, so each mark is its own record.
    pub mark_id: Uuid,
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    /// As the teacher typed it and the grading system accepted it: «5», «зач», «87».
    pub value: String,
    pub work_type_id: Option<Uuid>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeleteMark {
    pub mark_id: Uuid,
    pub lesson_id: Uuid,
    pub student_id: Uuid,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetAttendance {
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    /// `None` clears the cell.
    pub code: Option<AttendanceCode>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetAbsenceReason {
    pub lesson_id: Uuid,
    pub student_id: Uuid,
    /// The corrected code («ну» or «б» once a document is brought).
    pub code: AttendanceCode,
    pub reason: String,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetFinalMark {
    pub student_id: Uuid,
    pub subject_id: Uuid,
    pub period_id: Uuid,
    /// The journal spelling of a final: «5», «зач», «осв», «н/а», «безотм»; `None` clears it.
    pub value: Option<String>,
    /// A sick student's final is deferred (отсрочка) until this date.
    pub deferred_until: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosePeriod {
    pub period_id: Uuid,
    pub closed: bool,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordMovement {
    pub movement_id: Uuid,
    pub student_id: Uuid,
    pub kind: MovementKind,
    pub class_id: Option<Uuid>,
    pub date: NaiveDate,
    pub order_number: String,
    pub order_date: NaiveDate,
    pub note: Option<String>,
}

#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetConsent {
    pub person_id: Uuid,
    pub status: ConsentStatus,
    pub date: NaiveDate,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoidOps {
    /// The compromised account.
    pub account_id: Uuid,
    /// The moment the breach was reported; ops stamped from then on are void.
    pub since: DateTime<Utc>,
    pub reason: String,
}

/// Entries of a lesson get ids that sort next to the lesson's.
pub fn attendance_id(lesson_id: Uuid, student_id: Uuid) -> Uuid {
    derived_id_near(lesson_id, "attendance", &[lesson_id, student_id])
}

pub fn final_mark_id(student_id: Uuid, subject_id: Uuid, period_id: Uuid) -> Uuid {
    derived_id("final_mark", &[student_id, subject_id, period_id])
}

pub fn individual_homework_id(lesson_id: Uuid, student_id: Uuid) -> Uuid {
    derived_id_near(lesson_id, "individual_homework", &[lesson_id, student_id])
}

pub fn consent_id(person_id: Uuid) -> Uuid {
    derived_id("consent", &[person_id])
}

fn uuid(id: Uuid) -> Value {
    Value::String(id.to_string())
}

fn opt_uuid(id: Option<Uuid>) -> Value {
    id.map(uuid).unwrap_or(Value::Null)
}

fn date(d: NaiveDate) -> Value {
    Value::String(d.to_string())
}

fn write(entity: Entity, id: Uuid, fields: Vec<(&'static str, Value)>) -> Effect {
    Effect::Write(Write { entity, id, fields })
}

impl OpKind {
    /// A short name for logs and the op table.
    pub fn name(&self) -> &'static str {
        match self {
            OpKind::SaveRecord(_) => "save_record",
            OpKind::SaveAccount(_) => "save_account",
            OpKind::SetPassword(_) => "set_password",
            OpKind::ScheduleLesson(_) => "schedule_lesson",
            OpKind::SetSubstitute(_) => "set_substitute",
            OpKind::SetLessonStatus(_) => "set_lesson_status",
            OpKind::SetLessonTopic(_) => "set_lesson_topic",
            OpKind::SetHomework(_) => "set_homework",
            OpKind::SetIndividualHomework(_) => "set_individual_homework",
            OpKind::SetLessonComment(_) => "set_lesson_comment",
            OpKind::SetMark(_) => "set_mark",
            OpKind::DeleteMark(_) => "delete_mark",
            OpKind::SetAttendance(_) => "set_attendance",
            OpKind::SetAbsenceReason(_) => "set_absence_reason",
            OpKind::SetFinalMark(_) => "set_final_mark",
            OpKind::ClosePeriod(_) => "close_period",
            OpKind::RecordMovement(_) => "record_movement",
            OpKind::SetConsent(_) => "set_consent",
            OpKind::VoidOps(_) => "void_ops",
        }
    }

    /// What the op writes. Identity fields (which lesson, which student) are
    /// written by every op on a record, so a record can be created by whichever
    /// of its ops arrives first.
    pub fn effect(&self) -> Result<Effect, UnknownField> {
        Ok(match self {
            OpKind::SaveRecord(r) => {
                let mut fields = Vec::with_capacity(r.fields.len());
                for (name, value) in &r.fields {
                    let field =
                        r.entity.field(name).ok_or_else(|| UnknownField { entity: r.entity, field: name.clone() })?;
                    fields.push((field, value.clone()));
                }
                write(r.entity, r.id, fields)
            }
            OpKind::SaveAccount(a) => write(
                Entity::Account,
                a.account_id,
                vec![
                    ("login", Value::String(a.login.clone())),
                    ("roles", json!(a.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(","))),
                    ("staff_id", opt_uuid(a.staff_id)),
                    ("student_id", opt_uuid(a.student_id)),
                    ("parent_id", opt_uuid(a.parent_id)),
                    ("blocked", json!(a.blocked)),
                ],
            ),
            OpKind::SetPassword(p) => write(
                Entity::Account,
                p.account_id,
                vec![
                    ("password_hash", Value::String(p.password_hash.clone())),
                    ("must_change_password", json!(p.must_change)),
                ],
            ),
            OpKind::ScheduleLesson(l) => write(
                Entity::Lesson,
                l.lesson_id,
                vec![
                    ("date", date(l.date)),
                    ("number", json!(l.number)),
                    ("class_id", uuid(l.class_id)),
                    ("group_id", opt_uuid(l.group_id)),
                    ("subject_id", uuid(l.subject_id)),
                    ("teacher_id", uuid(l.teacher_id)),
                    ("room_id", opt_uuid(l.room_id)),
                ],
            ),
            OpKind::SetSubstitute(s) => {
                write(Entity::Lesson, s.lesson_id, vec![("substitute_id", opt_uuid(s.substitute_id))])
            }
            OpKind::SetLessonStatus(s) => write(
                Entity::Lesson,
                s.lesson_id,
                vec![
                    ("status", serde_json::to_value(s.status).expect("enum")),
                    ("moved_to", s.moved_to.map(date).unwrap_or(Value::Null)),
                ],
            ),
            OpKind::SetLessonTopic(t) => write(
                Entity::Lesson,
                t.lesson_id,
                vec![("topic", Value::String(t.topic.clone())), ("ktp_item_id", opt_uuid(t.ktp_item_id))],
            ),
            OpKind::SetHomework(h) => {
                write(Entity::Lesson, h.lesson_id, vec![("homework", Value::String(h.text.clone()))])
            }
            OpKind::SetIndividualHomework(h) => write(
                Entity::IndividualHomework,
                individual_homework_id(h.lesson_id, h.student_id),
                vec![
                    ("lesson_id", uuid(h.lesson_id)),
                    ("student_id", uuid(h.student_id)),
                    ("text", Value::String(h.text.clone())),
                ],
            ),
            OpKind::SetLessonComment(c) => {
                write(Entity::Lesson, c.lesson_id, vec![("comment", Value::String(c.comment.clone()))])
            }
            OpKind::SetMark(m) => write(
                Entity::Mark,
                m.mark_id,
                vec![
                    ("lesson_id", uuid(m.lesson_id)),
                    ("student_id", uuid(m.student_id)),
                    ("value", Value::String(m.value.clone())),
                    ("work_type_id", opt_uuid(m.work_type_id)),
                    ("comment", m.comment.clone().map(Value::String).unwrap_or(Value::Null)),
                    ("deleted", json!(false)),
                ],
            ),
            OpKind::DeleteMark(m) => write(
                Entity::Mark,
                m.mark_id,
                vec![("lesson_id", uuid(m.lesson_id)), ("student_id", uuid(m.student_id)), ("deleted", json!(true))],
            ),
            OpKind::SetAttendance(a) => write(
                Entity::Attendance,
                attendance_id(a.lesson_id, a.student_id),
                vec![
                    ("lesson_id", uuid(a.lesson_id)),
                    ("student_id", uuid(a.student_id)),
                    ("code", a.code.map(|c| Value::String(c.code().into())).unwrap_or(Value::Null)),
                ],
            ),
            OpKind::SetAbsenceReason(a) => write(
                Entity::Attendance,
                attendance_id(a.lesson_id, a.student_id),
                vec![
                    ("lesson_id", uuid(a.lesson_id)),
                    ("student_id", uuid(a.student_id)),
                    ("code", Value::String(a.code.code().into())),
                    ("reason", Value::String(a.reason.clone())),
                ],
            ),
            OpKind::SetFinalMark(f) => write(
                Entity::FinalMark,
                final_mark_id(f.student_id, f.subject_id, f.period_id),
                vec![
                    ("student_id", uuid(f.student_id)),
                    ("subject_id", uuid(f.subject_id)),
                    ("period_id", uuid(f.period_id)),
                    ("value", f.value.clone().map(Value::String).unwrap_or(Value::Null)),
                    ("deferred_until", f.deferred_until.map(date).unwrap_or(Value::Null)),
                ],
            ),
            OpKind::ClosePeriod(c) => write(Entity::Period, c.period_id, vec![("closed", json!(c.closed))]),
            OpKind::RecordMovement(m) => write(
                Entity::Movement,
                m.movement_id,
                vec![
                    ("student_id", uuid(m.student_id)),
                    ("kind", serde_json::to_value(m.kind).expect("enum")),
                    ("class_id", opt_uuid(m.class_id)),
                    ("date", date(m.date)),
                    ("order_number", Value::String(m.order_number.clone())),
                    ("order_date", date(m.order_date)),
                    ("note", m.note.clone().map(Value::String).unwrap_or(Value::Null)),
                ],
            ),
            OpKind::SetConsent(c) => write(
                Entity::Consent,
                consent_id(c.person_id),
                vec![
                    ("person_id", uuid(c.person_id)),
                    ("status", serde_json::to_value(c.status).expect("enum")),
                    ("date", date(c.date)),
                    ("note", c.note.clone().map(Value::String).unwrap_or(Value::Null)),
                ],
            ),
            OpKind::VoidOps(v) => Effect::Void { account: v.account_id, since_ms: v.since.timestamp_millis() },
        })
    }
}

/// A `SaveRecord` naming a field its entity does not have (a newer program's
/// op, or a corrupted one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("в записи «{}» нет поля «{field}»: обновите программу", entity.table())]
pub struct UnknownField {
    pub entity: Entity,
    pub field: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Op {
        Op {
            id: Uuid::from_u128(1),
            author: Uuid::from_u128(2),
            device: Uuid::from_u128(3),
            device_seq: 1,
            hlc: Hlc { wall_ms: 10, counter: 0, device: Uuid::from_u128(3) },
            entered_at: DateTime::from_timestamp_millis(10).unwrap(),
            prev_hash: String::new(),
            hash: String::new(),
            kind: OpKind::SetAttendance(SetAttendance {
                lesson_id: Uuid::from_u128(4),
                student_id: Uuid::from_u128(5),
                code: Some(AttendanceCode::Ill),
            }),
        }
        .seal()
    }

    #[test]
    fn hash_detects_tampering() {
        let op = sample();
        assert!(op.hash_is_valid());
        let mut tampered = op.clone();
        tampered.kind = OpKind::SetAttendance(SetAttendance {
            lesson_id: Uuid::from_u128(4),
            student_id: Uuid::from_u128(5),
            code: None,
        });
        assert!(!tampered.hash_is_valid());
    }

    #[test]
    fn op_round_trips_through_json() {
        let op = sample();
        let text = serde_json::to_string(&op).unwrap();
        assert!(text.contains("\"б\""));
        let back: Op = serde_json::from_str(&text).unwrap();
        assert_eq!(back, op);
        assert!(back.hash_is_valid());
    }

    #[test]
    fn every_written_field_exists_in_its_entity() {
        let op = sample();
        let Effect::Write(w) = op.kind.effect().unwrap() else { panic!("write expected") };
        for (field, _) in &w.fields {
            assert!(w.entity.field(field).is_some(), "{field}");
        }
        let bad = OpKind::SaveRecord(SaveRecord {
            entity: Entity::Room,
            id: Uuid::from_u128(9),
            fields: [("colour".to_string(), json!("red"))].into(),
        });
        assert!(bad.effect().unwrap_err().to_string().contains("colour"));
    }
}
