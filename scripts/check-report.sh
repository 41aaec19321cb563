#!/usr/bin/env bash
# Builds a folder of 1,000+ pages (the seeds and the dev set, copied under new names), runs
# `clean --report`, `diff` and `explain` over it, renders the report in headless Chromium, fails on
# a script error, and saves a screenshot (docs/report.png unless SCREENSHOT says otherwise).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$here/../shared/eval}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "check-report: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/boilerstrip"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/pages"
for copy in $(seq -w 1 13); do
  for page in "$eval_dir"/dev/input/*.txt "$here"/seeds/*.txt; do
    cp "$page" "$work/pages/${copy}_$(basename "$page")"
  done
done
pages=$(ls "$work/pages" | wc -l)

"$bin" clean "$work/pages" --quiet -o "$work/out.jsonl" --report "$work/report.html"
"$bin" diff "$work/pages" --only-removed --quiet > "$work/diff.txt"
"$bin" explain --file "$work/pages/01_001_4d15d9c81d45f0a7.txt" --line 29 > "$work/explain.txt"
echo "pages: $pages; records: $(wc -l < "$work/out.jsonl"); diff lines: $(wc -l < "$work/diff.txt"); report: $(du -h "$work/report.html" | cut -f1)"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync "--user-data-dir=$work/profile" --virtual-time-budget=5000)
"$chromium" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$work/report.html" \
  > "$work/dom.html" 2> "$work/console.log"
grep -q 'data-rendered="yes"' "$work/dom.html" || { echo "report script did not finish" >&2; cat "$work/console.log" >&2; exit 1; }
if grep -q 'data-error=' "$work/dom.html" || grep -q 'Uncaught' "$work/console.log"; then
  echo "report has a script error" >&2; grep -E 'Uncaught|CONSOLE' "$work/console.log" >&2; exit 1
fi
echo "chromium: report rendered $(grep -o '<details id="doc-' "$work/dom.html" | wc -l) documents, no console errors"

screenshot=${SCREENSHOT:-$here/docs/report.png}
# A small run (the seeds) makes a readable screenshot; open the first document's diff.
"$bin" clean "$here/seeds" --quiet -o "$work/seeds.jsonl" --report "$work/seeds.html"
"$chromium" "${flags[@]}" --window-size=1280,1500 --screenshot="$screenshot" "file://$work/seeds.html#doc-1" 2>/dev/null
echo "screenshot: $screenshot"
