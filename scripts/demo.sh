#!/usr/bin/env bash
# The first thing to run on a fresh machine: builds the `classbook` CLI
# (release), creates a demo school in a fresh journal file, prints the demo
# accounts and the journal's statistics.
#
#   scripts/demo.sh                 # journal at ./demo.db
#   scripts/demo.sh --seed 7        # extra arguments go to `classbook demo`
#   CLASSBOOK_DEMO_DB=/tmp/x.db scripts/demo.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Resolve the journal path against the caller's directory before moving to the root.
DB="${CLASSBOOK_DEMO_DB:-$PWD/demo.db}"
case "$DB" in
    /*) ;;
    *) DB="$PWD/$DB" ;;
esac

cd "$CLASSBOOK_ROOT"
ensure_system_packages
ensure_rust

log "building classbook (release; the first build takes a few minutes)"
cargo build --release -p classbook-cli --bin classbook

classbook() {
    cargo run --quiet --release -p classbook-cli --bin classbook -- "$@"
}

# Start from an empty journal so the demo is repeatable.
rm -f -- "$DB" "$DB-wal" "$DB-shm"
mkdir -p -- "$(dirname -- "$DB")"

log "classbook --db $DB demo${*:+ $*}"
classbook --db "$DB" demo "$@"
log "classbook --db $DB stats"
classbook --db "$DB" stats
log "demo journal: $DB (explore it: cargo run --release -q -p classbook-cli -- --db \"$DB\" users list)"
