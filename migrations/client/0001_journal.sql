-- The journal on one PC: the op log (append-only, hash-chained per device),
-- the outbox, local-only tables, and the state tables the UI reads.
-- State tables mirror classbook_domain::entity: each written column is a
-- last-writer-wins register whose winning clock stamp is kept in `clocks`.
-- They carry no foreign keys on purpose: ops arrive in any order from sync.

-- The op log. (device, device_seq) is the op's place in its device's hash
-- chain, by which a duplicate is recognised; `seq` (see `op_chain` below)
-- keeps this PC's entries and each pulled batch appending at the end of their
-- own part of the table.
CREATE TABLE op (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL,            -- unique by construction (UUIDv7); the server keys on it
    author       TEXT NOT NULL,
    device       TEXT NOT NULL,
    device_seq   INTEGER NOT NULL,
    hlc_ms       INTEGER NOT NULL,         -- the op's clock stamp is (hlc_ms, hlc_counter, device)
    hlc_counter  INTEGER NOT NULL,
    entered_at   TEXT NOT NULL,            -- RFC 3339, the PC's clock at entry
    received_at  INTEGER NOT NULL,         -- Unix ms when this PC stored it
    prev_hash    BLOB NOT NULL,            -- 32 bytes of blake3; empty for a device's first op
    hash         BLOB NOT NULL,
    kind         TEXT NOT NULL,
    lesson_id    TEXT,                     -- for the change log of cells and lessons
    student_id   TEXT,
    payload      TEXT NOT NULL,            -- JSON of the OpKind
    voided       INTEGER NOT NULL DEFAULT 0
);
-- `seq` places the op: this PC's own ops at their place in its hash chain
-- (seq = device_seq, so the chain costs an entry no index write), ops from
-- elsewhere from 2^32 on in the order they arrived, found by their chain
-- place through this index (see `apply::FOREIGN_SEQ_BASE`).
CREATE UNIQUE INDEX op_chain ON op (device, device_seq) WHERE seq >= 4294967296;
-- Rows are kept small on purpose: a remote batch's cost is mostly the bytes
-- it writes, and the op row is most of them (hashes as bytes, no columns that
-- only repeat the payload). Every index on `op` is paid by every entry, so
-- the only one is the chain of ops from elsewhere; voiding an account scans
-- the log instead (it is rare and done by an administrator).

