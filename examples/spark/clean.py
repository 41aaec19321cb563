#!/usr/bin/env python3
"""Clean a corpus with boilerstrip on Apache Spark, through the boilerstrip Python package.

Input is JSONL (one record per line, as `boilerstrip clean --jsonl` reads it; `.gz` and `.bz2`
through Hadoop's codecs), Parquet (--format parquet), or folders of pages (--format text-files:
each page read as bytes and decoded as the command line decodes it, its site the name of its
folder). Two passes, one when --line-stats is given:

1. learn: each partition counts its sites' repeated lines (`Cleaner.learn_records`); the
   partitions' `LineStats` are merged as a tree (`treeReduce`). Counts only add, so the result
   is the statistics of one pass over the whole corpus.
2. clean: each partition is cleaned with them a chunk at a time (memory per worker stays flat
   however large the partition) and written as JSONL part files (or Parquet), in input order.

Nothing is dropped silently: a record that cannot be cleaned goes to OUTPUT/_errors.jsonl with
its file, line, id and reason, and is counted in the summary printed at the end (one JSON line
on stdout, also saved as OUTPUT/_summary.json). The job exits 1 when more records failed than
--max-errors allows (0 by default, as the command line exits 1 when any input failed). An
output folder that exists is refused before any work unless --overwrite is given.

    python3 examples/spark/clean.py --input corpus.jsonl --output out/
    spark-submit --master yarn examples/spark/clean.py --input hdfs:///crawl/ --output hdfs:///clean/ \\
        --text-field content --site-field domain --max-errors 1000

For JSONL input the part files, concatenated in order, equal what
`boilerstrip learn --jsonl corpus.jsonl -o s.bin && boilerstrip clean --jsonl corpus.jsonl --line-stats s.bin`
writes, byte for byte. Every worker needs the package: `pip install boilerstrip` (or the wheel).

Where it differs from the command line: Hadoop's line reader ends a line at a lone CR as well,
and puts U+FFFD for bytes that are not UTF-8 (the command line reports such a line); a file
whose first lines are no JSON is reported line by line (the command line gives it up with one
message); Parquet rows come in Spark's read order, and their errors name the inputs and a row
number. The errors are gathered on the driver, so their count, not the corpus, sets its memory.
"""
import argparse
import functools
import json
import posixpath
import resource
import sys
import uuid

from pyspark import AccumulatorParam
from pyspark.sql import SparkSession

import boilerstrip

# A JSONL line of only these is skipped, as the command line skips it (ASCII whitespace).
BLANK = " \t\n\r\x0c"
BLANK_BYTES = BLANK.encode()


def is_record(line):
    return bool(line.strip(BLANK if isinstance(line, str) else BLANK_BYTES))
# Records cleaned at once: enough to amortise a call, few enough that a worker's memory does not
# grow with its partition.
CHUNK_RECORDS = 256
CHUNK_BYTES = 8 << 20


class Report(AccumulatorParam):
    """What the tasks found, merged on the driver. Everything is keyed (by input partition, by
    record), so a task that Spark runs twice (retried, speculative) counts once."""

    def zero(self, value):
        return {"lines": {}, "tasks": {}, "errors": {}}

    def addInPlace(self, into, more):
        for part, lines in more["lines"].items():
            into["lines"][part] = max(lines, into["lines"].get(part, 0))
        into["tasks"].update(more["tasks"])
        into["errors"].update(more["errors"])
        return into


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, nargs="+", help="JSONL or Parquet files, folders or globs; "
                    "with --format text-files, folders of pages")
    ap.add_argument("--output", required=True, help="output folder")
    ap.add_argument("--format", choices=["jsonl", "parquet", "text-files"], default="jsonl", help="input format")
    ap.add_argument("--text-files", dest="format", action="store_const", const="text-files",
                    help="same as --format text-files")
    ap.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl")
    ap.add_argument("--overwrite", action="store_true", help="replace an output folder that exists")
    ap.add_argument("--max-errors", type=int, default=0, help="exit 1 when more records than this failed")
    ap.add_argument("--master", help="Spark master (default: as spark-submit says, else local[*])")
    ap.add_argument("--partitions", type=int,
                    help="partitions to clean in (default: Spark's parallelism); fewer input partitions "
                         "(a .gz file is one) are spread out in order")
    ap.add_argument("--line-stats", help="statistics from `boilerstrip learn`: skips the learn pass")
    ap.add_argument("--save-line-stats", help="also write the learned statistics to this local file")
    clean = ap.add_argument_group("cleaning (as `boilerstrip clean` says)")
    clean.add_argument("--min-docs", type=int, default=3)
    clean.add_argument("--patterns", action="append", default=[], metavar="DIR")
    clean.add_argument("--normalize", choices=["nfc", "nfkc", "none"], default="nfc")
    clean.add_argument("--input-format", choices=["auto", "text", "html"], default="auto")
    clean.add_argument("--encoding", metavar="LABEL")
    clean.add_argument("--max-bytes", type=int)
    clean.add_argument("--removed", action="store_true")
    clean.add_argument("--site-from", choices=["folder", "detected"], default="folder",
                       help="with --format text-files: a page's site")
    clean.add_argument("--text-field", default="text")
    clean.add_argument("--html-field")
    clean.add_argument("--id-field", default="id")
    clean.add_argument("--site-field", default="site")
    clean.add_argument("--url-field", default="url")
    clean.add_argument("--output-key", default="boilerstrip")
    return ap.parse_args(argv)


