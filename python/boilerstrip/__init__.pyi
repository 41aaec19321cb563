from typing import Any, Iterable, Optional, Sequence, Union

__version__: str

Page = Union[str, bytes]
Record = dict[str, Any]

class CleaningError(ValueError): ...

class Cleaner:
    removed: bool
    def __init__(
        self,
        patterns: Union[str, Iterable[str]] = ...,
        line_stats: Optional[str] = ...,
        normalize: str = ...,
        input_format: str = ...,
        encoding: Optional[str] = ...,
        min_docs: int = ...,
        removed: bool = ...,
    ) -> None: ...
    def clean(self, page: Page, site: Optional[str] = ..., name: str = ...) -> Record: ...
    def clean_batch(
        self,
        pages: Iterable[Page],
        sites: Optional[Sequence[Optional[str]]] = ...,
        names: Optional[Sequence[str]] = ...,
    ) -> list[Record]: ...
