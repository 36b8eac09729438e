"""Read queries over a crawl that the facade, the CLI and notebooks share (store stage).

The SQL the :class:`~linkequity.project.Project` facade answers with lives here: the
facade only picks the query and opens the file.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from linkequity.errors import StoreError
from linkequity.findings import FindingKind, detail_structure
from linkequity.pagetext import decompress, plain
from linkequity.records import IndexabilityReason
from linkequity.settings import EquitySettings
from linkequity.store.database import Store
from linkequity.store.tables import EXPORTABLE, table

__all__ = [
    "CrawlOverview",
    "analysed_crawl",
    "analysis_equity_settings",
    "anchors",
    "click_path",
    "click_tree",
    "crawl_count",
    "crawl_overview",
    "finding_details",
    "findings",
    "latest_analysed_crawl",
    "page_scores",
    "page_texts",
    "table_rows",
    "topics",
]


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


def _pairs(store: Store, sql: str, crawl_id: int, *more: str) -> list[tuple[str, int]]:
    return [(str(k), int(v)) for k, v in store.rows(sql, [crawl_id, *more])]


def crawl_overview(store: Store, crawl_id: int | None = None) -> CrawlOverview:
    """Counts of pages by status, indexability and depth, and of links, for one crawl."""
    cid = store.latest_crawl_id() if crawl_id is None else crawl_id
    head = store.one("SELECT start_url, status FROM crawls WHERE crawl_id = ?", [cid])
    start_url, status = (str(head[0]), str(head[1])) if head else ("", "missing")
    by_status = _pairs(
        store,
        "SELECT CASE WHEN status_code IS NOT NULL THEN CAST(status_code AS VARCHAR) "
        "WHEN indexability_reason = $2 THEN $2 "
        "ELSE 'no response' END AS s, count(*) FROM pages WHERE crawl_id = $1 "
        "GROUP BY s ORDER BY s",
        cid,
        IndexabilityReason.BLOCKED,
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


def crawl_count(store: Store) -> int | None:
    """How many crawls and imports the project holds; None when that cannot be read (a
    caller cleaning up after a failure then keeps the file)."""
    try:
        row = store.one("SELECT count(*) FROM crawls")
    except duckdb.Error:
        return None
    return int(row[0]) if row else 0


def analysed_crawl(store: Store, crawl_id: int | None) -> int:
    """The crawl id asked for (the latest by default), once it is known to be analyzed."""
    cid = store.latest_crawl_id() if crawl_id is None else crawl_id
    if store.one("SELECT 1 FROM analyses WHERE crawl_id = ?", [cid]) is None:
        raise _not_analyzed(store, cid)
    return cid


def _not_analyzed(store: Store, crawl_id: int) -> StoreError:
    return StoreError(
        f"Crawl {crawl_id} of {store.path} has not been analyzed yet: run linkequity analyze."
    )


def latest_analysed_crawl(store: Store) -> int | None:
    """The most recent analyzed crawl's id, None when there is none."""
    row = store.one("SELECT max(crawl_id) FROM analyses")
    return int(row[0]) if row and row[0] is not None else None


def analysis_equity_settings(store: Store, crawl_id: int) -> EquitySettings:
    """The equity settings an analyzed crawl was scored with."""
    row = store.one("SELECT settings_json FROM analyses WHERE crawl_id = ?", [crawl_id])
    if row is None:
        raise _not_analyzed(store, crawl_id)
    values: dict[str, Any] = json.loads(row[0])["equity"]
    return EquitySettings(**values)


def table_rows(store: Store, name: str, crawl_id: int | None = None) -> pa.Table:
    """One table of one crawl (the latest by default); import tables and ``crawls`` whole."""
    declared = table(name)
    if declared.snapshot is None:
        raise StoreError(f"Unknown table {name!r}; tables: {', '.join(EXPORTABLE)}.")
    if name == "crawls":
        return store.arrow("SELECT * FROM crawls ORDER BY crawl_id")
    if declared.snapshot == "import_id":
        return store.arrow(f"SELECT * FROM {name} ORDER BY import_id")
    cid = store.latest_crawl_id() if crawl_id is None else crawl_id
    rows = store.arrow(f"SELECT * FROM {name} WHERE crawl_id = ?", [cid])
    if name == "page_texts":
        # Exported as the text a user reads: decompressed, marks removed.
        texts = [plain(decompress(value)) for value in rows.column("text").to_pylist()]
        rows = rows.set_column(rows.schema.get_field_index("text"), "text", pa.array(texts))
    return rows


