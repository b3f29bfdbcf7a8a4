-- Backups of this journal made on this PC (crates/classbook-backup): a local
-- table, never synced — each PC keeps the log of its own copies, and «the
-- last good backup» is the newest row with verified = 1.
-- `created_at` is RFC 3339 UTC; `sha256` the hash of the whole backup file as
-- read back from the medium; `error` the Russian reason when it failed.
CREATE TABLE backup_log (
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sha256     TEXT,
    bytes      INTEGER,
    verified   INTEGER NOT NULL DEFAULT 0,
    error      TEXT
);
CREATE INDEX backup_log_created ON backup_log (created_at);
