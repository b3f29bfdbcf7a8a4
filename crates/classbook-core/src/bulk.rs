//! Many records at once, for the spreadsheet import and the archive copy:
//! a batch of reference records and movement-book entries written in one
//! transaction, each judged by the same rule as when entered one by one; and
//! the state tables read whole, for matching an import against what the
//! journal has and for the archive copy (REQUIREMENTS §2, §5).

use crate::accounts::{Session, load_actor};
use crate::error::{JournalError, Result};
use crate::journal::Journal;
use classbook_domain::entity::Entity;
use classbook_domain::op::{OpKind, RecordMovement, SaveRecord};
use classbook_domain::rules::{self, Action, Area, Policy};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// One change of a batch.
#[derive(Clone, Debug, PartialEq)]
pub enum BulkEntry {
    /// Create or change a reference record, as `Journal::save_record` does.
    Record { entity: Entity, id: Uuid, fields: BTreeMap<String, Value> },
    /// An entry of the movement book (a new student's enrolment).
    Movement(RecordMovement),
}

/// A state table as stored: its columns (`id` first) and rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StateTable {
    pub entity: Entity,
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

/// Columns never copied out of the journal: password hashes stay on the PCs.
const SECRET_COLUMNS: &[&str] = &["password_hash"];

impl Journal {
    /// Write `entries` in one transaction: all of them or, on any refusal
    /// or error, none. Each distinct rule the batch needs is checked once
    /// (its facts cannot change within the batch). Returns how many ops
    /// were recorded.
    pub fn apply_bulk(&mut self, session: &Session, entries: Vec<BulkEntry>) -> Result<usize> {
        for entry in &entries {
            match entry {
                BulkEntry::Record { entity, .. } if crate::admission::entity_typed_elsewhere(*entity) => {
                    return Err(JournalError::invalid(format!(
                        "Записи «{}» меняются только через свои разделы журнала.",
                        entity.table()
                    )));
                }
                BulkEntry::Record { entity: Entity::Period, fields, .. } if fields.contains_key("closed") => {
                    return Err(JournalError::invalid("Период закрывают командой «Закрыть период»."));
                }
                _ => {}
            }
        }
        let kinds: Vec<OpKind> = entries
            .into_iter()
            .map(|entry| match entry {
                BulkEntry::Record { entity, id, fields } => OpKind::SaveRecord(SaveRecord { entity, id, fields }),
                BulkEntry::Movement(movement) => OpKind::RecordMovement(movement),
            })
            .collect();
        for kind in &kinds {
            kind.effect().map_err(|e| JournalError::invalid(e.to_string()))?;
        }
        let author = session.account_id;
        self.write(|w| {
            let actor = w.actor(author)?;
            let (today, policy) = (w.today()?, w.policy()?);
            let mut actions: BTreeSet<(u8, Option<Area>, bool)> = BTreeSet::new();
            for kind in &kinds {
                actions.insert(match kind {
                    OpKind::SaveRecord(r) => {
                        let area = Area::of(r.entity);
                        // A teacher's own КТП is theirs to keep (as in `save_record`).
                        let own = area == Area::Ktp
                            && actor.staff_id.is_some_and(|staff| {
                                r.fields.get("teacher_id").and_then(Value::as_str) == Some(staff.to_string().as_str())
                            });
                        (0, Some(area), own)
                    }
                    _ => (1, None, false),
                });
            }
            for (_, area, own) in actions {
                let action = match area {
                    Some(area) => Action::EditReference { area, own },
                    None => Action::RecordMovement,
                };
                rules::check(&actor, &action, today, policy)?;
            }
            let count = kinds.len();
            for kind in kinds {
                w.record(author, kind)?;
            }
            Ok(count)
        })
    }

    /// One state table whole, for those who see the whole school (office,
    /// administration, inspectors): an import is matched against it.
    pub fn state_table(&self, session: &Session, entity: Entity) -> Result<StateTable> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(
            &actor,
            &Action::ViewClass { teaches: false, class_teacher: false },
            self.today()?,
            Policy::default(),
        )?;
        read_table(self, entity)
    }

    /// Every state table, for the archive copy: administrators and deputy heads.
    pub fn archive_tables(&self, session: &Session) -> Result<Vec<StateTable>> {
        let (actor, _, _) = load_actor(self.conn(), session.account_id)?;
        rules::check(&actor, &Action::PlanLessons, self.today()?, Policy::default())?;
        Entity::ALL.iter().map(|entity| read_table(self, *entity)).collect()
    }
}

fn read_table(journal: &Journal, entity: Entity) -> Result<StateTable> {
    let columns: Vec<&'static str> =
        std::iter::once("id").chain(entity.fields().iter().copied().filter(|f| !SECRET_COLUMNS.contains(f))).collect();
    // Table and column names come from the static entity list (the schema's
    // own contract), never from input; hence the one built query.
    let sql = format!("SELECT {} FROM {} ORDER BY id", columns.join(", "), entity.table());
    let mut stmt = journal.conn().prepare_cached(&sql)?;
    let rows = stmt
        .query_map([], |row| {
            (0..columns.len())
                .map(|i| {
                    Ok(match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => Value::Null,
                        rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                        rusqlite::types::ValueRef::Real(x) => Value::from(x),
                        rusqlite::types::ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                        rusqlite::types::ValueRef::Blob(b) => Value::from(b.len()),
                    })
                })
                .collect::<rusqlite::Result<Vec<Value>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(StateTable { entity, name: entity.table(), columns, rows })
}
