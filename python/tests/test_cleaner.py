"""The Python package against the command line: the same records, in order, errors kept."""
import json
import os
import pathlib
import subprocess

import pytest

import boilerstrip

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# The command line of this checkout (tests/python.rs passes the one cargo built).
CLI = pathlib.Path(os.environ.get("BOILERSTRIP_BIN", ROOT / "target" / "release" / "boilerstrip"))


def cli_records(paths, *flags):
    out = subprocess.run([str(CLI), "clean", "--quiet", *flags, *map(str, paths)],
                         check=True, capture_output=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_a_page_gives_the_record_the_command_line_writes():
    if not CLI.exists():
        pytest.skip("build the command line first: cargo build --release, or set BOILERSTRIP_BIN")
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
    assert results[7] == {"error": "empty file", "index": 7}
    assert results[11]["index"] == 11 and "binary" in results[11]["error"]
    singles = [cleaner.clean(p) for i, p in enumerate(pages) if i not in (7, 11)]
    assert [r for i, r in enumerate(results) if i not in (7, 11)] == singles
    with pytest.raises(boilerstrip.CleaningError, match="empty file"):
        cleaner.clean(b"")
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
