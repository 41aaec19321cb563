"""The README's recipes for Hugging Face `datasets` and datatrove, run on seed pages: the clean
texts equal the command line's, and pages that cannot be cleaned are kept track of. Skipped
where the library is missing, except under BOILERSTRIP_REQUIRE_PYTHON (CI installs them)."""
import gzip
import json
import os
import pathlib

import pytest

import boilerstrip
from test_cleaner import cli, mixed_records, needs_cli

REQUIRED = bool(os.environ.get("BOILERSTRIP_REQUIRE_PYTHON"))


def need(module):
    if REQUIRED:
        return __import__(module)
    return pytest.importorskip(module)


def corpus(tmp_path, count=60):
    """JSONL records over three sites, with an English boilerplate-only page and a blank one."""
    lines = mixed_records(count)
    lines.append(json.dumps({"id": 9001, "site": "a.kz", "text": "Home\nNews\nSign in\n"}))
    lines.append(json.dumps({"id": 9002, "site": "a.kz", "text": "  \n "}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [json.loads(line) for line in lines]


def cli_texts(path, *flags):
    return [json.loads(line)["text"] for line in cli("clean", "--quiet", "--jsonl", *flags, path).splitlines()]


def test_datasets_map_batched_cleans_as_the_command_line(tmp_path):
    datasets = need("datasets")
    needs_cli()
    path, records = corpus(tmp_path)
    cleaner = boilerstrip.Cleaner(threads=1)
    # The recipe, as the README shows it.
    ds = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))
    ds = ds.map(cleaner.clean_columns, batched=True, batch_size=16,
                features=boilerstrip.Cleaner.features(ds.features))

    assert len(ds) == len(records)
    want = cli_texts(path)
    # The blank page is an error here (a page with no text) where the command line writes an
    # empty record; every other text is the same.
    assert ds["text"][:-1] == want[:-1]
    assert ds[-1]["text"] == "" and ds[-1]["boilerstrip"]["error_kind"] == "no-text"
    assert ds[-2]["text"] == "" and ds[-2]["boilerstrip"]["error"] is None
    assert {row["boilerstrip"]["lang"] for row in ds.select(range(len(records) - 2))} <= {"en", "ru", "kk"}
    # In worker processes the cleaner is pickled and built again: the same rows.
    again = datasets.load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache2"))
    again = again.map(cleaner.clean_columns, batched=True, batch_size=16, num_proc=2,
                      features=boilerstrip.Cleaner.features(again.features))
    assert again["text"] == ds["text"] and again["boilerstrip"] == ds["boilerstrip"]


def test_datasets_rows_are_cleaned_with_line_statistics(tmp_path):
    datasets = need("datasets")
    needs_cli()
    path, records = corpus(tmp_path)
    cleaner = boilerstrip.Cleaner(threads=1)
    stats = cleaner.learn_records(path.read_text(encoding="utf-8").splitlines())
    ds = datasets.Dataset.from_list(records)
    ds = ds.map(cleaner.with_line_stats(stats).clean_columns, batched=True,
                features=boilerstrip.Cleaner.features(ds.features))
    stats.save(tmp_path / "stats.bin")
    assert ds["text"][:-1] == cli_texts(path, "--line-stats", tmp_path / "stats.bin")[:-1]
    assert ds["text"] != cli_texts(path)[:len(ds)]


def test_datatrove_step_cleans_as_the_command_line_and_counts_what_it_drops(tmp_path):
    need("datatrove")
    needs_cli()
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from boilerstrip.datatrove import BoilerstripCleaner

    path, records = corpus(tmp_path)
    (tmp_path / "crawl").mkdir()
    path.rename(tmp_path / "crawl" / "in.jsonl")
    path = tmp_path / "crawl" / "in.jsonl"
    # The recipe, as the README shows it.
    executor = LocalPipelineExecutor(pipeline=[
        JsonlReader(str(tmp_path / "crawl")),
        BoilerstripCleaner(batch_size=16, exclusion_writer=JsonlWriter(str(tmp_path / "failed"), compression=None)),
        JsonlWriter(str(tmp_path / "clean"), compression=None),
    ], tasks=1, logging_dir=str(tmp_path / "logs"))
    executor.run()

    def read(folder):
        return [json.loads(line) for name in sorted(os.listdir(folder))
                for line in (folder / name).read_text(encoding="utf-8").splitlines()]

    clean = read(tmp_path / "clean")
    want = cli_texts(path)
    assert [doc["text"] for doc in clean] == want[:-2]
    assert clean[0]["metadata"]["boilerstrip"]["lang"] in ("en", "ru", "kk")
    assert clean[0]["metadata"]["site"] == records[0]["site"]
    failed = read(tmp_path / "failed")
    assert [(str(doc["id"]), doc["metadata"]["boilerstrip_error"]) for doc in failed] == [
        ("9001", "no text left after cleaning"), ("9002", "no text: only whitespace")]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "boilerstrip" in s["name"])
    assert step["stats"]["total"] == len(records)
    assert step["stats"]["forwarded"] == len(records) - 2
    assert step["stats"]["failed_no-text"] == 1 and step["stats"]["empty"] == 1


def test_the_readmes_python_recipes_run_as_written(tmp_path, monkeypatch):
    need("datasets")
    need("datatrove")
    readme = (pathlib.Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### From Python"):]
    recipe = section[section.index("```python\n") + len("```python\n"):]
    recipe = recipe[:recipe.index("```")]
    _, records = corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    lines = "".join(json.dumps(record) + "\n" for record in records)
    (tmp_path / "crawl.jsonl").write_text(lines, encoding="utf-8")
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "part.jsonl").write_text(lines, encoding="utf-8")
    scope = {}
    exec(compile(recipe, "README.md", "exec"), scope)
    assert len(scope["ds"]) == len(records) and scope["ds"][0]["boilerstrip"]["lang"]
    clean = [json.loads(line) for path in sorted((tmp_path / "clean").iterdir())
             for line in gzip.open(path, "rt", encoding="utf-8")]
    assert [doc["text"] for doc in clean] == [text for text in scope["ds"]["text"] if text]
