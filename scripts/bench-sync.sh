#!/usr/bin/env bash
# The sync benchmark (docs/BENCHMARKS.md, «Sync»): builds the release server,
# CLI and crates/classbook-server/examples/sync_bench.rs, then runs the
# benchmark inside its own D-Bus session with an unlocked gnome-keyring (the
# CLI keeps the device token in the OS keyring), with HOME and the XDG
# directories in a temp dir, so the user's own keyring is never touched.
#
#   scripts/bench-sync.sh                                   # everything (~10 min on 2 cores)
#   CLASSBOOK_BENCH_PARTS=load scripts/bench-sync.sh        # only the 200-device load run
#   CLASSBOOK_BENCH_PARTS=full CLASSBOOK_BENCH_RUNS=5 scripts/bench-sync.sh
#
# Knobs (environment): CLASSBOOK_BENCH_PARTS (full,load), CLASSBOOK_BENCH_RUNS (first syncs of
# B, 3), CLASSBOOK_BENCH_ROUNDS (incremental rounds, 5), CLASSBOOK_BENCH_DEVICES (200),
# CLASSBOOK_BENCH_OPS (100), CLASSBOOK_BENCH_CLASSES/_STUDENTS (4/80, the load run's school),
# CLASSBOOK_BENCH_DIGEST=0 (skip comparing A's and B's state digests), CLASSBOOK_BENCH_DIR
# (/var/tmp), CLASSBOOK_BENCH_KEEP=1 (keep the files). The output is also written to
# target/bench-sync-<time>.txt.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_rust
command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 \
    || die "need dbus and gnome-keyring (apt-get install -y dbus gnome-keyring)"

log "building classbook-server, classbook and the benchmark (release)"
cargo build --release -p classbook-server -p classbook-cli
cargo build --release -p classbook-server --example sync_bench
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"

# The keyring's home: after the build (cargo and rustup find their files through HOME).
KEYRING_HOME="$(mktemp -d "${TMPDIR:-/tmp}/classbook-bench-keyring.XXXXXX")"
trap 'rm -rf "$KEYRING_HOME"' EXIT
mkdir -p "$KEYRING_HOME/home/.local/share"
mkdir -m 0700 "$KEYRING_HOME/run"
OUT="$TARGET/bench-sync-$(date +%Y%m%d-%H%M%S).txt"

log "running the benchmark (output also in $OUT)"
env HOME="$KEYRING_HOME/home" XDG_DATA_HOME="$KEYRING_HOME/home/.local/share" XDG_RUNTIME_DIR="$KEYRING_HOME/run" \
    CLASSBOOK_SERVER_BIN="$TARGET/release/classbook-server" CLASSBOOK_CLI_BIN="$TARGET/release/classbook" \
    dbus-run-session -- bash -c '
        set -euo pipefail
        echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        "$0"
        status=$?
        exit $status
    ' "$TARGET/release/examples/sync_bench" | tee "$OUT"
