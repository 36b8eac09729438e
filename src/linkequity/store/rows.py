"""Typed rows writers hand to the store, and the Arrow batches made of them (store stage).

The crawler and the importers build ``pages``, ``frontier``, ``robots_txt`` and ``redirects``
rows as the records here and ``links`` rows in a :class:`LinkBatch`; :func:`row_batch` and
:meth:`LinkBatch.take` turn them into Arrow batches typed by the table declarations of
:mod:`linkequity.store.tables`. A record's fields are its table's columns after the snapshot
column, in file order (a test holds them together), and are given by keyword.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

import pyarrow as pa

from linkequity.errors import StoreError
from linkequity.records import LinkColumns
from linkequity.store.tables import table

__all__ = [
    "FrontierRow",
    "LinkBatch",
    "PageRow",
    "PageTextRow",
    "RedirectHop",
    "RobotsRow",
    "redirect_chains",
    "row_batch",
]


class PageRow(NamedTuple):
    """One row of ``pages`` (without crawl_id)."""

    url: str
    status_code: int | None
    content_type: str | None
    depth: int | None
    redirect_url: str | None
    canonical_url: str | None
    meta_robots: str | None
    x_robots_tag: str | None
    indexable: bool
    indexability_reason: str | None
    title: str | None
    h1: str | None
    meta_description: str | None
    word_count: int | None
    text_sha1: str | None
    size_bytes: int | None
    elapsed_ms: float | None
    in_sitemap: bool
    fetched_at: datetime | None
    error: str | None
    encoding: str | None
    content_sketch: str | None = None


class PageTextRow(NamedTuple):
    """One row of ``page_texts`` (without crawl_id): a page's own text, compressed."""

    url: str
    headings: str | None
    text: bytes


class FrontierRow(NamedTuple):
    """One row of ``frontier`` (without crawl_id): a URL the crawl will visit."""

    url: str
    phase: int
    level: int
    found_from: str | None
    found_by: str
    held_back: str | None = None
    trap_pattern: str | None = None


class RobotsRow(NamedTuple):
    """One row of ``robots_txt`` (without crawl_id): a host's robots.txt as fetched."""

    host: str
    status_code: int | None
    body: str | None
    error: str | None


class RedirectHop(NamedTuple):
    """One row of ``redirects`` (without crawl_id): one hop of a URL's redirect chain."""

    url: str
    hop: int
    status_code: int
    location: str | None
    is_loop: bool


def row_batch(name: str, rows: Sequence[tuple[Any, ...]], snapshot_id: int | None) -> pa.Table:
    """An Arrow batch of ``rows`` of table ``name``, whose fields are its columns after the
    snapshot column; with ``snapshot_id`` that column is filled, without it is left out."""
    declared = table(name)
    schema = declared.arrow_schema(with_snapshot=snapshot_id is not None)
    fields = [f for f in schema if f.name != declared.snapshot]
    if declared.columns[0].name != declared.snapshot:
        raise StoreError(f"Rows of {name} are not written as records.")
    # A list, never a tuple: pyarrow converts a tuple of strings ~100x slower (measured:
    # 250 ms against 2.4 ms for 100k URLs), and itemgetter beats zip(*rows) for transposing.
    arrays = [pa.array(list(map(itemgetter(i), rows)), f.type) for i, f in enumerate(fields)]
    if snapshot_id is not None:
        arrays.insert(0, pa.array([snapshot_id] * len(rows), schema.field(0).type))
    return pa.Table.from_arrays(arrays, schema=schema)


# LinkColumns fields stored, in ``links`` order (ordinal is the index in a page's columns;
# is_followable is derivable from dst_url).
_STORED_LINK_FIELDS = (
    "dst_url",
    "anchor",
    "alt",
    "rel",
    "is_nofollow",
    "is_sponsored",
    "is_ugc",
    "position",
    "is_internal",
    "is_image",
    "fragment",
)


class LinkBatch:
    """``links`` rows of many pages, buffered column by column until they are written.

    The crawler adds a page's :class:`~linkequity.records.LinkColumns` at once (extending
    lists beats appending per link); an importer adds one link at a time.
    """

    def __init__(self) -> None:
        self.src_url: list[str] = []
        self.dst_url: list[str] = []
        self.anchor: list[str] = []
        self.alt: list[str | None] = []
        self.rel: list[str | None] = []
        self.is_nofollow: list[bool] = []
        self.is_sponsored: list[bool] = []
        self.is_ugc: list[bool] = []
        self.position: list[str] = []
        self.is_internal: list[bool] = []
        self.is_image: list[bool] = []
        self.ordinal: list[int] = []
        self.fragment: list[str | None] = []
        self._page_fields = tuple(getattr(self, name) for name in _STORED_LINK_FIELDS)

    def __len__(self) -> int:
        return len(self.src_url)

    def add_page(self, src_url: str, links: LinkColumns) -> None:
        """Buffer every link of the page ``src_url``, in page order."""
        n = len(links)
        self.src_url.extend([src_url] * n)
        self.ordinal.extend(range(n))
        for buffer, name in zip(self._page_fields, _STORED_LINK_FIELDS, strict=True):
            buffer.extend(getattr(links, name))

    def add(
        self,
        src_url: str,
        dst_url: str,
        anchor: str,
        alt: str | None,
        rel: str | None,
        is_nofollow: bool,
        is_sponsored: bool,
        is_ugc: bool,
        position: str,
        is_internal: bool,
        ordinal: int,
        fragment: str | None = None,
    ) -> None:
        """Buffer one link; it is an image link when it has alt text."""
        self.src_url.append(src_url)
        self.dst_url.append(dst_url)
        self.anchor.append(anchor)
        self.alt.append(alt)
        self.rel.append(rel)
        self.is_nofollow.append(is_nofollow)
        self.is_sponsored.append(is_sponsored)
        self.is_ugc.append(is_ugc)
        self.position.append(position)
        self.is_internal.append(is_internal)
        self.is_image.append(alt is not None)
        self.ordinal.append(ordinal)
        self.fragment.append(fragment)

    def take(self, snapshot_id: int | None) -> pa.Table:
        """The buffered links as one ``links`` batch (see :func:`row_batch` for
        ``snapshot_id``); the buffers are emptied."""
        names = table("links").names[1:]
        columns: Mapping[str, list[Any]] = {name: getattr(self, name) for name in names}
        batch = table("links").batch(columns, snapshot_id)
        for values in columns.values():
            values.clear()
        return batch


def redirect_chains(hops: Mapping[str, tuple[int, str | None]]) -> list[RedirectHop]:
    """Every redirecting URL's chain, hop by hop.

    ``hops`` maps each redirecting URL to (status, location). A chain ends at a URL that does
    not redirect (or was not crawled) or where a location repeats a URL of the chain (a loop).

    >>> chain = redirect_chains({"a": (301, "b"), "b": (302, "a")})
    >>> [(h.hop, h.location, h.is_loop) for h in chain if h.url == "a"]
    [(0, 'b', False), (1, 'a', True)]
    """
    out: list[RedirectHop] = []
    for start in sorted(hops):
        visited = {start}
        current = start
        hop = 0
        while True:
            status, location = hops[current]
            loop = location is not None and location in visited
            out.append(RedirectHop(start, hop, status, location, loop))
            if loop or location is None or location not in hops:
                break
            visited.add(location)
            current = location
            hop += 1
    return out
