//! Applying operations to the state tables. Each field of a record is a
//! last-writer-wins register ordered by the writing op's clock stamp; the
//! winning stamps live in the record's `clocks` column as {stamp: bitmask of
//! field positions}. Applying the same set of ops in any order, any number of
//! times, gives the same state. Voiding rebuilds the touched records from the
//! ops that remain valid.

use crate::error::{JournalError, Result};
use classbook_domain::entity::Entity;
use classbook_domain::hlc::Hlc;
use classbook_domain::op::{Effect, Op, OpKind, Write, hash_from_bytes, hash_to_bytes};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

/// Whether an op was new to this journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    New,
    Duplicate,
}

/// Where an op sits in `op` (its `seq`, the rowid). This PC's own ops sit at
/// their place in its chain (`seq` = `device_seq`), so the chain needs no
/// index of its own and an entry writes one B-tree fewer; ops from elsewhere
/// follow from `FOREIGN_SEQ_BASE` on, in the order they arrived, and the
/// partial index `op_chain` finds them by (device, device_seq).
pub(crate) const FOREIGN_SEQ_BASE: i64 = 1 << 32;

/// `FOREIGN_SEQ_BASE` written into the SQL that looks ops from elsewhere up
/// by chain place: SQLite only uses the partial index `op_chain` when the
/// query's own text implies its condition (a bound parameter does not).
macro_rules! foreign_ops {
    () => {
        "seq >= 4294967296"
    };
}

/// Looks up the last op stored of a device from elsewhere.
const FOREIGN_HEAD: &str = concat!(
    "SELECT device_seq, hash, hlc_ms, hlc_counter FROM op WHERE ",
    foreign_ops!(),
    " AND device = ?1 ORDER BY device_seq DESC LIMIT 1"
);

/// Looks up an op from elsewhere by its chain place.
const FOREIGN_AT: &str = concat!("SELECT hash FROM op WHERE ", foreign_ops!(), " AND device = ?1 AND device_seq = ?2");

const INSERT_OP: &str =
    "INSERT INTO op (seq, id, author, device, device_seq, hlc_ms, hlc_counter, entered_at, received_at,
    prev_hash, hash, kind, lesson_id, student_id, payload, voided)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

/// An op's hash as stored (32 bytes), or a corruption error naming the op.
fn stored_hash(op: &Op, hex: &str) -> Result<Vec<u8>> {
    hash_to_bytes(hex).ok_or_else(|| JournalError::Corrupt(format!("у операции {} неверная запись хеша", op.id)))
}

/// Stored hash bytes back in their text form.
fn hash_text(bytes: &[u8]) -> rusqlite::Result<String> {
    hash_from_bytes(bytes).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, "повреждён хеш операции".into())
    })
}

/// This PC's last op: (device_seq, hash, stamp).
pub(crate) fn own_head(conn: &Connection, device: uuid::Uuid) -> Result<Option<(u64, String, Hlc)>> {
    let sql = "SELECT device_seq, hash, hlc_ms, hlc_counter FROM op WHERE seq < ?1 ORDER BY seq DESC LIMIT 1";
    Ok(conn.prepare_cached(sql)?.query_row([FOREIGN_SEQ_BASE], |r| read_head(r, device)).optional()?)
}

/// The last op stored of another device: (device_seq, hash, stamp).
pub(crate) fn foreign_head(conn: &Connection, device: uuid::Uuid) -> Result<Option<(u64, String, Hlc)>> {
    Ok(conn.prepare_cached(FOREIGN_HEAD)?.query_row([uuid_text(device)], |r| read_head(r, device)).optional()?)
}

fn read_head(r: &rusqlite::Row<'_>, device: uuid::Uuid) -> rusqlite::Result<(u64, String, Hlc)> {
    let hlc = Hlc { wall_ms: r.get(2)?, counter: r.get(3)?, device };
    Ok((r.get::<_, i64>(0)? as u64, hash_text(r.get_ref(1)?.as_blob()?)?, hlc))
}

