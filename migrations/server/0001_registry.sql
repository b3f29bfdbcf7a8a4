-- The server's registry: the schools it holds and the PCs registered with
-- them. Each school's journal itself is a file of its own
-- (schools/<school id>.journal), not tables here.

CREATE TABLE schools (
    id          TEXT PRIMARY KEY,   -- uuid, the school's id in its journals
    name        TEXT,               -- as the founding PC gave it; may be unknown
    created_at  TEXT NOT NULL       -- RFC 3339, UTC
) STRICT;

CREATE TABLE devices (
    id             TEXT PRIMARY KEY,  -- uuid, the PC's device id (its ops' `device`)
    school_id      TEXT NOT NULL REFERENCES schools (id),
    name           TEXT NOT NULL,
    -- blake3 of the token: a stolen copy of this file gives no working token.
    token_hash     BLOB NOT NULL UNIQUE,
    registered_at  TEXT NOT NULL,
    revoked_at     TEXT,              -- set: the token is refused
    last_seen      TEXT
) STRICT;

CREATE INDEX devices_school ON devices (school_id);
