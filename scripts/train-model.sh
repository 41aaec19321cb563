#!/usr/bin/env bash
# Retrains the line model on the labelled dev set and prints its 5-fold cross-validated score
# (each page cleaned by a model that never saw it). Usage: scripts/train-model.sh [trainer flags]
# The shipped model/line-model.json was made with: --blend 0.2 --shift 0.75
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$here/../shared/eval}
[ $# -gt 0 ] || set -- --blend 0.2 --shift 0.75
cv=$(mktemp --suffix .jsonl)
trap 'rm -f "$cv"' EXIT
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example train_line_model -- \
  --split "$eval_dir/dev" --out "$here/model/line-model.json" --cv-jsonl "$cv" "$@"
echo "5-fold cross-validation:"
python3 "$eval_dir/score.py" --split dev --pred-jsonl "$cv" --worst "${WORST:-5}"
