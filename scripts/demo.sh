#!/usr/bin/env bash
# The first thing to run on a fresh machine: builds the desktop app (release)
# and starts it on the demo school. On the first start the app creates the
# demo school in ./demo.db (about 20 s, with a progress bar in the window);
# later starts reopen it with everything entered since.
#
#   scripts/demo.sh                       # journal at ./demo.db
#   CLASSBOOK_DEMO_DB=/tmp/x.db scripts/demo.sh
#   rm demo.db && scripts/demo.sh         # start again from a fresh demo school
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
build_ui

log "building classbook-desktop (release; the first build takes about 17 minutes on 2 cores)"
cargo build --release -p classbook-desktop

[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] \
    || die "no display: run this in a desktop session (or under xvfb-run for a headless check)"
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
log "starting the app on $DB (demo accounts: see README; password demo2025)"
exec "$TARGET/release/classbook-desktop" --db "$DB" --demo
