#!/usr/bin/env python3
"""Scores cross-validated predictions (examples/train_line_model.rs --cv-jsonl) with the eval
set's own scorer: token F1 per language, per source, and per fold.

Usage: scripts/cv-report.py EVAL_DIR SPLIT CV_JSONL   (SPLIT: a folder name under EVAL_DIR/sets)
"""
import json
import os
import sys
from collections import defaultdict

eval_dir, split, cv_path = sys.argv[1:4]
sys.path.insert(0, eval_dir)
import score_sets  # noqa: E402  (the scorer lives beside the data)

pages = score_sets.load_split(split, os.path.join(eval_dir, "sets"))
preds, fold_of = {}, {}
with open(cv_path, encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        page = os.path.basename(rec["source"])[: -len(".txt")]
        preds[page] = rec["text"]
        fold_of[page] = rec["fold"]
pages = [p for p in pages if p["id"] in preds]

for by in ("lang", "source"):
    summary, _ = score_sets.evaluate(pages, preds, by)
    print(score_sets.format_summary(summary, f"cross-validated by site, by {by}: {len(pages)} pages"))
    print()
by_fold = defaultdict(list)
for p in pages:
    by_fold[fold_of[p["id"]]].append(p)
print("fold  pages     P      R     F1")
for fold in sorted(by_fold):
    t = score_sets.evaluate(by_fold[fold], preds, "none")[0]["tokens"]["all"]
    print(f"{fold:>4}  {t['n']:>5}  {t['P']:.3f}  {t['R']:.3f}  {t['F1']:.3f}")
