-- The change log's index of cells (`op_cell`) carries what the reports ask
-- of each op — its kind, its time of entry on its PC, its author and the mark
-- it is about — so that the change log report and timeliness read this index
-- instead of the op log and its JSON payloads (docs/BENCHMARKS.md «Reports»).
-- It is derived data, filled lazily from the op log by history::index_cells,
-- so it is rebuilt rather than altered: emptied here, refilled at the next
-- report or change log.
DROP TABLE op_cell;
CREATE TABLE op_cell (
    lesson_id  TEXT NOT NULL,
    student_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    author     TEXT NOT NULL,
    mark_id    TEXT,
    PRIMARY KEY (lesson_id, student_id, seq)
) WITHOUT ROWID;
DELETE FROM local WHERE key IN ('cells_own', 'cells_foreign');

-- Ops voided as made under a compromised account are few: the reports skip
-- them through this index instead of reading each op.
CREATE INDEX op_voided ON op (seq) WHERE voided = 1;
