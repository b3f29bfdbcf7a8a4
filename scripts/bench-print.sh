#!/usr/bin/env bash
# The printing benchmark (docs/BENCHMARKS.md, «Printing»): the default demo
# school (30 classes, 800 students, the whole year) in a temp dir; the yearly
# journal of one class with the release CLI (hyperfine), the whole school
# class by class with its peak memory (/usr/bin/time), and the same journal
# rendered as HTML and printed to PDF by headless Chromium (hyperfine), the
# way web journals print.
#
#   scripts/bench-print.sh                 # class 5А
#   CLASSBOOK_BENCH_CLASS=11Б scripts/bench-print.sh
#
# Needs hyperfine, GNU time, poppler-utils and chromium-headless-shell
# (apt-get install -y hyperfine time poppler-utils chromium-headless-shell).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_rust
for tool in hyperfine /usr/bin/time pdfinfo chromium-headless-shell; do
    command -v "$tool" >/dev/null 2>&1 || die "need $tool (apt-get install -y hyperfine time poppler-utils chromium-headless-shell)"
done
CLASS="${CLASSBOOK_BENCH_CLASS:-5А}"
log "building the classbook CLI and the HTML twin of the journal (release)"
cargo build --release -p classbook-cli
cargo build --release -p classbook-print --example journal_html
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
BIN="$TARGET/release/classbook"
WORK="$(mktemp -d "${CLASSBOOK_BENCH_DIR:-/var/tmp}/classbook-print.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
"$BIN" --db "$WORK/demo.db" demo >/dev/null

log "one class: the yearly journal of $CLASS"
hyperfine --warmup 1 --runs 10 -N \
    "$BIN --db $WORK/demo.db print journal --class $CLASS --out $WORK/journal.pdf"
pdfinfo "$WORK/journal.pdf" | grep -E '^(Pages|File size)'
/usr/bin/time -f 'peak RSS %M KB, %e s' "$BIN" --db "$WORK/demo.db" print journal --class "$CLASS" --out "$WORK/journal.pdf"

log "the whole school, class by class"
/usr/bin/time -f 'peak RSS %M KB, %e s' "$BIN" --db "$WORK/demo.db" print journal --out "$WORK/school" | tail -1
du -sh "$WORK/school"

log "headless Chromium printing the same journal from HTML"
"$TARGET/release/examples/journal_html" "$WORK/demo.db" "$WORK/html" "$CLASS"
HTML="file://$WORK/html/journal-$CLASS.html"
CHROME="chromium-headless-shell --no-sandbox --disable-gpu --no-pdf-header-footer"
hyperfine --warmup 1 --runs 5 -N "$CHROME --print-to-pdf=$WORK/chrome.pdf $HTML"
pdfinfo "$WORK/chrome.pdf" | grep -E '^(Pages|File size)'
/usr/bin/time -f 'peak RSS of the browser process %M KB, %e s' $CHROME --print-to-pdf="$WORK/chrome.pdf" "$HTML" 2>&1 \
    | grep -v -E 'WARNING|bytes written'
