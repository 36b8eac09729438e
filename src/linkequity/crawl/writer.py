"""The crawl's batched writer: pages, links and frontier rows committed together (acquire stage).

A page, the links found on it and the URLs it added to the frontier are written in the same
transaction, so after a kill the store holds either all of a page's facts or none of them: a
resumed crawl refetches exactly the pages whose transaction never committed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from linkequity.records import LinkColumns
from linkequity.store.database import Store
from linkequity.store.rows import (
    FrontierRow,
    LinkBatch,
    PageRow,
    PageTextRow,
    RobotsRow,
    row_batch,
)

__all__ = ["CrawlWriter", "now_utc"]


class CrawlWriter:
    """Buffers one crawl's rows and commits them in batches."""

    def __init__(self, store: Store, crawl_id: int) -> None:
        self.store = store
        self.crawl_id = crawl_id
        self.pages: list[PageRow] = []
        self.links = LinkBatch()
        self.frontier: list[FrontierRow] = []
        self.robots: list[RobotsRow] = []
        self.texts: list[PageTextRow] = []

    @property
    def link_count(self) -> int:
        """Links buffered."""
        return len(self.links)

    def add_page(
        self, row: PageRow, links: LinkColumns | None, text: PageTextRow | None = None
    ) -> None:
        """Buffer a page, the links found on it and its own text."""
        self.pages.append(row)
        if text is not None:
            self.texts.append(text)
        if links is not None and len(links):
            self.links.add_page(row.url, links)

    def add_frontier(
        self,
        url: str,
        phase: int,
        level: int,
        found_from: str | None,
        found_by: str,
        held_back: str | None = None,
        trap_pattern: str | None = None,
    ) -> None:
        """Buffer a URL the crawl will visit (or holds back, with the rule why)."""
        self.frontier.append(
            FrontierRow(url, phase, level, found_from, found_by, held_back, trap_pattern)
        )

    def add_robots(
        self, host: str, status_code: int | None, body: str | None, error: str | None
    ) -> None:
        """Buffer a host's robots.txt."""
        self.robots.append(RobotsRow(host, status_code, body, error))

    def __len__(self) -> int:
        return len(self.pages)

    def flush(self, extra: dict[str, pa.Table] | None = None) -> None:
        """Commit everything buffered (and ``extra`` tables) in one transaction."""
        batches = self.take()
        batches.update(extra or {})
        if batches:
            self.store.write(batches)

    def take(self) -> dict[str, pa.Table]:
        """Everything buffered as Arrow tables (for one ``Store.write``); the buffers empty."""
        batches: dict[str, pa.Table] = {}
        cid = self.crawl_id
        if self.pages:
            batches["pages"] = row_batch("pages", self.pages, cid)
        if self.links:
            batches["links"] = self.links.take(cid)
        if self.frontier:
            batches["frontier"] = row_batch("frontier", self.frontier, cid)
        if self.robots:
            batches["robots_txt"] = row_batch("robots_txt", self.robots, cid)
        if self.texts:
            batches["page_texts"] = row_batch("page_texts", self.texts, cid)
        self.pages.clear()
        self.texts.clear()
        self.frontier.clear()
        self.robots.clear()
        return batches


def now_utc() -> datetime:
    """The current time, timezone-aware (what fetched_at stores)."""
    return datetime.now(UTC)
