"""boilerstrip as a datatrove pipeline step (needs `pip install datatrove`).

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from boilerstrip.datatrove import BoilerstripCleaner

    LocalPipelineExecutor(pipeline=[
        JsonlReader("crawl/"),
        BoilerstripCleaner(exclusion_writer=JsonlWriter("failed/")),
        JsonlWriter("clean/"),
    ], tasks=4).run()

Each document's text (page text or HTML) is cleaned; what cleaning found goes to
`metadata["boilerstrip"]`. A document that cannot be cleaned, or whose clean text is empty, is
not passed on: it is counted in the step's stats (`failed`, `failed_<kind>`, `empty`) and, with an
`exclusion_writer`, written there with `metadata["boilerstrip_error"]`.
"""
import json

from datatrove.pipeline.base import PipelineStep
from datatrove.utils.typeshelper import StatHints

from . import Cleaner, record_site

FOUND = ("title", "date", "author", "site", "lang", "tags", "url", "stats")


class BoilerstripCleaner(PipelineStep):
    """Cleans each document with boilerstrip, a batch at a time.

    site_key, url_key: the metadata keys naming a document's site (for line statistics), else
    its URL. batch_size: documents cleaned at once. drop_empty: exclude documents with no text
    left. Other keyword arguments are `boilerstrip.Cleaner`'s (patterns, line_stats,
    normalize, input_format, min_docs...).
    """

    name = "🧹 boilerstrip"
    type = "✂️ - FORMAT"

    def __init__(self, batch_size=256, site_key="site", url_key="url", drop_empty=True,
                 exclusion_writer=None, **cleaner_options):
        super().__init__()
        self.batch_size = batch_size
        self.site_key = site_key
        self.url_key = url_key
        self.drop_empty = drop_empty
        self.exclusion_writer = exclusion_writer
        # datatrove's executors run a task per core: one thread per task unless told otherwise.
        self.cleaner_options = {"threads": 1, **cleaner_options}
        self._cleaner = None

    def __getstate__(self):
        # The cleaner is built again in each task's process rather than shipped there.
        state = dict(self.__dict__)
        state["_cleaner"] = None
        return state

    def _site(self, doc):
        return record_site(doc.metadata.get(self.site_key), doc.metadata.get(self.url_key))

    def run(self, data, rank=0, world_size=1):
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.cleaner_options)
        batch = []
        with self.exclusion_writer if self.exclusion_writer else _Nothing() as excluded:
            for doc in data:
                batch.append(doc)
                if len(batch) >= self.batch_size:
                    yield from self._clean(batch, rank, excluded)
                    batch = []
            if batch:
                yield from self._clean(batch, rank, excluded)

    def _clean(self, batch, rank, excluded):
        with self.track_time(unit="batch"):
            outs = self._cleaner.clean_batch_json([doc.text for doc in batch], [self._site(doc) for doc in batch])
        for doc, out in zip(batch, outs):
            self.stat_update(StatHints.total)
            if isinstance(out, str):
                record = json.loads(out)
                doc.text = record["text"]
                doc.metadata["boilerstrip"] = {key: record[key] for key in FOUND}
                if doc.text or not self.drop_empty:
                    self.update_doc_stats(doc)
                    self.stat_update(StatHints.forwarded)
                    yield doc
                    continue
                self.stat_update("empty")
                doc.metadata["boilerstrip_error"] = "no text left after cleaning"
            else:
                self.stat_update("failed", "failed_" + out.kind)
                doc.metadata["boilerstrip_error"] = str(out)
            self.stat_update(StatHints.dropped)
            if excluded:
                excluded.write(doc, rank)


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
