#!/usr/bin/env python3
"""Speed of the Python package beside the command line on the same JSONL file, one run side by
side (compare the ratios: the machine is noisy). Writes docs/python-speed.md.

Usage: scripts/python-bench.py [FILE.jsonl]   (default: 30 MB of generated pages)
    OUT=-   print the table instead of writing the page
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import boilerstrip

HERE = pathlib.Path(__file__).resolve().parents[1]
CLI = HERE / "target" / "release" / "boilerstrip"


def corpus():
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    work = pathlib.Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp())
    path = work / "python-bench.jsonl"
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "gen_corpus"], cwd=HERE, check=True)
        subprocess.run([HERE / "target/release/examples/gen_corpus", "--pages", "3000", "--seed", "5",
                        "--jsonl", path], check=True, stdout=subprocess.DEVNULL)
    return path


def timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "boilerstrip"], cwd=HERE, check=True)
    path = corpus()
    data = path.read_bytes()
    lines = data.splitlines()
    megabytes = len(data) / 1e6
    cores = os.cpu_count()
    rows = []

    def cli(threads):
        return subprocess.run([CLI, "clean", "--quiet", "--jsonl", "-j", str(threads), path],
                              check=True, capture_output=True).stdout

    seconds, want = timed(lambda: cli(1))
    rows.append(("command line, `clean --jsonl -j1`", seconds))
    rows.append((f"command line, `clean --jsonl -j{cores}`", timed(lambda: cli(cores))[0]))

    def records(threads):
        cleaner = boilerstrip.Cleaner(threads=threads)
        out = []
        for at in range(0, len(lines), 256):
            out += cleaner.clean_records(lines[at:at + 256])
        return out

    for threads, label in ((1, "`clean_records`, threads=1 (a Spark task)"), (None, f"`clean_records`, {cores} threads")):
        seconds, out = timed(lambda: records(threads))
        assert "".join(o + "\n" for o in out).encode("utf-8") == want, "the package's records differ"
        rows.append((label, seconds))

    texts = [json.loads(line)["text"] for line in lines]
    cleaner = boilerstrip.Cleaner()
    rows.append((f"`clean_batch` into dicts, {cores} threads",
                 timed(lambda: [cleaner.clean_batch(texts[at:at + 256]) for at in range(0, len(texts), 256)])[0]))
    rows.append(("`clean` into dicts, one page at a time", timed(lambda: [cleaner.clean(t) for t in texts])[0]))

    base = rows[0][1]
    table = [f"| {len(lines)} records, {megabytes:.1f} MB | seconds | MB/s | vs the CLI -j1 |", "|---|---:|---:|---:|"]
    for label, seconds in rows:
        table.append(f"| {label} | {seconds:.2f} | {megabytes / seconds:.1f} | {base / seconds:.2f}x |")
    table = "\n".join(table) + "\n"
    if os.environ.get("OUT") == "-":
        print(table, end="")
        return
    page = HERE / "docs" / "python-speed.md"
    page.write_text(
        "# The Python package's speed\n\n"
        "`scripts/python-bench.py` writes this page: the package beside the command line on the same\n"
        "JSONL file of generated pages, in one run (compare the ratios; the machine is noisy). The\n"
        "package's time includes handing the lines over and the records back; `clean_records` must\n"
        "give the command line's bytes. Each process cleans in batches of 256.\n\n"
        + table + f"\nMeasured {time.strftime('%Y-%m-%d', time.gmtime())} on {cores} cores.\n", encoding="utf-8")
    print("wrote", page)


if __name__ == "__main__":
    main()
