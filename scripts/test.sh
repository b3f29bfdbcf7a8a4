#!/usr/bin/env bash
# The test command: every test of the workspace (unit, property and end-to-end,
# including the desktop app driven through WebDriver under Xvfb). CI runs
# exactly this (through .ci/run). Extra arguments go to the test runner,
# e.g. `scripts/test.sh hlc` runs only tests whose name contains "hlc".
#
# The library tests alone need none of the desktop's packages:
# `cargo nextest run` (default members, without src-tauri).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_system_packages
ensure_rust
ensure_tauri_driver
# The desktop binary embeds ui/dist, so the UI is built before any cargo step.
build_ui

status=0
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast "$@" || status=$?
else
    log "cargo-nextest not found; falling back to cargo test (install: cargo install cargo-nextest --locked)"
    cargo test --workspace --no-fail-fast -- "$@" || status=$?
fi

if [ "$status" -ne 0 ]; then
    log "tests FAILED (exit code $status)"
fi
exit "$status"
