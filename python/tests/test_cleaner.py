"""The Python package against the command line: the same records, in order, errors kept."""
import json
import os
import pathlib
import pickle
import subprocess

import pytest

import boilerstrip

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# The command line of this checkout (tests/python.rs passes the one cargo built).
CLI = pathlib.Path(os.environ.get("BOILERSTRIP_BIN", ROOT / "target" / "release" / "boilerstrip"))


def needs_cli():
    if not CLI.exists():
        pytest.skip("build the command line first: cargo build --release, or set BOILERSTRIP_BIN")


def cli(*args, ok_codes=(0,)):
    done = subprocess.run([str(CLI), *map(str, args)], capture_output=True)
    assert done.returncode in ok_codes, done.stderr.decode()
    return done.stdout


def cli_records(paths, *flags):
    return [json.loads(line) for line in cli("clean", "--quiet", *flags, *paths).splitlines()]


def mixed_records(count):
    """JSONL lines from the seeds' lines, over three sites, so sites repeat lines."""
    lines = [line for path in SEEDS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for i in range(count):
        text = "\n".join(lines[(i * 7 + k * 13) % len(lines)] for k in range(30))
        records.append(json.dumps({"id": i, "site": "abc"[i % 3] + ".kz", "text": text}, ensure_ascii=False))
    return records


def test_a_page_gives_the_record_the_command_line_writes():
    needs_cli()
    cleaner = boilerstrip.Cleaner(removed=True)
    for path, want in zip(SEEDS, cli_records(SEEDS, "--removed")):
        got = cleaner.clean(path.read_bytes(), name=want["source"])
        assert got == want, path


def test_text_and_bytes_clean_alike():
    cleaner = boilerstrip.Cleaner()
    page = SEEDS[0].read_text(encoding="utf-8")
    by_text = cleaner.clean(page)
    by_bytes = cleaner.clean(page.encode("utf-8"))
    assert by_text["text"] == by_bytes["text"]
    assert by_text["text"] and by_text["lang"] == "en"
    legacy = cleaner.clean(SEEDS[2].read_text(encoding="utf-8").encode("windows-1251"))
    assert legacy["encoding"] == "windows-1251" and legacy["text"].startswith(cleaner.clean(SEEDS[2].read_bytes())["text"][:40])


def test_html_is_read_as_html():
    page = (ROOT / "tests" / "html" / "news-with-parts.html").read_text(encoding="utf-8")
    record = boilerstrip.Cleaner().clean(page, name="news.html")
    assert record["text"].startswith("Every school in the region")
    assert record["url"] == "https://cityherald.example/news/storm-closes-schools"
    assert boilerstrip.Cleaner(input_format="html").clean(page[page.index("<body"):])["text"].startswith("Every school")


def test_a_batch_keeps_order_and_reports_what_cannot_be_cleaned():
    cleaner = boilerstrip.Cleaner()
    pages = [p.read_bytes() for p in SEEDS] * 20
    pages.insert(7, b"")
    pages.insert(11, b"\x89PNG\r\n\x1a\n\0\0")
    results = cleaner.clean_batch(pages)
    assert len(results) == len(pages)
    assert results[7] == {"error": "empty file", "kind": "empty", "index": 7}
    assert results[11]["index"] == 11 and "binary" in results[11]["error"]
    singles = [cleaner.clean(p) for i, p in enumerate(pages) if i not in (7, 11)]
    assert [r for i, r in enumerate(results) if i not in (7, 11)] == singles
    with pytest.raises(boilerstrip.CleaningError, match="empty file") as raised:
        cleaner.clean(b"")
    assert raised.value.kind == "empty"
    with pytest.raises(ValueError, match="one entry per page"):
        cleaner.clean_batch(pages, sites=["a"])


def test_options_are_checked():
    with pytest.raises(ValueError, match="normalize"):
        boilerstrip.Cleaner(normalize="nfd")
    with pytest.raises(ValueError, match="unknown encoding"):
        boilerstrip.Cleaner(encoding="no-such")
    with pytest.raises(OSError):
        boilerstrip.Cleaner(line_stats="/no/such/file.bin")
    russian = "Глава Казкосмоса встретился с руководителями космической промышленности Китая."
    forced = boilerstrip.Cleaner(encoding="koi8-r").clean(russian.encode("koi8-r"))
    assert (forced["encoding"], forced["encoding_from"]) == ("KOI8-R", "forced")
    assert boilerstrip.__version__


def test_records_clean_as_the_command_line_cleans_jsonl(tmp_path):
    needs_cli()
    lines = mixed_records(40)
    lines[5] = lines[5][:-9]  # cut off: invalid JSON
    lines[9] = json.dumps({"id": 9, "body": "no text field"})
    lines[12] = json.dumps({"id": 12, "text": "x", "boilerstrip": 1})
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors_file = tmp_path / "errors.jsonl"
    want = cli("clean", "--quiet", "--jsonl", "--removed", "--errors", errors_file, path, ok_codes=(1,))
    want_errors = [json.loads(line) for line in errors_file.read_text().splitlines()]

    cleaner = boilerstrip.Cleaner(removed=True)
    for threads in (None, 1, 2):
        cleaner = boilerstrip.Cleaner(removed=True, threads=threads)
        outs = cleaner.clean_records(lines, source=str(path))
        got = "".join(out + "\n" for out in outs if isinstance(out, str)).encode("utf-8")
        assert got == want
        failed = [out for out in outs if isinstance(out, boilerstrip.CleaningError)]
        assert [f.index for f in failed] == [5, 9, 12]
        assert [(str(path) + ":" + str(f.index + 1), f.kind, str(f)) for f in failed] == \
            [(e["source"], e["kind"], e["error"]) for e in want_errors]
    # Bytes lines, as read from a file, clean alike; so does a record whose text is under
    # another field.
    def comparable(outs):
        return [o if isinstance(o, str) else (o.index, o.kind, str(o)) for o in outs]
    assert comparable(cleaner.clean_records([line.encode("utf-8") for line in lines])) == \
        comparable(cleaner.clean_records(lines))
    moved = boilerstrip.Cleaner(text_field="body").clean_records([json.dumps({"body": "A line of text here."})])
    assert json.loads(moved[0])["body"] == "A line of text here."


def test_line_stats_learned_from_python_equal_the_command_lines(tmp_path):
    needs_cli()
    lines = mixed_records(60)
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("learn", "--quiet", "--jsonl", "-o", tmp_path / "cli.bin", path)
    want = boilerstrip.LineStats.load(tmp_path / "cli.bin")

    cleaner = boilerstrip.Cleaner()
    whole = cleaner.learn_records(lines)
    assert whole == want and whole.to_bytes() == (tmp_path / "cli.bin").read_bytes()
    # Counts only add: halves merged in either order, or as a tree, are the whole.
    halves = [cleaner.learn_records(lines[:25]), cleaner.learn_records(lines[25:])]
    assert halves[0].merge(halves[1]) == whole == halves[1].merge(halves[0])
    assert halves[0] != whole and boilerstrip.LineStats().merge(whole) == whole
    # Added in place, the same; a cleaner built with them keeps the counts it was given.
    growing = cleaner.learn_records(lines[:25])
    built = cleaner.with_line_stats(growing)
    before = built.clean_records(lines)
    growing.update(halves[1])
    assert growing == whole and built.clean_records(lines) == before
    assert cleaner.with_line_stats(whole).clean_records(lines) != before
    assert whole.documents("a.kz") == 20 and whole.documents("nowhere") == 0
    # Pickled (as Spark ships it), saved and loaded, it is the same.
    assert pickle.loads(pickle.dumps(whole)) == whole
    whole.save(tmp_path / "py.bin")
    assert (tmp_path / "py.bin").read_bytes() == (tmp_path / "cli.bin").read_bytes()
    with pytest.raises(ValueError, match="line statistics"):
        boilerstrip.LineStats.from_bytes(whole.to_bytes()[:-3])

    # Cleaning with them, given as the object or as the file, is cleaning with --line-stats.
    want_clean = cli("clean", "--quiet", "--jsonl", "--line-stats", tmp_path / "cli.bin", path)
    for stats in (whole, str(tmp_path / "py.bin")):
        outs = cleaner.with_line_stats(stats).clean_records(lines)
        assert "".join(o + "\n" for o in outs).encode("utf-8") == want_clean
    assert b"site-repeat" in cli("clean", "--quiet", "--jsonl", "--removed", "--line-stats", tmp_path / "cli.bin", path)


def test_pages_learned_by_folder_site_equal_the_command_lines(tmp_path):
    needs_cli()
    corpus = tmp_path / "corpus"
    pages = []
    for i, record in enumerate(mixed_records(30)):
        record = json.loads(record)
        folder = corpus / record["site"]
        folder.mkdir(parents=True, exist_ok=True)
        page = folder / ("p%02d.txt" % i)
        encoding = "windows-1251" if i % 4 == 0 else "utf-8"
        page.write_bytes(record["text"].encode(encoding, "replace"))
        pages.append(page)
    cli("learn", "--quiet", "-o", tmp_path / "cli.bin", corpus)
    cleaner = boilerstrip.Cleaner()
    learned = cleaner.learn([p.read_bytes() for p in pages], sites=[p.parent.name for p in pages],
                            names=[str(p) for p in pages])
    assert learned == boilerstrip.LineStats.load(tmp_path / "cli.bin")
    # And cleaning each page with them gives the command line's records.
    want = cli("clean", "--quiet", "--line-stats", tmp_path / "cli.bin", corpus)
    paths = sorted(pages)
    outs = cleaner.with_line_stats(learned).clean_batch_json(
        [p.read_bytes() for p in paths], sites=[p.parent.name for p in paths], names=[str(p) for p in paths])
    assert "".join(o + "\n" for o in outs).encode("utf-8") == want


def test_a_cleaner_pickles_with_its_options_and_statistics(tmp_path):
    lines = mixed_records(30)
    stats = boilerstrip.Cleaner().learn_records(lines)
    stats.save(tmp_path / "s.bin")
    for line_stats in (stats, tmp_path / "s.bin"):
        cleaner = boilerstrip.Cleaner(line_stats=line_stats, min_docs=2, removed=True, text_field="text", threads=1)
        copy = pickle.loads(pickle.dumps(cleaner))
        assert copy.removed and copy._options == cleaner._options
        assert copy.clean_records(lines) == cleaner.clean_records(lines)
    assert boilerstrip.Cleaner(min_docs=2, line_stats=stats).clean_records(lines) != \
        boilerstrip.Cleaner(min_docs=2).clean_records(lines)


def test_record_lines_decompress_by_name(tmp_path):
    import gzip

    data = b'{"id": 1, "text": "one"}\n\n{"id": 2, "text": "two"}'
    assert list(boilerstrip.RecordLines(data, "x.jsonl")) == [b'{"id": 1, "text": "one"}', b"", b'{"id": 2, "text": "two"}']
    assert list(boilerstrip.RecordLines(gzip.compress(data), "x.jsonl.gz")) == list(boilerstrip.RecordLines(data, "x"))
    if CLI.exists():
        (tmp_path / "x.jsonl").write_bytes(data)
        cli("clean", "--quiet", "--jsonl", "-o", tmp_path / "out.jsonl.zst", tmp_path / "x.jsonl")
        zst = (tmp_path / "out.jsonl.zst").read_bytes()
        assert [json.loads(line)["id"] for line in boilerstrip.RecordLines(zst, "out.jsonl.zst")] == [1, 2]
        with pytest.raises(OSError, match="cut.zst"):
            list(boilerstrip.RecordLines(zst[: len(zst) // 2], "cut.zst"))


def test_site_of_url_is_the_host():
    assert boilerstrip.site_of_url("https://www.BBC.com/news/1") == "bbc.com"
    assert boilerstrip.site_of_url("") is None