def page_texts(
    store: Store, crawl_id: int, urls: Collection[str] | None = None
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The own text (marks kept) and headings of the pages of a crawl whose text was kept:
    every one, or those of ``urls``."""
    sql = "SELECT url, headings, text FROM page_texts WHERE crawl_id = ?"
    if urls is None:
        rows = store.arrow(sql, [crawl_id]).to_pylist()
    else:
        wanted = pa.table({"url": pa.array(sorted(urls), pa.string())})
        with store.registered(_wanted=wanted):
            rows = store.arrow(
                sql + " AND url IN (SELECT url FROM _wanted)", [crawl_id]
            ).to_pylist()
    return {
        row["url"]: (
            decompress(row["text"]),
            tuple(row["headings"].split("\n")) if row["headings"] else (),
        )
        for row in rows
    }


#: page_scores columns that sort best-first ascending.
_ASCENDING = frozenset({"rank", "crawl_depth", "url"})


def page_scores(
    store: Store, crawl_id: int | None, sort: str = "link_score", limit: int | None = None
) -> pa.Table:
    """Scores and link counts of every URL of an analyzed crawl, best first by ``sort``."""
    cid = analysed_crawl(store, crawl_id)
    columns = table("page_scores").names
    if sort not in columns:
        raise StoreError(f"Cannot sort by {sort!r}; columns: {', '.join(columns)}.")
    order = "ASC" if sort in _ASCENDING else "DESC"
    cap = "" if limit is None else f" LIMIT {int(limit)}"
    return store.arrow(
        f"SELECT * EXCLUDE (crawl_id) FROM page_scores WHERE crawl_id = ? "
        f'ORDER BY "{sort}" {order} NULLS LAST, url{cap}',
        [cid],
    )


_SEVERITY_ORDER = "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"


def findings(
    store: Store,
    crawl_id: int | None,
    kind: str | None = None,
    severity: str | None = None,
    min_impact: float | None = None,
    limit: int | None = None,
) -> pa.Table:
    """The findings of an analyzed crawl, costliest first (impact, then severity, kind and
    URL); optionally of one kind or severity, or with at least ``min_impact``."""
    cid = analysed_crawl(store, crawl_id)
    return store.arrow(
        "SELECT kind, severity, impact, url, summary, fix, detail_json FROM findings "
        "WHERE crawl_id = ? AND (? IS NULL OR kind = ?) AND (? IS NULL OR severity = ?) "
        "AND (? IS NULL OR impact >= ?) "
        f"ORDER BY impact DESC NULLS LAST, {_SEVERITY_ORDER}, kind, url LIMIT ?",
        [cid, kind, kind, severity, severity, min_impact, min_impact, limit],
    )


def finding_summary(store: Store, crawl_id: int | None) -> pa.Table:
    """Per finding kind: its severity, how many findings, their total and largest impact;
    the costliest kind first."""
    cid = analysed_crawl(store, crawl_id)
    return store.arrow(
        "SELECT kind, any_value(severity) AS severity, count(*) AS findings, "
        "sum(impact) AS total_impact, max(impact) AS max_impact FROM findings "
        f"WHERE crawl_id = ? GROUP BY kind "
        f"ORDER BY total_impact DESC NULLS LAST, min({_SEVERITY_ORDER}), kind",
        [cid],
    )


def finding_details(store: Store, crawl_id: int | None, kind: FindingKind) -> pa.Table:
    """The findings of one kind with their impact and their detail as typed columns (the
    kind's detail fields in :data:`~linkequity.findings.KINDS`), by URL."""
    cid = analysed_crawl(store, crawl_id)
    return store.arrow(
        "SELECT url, summary, impact, unnest(json_transform(detail_json, ?)) FROM findings "
        "WHERE crawl_id = ? AND kind = ? ORDER BY url",
        [detail_structure(kind), cid, kind],
    )


def anchors(store: Store, crawl_id: int | None, target: str | None = None) -> pa.Table:
    """Internal anchor texts per target page of an analyzed crawl, with counts and flags."""
    cid = analysed_crawl(store, crawl_id)
    return store.arrow(
        "SELECT * EXCLUDE (crawl_id) FROM anchors WHERE crawl_id = ? "
        "AND (? IS NULL OR target_url = ?) ORDER BY target_url, links DESC, anchor",
        [cid, target, target],
    )


def topics(store: Store, crawl_id: int | None) -> tuple[pa.Table, pa.Table]:
    """The topic clusters of an analyzed crawl (largest first) and the cluster of each of
    its pages (by cluster, pillar first, then closest to the centroid)."""
    cid = analysed_crawl(store, crawl_id)
    clusters = store.arrow(
        "SELECT * EXCLUDE (crawl_id) FROM clusters WHERE crawl_id = ? ORDER BY cluster", [cid]
    )
    pages = store.arrow(
        "SELECT * EXCLUDE (crawl_id) FROM page_topics WHERE crawl_id = ? "
        "ORDER BY cluster, is_pillar DESC, similarity DESC, url",
        [cid],
    )
    return clusters, pages


def click_tree(store: Store, crawl_id: int | None) -> pa.Table:
    """The click tree of an analyzed crawl: every URL the start URL reaches along followed
    links with its clicks from the start (``crawl_depth``), its ``parent_url``, its
    ``link_score`` and ``role``, nearest first."""
    cid = analysed_crawl(store, crawl_id)
    return store.arrow(
        "SELECT url, click_depth AS crawl_depth, click_parent AS parent_url, link_score, role "
        "FROM page_scores "
        "WHERE crawl_id = ? AND click_depth IS NOT NULL ORDER BY click_depth, url",
        [cid],
    )


def click_path(store: Store, crawl_id: int | None, url: str) -> list[str]:
    """The shortest click path from the start URL to ``url`` in an analyzed crawl; empty
    when no followed-link path reaches it."""
    cid = analysed_crawl(store, crawl_id)
    rows = store.rows(
        """
        WITH RECURSIVE path(url, parent, clicks) AS (
            SELECT url, click_parent, click_depth FROM page_scores
            WHERE crawl_id = $1 AND url = $2 AND click_depth IS NOT NULL
            UNION ALL
            SELECT s.url, s.click_parent, s.click_depth
            FROM page_scores s JOIN path ON s.url = path.parent
            WHERE s.crawl_id = $1
        )
        SELECT url FROM path ORDER BY clicks
        """,
        [cid, url],
    )
    return [r[0] for r in rows]
