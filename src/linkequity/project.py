"""A project: the Python entry point to one DuckDB project file (every stage goes through it).

>>> from linkequity import Project  # doctest: +SKIP
>>> site = Project("site.duckdb")
>>> site.crawl("https://www.example.com/", max_pages=500)
>>> site.pages().to_pandas().head()

Each call opens the file, does its work and closes it, so a notebook can call again, and a
second process can read between calls.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from linkequity.crawl import CrawlSummary, run_crawl
from linkequity.crawl.engine import ProgressCallback
from linkequity.errors import StoreError
from linkequity.ingest import ImportProgress, ImportSummary, import_screamingfrog
from linkequity.settings import CrawlSettings, load_settings
from linkequity.store import TABLES, CrawlOverview, Store, crawl_overview

__all__ = ["Project"]

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also from inside a running loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Project:
    """One project file; created on first write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def crawl(
        self,
        start_url: str | None = None,
        *,
        settings: CrawlSettings | None = None,
        resume: bool = False,
        progress: ProgressCallback | None = None,
        **overrides: Any,
    ) -> CrawlSummary:
        """Crawl a site into this project (or resume its unfinished crawl).

        ``overrides`` are :class:`~linkequity.settings.CrawlSettings` fields, e.g.
        ``max_pages=500``.
        """
        if settings is None or overrides:
            base = _as_dict(settings or CrawlSettings())
            settings = load_settings(None, {**base, **overrides})
        with Store(self.path) as store:
            return run_sync(run_crawl(store, start_url, settings, resume, progress))

    def import_screamingfrog(
        self, *paths: str | Path, progress: ImportProgress | None = None
    ) -> ImportSummary:
        """Import Screaming Frog CSV exports as a new snapshot (all files or nothing).

        Give an All Inlinks or All Outlinks export and Internal: All (or HTML) exports.
        """
        with Store(self.path) as store:
            return import_screamingfrog(store, [Path(p) for p in paths], progress)

    def overview(self, crawl_id: int | None = None) -> CrawlOverview:
        """Headline counts of a crawl (the latest by default)."""
        with Store(self.path, read_only=True) as store:
            return crawl_overview(store, crawl_id)

    def table(self, name: str, crawl_id: int | None = None) -> pa.Table:
        """One table of one crawl (the latest by default) as Arrow; ``.to_pandas()`` for pandas."""
        if name not in TABLES:
            raise StoreError(f"Unknown table {name!r}; tables: {', '.join(TABLES)}.")
        with Store(self.path, read_only=True) as store:
            if name == "crawls":
                return store.arrow("SELECT * FROM crawls ORDER BY crawl_id")
            cid = store.latest_crawl_id() if crawl_id is None else crawl_id
            return store.arrow(f"SELECT * FROM {name} WHERE crawl_id = ?", [cid])

    def pages(self, crawl_id: int | None = None) -> pa.Table:
        """The pages of a crawl."""
        return self.table("pages", crawl_id)

    def links(self, crawl_id: int | None = None) -> pa.Table:
        """The links of a crawl, one row per ``<a href>`` occurrence."""
        return self.table("links", crawl_id)

    def export(
        self, name: str, out: str | Path, fmt: str = "csv", crawl_id: int | None = None
    ) -> int:
        """Write one table to CSV or Parquet; returns the number of rows written."""
        with Store(self.path, read_only=True) as store:
            return store.export(name, Path(out), fmt, crawl_id)


def _as_dict(settings: CrawlSettings) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(settings.to_json())
    return values
