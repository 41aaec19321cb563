#!/usr/bin/env bash
# Whole-run speed, measured side by side in one run on the same files (the machine is noisy:
# compare the ratios, not the MB/s), written as docs/performance.md.
#
# Usage: scripts/bench.sh [PAGES]   (default 20000 generated pages)
#   OUT=-            print the tables instead of writing docs/performance.md
#   BENCH_DIR=DIR    keep the generated pages there between runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-20000}
out=${OUT:-$here/docs/performance.md}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin boilerstrip --example gen_corpus --example classifier_cost
bin="$here/target/release/boilerstrip"
c4="$here/../shared/bench/c4_filter.py"
dev="$here/../shared/eval/dev/input"
if [ ! -d "$work/pages" ]; then
  "$here/target/release/examples/gen_corpus" --pages "$pages" --seed 1 --dir "$work/pages" --jsonl "$work/pages.jsonl" > /dev/null
fi
# The real dev pages, copied 30 times: what a corpus of real pages costs.
if [ -d "$dev" ] && [ ! -d "$work/dev30" ]; then
  for copy in $(seq -w 1 30); do mkdir -p "$work/dev30/$copy" && cp "$dev"/*.txt "$work/dev30/$copy/"; done
fi
# The dev pages' HTML, three copies: HTML cleaning beside trafilatura.
dev_html="$here/../shared/eval/dev/html"
if [ -d "$dev_html" ] && [ ! -d "$work/devhtml" ]; then
  for copy in 1 2 3; do
    mkdir -p "$work/devhtml/$copy"
    for page in "$dev_html"/*.html.gz; do gunzip -c "$page" > "$work/devhtml/$copy/$(basename "$page" .gz)"; done
  done
fi
# trafilatura (and lxml's cleaner it needs) from PyPI, when the machine lacks it.
has_trafilatura() { python3 -c 'import trafilatura' 2> /dev/null; }
has_trafilatura || python3 -m pip install --quiet trafilatura lxml_html_clean > /dev/null 2>&1 || true
cores=$(nproc)

# Wall time (s) and peak RSS (MB) of a command, warm page cache.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null
  read -r secs kb < "$work/time"
  echo "$secs $((kb / 1024))"
}
mb() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}'; }
mbps() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.1f", m / (s > 0 ? s : 0.001) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? b : 0.001) / (a > 0 ? a : 0.001) }'; }

# One corpus: cat, the plain-Python yardstick, boilerstrip with 1 and all threads.
table() {
  local folder=$1 name=$2 size cat_s cat_mb py_s py_mb one_s one_mb all_s all_mb
  size=$(mb "$folder")
  find "$folder" -type f -exec cat {} + > /dev/null   # warm the cache
  read -r cat_s cat_mb < <(measure sh -c "find '$folder' -type f -exec cat {} +")
  read -r one_s one_mb < <(measure "$bin" clean "$folder" --quiet -j 1)
  read -r all_s all_mb < <(measure "$bin" clean "$folder" --quiet -j "$cores")
  printf '\n### %s: %s MB\n\n' "$name" "$size"
  printf '| run | seconds | MB/s | vs c4_filter.py | peak RSS MB |\n|---|---|---|---|---|\n'
  if [ -f "$c4" ]; then
    read -r py_s py_mb < <(measure python3 "$c4" "$folder" "$work/c4.jsonl")
    printf '| c4_filter.py (plain Python, 1 process) | %s | %s | 1.00x | %s |\n' "$py_s" "$(mbps "$size" "$py_s")" "$py_mb"
  else
    py_s=0
  fi
  printf '| boilerstrip -j 1 | %s | %s | %s | %s |\n' "$one_s" "$(mbps "$size" "$one_s")" "$(ratio "$one_s" "$py_s")" "$one_mb"
  printf '| boilerstrip -j %s | %s | %s | %s | %s |\n' "$cores" "$all_s" "$(mbps "$size" "$all_s")" "$(ratio "$all_s" "$py_s")" "$all_mb"
  printf '| cat (reading the files) | %s | %s | %s | %s |\n' "$cat_s" "$(mbps "$size" "$cat_s")" "$(ratio "$cat_s" "$py_s")" "$cat_mb"
}

# HTML: boilerstrip beside trafilatura on the same pages, one thread each; and peak memory on
# one copy and on three, which stays flat as the corpus grows.
html_table() {
  local folder=$1 size one_size tr_s tr_mb one_s one_mb all_s all_mb single_s single_mb
  size=$(mb "$folder")
  one_size=$(mb "$folder/1")
  find "$folder" -type f -exec cat {} + > /dev/null
  read -r one_s one_mb < <(measure "$bin" clean "$folder" --quiet -j 1)
  read -r all_s all_mb < <(measure "$bin" clean "$folder" --quiet -j "$cores")
  read -r single_s single_mb < <(measure "$bin" clean "$folder/1" --quiet -j 1)
  printf '\n### HTML: the 83 dev pages'"'"' HTML, three copies: %s MB\n\n' "$size"
  printf '| run | seconds | MB of HTML/s | vs trafilatura | peak RSS MB |\n|---|---|---|---|---|\n'
  if has_trafilatura; then
    read -r tr_s tr_mb < <(measure python3 "$here/scripts/trafilatura-run.py" "$folder" "$work/trafilatura.jsonl")
    printf '| trafilatura %s (Python, 1 process) | %s | %s | 1.00x | %s |\n' \
      "$(python3 -c 'import trafilatura; print(trafilatura.__version__)')" "$tr_s" "$(mbps "$size" "$tr_s")" "$tr_mb"
  else
    tr_s=0
  fi
  printf '| boilerstrip -j 1 | %s | %s | %s | %s |\n' "$one_s" "$(mbps "$size" "$one_s")" "$(ratio "$one_s" "$tr_s")" "$one_mb"
  printf '| boilerstrip -j %s | %s | %s | %s | %s |\n' "$cores" "$all_s" "$(mbps "$size" "$all_s")" "$(ratio "$all_s" "$tr_s")" "$all_mb"
  printf '| boilerstrip -j 1, one copy (%s MB) | %s | %s | | %s |\n' "$one_size" "$single_s" "$(mbps "$one_size" "$single_s")" "$single_mb"
}

# Median wall time (ms) of N runs of a command: for the short ones /usr/bin/time cannot resolve.
median_ms() {
  local n=$1; shift
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s%N); "$@" > /dev/null 2>&1; end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# The issue's figures in one table: per-thread speed against the yardstick, the 2-thread speedup
# of clean and learn, the cost of --line-stats, and start-up.
summary() {
  local folder=$1 page one_s two_s py_s ls_s lone_s ltwo_s
  page=$(find "$folder" -type f -name '*.txt' | sort | sed -n 1p)
  read -r py_s _ < <(measure python3 "$c4" "$folder" "$work/c4.jsonl")
  read -r one_s _ < <(measure "$bin" clean "$folder" --quiet -j 1)
  read -r two_s _ < <(measure "$bin" clean "$folder" --quiet -j 2)
  "$bin" learn "$folder" -o "$work/stats.bin" --quiet
  read -r ls_s _ < <(measure "$bin" clean "$folder" --quiet -j 1 --line-stats "$work/stats.bin")
  read -r lone_s _ < <(measure "$bin" learn "$folder" -o "$work/stats1.bin" --quiet -j 1)
  read -r ltwo_s _ < <(measure "$bin" learn "$folder" -o "$work/stats2.bin" --quiet -j 2)
  printf '| measure | figure |\n|---|---|\n'
  printf '| clean -j 1 against c4_filter.py (same files, one run) | %s |\n' "$(ratio "$one_s" "$py_s")"
  printf '| clean -j 2 against -j 1 | %s |\n' "$(ratio "$two_s" "$one_s")"
  printf '| clean -j 1 --line-stats against without | %s slower |\n' \
    "$(awk -v a="$ls_s" -v b="$one_s" 'BEGIN { printf "%+.0f%%", 100 * (a / (b > 0 ? b : 0.001) - 1) }')"
  printf '| learn -j 2 against -j 1 | %s |\n' "$(ratio "$ltwo_s" "$lone_s")"
  printf '| start-up: clean one dev page (median of 21 runs) | %s ms |\n' "$(median_ms 21 "$bin" clean "$page" --quiet)"
  printf '| start-up: learn one dev page (median of 21 runs) | %s ms |\n' \
    "$(median_ms 21 "$bin" learn "$page" -o "$work/one.bin" --quiet)"
}

{
  printf '# Performance\n\n'
  printf 'Generated by `scripts/bench.sh %s` on %s (%s cores, %s); do not edit by hand.\n' \
    "$pages" "$(date -u +%Y-%m-%d)" "$cores" "$(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)"
  printf 'Each table is one run, side by side on the same files with a warm page cache: compare the\n'
  printf 'ratios, not the MB/s, which vary from machine to machine and run to run.\n'
  if [ -d "$work/dev30" ] && [ -f "$c4" ]; then
    printf '\n### At a glance: the real dev pages, copied 30 times\n\n'
    summary "$work/dev30"
  fi
  [ -d "$work/dev30" ] && table "$work/dev30" "The 83 real dev pages, copied 30 times"
  [ -d "$work/devhtml" ] && html_table "$work/devhtml"
  table "$work/pages" "$pages generated pages (examples/gen_corpus.rs, seed 1)"
  read -r jsonl_s jsonl_mb < <(measure "$bin" clean --jsonl "$work/pages.jsonl" -j "$cores")
  printf '| boilerstrip --jsonl -j %s (the same pages as one JSONL file) | %s | %s | | %s |\n' \
    "$cores" "$jsonl_s" "$(mbps "$(mb "$work/pages.jsonl")" "$jsonl_s")" "$jsonl_mb"

  printf '\n### Where a one-thread run spends its time (`clean --timings`)\n\n'
  for corpus in "$work/dev30" "$work/devhtml" "$work/pages"; do
    [ -d "$corpus" ] || continue
    case $corpus in
      *dev30) printf 'The dev pages x30:\n\n```\n' ;;
      *devhtml) printf 'The dev pages'"'"' HTML x3:\n\n```\n' ;;
      *) printf 'The generated pages:\n\n```\n' ;;
    esac
    "$bin" clean "$corpus" --quiet -j 1 --timings 2>&1 > /dev/null
    printf '```\n\n'
  done

  printf '### The classifier beside its own line walk (`examples/classifier_cost.rs`)\n\n'
  printf 'In one process, on pages in memory; the shares are of the pipeline without reading and writing.\n\n'
  for corpus in "$dev" "$work/pages/00"; do
    [ -d "$corpus" ] || continue
    case $corpus in "$dev") printf 'The 83 dev pages:\n\n```\n' ;; *) printf 'The first folder of generated pages:\n\n```\n' ;; esac
    "$here/target/release/examples/classifier_cost" "$corpus" 5 | tail -n +3
    printf '```\n\n'
  done
} > "$work/performance.md"

if [ "$out" = "-" ]; then cat "$work/performance.md"; else cp "$work/performance.md" "$out"; echo "wrote $out"; fi