def cleaner_options(a):
    return dict(patterns=a.patterns, normalize=a.normalize, input_format=a.input_format,
                encoding=a.encoding, min_docs=a.min_docs, max_bytes=a.max_bytes, removed=a.removed,
                text_field=a.text_field, html_field=a.html_field, id_field=a.id_field,
                site_field=a.site_field, url_field=a.url_field, output_key=a.output_key,
                # Spark runs a task per core: each cleans on its own thread.
                threads=1)


_cleaners = {}


def worker_cleaner(options, stats=None):
    """The cleaner of this worker process, built once per statistics (Python workers are reused
    across tasks; compiling the patterns for each would cost more than small partitions).
    `stats` is a (token, broadcast bytes) pair."""
    key = (json.dumps(options, sort_keys=True), None if stats is None else stats[0])
    if key not in _cleaners:
        line_stats = None if stats is None else boilerstrip.LineStats.from_bytes(stats[1].value)
        _cleaners.clear()
        _cleaners[key] = boilerstrip.Cleaner(line_stats=line_stats, **options)
    return _cleaners[key]


def chunks(items, size_of):
    """Consecutive lists of items, bounded in count and bytes."""
    chunk, size = [], 0
    for item in items:
        chunk.append(item)
        size += size_of(item)
        if len(chunk) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def add(stats, more):
    """`stats` with `more` added in place (a partition's counts are not copied as they grow)."""
    stats.update(more)
    return stats


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Hadoop:
    """The driver's view of the output file system (local, HDFS, S3...), through Spark's JVM."""

    def __init__(self, sc):
        self.jvm = sc._jvm
        self.conf = sc._jsc.hadoopConfiguration()

    def path(self, uri):
        return self.jvm.org.apache.hadoop.fs.Path(uri)

    def fs(self, path):
        return path.getFileSystem(self.conf)

    def qualified(self, uri):
        """`uri` as listings name it (`file:/abs/path`, `hdfs://host/path`)."""
        path = self.path(uri)
        return self.fs(path).makeQualified(path).toString()

    def exists(self, uri):
        path = self.path(uri)
        return self.fs(path).exists(path)

    def delete(self, uri):
        path = self.path(uri)
        self.fs(path).delete(path, True)

    def write(self, uri, data):
        path = self.path(uri)
        out = self.fs(path).create(path, True)
        try:
            out.write(bytearray(data))
        finally:
            out.close()

    def files(self, pattern, hidden=("_", ".")):
        """The files (uri, size) a path, folder (recursively) or glob names, in the order the
        command line walks them: each folder's entries sorted by name, hidden ones skipped."""
        path = self.path(pattern)
        fs = self.fs(path)
        found = []

        def walk(status):
            if status.isDirectory():
                children = sorted(fs.listStatus(status.getPath()), key=lambda s: s.getPath().getName().encode())
                for child in children:
                    if not child.getPath().getName().startswith(hidden):
                        walk(child)
            else:
                found.append((status.getPath().toString(), status.getLen()))

        for status in sorted(fs.globStatus(path) or [], key=lambda s: s.getPath().toString().encode()):
            walk(status)
        return found


def numbered(sc, report, files, sizes, partitions):
    """The lines of `files` in order, each keyed by (input partition, line in it), and for each
    input partition its file. A file is split in partitions by its share of the bytes (a .gz is
    one)."""
    rdds, part_files = [], []
    total = max(1, sum(sizes))
    for index, (uri, size) in enumerate(zip(files, sizes)):
        if uri.endswith((".zst", ".zstd")):
            # Hadoop reads zstd only with its native library: the package decompresses it.
            rdd = sc.binaryFiles(uri).flatMap(lambda pair: boilerstrip.RecordLines(pair[1], pair[0]))
        else:
            rdd = sc.textFile(uri, minPartitions=max(1, round(partitions * size / total)))
        rdds.append(rdd)
        part_files += [index] * rdd.getNumPartitions()

    def key_lines(part, lines):
        count = 0
        for count, line in enumerate(lines, 1):
            yield (part, count - 1), line
        report.add({"lines": {part: count}, "tasks": {}, "errors": {}})

    return sc.union(rdds).mapPartitionsWithIndex(key_lines, preservesPartitioning=True), part_files


