"""The reference tables the importers read (``*.csv`` beside the sources), from the one
directory their caller names.

An import runs inside ``use(sources_dir)``: every table (aliases, regions, cercles, domains,
domain labels, départements) is then read from that directory, once per import, and the
tables derived from them (matching keys, patterns) are kept for that import only. Outside
``use()`` a parser that needs a table fails loudly instead of reading a file of its own choosing.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar


class References:
    def __init__(self, sources_dir: Path):
        self.sources_dir = Path(sources_dir)
        self.memo: dict = {}

    def rows(self, filename: str) -> list[dict[str, str]]:
        """The rows of one table, read once."""
        key = ("rows", filename)
        if key not in self.memo:
            with open(self.sources_dir / filename, encoding="utf-8", newline="") as handle:
                self.memo[key] = list(csv.DictReader(handle))
        return self.memo[key]


_current: ContextVar[References | None] = ContextVar("references", default=None)


@contextmanager
def use(sources_dir: Path) -> Iterator[References]:
    """Read every reference table from ``sources_dir`` until the block ends."""
    token = _current.set(References(sources_dir))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> References:
    references = _current.get()
    if references is None:
        raise RuntimeError("reference tables needed outside references.use(sources_dir)")
    return references


T = TypeVar("T")


def per_import(function: Callable[..., T]) -> Callable[..., T]:
    """Cache a table derived from the reference tables for the current import:
    ``function(references, *args)`` is called once per ``use()`` and arguments."""

    @functools.wraps(function)
    def wrapper(*args):
        references = current()
        key = (function.__module__, function.__qualname__, args)
        if key not in references.memo:
            references.memo[key] = function(references, *args)
        return references.memo[key]

    return wrapper