/// Store an op made on this PC a moment ago (sealed by the caller, so its
/// hash is not checked again) and apply it.
pub(crate) fn apply_own(conn: &Connection, op: &Op, received_at: i64) -> Result<Applied> {
    store_and_apply(conn, op, received_at, Place::Own, Lookups { duplicate: false, void: true, rejected: false })
}

/// Applies remote ops inside one transaction, remembering what it learns on
/// the way so each op costs fewer lookups: every device's last stored place in
/// its chain (an op past it cannot be a duplicate), where the next op from
/// elsewhere goes, and whether a void is in force.
pub(crate) struct RemoteBatch {
    own_device: uuid::Uuid,
    heads: HashMap<uuid::Uuid, u64>,
    next_foreign: i64,
    voids: bool,
}

impl RemoteBatch {
    pub fn new(conn: &Connection, own_device: uuid::Uuid) -> Result<RemoteBatch> {
        let voids = conn.query_row("SELECT EXISTS (SELECT 1 FROM void)", [], |r| r.get(0))?;
        let last: Option<i64> = conn.query_row("SELECT MAX(seq) FROM op", [], |r| r.get(0))?;
        let next_foreign = last.filter(|&s| s >= FOREIGN_SEQ_BASE).map_or(FOREIGN_SEQ_BASE, |s| s + 1);
        Ok(RemoteBatch { own_device, heads: HashMap::new(), next_foreign, voids })
    }

    /// Store an op from elsewhere and apply it, unless this journal has it.
    pub fn apply(&mut self, conn: &Connection, op: &Op, received_at: i64) -> Result<Applied> {
        self.store(conn, op, received_at, false)
    }

    /// Store an op from elsewhere; a `rejected` one (refused by the server's
    /// re-check) is kept in the log, voided, and never applied, so its
    /// device's chain stays whole.
    pub fn store(&mut self, conn: &Connection, op: &Op, received_at: i64, rejected: bool) -> Result<Applied> {
        if !op.hash_is_valid() {
            return Err(JournalError::Corrupt(format!("контрольная сумма операции {} не сходится", op.id)));
        }
        let own = op.device == self.own_device;
        let head = match self.heads.get(&op.device) {
            Some(head) => *head,
            None if own => own_head(conn, op.device)?.map_or(0, |(seq, _, _)| seq),
            None => foreign_head(conn, op.device)?.map_or(0, |(seq, _, _)| seq),
        };
        // This PC's own ops come back from the server after a restore from
        // an older copy. They continue its chain, or the copy has been
        // written in since and forked it: then nothing is stored.
        if own && op.device_seq > head {
            let (_, head_hash, _) = own_head(conn, op.device)?.unwrap_or((0, String::new(), op.hlc));
            if op.device_seq != head + 1 || op.prev_hash != head_hash {
                return Err(JournalError::Forked { at: op.device_seq });
            }
        }
        let place = if own { Place::Own } else { Place::Foreign(self.next_foreign) };
        let lookups = Lookups { duplicate: op.device_seq <= head, void: self.voids, rejected };
        let applied = store_and_apply(conn, op, received_at, place, lookups)?;
        if applied == Applied::New && !own {
            self.next_foreign += 1;
        }
        self.heads.insert(op.device, head.max(op.device_seq));
        self.voids |= matches!(op.kind, OpKind::VoidOps(_));
        Ok(applied)
    }
}

/// Where an op goes in `op` (see `FOREIGN_SEQ_BASE`).
#[derive(Clone, Copy)]
enum Place {
    Own,
    Foreign(i64),
}

/// Which lookups storing an op needs.
struct Lookups {
    /// Whether the log may already hold an op at this place of the chain.
    duplicate: bool,
    /// Whether a void may be in force against the op's author.
    void: bool,
    /// The op was refused by the server: stored voided, not applied.
    rejected: bool,
}

