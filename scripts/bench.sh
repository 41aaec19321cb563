#!/usr/bin/env bash
# Whole-run throughput against `cat`, measured side by side in one run (the machine is noisy:
# compare the ratios, not the MB/s). Usage: scripts/bench.sh [PAGES] (default 20000).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pages=${1:-20000}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin boilerstrip --example gen_corpus --example classifier_cost
bin="$here/target/release/boilerstrip"
if [ ! -d "$work/pages" ]; then
  "$here/target/release/examples/gen_corpus" --pages "$pages" --seed 1 --dir "$work/pages" --jsonl "$work/pages.jsonl"
fi
bytes=$(find "$work/pages" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
cores=$(nproc)

# Wall time (s) and peak RSS (MB) of a command, warm page cache.
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null
  read -r secs kb < "$work/time"
  echo "$secs $((kb / 1024))"
}
find "$work/pages" -type f -exec cat {} + > /dev/null   # warm the cache, for both forms
cat "$work/pages.jsonl" > /dev/null
read -r cat_s cat_mb < <(measure sh -c "find '$work/pages' -type f -exec cat {} + ")
read -r one_s one_mb < <(measure "$bin" clean "$work/pages" --quiet -j 1)
read -r all_s all_mb < <(measure "$bin" clean "$work/pages" --quiet -j "$cores")
read -r jsonl_s jsonl_mb < <(measure "$bin" clean --jsonl "$work/pages.jsonl" -j "$cores")

mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / (s > 0 ? s : 0.001) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? b : 0.001) / (a > 0 ? a : 0.001) }'; }
printf 'corpus: %s pages, %.0f MB (%s)\n\n' "$pages" "$(awk -v b="$bytes" 'BEGIN{print b/1048576}')" "$work"
printf '| run | seconds | MB/s | vs cat | peak RSS MB |\n|---|---|---|---|---|\n'
printf '| cat (folder) | %s | %s | 1.00x | %s |\n' "$cat_s" "$(mbps "$cat_s")" "$cat_mb"
printf '| boilerstrip -j 1 | %s | %s | %s | %s |\n' "$one_s" "$(mbps "$one_s")" "$(ratio "$one_s" "$cat_s")" "$one_mb"
printf '| boilerstrip -j %s | %s | %s | %s | %s |\n' "$cores" "$all_s" "$(mbps "$all_s")" "$(ratio "$all_s" "$cat_s")" "$all_mb"
printf '| boilerstrip --jsonl -j %s | %s | %s | %s | %s |\n' "$cores" "$jsonl_s" "$(mbps "$jsonl_s")" "$(ratio "$jsonl_s" "$cat_s")" "$jsonl_mb"
printf '\n%s threads vs 1: %s\n' "$cores" "$(ratio "$all_s" "$one_s")"

# Where a one-thread run's time goes, stage by stage (`--timings`): the classifier's share is
# what issue #3 bounds at a third.
printf '\nstages of a one-thread run (clean --timings):\n\n'
"$bin" clean "$work/pages" --quiet -j 1 --timings 2>&1 > /dev/null | sed 's/^/    /'

# The classifier beside its own line walk and a plain word-and-stopword pass, in one process on
# pages in memory (examples/classifier_cost.rs): on the first folder of generated pages, and on
# the real dev pages when they are beside the repository.
printf '\nthe classifier beside its line walk (examples/classifier_cost.rs), generated pages:\n\n'
"$here/target/release/examples/classifier_cost" "$work/pages/00" 5 | tail -n +3
dev="$here/../shared/eval/dev/input"
if [ -d "$dev" ]; then
  printf '\nthe same on the 83 real dev pages:\n\n'
  "$here/target/release/examples/classifier_cost" "$dev" 9 | tail -n +3
fi
