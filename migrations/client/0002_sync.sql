-- Sync: ops the server refused. The op itself stays in the log, voided and
-- never applied (so every device's hash chain stays whole everywhere); this
-- table says why, and its author finds it in the inbox of refused entries.
-- `learned_at` is when this journal learned of the refusal (Unix ms).
CREATE TABLE sync_rejected (
    op_id      TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    message    TEXT NOT NULL,
    learned_at INTEGER NOT NULL
);