/// Store `op` in the log and apply it to the state, inside the caller's transaction.
fn store_and_apply(conn: &Connection, op: &Op, received_at: i64, place: Place, lookups: Lookups) -> Result<Applied> {
    // An op is known by its place in its device's hash chain; one past the
    // device's last stored place is new (and the primary key or the UNIQUE
    // index guards it).
    let device = uuid_text(op.device);
    let known: Option<String> = match place {
        _ if !lookups.duplicate => None,
        Place::Own => conn
            .prepare_cached("SELECT hash FROM op WHERE seq = ?1")?
            .query_row([op.device_seq as i64], |r| hash_text(r.get_ref(0)?.as_blob()?))
            .optional()?,
        Place::Foreign(_) => conn
            .prepare_cached(FOREIGN_AT)?
            .query_row(params![device, op.device_seq as i64], |r| hash_text(r.get_ref(0)?.as_blob()?))
            .optional()?,
    };
    if let Some(hash) = known {
        if hash != op.hash {
            return Err(JournalError::Corrupt(format!(
                "устройство {} прислало две разные операции под номером {}",
                op.device, op.device_seq
            )));
        }
        return Ok(Applied::Duplicate);
    }
    let seq = match place {
        // Four billion entries from one PC: not a school's lifetime of work.
        Place::Own if op.device_seq as i64 >= FOREIGN_SEQ_BASE => {
            return Err(JournalError::Corrupt(format!("номер операции этого ПК {} вне допустимого", op.device_seq)));
        }
        Place::Own => op.device_seq as i64,
        Place::Foreign(seq) => seq,
    };
    let effect = op.kind.effect().map_err(|e| JournalError::Invalid(e.to_string()))?;
    let hlc = op.hlc.encode();
    let voided = lookups.rejected || (matches!(effect, Effect::Write(_)) && lookups.void && is_voided(conn, op)?);
    let (lesson_id, student_id) = match &effect {
        Effect::Write(w) => {
            let field =
                |name: &str| w.fields.iter().find(|(f, _)| *f == name).and_then(|(_, v)| v.as_str().map(str::to_owned));
            let lesson = if w.entity == Entity::Lesson { Some(uuid_text(w.id)) } else { field("lesson_id") };
            (lesson, field("student_id"))
        }
        Effect::Void { .. } => (None, None),
    };
    let payload = serde_json::to_string(&op.kind).expect("an op kind always serialises");
    conn.prepare_cached(INSERT_OP)?
        .execute(params![
            seq,
            uuid_text(op.id),
            uuid_text(op.author),
            device,
            op.device_seq as i64,
            op.hlc.wall_ms,
            op.hlc.counter,
            op.entered_at.to_rfc3339(),
            received_at,
            stored_hash(op, &op.prev_hash)?,
            stored_hash(op, &op.hash)?,
            op.kind.name(),
            lesson_id,
            student_id,
            payload,
            voided,
        ])
        .map_err(|e| match e.sqlite_error_code() {
            // Only reachable when the chain head said "new" but the place is taken.
            Some(rusqlite::ErrorCode::ConstraintViolation) => JournalError::Corrupt(format!(
                "устройство {} прислало две разные операции под номером {}",
                op.device, op.device_seq
            )),
            _ => e.into(),
        })?;
    match effect {
        _ if lookups.rejected => {}
        Effect::Write(w) if !voided => write_fields(conn, &w, &hlc)?,
        Effect::Write(_) => {}
        Effect::Void { account, since_ms } => void(conn, op, account, since_ms)?,
    }
    Ok(Applied::New)
}

