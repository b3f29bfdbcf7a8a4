#!/usr/bin/env bash
# The desktop app's benchmark (docs/BENCHMARKS.md, «Desktop app»): builds the
# release binary, creates the default demo school in a temp dir and drives the
# real window under Xvfb through WebDriver: cold start, opening a 35 × 70 page,
# mark keystrokes, memory after an hour's worth of use.
#
#   scripts/bench-desktop.sh
#   CLASSBOOK_BENCH_ROUNDS=60 scripts/bench-desktop.sh   # three hours' worth, compressed
#   CLASSBOOK_BENCH_ROUNDS=60 CLASSBOOK_BENCH_MINUTES=60 scripts/bench-desktop.sh   # a real hour
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_system_packages
ensure_rust
ensure_tauri_driver
build_ui

log "building classbook-desktop and the benchmark (release)"
cargo build --release -p classbook-desktop --bin classbook-desktop --example desktop_bench
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
# No DISPLAY: the benchmark starts its own Xvfb, as the end-to-end tests do.
env -u DISPLAY CLASSBOOK_DESKTOP_BIN="$TARGET/release/classbook-desktop" "$TARGET/release/examples/desktop_bench"
