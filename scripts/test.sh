#!/usr/bin/env bash
# The test command: every test of the workspace (unit, property and end-to-end,
# including the desktop app driven through WebDriver under Xvfb) and the Debian
# package's test (scripts/test-package.sh: build, install with dpkg -i, start,
# remove). CI runs exactly this (through .ci/run). Extra arguments go to the
# test runner, e.g. `scripts/test.sh hlc` runs only tests whose name contains
# "hlc", and leave the package test out.
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
# The package test first, so that the test runner's summary stays the last
# lines of the run.
package_status=0
if [ "$#" -eq 0 ]; then
    bash scripts/test-package.sh || package_status=$?
    [ "$package_status" -eq 0 ] || status=$package_status
else
    log "package test skipped: a test filter was given"
fi

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast "$@" || status=$?
else
    log "cargo-nextest not found; falling back to cargo test (install: cargo install cargo-nextest --locked)"
    cargo test --workspace --no-fail-fast -- "$@" || status=$?
fi

if [ "$package_status" -ne 0 ]; then
    log "package test FAILED (scripts/test-package.sh, exit code $package_status)"
fi
if [ "$status" -ne 0 ]; then
    log "tests FAILED (exit code $status)"
fi
exit "$status"
