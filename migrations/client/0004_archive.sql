-- The archive register (REQUIREMENTS §5: archive copies at the end of each
-- year are entered in an archive register): one row per yearly archive bundle
-- made on this PC (crates/classbook-archive). A local table, never synced:
-- like backup_log, it records what this PC wrote and where.
-- `number` is the register's running number; `created_at` and `verified_at`
-- are RFC 3339 UTC; `manifest_sha256` is the SHA-256 of the bundle's
-- manifest.json (which names the SHA-256 of every other file); `signer` the
-- school key's public half (hex) that signed it, `key_fingerprint` its short
-- form for people; `destinations` one folder per line.
CREATE TABLE archive_register (
    number          INTEGER PRIMARY KEY,
    year            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    who             TEXT NOT NULL,
    bundle          TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    signer          TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    files           INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,
    destinations    TEXT NOT NULL,
    verified_at     TEXT,
    verified_ok     INTEGER
);
CREATE INDEX archive_register_bundle ON archive_register (bundle);
