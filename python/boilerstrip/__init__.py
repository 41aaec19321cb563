"""boilerstrip: clean scraped web pages (text or HTML) into article text and metadata.

A `Cleaner` is built once (its patterns compiled, its line statistics loaded) and cleans pages
with the same pipeline as the command line: a page gives the record `boilerstrip clean` writes,
a JSONL record line gives the line `boilerstrip clean --jsonl` writes. `LineStats` are the
site-level line counts of `boilerstrip learn`, counted and merged from Python as well.
"""
import json

from ._boilerstrip import LineStats, RecordLines, RustCleaner, __version__, site_of_url

__all__ = ["Cleaner", "CleaningError", "LineStats", "RecordLines", "record_site", "site_of_url", "__version__"]

# What `clean_columns` puts in its output column for each page, and their types.
FINDINGS = {"title": "string", "date": "string", "author": "string", "site": "string", "lang": "string",
            "tags": ["string"], "url": "string", "lines_in": "int64", "lines_kept": "int64",
            "chars_out": "int64", "error": "string", "error_kind": "string"}


class CleaningError(ValueError):
    """A page or record that cannot be cleaned. `kind` names the problem as the command line's
    errors file does (`empty`, `binary`, `no-text`, `bad-record`, `too-large`...); `index` is its
    place in a batch."""

    def __init__(self, message, kind="", index=None):
        super().__init__(message)
        self.kind = kind
        self.index = index