-- The change log's index: which ops touched a journal cell, or a lesson's own
-- fields (student_id ''). Derived from `op.lesson_id`/`op.student_id` and kept
-- behind the log rather than written by each entry (an entry writes one B-tree
-- fewer): a change log asked for, and every bulk write, first index the ops
-- past `local.cells_own` and `local.cells_foreign` (`history::index_cells`).
CREATE TABLE op_cell (
    lesson_id  TEXT NOT NULL,
    student_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, student_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER op_is_append_only
BEFORE UPDATE OF id, author, device, device_seq, hlc_ms, hlc_counter, entered_at, received_at, prev_hash, hash, kind,
                 lesson_id, student_id, payload ON op
BEGIN
    SELECT RAISE(ABORT, 'журнал операций только дополняется: изменять записи в нём нельзя');
END;

CREATE TRIGGER op_is_never_deleted
BEFORE DELETE ON op
BEGIN
    SELECT RAISE(ABORT, 'журнал операций только дополняется: удалять записи из него нельзя');
END;

-- Void ops in force: ops of `account_id` stamped at or after `since_ms` are void.
CREATE TABLE void (
    op_id      TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    since_ms   INTEGER NOT NULL
);
CREATE INDEX void_account ON void (account_id);

-- Ops made on this PC that the server has not taken yet: this device's ops
-- (the ones below 2^32) after the push cursor `local.pushed_seq` (the hash
-- chain is pushed in order). A view, not a table: an entry costs no extra write.
CREATE VIEW outbox AS
SELECT op.* FROM op
WHERE op.seq > COALESCE((SELECT CAST(value AS INTEGER) FROM local WHERE key = 'pushed_seq'), 0)
  AND op.seq < 4294967296;

-- Facts about this PC that never sync: its device id, the push cursor, and its
-- clock as of the last remote ops it saw (its own stamps are in its last op).
CREATE TABLE local (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Failed logins on this PC (lockout is per PC and works offline).
CREATE TABLE login_failure (
    login        TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT
);

CREATE TABLE setting (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    key TEXT, value TEXT
);
CREATE TABLE academic_year (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    title TEXT, starts_on TEXT, ends_on TEXT
);
CREATE TABLE period (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    year_id TEXT, kind TEXT, number INTEGER, title TEXT, starts_on TEXT, ends_on TEXT,
    closed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE holiday (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    year_id TEXT, kind TEXT, starts_on TEXT, ends_on TEXT, title TEXT
);
CREATE TABLE class (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    year_id TEXT, grade INTEGER, letter TEXT, class_teacher_id TEXT,
    graded INTEGER NOT NULL DEFAULT 1, shift INTEGER
);
CREATE TABLE study_group (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    class_id TEXT, subject_id TEXT, title TEXT, kind TEXT
);
CREATE TABLE group_member (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    group_id TEXT, student_id TEXT, active INTEGER
);
CREATE INDEX group_member_group ON group_member (group_id);
CREATE TABLE student (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    surname TEXT, first_name TEXT, patronymic TEXT, birth_date TEXT, gender TEXT,
    individual_plan INTEGER
);
CREATE TABLE parent (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    surname TEXT, first_name TEXT, patronymic TEXT, phone TEXT, email TEXT
);
CREATE TABLE parent_link (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    parent_id TEXT, student_id TEXT, relation TEXT, active INTEGER
);
CREATE INDEX parent_link_parent ON parent_link (parent_id);
CREATE TABLE staff (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    surname TEXT, first_name TEXT, patronymic TEXT, position TEXT
);
CREATE TABLE account (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    login TEXT, roles TEXT, staff_id TEXT, student_id TEXT, parent_id TEXT,
    blocked INTEGER NOT NULL DEFAULT 0, password_hash TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX account_login ON account (login);
CREATE TABLE subject (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    name TEXT, short_name TEXT, print_order INTEGER, federal INTEGER
);
CREATE TABLE curriculum (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    class_id TEXT, subject_id TEXT, hours_per_year REAL, grading TEXT
);
CREATE INDEX curriculum_class ON curriculum (class_id, subject_id);
CREATE TABLE work_type (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    name TEXT, short_name TEXT, weight REAL
);
CREATE TABLE room (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    name TEXT
);
CREATE TABLE bell (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    schedule TEXT, number INTEGER, starts_at TEXT, ends_at TEXT
);
CREATE TABLE assignment (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    class_id TEXT, group_id TEXT, subject_id TEXT, teacher_id TEXT, active INTEGER
);
CREATE INDEX assignment_teacher ON assignment (teacher_id);
CREATE TABLE timetable_slot (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    class_id TEXT, group_id TEXT, subject_id TEXT, teacher_id TEXT, room_id TEXT,
    weekday INTEGER, number INTEGER, valid_from TEXT, valid_to TEXT
);
CREATE TABLE lesson (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    date TEXT, number INTEGER, class_id TEXT, group_id TEXT, subject_id TEXT, teacher_id TEXT,
    room_id TEXT, substitute_id TEXT, status TEXT, moved_to TEXT, topic TEXT, ktp_item_id TEXT,
    homework TEXT, comment TEXT
);
CREATE INDEX lesson_page ON lesson (class_id, subject_id, date);
CREATE INDEX lesson_teacher ON lesson (teacher_id, date);
CREATE INDEX lesson_date ON lesson (date);
-- Substitutions are few: only they are indexed (who may open which class).
CREATE INDEX lesson_substitute ON lesson (substitute_id, class_id) WHERE substitute_id IS NOT NULL;
-- Transfers are few too: the day a lesson moved to, for that day's lists.
CREATE INDEX lesson_moved ON lesson (moved_to) WHERE moved_to IS NOT NULL;
CREATE TABLE ktp_item (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    teacher_id TEXT, class_id TEXT, group_id TEXT, subject_id TEXT, number INTEGER, topic TEXT,
    hours REAL
);
CREATE INDEX ktp_item_plan ON ktp_item (class_id, subject_id, number);
CREATE TABLE individual_homework (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    lesson_id TEXT, student_id TEXT, text TEXT
);
CREATE INDEX individual_homework_lesson ON individual_homework (lesson_id);
CREATE TABLE mark (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    lesson_id TEXT, student_id TEXT, value TEXT, work_type_id TEXT, comment TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mark_lesson ON mark (lesson_id, student_id);
CREATE TABLE attendance (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    lesson_id TEXT, student_id TEXT, code TEXT, reason TEXT
);
CREATE INDEX attendance_lesson ON attendance (lesson_id, student_id);
CREATE TABLE final_mark (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    student_id TEXT, subject_id TEXT, period_id TEXT, value TEXT, deferred_until TEXT
);
CREATE INDEX final_mark_student ON final_mark (student_id, subject_id);
CREATE INDEX final_mark_subject ON final_mark (subject_id, period_id);
CREATE TABLE movement (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    student_id TEXT, kind TEXT, class_id TEXT, date TEXT, order_number TEXT, order_date TEXT,
    note TEXT
);
CREATE INDEX movement_student ON movement (student_id, date);
CREATE INDEX movement_class ON movement (class_id);
CREATE TABLE consent (
    id TEXT PRIMARY KEY, clocks TEXT NOT NULL DEFAULT '{}',
    person_id TEXT, status TEXT, date TEXT, note TEXT
);