/// Take back ops of this PC that the server refused: they stay in the log,
/// voided, and the records they wrote are rebuilt (in one pass over the log)
/// from the ops that remain. Returns how many were in force here.
/// The ops are given by their `seq` (this PC's own: their chain place).
pub(crate) fn withdraw_own(conn: &Connection, seqs: &[i64]) -> Result<usize> {
    let mut touched = BTreeSet::new();
    let mut withdrawn = 0;
    for seq in seqs {
        let found: Option<(String, String)> = conn
            .prepare_cached("UPDATE op SET voided = 1 WHERE seq = ?1 AND voided = 0 RETURNING payload, id")?
            .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((payload, op_id)) = found else { continue };
        withdrawn += 1;
        match effect_of(&payload)? {
            Effect::Write(w) => {
                touched.insert((w.entity, w.id));
            }
            // A refused void stops being in force: the account's ops it
            // voided (and no other void or refusal covers) come back.
            Effect::Void { account, .. } => {
                conn.prepare_cached("DELETE FROM void WHERE op_id = ?1")?.execute([&op_id])?;
                let payloads: Vec<String> = conn
                    .prepare_cached(
                        "UPDATE op SET voided = 0
                         WHERE author = ?1 AND voided = 1 AND kind <> 'void_ops'
                           AND id NOT IN (SELECT op_id FROM sync_rejected)
                           AND NOT EXISTS (SELECT 1 FROM void v WHERE v.account_id = op.author AND v.since_ms <= op.hlc_ms)
                         RETURNING payload",
                    )?
                    .query_map([account.to_string()], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for payload in &payloads {
                    if let Effect::Write(w) = effect_of(payload)? {
                        touched.insert((w.entity, w.id));
                    }
                }
            }
        }
    }
    if !touched.is_empty() {
        rebuild(conn, touched)?;
    }
    Ok(withdrawn)
}

/// The winning stamp of one field of a record (its `clocks` entry), if set.
pub(crate) fn field_stamp(conn: &Connection, entity: Entity, id: uuid::Uuid, field: &str) -> Result<Option<String>> {
    let Some(position) = entity.fields().iter().position(|f| *f == field) else { return Ok(None) };
    let text: Option<String> =
        conn.prepare_cached(select_clocks_sql(entity))?.query_row([uuid_text(id)], |r| r.get(0)).optional()?;
    Ok(match text {
        Some(text) => Clocks::parse(&text)?.stamp_of(1u64 << position).map(str::to_owned),
        None => None,
    })
}

/// Ops of an account under a void in force are stored but never applied.
fn is_voided(conn: &Connection, op: &Op) -> Result<bool> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM void WHERE account_id = ?1 AND since_ms <= ?2 LIMIT 1")?
        .query_row(params![op.author.to_string(), op.hlc.wall_ms], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}

fn void(conn: &Connection, op: &Op, account: uuid::Uuid, since_ms: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO void (op_id, account_id, since_ms) VALUES (?1, ?2, ?3)")?.execute(params![
        op.id.to_string(),
        account.to_string(),
        since_ms
    ])?;
    let payloads: Vec<String> = conn
        .prepare_cached(
            "UPDATE op SET voided = 1
             WHERE author = ?1 AND hlc_ms >= ?2 AND voided = 0 AND kind <> 'void_ops'
             RETURNING payload",
        )?
        .query_map(params![account.to_string(), since_ms], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut touched = BTreeSet::new();
    for payload in &payloads {
        if let Effect::Write(w) = effect_of(payload)? {
            touched.insert((w.entity, w.id));
        }
    }
    rebuild(conn, touched)
}

/// What a stored payload writes.
fn effect_of(payload: &str) -> Result<Effect> {
    let kind: OpKind = serde_json::from_str(payload)
        .map_err(|e| JournalError::Corrupt(format!("нечитаемая операция в журнале: {e}")))?;
    kind.effect().map_err(|e| JournalError::Corrupt(e.to_string()))
}

