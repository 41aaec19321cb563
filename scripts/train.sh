#!/usr/bin/env bash
# Rebuilds the shipped line model, model/line-model.json, from the labelled pages of
# ../shared/eval/sets/train, and prints its figures cross-validated by site (each page cleaned
# by a model fit on the folds without its site): token F1 per language, per source and per fold,
# and the ceiling the line labels allow. Deterministic: the same pages give the same file.
#
# Usage: scripts/train.sh [trainer flags]      (examples/train_line_model.rs lists them)
#   OUT=FILE writes the model there instead; CV_JSONL=FILE keeps the held-out predictions.
#   HTML=1 learns from the pages' HTML instead: model/html-line-model.json, the model for HTML.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$here/../shared/eval}
# The shipped models' settings: a lean towards keeping (a missed paragraph costs more than a
# stray line); the text model adds half the learned log-odds to the hand-set score, the HTML
# model, whose markup features tell more, is the learned log-odds alone.
model=$here/model/line-model.json
if [ -n "${HTML:-}" ]; then
  [ $# -gt 0 ] || set -- --shift 0.75
  set -- --html "$@"
  model=$here/model/html-line-model.json
else
  [ $# -gt 0 ] || set -- --blend 0.5 --shift 0.75
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cv=${CV_JSONL:-$work/cv.jsonl}
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example train_line_model -- \
  --set "$eval_dir/sets/train" --out "${OUT:-$model}" \
  --cv-jsonl "$cv" --oracle-jsonl "$work/oracle.jsonl" "$@"
python3 "$here/scripts/cv-report.py" "$eval_dir" train "$cv"
echo
echo "Ceiling: the lines the labels call article, less the decisive rules' removals"
python3 "$eval_dir/score_sets.py" --split train --pred-jsonl "$work/oracle.jsonl" --by none | grep -E '^ +all'
