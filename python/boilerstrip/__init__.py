"""boilerstrip: clean scraped web pages (text or HTML) into article text and metadata.

A `Cleaner` is built once (its patterns compiled, its line statistics loaded) and cleans pages
with the same pipeline as the command line; each page gives the record `boilerstrip clean`
writes as JSONL, as a dict.
"""
import json

from ._boilerstrip import RustCleaner, __version__

__all__ = ["Cleaner", "CleaningError", "__version__"]


class CleaningError(ValueError):
    """A page that cannot be cleaned: empty, binary, no text."""


class Cleaner:
    """Cleans pages; build once, use from any thread.

    patterns: folders of extra pattern files (`<lang>/<kind>.txt`), on top of the defaults.
    line_stats: a statistics file from `boilerstrip learn`, to remove lines repeated on a site.
    normalize: "nfc", "nfkc" or "none". input_format: "auto", "text" or "html".
    encoding: decode every bytes page with this label instead of detecting one.
    removed: add each page's removed lines (line, text, rule) to its record.
    """

    def __init__(self, patterns=(), line_stats=None, normalize="nfc", input_format="auto",
                 encoding=None, min_docs=3, removed=False):
        if isinstance(patterns, str):
            patterns = [patterns]
        self._rust = RustCleaner(list(patterns), line_stats, normalize, input_format, encoding, min_docs)
        self.removed = removed

    def clean(self, page, site=None, name=""):
        """The record of one page (str, or bytes decoded as files are). `name` is the page's
        file name, which tells HTML by its extension; `site` selects the line statistics."""
        try:
            return json.loads(self._rust.clean_json(page, site, name, self.removed))
        except ValueError as error:
            if isinstance(error, json.JSONDecodeError):
                raise
            raise CleaningError(str(error)) from None

    def clean_batch(self, pages, sites=None, names=None):
        """The records of many pages, in order, cleaned in parallel without holding the GIL. A
        page that cannot be cleaned gives `{"error": reason, "index": i}` in its place: nothing
        is dropped."""
        results = self._rust.clean_batch_json(list(pages), None if sites is None else list(sites),
                                              None if names is None else list(names), self.removed)
        return [json.loads(payload) if ok else {"error": payload, "index": index}
                for index, (ok, payload) in enumerate(results)]