def spread(rdd, partitions, reorder=False):
    """`rdd` in more partitions, its order kept (a range partitioning of its keys); `reorder` when
    its partitions are not in key order."""
    if rdd.getNumPartitions() >= partitions and not reorder:
        return rdd
    return rdd.sortByKey(numPartitions=partitions)


def record_id(line, id_field):
    try:
        value = json.loads(line).get(id_field)
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, (str, int, float)) else None


def main(argv=None):
    a = parse_args(argv)
    builder = SparkSession.builder.appName("boilerstrip")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    try:
        return run(spark, a)
    finally:
        spark.stop()


def run(spark, a):
    sc = spark.sparkContext
    hadoop = Hadoop(sc)
    output = a.output.rstrip("/")
    if hadoop.exists(output) and not a.overwrite:
        print("boilerstrip: %s exists; remove it or give --overwrite" % output, file=sys.stderr)
        return 2
    options = cleaner_options(a)
    # A bad option, pattern folder or statistics file fails here, on the driver, before any task.
    try:
        boilerstrip.Cleaner(line_stats=a.line_stats, **options)
    except (ValueError, OSError) as error:
        print("boilerstrip: %s" % error, file=sys.stderr)
        return 2
    partitions = a.partitions or sc.defaultParallelism
    report = sc.accumulator(Report().zero(None), Report())
    source = read_input(spark, hadoop, a, report, partitions)
    if source is None:
        print("boilerstrip: no input files in %s" % " ".join(a.input), file=sys.stderr)
        return 2
    if hadoop.exists(output):
        hadoop.delete(output)

    if a.line_stats:
        stats = boilerstrip.LineStats.load(a.line_stats)
    else:
        learn = functools.partial(learn_partition, options, source.text_files)
        # As a tree, not all on the driver; from nothing when the input has no partition at all.
        stats = source.lines.mapPartitions(learn).treeAggregate(boilerstrip.LineStats(), add, add, depth=2)
        if a.save_line_stats:
            stats.save(a.save_line_stats)
    stats_bytes = (uuid.uuid4().hex, sc.broadcast(stats.to_bytes()))
    clean = functools.partial(clean_partition, options, stats_bytes, source.text_files, a.html_field or a.id_field,
                              report)
    cleaned = source.lines.mapPartitionsWithIndex(clean)
    if a.output_format == "parquet":
        # Cleaned once, read twice: for the schema, then for the rows.
        cleaned.cache()
        frame = spark.read.json(cleaned)
        # Columns in the records' order (the schema found is sorted by name).
        first = cleaned.take(1)
        if first:
            frame = frame.select(*json.loads(first[0]).keys())
        frame.write.parquet(output)
        cleaned.unpersist()
    else:
        cleaned.saveAsTextFile(output)

    found = report.value
    errors = source.error_rows(found["errors"], found["lines"])
    hadoop.write(output + "/_errors.jsonl",
                 "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors).encode("utf-8"))
    tasks = found["tasks"].values()
    summary = {
        "records": sum(t[0] for t in tasks),
        "failed": len(errors),
        "partitions": cleaned.getNumPartitions(),
        "worker_peak_rss_mb": round(max((t[2] for t in tasks), default=0), 1),
        "output": output,
        "errors": output + "/_errors.jsonl",
    }
    hadoop.write(output + "/_summary.json", (json.dumps(summary) + "\n").encode("utf-8"))
    print(json.dumps(summary), flush=True)
    if len(errors) > a.max_errors:
        print("boilerstrip: %d records could not be cleaned (more than --max-errors %d); see %s"
              % (len(errors), a.max_errors, summary["errors"]), file=sys.stderr)
        return 1
    return 0


class Source:
    """The input as keyed items in order, and how a failed item's key names its file and line."""

    def __init__(self, lines, text_files, names, part_files=None):
        self.lines = lines
        self.text_files = text_files
        # The files as the command line names them; for Parquet, the inputs.
        self.names = names
        # JSONL: each input partition's file; None for Parquet, whose rows are numbered whole.
        self.part_files = part_files

    def error_rows(self, errors, lines_per_part):
        """The errors file's rows, in input order: file, line (none for a page), id, kind, error."""
        if self.text_files:
            return [dict(file=self.names[index], line=None, **error) for (_, index), error in sorted(errors.items())]
        if self.part_files is None:
            return [dict(file=self.names[0], line=row + 1, **error) for (_, row), error in sorted(errors.items())]
        # Lines are numbered in their file: add the lines of the file's partitions before.
        first_line, seen = [], {}
        for part, file in enumerate(self.part_files):
            first_line.append(seen.get(file, 0))
            seen[file] = first_line[-1] + lines_per_part.get(part, 0)
        return [dict(file=self.names[self.part_files[part]], line=first_line[part] + n + 1, **error)
                for (part, n), error in sorted(errors.items())]


def read_input(spark, hadoop, a, report, partitions):
    """The input as a `Source`, spread over `partitions` in order; None when no file is found."""
    sc = spark.sparkContext
    if a.format == "parquet":
        frame = spark.read.parquet(*a.input)
        lines = frame.toJSON().zipWithIndex().map(lambda pair: ((0, pair[1]), pair[0]))
        return Source(spread(lines, partitions), False, [",".join(a.input)])
    text_files = a.format == "text-files"
    # Like the command line, pages in hidden files are skipped; so are Spark's `_SUCCESS`s in JSONL.
    hidden = (".",) if text_files else (".", "_")
    found = [file for pattern in a.input for file in hadoop.files(pattern, hidden)]
    if not found:
        return None
    files, sizes = [uri for uri, _ in found], [size for _, size in found]
    names = given_names(hadoop, a.input, files)
    if text_files:
        return Source(spread(pages(sc, a, files, names, partitions), partitions, reorder=True), True, names)
    lines, part_files = numbered(sc, report, files, sizes, partitions)
    return Source(spread(lines, partitions), False, names, part_files)


def learn_partition(options, text_files, items):
    """One partition's line statistics (a `LineStats`)."""
    cleaner = worker_cleaner(options)
    stats = boilerstrip.LineStats()
    if text_files:
        for chunk in chunks(items, lambda item: len(item[1][1])):
            stats.update(cleaner.learn([page for _, (_, page, _) in chunk],
                                       sites=[learn_site for _, (_, _, (learn_site, _)) in chunk],
                                       names=[name for _, (name, _, _) in chunk]))
    else:
        for chunk in chunks((line for _, line in items if is_record(line)), len):
            stats.update(cleaner.learn_records(chunk))
    yield stats


def clean_partition(options, stats_bytes, text_files, id_field, report, part, items):
    """One partition's output lines, a chunk at a time; what failed goes to `report`."""
    cleaner = worker_cleaner(options, stats_bytes)
    done = failed = 0
    errors = {}
    if text_files:
        batches = chunks(items, lambda item: len(item[1][1]))
    else:
        batches = chunks((item for item in items if is_record(item[1])), lambda item: len(item[1]))
    for chunk in batches:
        if text_files:
            outs = cleaner.clean_batch_json([page for _, (_, page, _) in chunk],
                                            sites=[site for _, (_, _, (_, site)) in chunk],
                                            names=[name for _, (name, _, _) in chunk])
        else:
            outs = cleaner.clean_records([line for _, line in chunk])
        for (key, item), out in zip(chunk, outs):
            if isinstance(out, str):
                done += 1
                yield out
            else:
                failed += 1
                record = posixpath.splitext(posixpath.basename(item[0]))[0] if text_files else record_id(item, id_field)
                errors[key] = {"id": record, "kind": out.kind, "error": str(out)}
    report.add({"lines": {}, "tasks": {part: (done, failed, peak_rss_mb())}, "errors": errors})


def given_names(hadoop, inputs, files):
    """Each file as the command line would name it from the same paths: under the --input that
    found it, as that input was written (`corpus/site/page.txt`, not `file:/abs/corpus/...`)."""
    roots = [(hadoop.qualified(given).rstrip("/"), given.rstrip("/")) for given in inputs]
    names = []
    for uri in files:
        name = uri
        for root, given in roots:
            if uri == root or uri.startswith(root + "/"):
                name = given + uri[len(root):]
                break
        names.append(name)
    return names


def pages(sc, a, files, sources, partitions):
    """The pages of `files` as bytes, in the order the command line walks them, keyed by their
    place; each with its name (`sources`, as the command line names it), and its site for
    learning and for cleaning."""
    place = {uri: i for i, uri in enumerate(files)}
    by_folder = a.site_from == "folder"

    def keyed(pair):
        uri, content = pair
        index = place_of.value[uri]
        source = sources_of.value[index]
        folder = posixpath.basename(posixpath.dirname(source))
        # `learn` counts a page without a folder under "", `clean` looks for its shown name.
        sites = (folder, folder or None) if by_folder else (None, None)
        return (0, index), (source, content, sites)

    place_of = sc.broadcast(place)
    sources_of = sc.broadcast(sources)
    return sc.binaryFiles(",".join(files), minPartitions=partitions).map(keyed)


if __name__ == "__main__":
    sys.exit(main())
