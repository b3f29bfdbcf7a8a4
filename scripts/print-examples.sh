#!/usr/bin/env bash
# Renews the example pages of docs/print/: prints the demo school's 5А (the
# yearly journal, the summary sheet, a week's printout for one student's
# parents, a report card, a letter to parents and the class teacher's report
# for the 3rd quarter) with the release CLI and renders chosen pages with
# pdftoppm. Run it after changing a layout, look at the pictures, commit them.
#
#   scripts/print-examples.sh            # into docs/print (PDFs kept in a temp dir)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CLASSBOOK_ROOT"

ensure_rust
command -v pdftoppm >/dev/null 2>&1 || die "need poppler-utils (apt-get install -y poppler-utils)"
log "building the classbook CLI (release)"
cargo build --release -p classbook-cli
TARGET="${CARGO_TARGET_DIR:-$CLASSBOOK_ROOT/target}"
BIN="$TARGET/release/classbook"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
OUT="$CLASSBOOK_ROOT/docs/print"
mkdir -p "$OUT"
rm -f "$OUT"/*.png

"$BIN" --db "$WORK/demo.db" demo >/dev/null
"$BIN" --db "$WORK/demo.db" print journal --class 5А --out "$WORK/journal.pdf"
"$BIN" --db "$WORK/demo.db" print summary --class 5А --out "$WORK/summary.pdf"
"$BIN" --db "$WORK/demo.db" print parent --class 5А --student "Котова Валерия" --from 11.05.2026 --to 17.05.2026 \
    --out "$WORK/parent.pdf"
"$BIN" --db "$WORK/demo.db" print report-card --class 5А --student "Котова Валерия" --out "$WORK/report-card.pdf"
"$BIN" --db "$WORK/demo.db" print letter --class 5А --student "Котова Валерия" --period 3 --out "$WORK/letter.pdf"
"$BIN" --db "$WORK/demo.db" print class-report --class 5А --period 3 --out "$WORK/class-report.pdf"

# page NAME PDF PAGE: docs/print/NAME.png at 80 dpi
page() {
    pdftoppm -r 80 -f "$3" -l "$3" -png -singlefile "$2" "$OUT/$1"
}
last=$(pdfinfo "$WORK/journal.pdf" | awk '/^Pages:/ {print $2}')
# The contents page says where the sections begin.
contents=$(pdftotext -f 2 -l 2 -layout "$WORK/journal.pdf" -)
section_page() { awk -v s="$1" 'index($0, s) == 1 || index($0, " " s) { print $NF; exit }' <<<"$contents"; }
math=$(section_page "Математика")
absences=$(section_page "Сведения о пропущенных уроках")

page journal-01-title "$WORK/journal.pdf" 1
page journal-02-contents "$WORK/journal.pdf" 2
page journal-03-class-list "$WORK/journal.pdf" 3
page journal-04-grid-left "$WORK/journal.pdf" "$math"
page journal-05-topics-right "$WORK/journal.pdf" "$((math + 1))"
page journal-06-absences "$WORK/journal.pdf" "$absences"
page journal-07-binding-certificate "$WORK/journal.pdf" "$last"
page summary-sheet "$WORK/summary.pdf" 1
page parent-printout "$WORK/parent.pdf" 1
page report-card "$WORK/report-card.pdf" 1
page parent-letter "$WORK/letter.pdf" 1
page class-teacher-report "$WORK/class-report.pdf" 1
log "pages of a $last-page journal of 5А are in docs/print:"
ls -1 "$OUT"