/// Recompute the touched records from the valid ops that wrote them: clear
/// them, then replay every valid op on them. One pass over the log, which
/// keeps the log free of a per-record index that every entry would pay for.
fn rebuild(conn: &Connection, records: BTreeSet<(Entity, uuid::Uuid)>) -> Result<()> {
    for (entity, id) in &records {
        conn.execute(&format!("DELETE FROM {} WHERE id = ?1", entity.table()), [uuid_text(*id)])?;
    }
    let mut stmt =
        conn.prepare("SELECT payload, hlc_ms, hlc_counter, device FROM op WHERE voided = 0 AND kind <> 'void_ops'")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let payload: String = row.get(0)?;
        if let Effect::Write(w) = effect_of(&payload)?
            && records.contains(&(w.entity, w.id))
        {
            let device: String = row.get(3)?;
            let device =
                device.parse().map_err(|_| JournalError::Corrupt(format!("неверное устройство «{device}»")))?;
            let stamp = Hlc { wall_ms: row.get(1)?, counter: row.get(2)?, device };
            write_fields(conn, &w, &stamp.encode())?;
        }
    }
    Ok(())
}

/// The winning stamp of each field, grouped by stamp to keep rows small.
#[derive(Default)]
struct Clocks(BTreeMap<String, u64>);

impl Clocks {
    fn parse(text: &str) -> Result<Clocks> {
        serde_json::from_str(text)
            .map(Clocks)
            .map_err(|e| JournalError::Corrupt(format!("повреждены отметки времени записи: {e}")))
    }

    fn stamp_of(&self, bit: u64) -> Option<&str> {
        self.0.iter().find(|(_, mask)| *mask & bit != 0).map(|(stamp, _)| stamp.as_str())
    }

    fn set(&mut self, bit: u64, stamp: &str) {
        for mask in self.0.values_mut() {
            *mask &= !bit;
        }
        self.0.retain(|_, mask| *mask != 0);
        *self.0.entry(stamp.to_owned()).or_default() |= bit;
    }
}

fn write_fields(conn: &Connection, write: &Write, stamp: &str) -> Result<()> {
    let entity = write.entity;
    let id = uuid_text(write.id);
    // Table and column names come from the static schema in
    // classbook_domain::entity, never from input; values are bound.
    let current: Option<String> =
        conn.prepare_cached(select_clocks_sql(entity))?.query_row([&id], |r| r.get(0)).optional()?;
    let mut clocks = match current {
        Some(text) => Clocks::parse(&text)?,
        None => Clocks::default(),
    };
    // The fields this op wins, in schema order, so one statement serves every
    // write of the same shape.
    let mut won: Vec<(usize, &Value)> = Vec::with_capacity(write.fields.len());
    for (field, value) in &write.fields {
        let position = entity.fields().iter().position(|f| f == field).expect("effects name schema fields");
        let bit = 1u64 << position;
        if clocks.stamp_of(bit).is_some_and(|winner| winner >= stamp) {
            continue;
        }
        clocks.set(bit, stamp);
        won.push((position, value));
    }
    if won.is_empty() {
        return Ok(());
    }
    won.sort_by_key(|(position, _)| *position);
    let mask = won.iter().fold(0u64, |mask, (position, _)| mask | 1 << position);
    let clocks_text = serde_json::to_string(&clocks.0).expect("clocks serialise");
    let mut values = Vec::with_capacity(won.len() + 2);
    values.push(SqlValue::Text(id));
    values.push(SqlValue::Text(clocks_text));
    values.extend(won.into_iter().map(|(_, value)| sql_value(value)));
    conn.prepare_cached(&upsert_sql(entity, mask))?.execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn select_clocks_sql(entity: Entity) -> &'static str {
    static SQL: LazyLock<HashMap<Entity, String>> = LazyLock::new(|| {
        Entity::ALL.iter().map(|e| (*e, format!("SELECT clocks FROM {} WHERE id = ?1", e.table()))).collect()
    });
    &SQL[&entity]
}

