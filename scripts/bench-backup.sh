#!/usr/bin/env bash
# The backup benchmark (docs/BENCHMARKS.md, «Backups»): the default demo
# school (30 classes, 800 students, the whole year) in a temp dir; hyperfine
# times, in the same run, a plain `cp` of the journal file, `cp` followed by
# an fsync of the copy (a backup is fsync'd), `classbook backup` (snapshot,
# zstd, encryption, fsync, read-back check), `classbook verify` with the
# passphrase (decrypt, hashes, integrity_check, op chains) and without it
# (signature and SHA-256 only), and `classbook restore`.
#
#   scripts/bench-backup.sh
#   CLASSBOOK_BENCH_DIR=/media/admin/USB scripts/bench-backup.sh   # copies onto a stick
#
# The passphrase comes from CLASSBOOK_BACKUP_PASSPHRASE, so each backup also
# derives the school's key (argon2id, 64 MiB): a PC whose key is in the
# keyring (`classbook backup key`) skips that. examples/backup_stages.rs
# times it alone, and each stage of a backup, a verify and a restore.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_rust
command -v hyperfine >/dev/null 2>&1 || die "need hyperfine (apt-get install -y hyperfine)"
log "building the classbook CLI and the backup stage timer (release)"
cargo build --release -p classbook-cli
cargo build --release -p classbook-backup --example backup_stages
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
BIN="$TARGET/release/classbook"
WORK="$(mktemp -d /var/tmp/classbook-backup.XXXXXX)"
DEST="$(mktemp -d "${CLASSBOOK_BENCH_DIR:-/var/tmp}/classbook-backup-dest.XXXXXX")"
trap 'rm -rf "$WORK" "$DEST"' EXIT
export CLASSBOOK_BACKUP_PASSPHRASE="пароль для замера копий"
"$BIN" --db "$WORK/demo.db" demo >/dev/null
ls -l "$WORK/demo.db"

log "cp, cp + fsync, classbook backup (same run)"
hyperfine --warmup 2 --runs 10 -N \
    --prepare "rm -f $DEST/plain.db" "cp $WORK/demo.db $DEST/plain.db" \
    --prepare "rm -f $DEST/plain.db" "bash -c 'cp $WORK/demo.db $DEST/plain.db && sync $DEST/plain.db'" \
    --prepare "bash -c 'rm -f $DEST/*.cbbackup'" "$BIN --db $WORK/demo.db backup --to $DEST --keep 1"
"$BIN" --db "$WORK/demo.db" backup --to "$DEST" --keep 1 | grep -E 'Размер'
COPY="$(ls "$DEST"/*.cbbackup | head -1)"

log "verify: with the passphrase (everything) and without it (signature, SHA-256)"
hyperfine --warmup 1 --runs 5 -N \
    "$BIN verify $COPY" \
    "env -u CLASSBOOK_BACKUP_PASSPHRASE DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent $BIN verify $COPY"

log "restore over the journal (its safety copy included)"
hyperfine --warmup 1 --runs 5 -N \
    --cleanup "bash -c 'rm -f $WORK/demo.db.before-restore-*'" \
    "$BIN --db $WORK/demo.db restore $COPY"

log "where a backup's time goes (in-process, the same journal)"
"$TARGET/release/examples/backup_stages" "$WORK/demo.db" "$DEST"
