#!/usr/bin/env python3
"""Extracts every HTML page of a folder with trafilatura, in one process, one page after
another, and writes a JSONL record per page: the yardstick beside which scripts/bench.sh times
boilerstrip on HTML (the same pages, one thread each).

Usage: trafilatura-run.py FOLDER OUT.jsonl
"""
import json
import os
import sys

import trafilatura


def main():
    folder, out = sys.argv[1], sys.argv[2]
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(folder) for name in names)
    with open(out, "w", encoding="utf-8") as sink:
        for path in paths:
            with open(path, "rb") as page:
                text = trafilatura.extract(page.read(), favor_precision=False) or ""
            sink.write(json.dumps({"source": path, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
