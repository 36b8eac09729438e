"""Read queries over a crawl that the CLI, the demo and notebooks share (store stage)."""

from __future__ import annotations

from dataclasses import dataclass

from linkequity.store.database import Store

__all__ = ["CrawlOverview", "crawl_overview"]


@dataclass(frozen=True, slots=True)
class CrawlOverview:
    """The headline numbers of one crawl."""

    crawl_id: int
    start_url: str
    status: str
    pages: int
    by_status: list[tuple[str, int]]
    """("200", n), ("301", n), ..., ("no response", n), ("blocked by robots.txt", n)."""
    by_indexability: list[tuple[str, int]]
    """("indexable", n) then each non-indexable reason."""
    depth_histogram: list[tuple[str, int]]
    """("0", n), ("1", n), ..., ("not linked", n) for pages reached only from sitemaps."""
    links: int
    internal_links: int
    external_links: int
    unique_internal_links: int
    nofollow_links: int
    by_position: list[tuple[str, int]]
    sitemap_urls: int


def _pairs(store: Store, sql: str, crawl_id: int) -> list[tuple[str, int]]:
    return [(str(k), int(v)) for k, v in store.rows(sql, [crawl_id])]


def crawl_overview(store: Store, crawl_id: int | None = None) -> CrawlOverview:
    """Counts of pages by status, indexability and depth, and of links, for one crawl."""
    cid = store.latest_crawl_id() if crawl_id is None else crawl_id
    head = store.one("SELECT start_url, status FROM crawls WHERE crawl_id = ?", [cid])
    start_url, status = (str(head[0]), str(head[1])) if head else ("", "missing")
    by_status = _pairs(
        store,
        "SELECT CASE WHEN status_code IS NOT NULL THEN CAST(status_code AS VARCHAR) "
        "WHEN indexability_reason = 'blocked by robots.txt' THEN 'blocked by robots.txt' "
        "ELSE 'no response' END AS s, count(*) FROM pages WHERE crawl_id = ? "
        "GROUP BY s ORDER BY s",
        cid,
    )
    by_index = _pairs(
        store,
        "SELECT coalesce(indexability_reason, 'indexable') AS r, count(*) FROM pages "
        "WHERE crawl_id = ? GROUP BY r ORDER BY (r <> 'indexable'), count(*) DESC, r",
        cid,
    )
    depths = _pairs(
        store,
        "SELECT coalesce(CAST(depth AS VARCHAR), 'not linked') AS d, count(*) FROM pages "
        "WHERE crawl_id = ? GROUP BY depth, d ORDER BY depth NULLS LAST",
        cid,
    )
    row = store.one(
        "SELECT count(*), count(*) FILTER (WHERE is_internal), "
        "count(*) FILTER (WHERE NOT is_internal), "
        "count(DISTINCT (src_url, dst_url)) FILTER (WHERE is_internal), "
        "count(*) FILTER (WHERE is_nofollow) FROM links WHERE crawl_id = ?",
        [cid],
    )
    links, internal, external, unique, nofollow = (int(v or 0) for v in (row or (0,) * 5))
    positions = _pairs(
        store,
        "SELECT position, count(*) FROM links WHERE crawl_id = ? GROUP BY position "
        "ORDER BY count(*) DESC, position",
        cid,
    )
    pages_row = store.one("SELECT count(*) FROM pages WHERE crawl_id = ?", [cid])
    sm_row = store.one("SELECT count(*) FROM sitemap_urls WHERE crawl_id = ?", [cid])
    return CrawlOverview(
        crawl_id=cid,
        start_url=start_url,
        status=status,
        pages=int(pages_row[0]) if pages_row else 0,
        by_status=by_status,
        by_indexability=by_index,
        depth_histogram=depths,
        links=links,
        internal_links=internal,
        external_links=external,
        unique_internal_links=unique,
        nofollow_links=nofollow,
        by_position=positions,
        sitemap_urls=int(sm_row[0]) if sm_row else 0,
    )
