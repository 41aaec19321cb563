#!/usr/bin/env python3
"""Clean a corpus with boilerstrip on Apache Spark.

Each Spark partition is piped through the boilerstrip binary (shipped to the workers with
SparkContext.addFile), in three steps:

1. learn: every partition counts its site-level repeated lines (`boilerstrip learn --jsonl -`);
2. merge: the driver adds the partition statistics up (`boilerstrip learn --merge`); the counts only
   add, so the result is the same as one pass over the whole corpus;
3. clean: every partition is cleaned with the merged statistics
   (`boilerstrip clean --jsonl - --line-stats all.bin`) and written as JSONL part files, in input
   order.

Input is JSONL (one object per line, with `text` and optionally `id`, `site` or `url`), or a folder
of text pages with --text-files (each page becomes a record whose site is its folder's name).

    python3 examples/spark/clean.py --input corpus.jsonl --output out/ --binary target/release/boilerstrip
    spark-submit --master yarn examples/spark/clean.py --input hdfs:///crawl/ --output hdfs:///clean/ \
        --binary /path/to/boilerstrip

The output folder holds part-00000, part-00001, ...: concatenated in order they equal
`boilerstrip learn --jsonl corpus.jsonl -o s.bin && boilerstrip clean --jsonl corpus.jsonl --line-stats s.bin`.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def worker_binary(name):
    """The boilerstrip binary as shipped to this worker, made executable."""
    path = SparkFiles.get(name)
    os.chmod(path, 0o755)
    return path


def run_binary(args, lines):
    """Runs boilerstrip with the partition's lines on stdin; returns stdout bytes."""
    data = "".join(line if line.endswith("\n") else line + "\n" for line in lines).encode("utf-8")
    done = subprocess.run(args, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Exit code 1 means some records were bad (reported on stderr); the others are cleaned.
    if done.returncode not in (0, 1):
        raise RuntimeError("boilerstrip failed: " + done.stderr.decode("utf-8", "replace"))
    return done.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="JSONL file(s) or, with --text-files, a folder of pages")
    ap.add_argument("--output", required=True, help="output folder for the JSONL part files")
    ap.add_argument("--binary", default=shutil.which("boilerstrip") or "boilerstrip", help="the boilerstrip binary")
    ap.add_argument("--master", help="Spark master (default: as spark-submit says, else local[*])")
    ap.add_argument("--partitions", type=int, help="minimum number of input partitions")
    ap.add_argument("--min-docs", type=int, default=3, help="see boilerstrip clean --min-docs")
    ap.add_argument("--text-files", action="store_true", help="the input is a folder of text pages")
    a = ap.parse_args()

    builder = SparkSession.builder.appName("boilerstrip")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    binary = os.path.abspath(a.binary)
    name = os.path.basename(binary)
    sc.addFile(binary)

    if a.text_files:
        def to_record(path_text):
            path, text = path_text
            parts = path.rstrip("/").split("/")
            stem = parts[-1].rsplit(".", 1)[0]
            return json.dumps({"id": stem, "site": parts[-2] if len(parts) > 1 else "", "text": text})
        records = sc.wholeTextFiles(a.input, minPartitions=a.partitions or sc.defaultParallelism).map(to_record)
    else:
        records = sc.textFile(a.input, minPartitions=a.partitions or sc.defaultParallelism)
    records = records.filter(lambda line: line.strip())

    # 1. learn per partition; 2. merge on the driver.
    def learn_partition(lines):
        with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as tmp:
            out = tmp.name
        try:
            run_binary([worker_binary(name), "learn", "--jsonl", "-", "-o", out, "--quiet", "-j", "1"], lines)
            with open(out, "rb") as f:
                yield f.read()
        finally:
            os.unlink(out)

    work = tempfile.mkdtemp(prefix="boilerstrip-spark-")
    try:
        part_files = []
        for i, stats in enumerate(records.mapPartitions(learn_partition).collect()):
            path = os.path.join(work, "part-%05d.bin" % i)
            with open(path, "wb") as f:
                f.write(stats)
            part_files.append(path)
        merged = os.path.join(work, "site-lines.bin")
        subprocess.run([binary, "learn", "--merge", *part_files, "-o", merged], check=True)
        sc.addFile(merged)

        # 3. clean every partition with the merged statistics.
        min_docs = str(a.min_docs)

        def clean_partition(lines):
            args = [worker_binary(name), "clean", "--jsonl", "-", "--quiet", "-j", "1",
                    "--line-stats", SparkFiles.get("site-lines.bin"), "--min-docs", min_docs]
            for line in run_binary(args, lines).decode("utf-8").splitlines():
                yield line

        records.mapPartitions(clean_partition).saveAsTextFile(a.output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
