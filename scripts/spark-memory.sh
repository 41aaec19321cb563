#!/usr/bin/env bash
# Peak memory of a Spark job's Python worker as one partition grows: the Spark job
# (examples/spark/clean.py) on one .gz file of generated pages (a .gz is one partition), in
# local[1], learn and clean passes. Written as docs/spark-memory.md.
#
# Usage: scripts/spark-memory.sh [SIZES_MB...]   (default 10 30 100)
#   OUT=-            print the table instead of writing docs/spark-memory.md
#   BENCH_DIR=DIR    keep the generated pages there between runs
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-10 30 100}
out=${OUT:-$here/docs/spark-memory.md}
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin boilerstrip --example gen_corpus
largest=$(printf '%s\n' $sizes | sort -n | tail -1)
# About 10 KB a page.
pages=$((largest * 105))
if [ ! -f "$work/spark-pages.jsonl" ] || [ "$(wc -l < "$work/spark-pages.jsonl")" -lt "$pages" ]; then
  "$here/target/release/examples/gen_corpus" --pages "$pages" --seed 3 --jsonl "$work/spark-pages.jsonl" > /dev/null
fi

# The job's summary line: one field of it.
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
mb_of() { python3 -c 'import os,sys; print(round(os.path.getsize(sys.argv[1]) / 1e6, 1))' "$1"; }

rows=""
small_stats=""
for mb in $sizes; do
  part="$work/part-${mb}mb.jsonl"
  head -c $((mb * 1000 * 1000)) "$work/spark-pages.jsonl" | sed '$d' > "$part"
  gzip -kf "$part"
  # The first (smallest) partition's statistics, for the clean-only runs: the same statistics
  # whatever the partition, so that only the partition grows.
  if [ -z "$small_stats" ]; then
    small_stats="$work/stats-${mb}mb.bin"
    "$here/target/release/boilerstrip" learn --quiet --jsonl -o "$small_stats" "$part"
  fi
  rm -rf "$work/out-$mb" "$work/out-clean-$mb"
  start=$(date +%s.%N)
  both=$(python3 "$here/examples/spark/clean.py" --master 'local[1]' --partitions 1 \
    --input "$part.gz" --output "$work/out-$mb" --save-line-stats "$work/learned-$mb.bin" \
    2> "$work/spark-$mb.log" | tail -1)
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  clean=$(python3 "$here/examples/spark/clean.py" --master 'local[1]' --partitions 1 \
    --input "$part.gz" --output "$work/out-clean-$mb" --line-stats "$small_stats" \
    2> "$work/spark-clean-$mb.log" | tail -1)
  rows+="| $(mb_of "$part") | $(field "$both" records) | $(mb_of "$work/learned-$mb.bin") | $(field "$both" worker_peak_rss_mb) | $(printf '%.0f' "$seconds") | $(field "$clean" worker_peak_rss_mb) |"$'\n'
done

table="| partition (MB of JSONL) | records | statistics learned (MB) | worker peak RSS, learn + clean (MB) | job time (s) | worker peak RSS, clean only with fixed statistics (MB) |
|---:|---:|---:|---:|---:|---:|
$rows"
if [ "$out" = "-" ]; then
  printf '%s' "$table"
  exit 0
fi
cat > "$out" <<DOC
# Memory of a Spark worker as its partition grows

\`scripts/spark-memory.sh\` writes this page. The Spark job (\`examples/spark/clean.py\`) runs
in \`local[1]\` on one \`.gz\` file of generated pages; a \`.gz\` is one partition. Both
passes run: learn and clean. The worker reads and cleans its partition a chunk at a time
(256 records or 8 MB), so what it holds does not grow with the partition. The line statistics
do grow: they are the corpus's, every worker holds them, and their size depends on how many
distinct lines the corpus has. The last column cleans every partition with the same
statistics (the smallest partition's, \`--line-stats\`), which leaves only the partition to
grow. Peak RSS is the Python worker's high-water mark (\`getrusage\`), as the job's summary
reports it. The JVM's memory is Spark's and is not counted here.

$table
Measured $(date -u +%Y-%m-%d) on $(nproc) cores.
DOC
echo "wrote $out"
