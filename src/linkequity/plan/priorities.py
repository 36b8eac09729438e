"""The priority pages a plan works for: read from a file, or proposed with a reason (plan stage).

A priorities file is a CSV of ``url, weight, keywords`` (``weight`` 1 when empty,
``keywords`` separated by ``;``). The plan's objective is ``sum(weight x score)`` over them.
Without a file, :func:`propose_priorities` proposes them, each saying why, in this order:
the pages the ``[audit] priority_urls`` setting's regular expressions match, the pillar of
each topic cluster (when topics have been found), the pages the most backlink equity lands
on, and the start page's navigation targets; at most ``limit`` (8 by default: the "5-10
pillar pages" content strategists advise, with room for the home page's main sections).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from linkequity.equity.graph import GraphLinks
from linkequity.errors import ConfigError, ImportFormatError
from linkequity.ingest.csvfile import CsvReader, sniff_csv
from linkequity.store import Store
from linkequity.urls import normalise_url

__all__ = ["Priority", "node_of", "propose_priorities", "read_priorities"]

#: Proposed priorities at most.
PROPOSED = 8


@dataclass(frozen=True, slots=True)
class Priority:
    """One page the plan works for."""

    url: str
    weight: float = 1.0
    keywords: tuple[str, ...] = ()
    reason: str = "given"
    row: int | None = None
    """The priorities file's line, None when given otherwise."""
    path: str | None = None


def read_priorities(path: str | Path) -> tuple[Priority, ...]:
    """The priorities of a file; an error names the file, row and column."""
    layout = sniff_csv(path)
    names = [name.strip().lower() for name in layout.header]
    if "url" not in names:
        raise ImportFormatError(
            f"has no url column (the columns are: {', '.join(layout.header)}).", layout.path
        )
    column: dict[str, int] = {
        name: names.index(name) for name in ("url", "weight", "keywords") if name in names
    }
    found: list[Priority] = []
    seen: dict[str, int] = {}
    with CsvReader(layout) as rows:
        for line, fields in rows:

            def value(name: str, fields: list[str] = fields) -> str:
                i = column.get(name)
                return fields[i].strip() if i is not None and i < len(fields) else ""

            raw = value("url")
            url = normalise_url(raw) if raw else None
            if url is None:
                raise ImportFormatError(
                    f"{raw!r} is not an absolute http(s) URL.", layout.path, line, "url"
                )
            if url in seen:
                raise ImportFormatError(
                    f"{url} is listed already, on row {seen[url]}.", layout.path, line, "url"
                )
            seen[url] = line
            weight_text = value("weight")
            try:
                weight = float(weight_text) if weight_text else 1.0
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight <= 0:
                raise ImportFormatError(
                    f"{weight_text!r} is not a positive number.", layout.path, line, "weight"
                )
            keywords = tuple(k.strip() for k in value("keywords").split(";") if k.strip())
            found.append(Priority(url, weight, keywords, "given", line, str(layout.path)))
    if not found:
        raise ImportFormatError("lists no page.", layout.path)
    return tuple(found)


def node_of(priority: Priority, links: GraphLinks, node_id: dict[str, int]) -> int:
    """The graph node of a priority page; an error naming the file, row and URL when the
    page holds no equity of its own."""
    where = f"{priority.path}, row {priority.row}: " if priority.path else ""
    resolution = links.resolutions.get(priority.url)
    if resolution is None:
        raise ConfigError(f"{where}the crawl does not know {priority.url}.")
    if resolution.role != "page":
        if resolution.role == "redirect" and resolution.equity_url:
            what = f"redirects to {resolution.equity_url}; list that page instead."
        elif resolution.role == "canonicalised" and resolution.equity_url:
            what = f"is canonicalised to {resolution.equity_url}; list that page instead."
        else:
            role = resolution.role.replace("_", " ")
            what = f"is a {role} URL, not a page that can hold equity."
        raise ConfigError(f"{where}{priority.url} {what}")
    return node_id[priority.url]


def propose_priorities(
    store: Store,
    crawl_id: int,
    links: GraphLinks,
    priority_urls: Sequence[str] = (),
    limit: int = PROPOSED,
) -> tuple[Priority, ...]:
    """Priorities proposed for a crawl, each with its reason, at most ``limit``."""
    nodes = set(links.urls)
    found: dict[str, Priority] = {}

    def offer(url: str | None, reason: str) -> None:
        if url is None or url in found or url not in nodes or len(found) >= limit:
            return
        resolution = links.resolutions.get(url)
        if resolution is not None and resolution.role == "page":
            found[url] = Priority(url, 1.0, (), reason)

    patterns = [re.compile(pattern) for pattern in priority_urls]
    for url in links.urls:
        hit = next((p.pattern for p in patterns if p.search(url)), None)
        if hit is not None:
            offer(url, f"matches {hit!r} of the priority_urls setting")
    for url, label in store.rows(
        "SELECT pillar_url, label FROM clusters WHERE crawl_id = ? ORDER BY pages DESC, cluster",
        [crawl_id],
    ):
        offer(str(url), f"pillar of the topic cluster {label!r}")
    for url, seed in store.rows(
        "SELECT url, backlink_seed FROM page_scores WHERE crawl_id = ? AND backlink_seed > 0 "
        "ORDER BY backlink_seed DESC, url LIMIT ?",
        [crawl_id, limit],
    ):
        offer(str(url), f"{float(seed):.0%} of the backlink equity lands on it")
    for (url,) in store.rows(
        "SELECT l.dst_url FROM links l JOIN crawls c USING (crawl_id) "
        "WHERE l.crawl_id = ? AND l.src_url = c.start_url AND l.is_internal "
        "AND l.position IN ('navigation', 'header') "
        "GROUP BY l.dst_url ORDER BY min(l.ordinal)",
        [crawl_id],
    ):
        offer(str(url), "in the start page's navigation")
    return tuple(found.values())
