#!/usr/bin/env bash
# Scores boilerstrip on the dev set of real English pages (../shared/eval) with the benchmark's
# scorer. Usage: scripts/eval-dev.sh [extra clean flags...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$here/../shared/eval}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
out=$(mktemp --suffix .jsonl)
trap 'rm -f "$out"' EXIT
"$here/target/release/boilerstrip" clean "$eval_dir/dev/input" -o "$out" --quiet "$@"
python3 "$eval_dir/score.py" --split dev --pred-jsonl "$out" --worst "${WORST:-5}"
