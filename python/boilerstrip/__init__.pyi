from os import PathLike
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

__version__: str

Page = Union[str, bytes]
RecordLine = Union[str, bytes]
Record = dict[str, Any]
StrPath = Union[str, PathLike[str]]

FINDINGS: dict[str, Union[str, list[str]]]

def site_of_url(url: str) -> Optional[str]: ...
def record_site(site: Any, url: Any) -> Optional[str]: ...

class CleaningError(ValueError):
    kind: str
    index: Optional[int]
    def __init__(self, message: str, kind: str = ..., index: Optional[int] = ...) -> None: ...

class LineStats:
    def __init__(self) -> None: ...
    @staticmethod
    def from_bytes(data: bytes) -> LineStats: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def load(path: StrPath) -> LineStats: ...
    def save(self, path: StrPath) -> None: ...
    def merge(self, other: LineStats) -> LineStats: ...
    def update(self, other: LineStats) -> None: ...
    def documents(self, site: str) -> int: ...
    def count(self, site: str, line: str) -> int: ...

class RecordLines:
    """The lines (bytes, no newline) of a JSONL file's bytes, decompressed by `name`'s extension."""
    def __init__(self, data: bytes, name: str) -> None: ...
    def __iter__(self) -> RecordLines: ...
    def __next__(self) -> bytes: ...

class Cleaner:
    removed: bool
    def __init__(
        self,
        patterns: Union[StrPath, Iterable[StrPath]] = ...,
        line_stats: Union[LineStats, StrPath, None] = ...,
        normalize: str = ...,
        input_format: str = ...,
        encoding: Optional[str] = ...,
        min_docs: int = ...,
        max_bytes: Optional[int] = ...,
        removed: bool = ...,
        text_field: str = ...,
        html_field: Optional[str] = ...,
        id_field: str = ...,
        site_field: str = ...,
        url_field: str = ...,
        output_key: str = ...,
        threads: Optional[int] = ...,
    ) -> None: ...
    def with_line_stats(self, line_stats: Union[LineStats, StrPath, None]) -> Cleaner: ...
    def clean(self, page: Page, site: Optional[str] = ..., name: str = ...) -> Record: ...
    def clean_json(self, page: Page, site: Optional[str] = ..., name: str = ...) -> str: ...
    def clean_batch(
        self,
        pages: Iterable[Page],
        sites: Optional[Sequence[Optional[str]]] = ...,
        names: Optional[Sequence[str]] = ...,
    ) -> list[Record]: ...
    def clean_batch_json(
        self,
        pages: Iterable[Page],
        sites: Optional[Sequence[Optional[str]]] = ...,
        names: Optional[Sequence[str]] = ...,
    ) -> list[Union[str, CleaningError]]: ...
    def clean_records(
        self, lines: Iterable[RecordLine], source: str = ..., first_line: int = ...
    ) -> list[Union[str, CleaningError]]: ...
    def clean_columns(
        self,
        batch: Mapping[str, Sequence[Any]],
        text_column: str = ...,
        site_column: str = ...,
        url_column: str = ...,
        output_column: str = ...,
    ) -> dict[str, list[Any]]: ...
    @staticmethod
    def features(features: Any, output_column: str = ...) -> Any: ...
    def learn(
        self,
        pages: Iterable[Page],
        sites: Optional[Sequence[Optional[str]]] = ...,
        names: Optional[Sequence[str]] = ...,
    ) -> LineStats: ...
    def learn_records(self, lines: Iterable[RecordLine]) -> LineStats: ...
