"""The one exception tree of linkequity; every stage raises from it (foundation stage).

    LinkEquityError
     ├── ConfigError        a setting, flag or argument that cannot be used
     ├── FetchError         a site that cannot be crawled at all (not one failed URL: that is data)
     ├── ImportFormatError  an input file that cannot be read (names file, row and column)
     ├── StoreError         a project file that cannot be opened, is locked, or is inconsistent
     └── ConvergenceError   an iterative computation that did not converge

Messages are one clear sentence a user can act on; the CLI prints them without a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ConfigError",
    "ConvergenceError",
    "FetchError",
    "ImportFormatError",
    "LinkEquityError",
    "StoreError",
]


class LinkEquityError(Exception):
    """Base of every error linkequity raises on purpose."""


class ConfigError(LinkEquityError):
    """A setting, command-line flag or argument has a value that cannot be used."""


class FetchError(LinkEquityError):
    """A crawl cannot start or go on at all: bad start URL, unreachable host, robots.txt says no."""


class StoreError(LinkEquityError):
    """A project file cannot be opened, is locked by another writer, or lacks what is asked."""


class ConvergenceError(LinkEquityError):
    """An iterative computation did not reach its tolerance within its iteration limit."""


class ImportFormatError(LinkEquityError):
    """An input file cannot be read; says which file, and where known which row and column."""

    def __init__(
        self,
        message: str,
        path: str | Path,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        where = self.path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