class Cleaner:
    """Cleans pages and JSONL records; build once, use from any thread.

    patterns: folders of extra pattern files (`<lang>/<kind>.txt`), on top of the defaults.
    line_stats: `LineStats`, or a file from `boilerstrip learn`, to remove lines repeated across
        a site's documents (at least `min_docs` of them).
    normalize: "nfc", "nfkc" or "none". input_format: "auto", "text" or "html".
    encoding: decode every bytes page with this label instead of detecting one.
    max_bytes: refuse larger pages (default 64 MiB).
    removed: add each page's removed lines (line, text, rule) to its record.
    text_field, html_field, id_field, site_field, url_field, output_key: where JSONL records
        keep their fields, as the command line's options of the same names say.
    threads: threads for a batch; None for every core, 1 for the calling thread only (a Spark
        task, a `datasets` worker process).
    """

    def __init__(self, patterns=(), line_stats=None, normalize="nfc", input_format="auto",
                 encoding=None, min_docs=3, max_bytes=None, removed=False, text_field="text",
                 html_field=None, id_field="id", site_field="site", url_field="url",
                 output_key="boilerstrip", threads=None):
        if isinstance(patterns, str):
            patterns = [patterns]
        self._options = dict(
            patterns=list(patterns), normalize=normalize, input_format=input_format,
            encoding=encoding, min_docs=min_docs, max_bytes=max_bytes, text_field=text_field,
            html_field=html_field, id_field=id_field, site_field=site_field, url_field=url_field,
            output_key=output_key, threads=threads)
        self._line_stats = line_stats
        self._rust = RustCleaner(line_stats=line_stats, **self._options)
        self.removed = removed

    # Pickled as its options (and its statistics' bytes), so that `datasets.map(num_proc=...)`,
    # multiprocessing and Spark can ship it; it is built again where it lands.
    def __getstate__(self):
        line_stats = self._line_stats
        if line_stats is not None and not isinstance(line_stats, LineStats):
            line_stats = str(line_stats)
        return {"options": self._options, "line_stats": line_stats, "removed": self.removed}

    def __setstate__(self, state):
        self.__init__(line_stats=state["line_stats"], removed=state["removed"], **state["options"])

    def with_line_stats(self, line_stats):
        """This cleaner's options with other line statistics (as counted by `learn`)."""
        return Cleaner(line_stats=line_stats, removed=self.removed, **self._options)

    def clean(self, page, site=None, name=""):
        """The record of one page (str, or bytes decoded as files are) as a dict. `name` is the
        page's file name, which tells HTML by its extension and gives the record's id; `site`
        selects the line statistics. Raises `CleaningError`."""
        return json.loads(self.clean_json(page, site, name))

    def clean_json(self, page, site=None, name=""):
        """`clean`, as the JSON line `boilerstrip clean` writes for the page (no newline)."""
        ok, payload, kind = self._rust.clean_json(page, site, name, self.removed)
        if not ok:
            raise CleaningError(payload, kind)
        return payload

    def clean_batch(self, pages, sites=None, names=None):
        """The records of many pages as dicts, in order, cleaned in parallel without holding the
        GIL. A page that cannot be cleaned gives `{"error": reason, "kind": kind, "index": i}`
        in its place: nothing is dropped."""
        return [json.loads(out) if isinstance(out, str)
                else {"error": str(out), "kind": out.kind, "index": out.index}
                for out in self.clean_batch_json(pages, sites, names)]

    def clean_batch_json(self, pages, sites=None, names=None):
        """`clean_batch` as JSON lines: for each page its line, or a `CleaningError` (returned,
        not raised)."""
        results = self._rust.clean_batch_json(list(pages), _list_or_none(sites), _list_or_none(names),
                                              self.removed)
        return _outcomes(results)

    def clean_records(self, lines, source="-", first_line=1):
        """JSONL record lines (str or bytes) cleaned as `boilerstrip clean --jsonl` cleans them:
        for each, the output line it writes (no newline), or a `CleaningError` (returned, not
        raised) for a line that is no usable record. Lines are numbered from `first_line`, as
        `source` would number them, for records without an id."""
        return _outcomes(self._rust.clean_records(list(lines), source, first_line, self.removed))

    def clean_columns(self, batch, text_column="text", site_column="site", url_column="url",
                      output_column="boilerstrip"):
        """A batch of columns cleaned, for `datasets.Dataset.map(batched=True)` (or a pandas
        frame's dict): the text column's pages cleaned, and `output_column` with what was found
        in each (the `FINDINGS` fields; `features(...)` gives their types). A page's site is its
        site column, else its URL's host. A page that cannot be cleaned keeps its row, with an
        empty text and its `error` and `error_kind` set: nothing is dropped."""
        pages = batch[text_column]
        count = len(pages)
        site_values = batch.get(site_column) or [None] * count
        urls = batch.get(url_column) or [None] * count
        sites = [record_site(site, url) for site, url in zip(site_values, urls)]
        texts, found = [], []
        for out in self.clean_batch_json([page or "" for page in pages], sites):
            if isinstance(out, str):
                record = json.loads(out)
                stats = record["stats"]
                texts.append(record["text"])
                found.append({key: record[key] for key in ("title", "date", "author", "site", "lang", "tags", "url")}
                             | {key: stats[key] for key in ("lines_in", "lines_kept", "chars_out")}
                             | {"error": None, "error_kind": None})
            else:
                texts.append("")
                found.append(dict.fromkeys(FINDINGS) | {"tags": [], "error": str(out), "error_kind": out.kind})
        return {text_column: texts, output_column: found}

    @staticmethod
    def features(features, output_column="boilerstrip"):
        """`datasets.Features` of a dataset after `clean_columns`: `features` (the dataset's)
        and the output column's. Given to `map`, they keep a batch in which, say, no page has a
        title from being typed apart from the others."""
        import datasets

        def feature(kind):
            return datasets.Sequence(datasets.Value(kind[0])) if isinstance(kind, list) else datasets.Value(kind)

        out = features.copy()
        out[output_column] = {name: feature(kind) for name, kind in FINDINGS.items()}
        return out

    def learn(self, pages, sites=None, names=None):
        """The line statistics of pages (str or bytes), as `boilerstrip learn` counts them. A
        page's site is given in `sites`, or is the site name the page shows. Pages that cannot
        be decoded count for nothing; cleaning them reports why."""
        return self._rust.learn(list(pages), _list_or_none(sites), _list_or_none(names))

    def learn_records(self, lines):
        """The line statistics of JSONL record lines, as `boilerstrip learn --jsonl` counts them
        (a record's site from its site or URL field, else the name its page shows). Lines that
        are no usable record count for nothing; `clean_records` reports them."""
        return self._rust.learn_records(list(lines))


def record_site(site, url):
    """A record's site for line statistics, as `clean --jsonl` finds it: its site field when that
    is a non-blank string, else its URL's host; None when neither says."""
    if isinstance(site, str) and site.strip():
        return site
    return site_of_url(url) if isinstance(url, str) else None


def _list_or_none(values):
    return None if values is None else list(values)


def _outcomes(results):
    return [payload if ok else CleaningError(payload, kind, index)
            for index, (ok, payload, kind) in enumerate(results)]