/// `INSERT … ON CONFLICT DO UPDATE` of the fields in `mask` (bits are field
/// positions), built once per shape: formatting it per op cost more than
/// running it.
fn upsert_sql(entity: Entity, mask: u64) -> Arc<str> {
    /// Statements by (entity, field mask).
    type Upserts = HashMap<(Entity, u64), Arc<str>>;
    static SQL: LazyLock<Mutex<Upserts>> = LazyLock::new(Default::default);
    let mut cache = SQL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry((entity, mask))
        .or_insert_with(|| {
            let columns: Vec<&str> =
                entity.fields().iter().enumerate().filter(|(i, _)| mask & 1 << i != 0).map(|(_, f)| *f).collect();
            let names: String = columns.iter().map(|c| format!(", {c}")).collect();
            let params: String = (0..columns.len()).map(|i| format!(", ?{}", i + 3)).collect();
            let updates: String = columns.iter().map(|c| format!(", {c} = excluded.{c}")).collect();
            format!(
                "INSERT INTO {table} (id, clocks{names}) VALUES (?1, ?2{params})
                 ON CONFLICT (id) DO UPDATE SET clocks = excluded.clocks{updates}",
                table = entity.table()
            )
            .into()
        })
        .clone()
}

/// A UUID's text form, without the `fmt` machinery `to_string` goes through
/// (several per applied op, which made it a tenth of storing one).
fn uuid_text(id: uuid::Uuid) -> String {
    id.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()).to_owned()
}

fn sql_value(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// Read an op back from its log row (for sync and verification).
pub fn op_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Op> {
    fn bad(e: impl std::fmt::Display) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
    }
    let uuid = |i: usize| -> rusqlite::Result<uuid::Uuid> { row.get::<_, String>(i)?.parse().map_err(bad) };
    Ok(Op {
        id: uuid(0)?,
        author: uuid(1)?,
        device: uuid(2)?,
        device_seq: row.get::<_, i64>(3)? as u64,
        hlc: Hlc { wall_ms: row.get(4)?, counter: row.get(5)?, device: uuid(2)? },
        entered_at: chrono::DateTime::parse_from_rfc3339(&row.get::<_, String>(6)?).map_err(bad)?.to_utc(),
        prev_hash: hash_text(row.get_ref(7)?.as_blob()?)?,
        hash: hash_text(row.get_ref(8)?.as_blob()?)?,
        kind: serde_json::from_str(&row.get::<_, String>(9)?).map_err(bad)?,
    })
}

/// `OP_COLUMNS` of a query that names the op table `o` (beside tables that
/// have an `id` too).
pub const OP_COLUMNS_OF_O: &str =
    "o.id, o.author, o.device, o.device_seq, o.hlc_ms, o.hlc_counter, o.entered_at, o.prev_hash, o.hash, o.payload";

/// The columns `op_from_row` expects, in order.
pub const OP_COLUMNS: &str =
    "id, author, device, device_seq, hlc_ms, hlc_counter, entered_at, prev_hash, hash, payload";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_of_o_are_the_op_columns() {
        let prefixed: Vec<String> = OP_COLUMNS.split(", ").map(|c| format!("o.{}", c.trim())).collect();
        assert_eq!(OP_COLUMNS_OF_O, prefixed.join(", "));
    }

    /// The chain lookups of ops from elsewhere go through `op_chain`, not a
    /// scan of every op from elsewhere.
    #[test]
    fn foreign_chain_lookups_use_the_partial_index() {
        assert_eq!(format!("seq >= {FOREIGN_SEQ_BASE}"), foreign_ops!());
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("journal.db")).unwrap();
        for sql in [FOREIGN_HEAD, FOREIGN_AT] {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(rusqlite::params_from_iter(["x", "1"].iter().take(sql.matches('?').count())), |r| {
                    r.get::<_, String>(3)
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert!(plan.iter().any(|step| step.contains("USING INDEX op_chain")), "{sql}: {plan:?}");
        }
    }
}
