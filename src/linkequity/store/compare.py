"""Two crawls of one site side by side: what moved, appeared, went and got fixed (store stage).

:func:`compare_crawls` reads two crawls of a project (by default the previous and the latest)
and returns, as Arrow tables:

* ``movers``: every page with a score in either crawl, its score, share and Link Score in
  each, largest change of share first (a page only in one crawl has the other side null);
* ``pages``: URLs crawled in one crawl and not the other (``added`` / ``removed``), with
  their status;
* ``links``: links (source, target) present in one crawl and not the other;
* ``depth``: pages whose click depth changed;
* ``findings``: findings ``new`` in the later crawl or ``resolved`` since the earlier, by
  kind and URL, so new and fixed orphans and broken links are among them.

The shares need both crawls analysed; the pages, links and depths do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from linkequity.errors import StoreError
from linkequity.store.database import Store

__all__ = ["Comparison", "compare_crawls"]


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed from crawl ``before`` to crawl ``after``."""

    before: int
    after: int
    movers: pa.Table
    pages: pa.Table
    links: pa.Table
    depth: pa.Table
    findings: pa.Table

    def summary(self) -> pa.Table:
        """One row per kind of change, with its count."""

        def count(table: pa.Table, column: str, value: str) -> int:
            return sum(1 for v in table.column(column).to_pylist() if v == value)

        rows = [
            ("pages added", count(self.pages, "change", "added")),
            ("pages removed", count(self.pages, "change", "removed")),
            ("links added", count(self.links, "change", "added")),
            ("links removed", count(self.links, "change", "removed")),
            ("pages whose depth changed", self.depth.num_rows),
            ("findings new", count(self.findings, "change", "new")),
            ("findings resolved", count(self.findings, "change", "resolved")),
        ]
        return pa.table({"change": [r[0] for r in rows], "count": [r[1] for r in rows]})


def _crawls(store: Store, before: int | None, after: int | None) -> tuple[int, int]:
    ids = [int(r[0]) for r in store.rows("SELECT crawl_id FROM crawls ORDER BY crawl_id")]
    if len(ids) < 2:
        raise StoreError(
            f"Comparing needs two crawls; the project file {store.path} has "
            f"{'one' if ids else 'none'}."
        )
    later = ids[-1] if after is None else after
    if later not in ids:
        raise StoreError(f"The project file {store.path} has no crawl {later}.")
    earlier = max((i for i in ids if i < later), default=None) if before is None else before
    if earlier is None:
        raise StoreError(f"Crawl {later} is the first of the project: none is before it.")
    if earlier not in ids:
        raise StoreError(f"The project file {store.path} has no crawl {earlier}.")
    if earlier == later:
        raise StoreError(f"Crawl {later} compared with itself shows no change.")
    return earlier, later


def compare_crawls(store: Store, before: int | None = None, after: int | None = None) -> Comparison:
    """What changed between two crawls (by default the previous and the latest)."""
    a, b = _crawls(store, before, after)
    movers = store.arrow(
        """
        WITH x AS (SELECT url, score, link_score FROM page_scores WHERE crawl_id = ?
                   AND score IS NOT NULL),
             y AS (SELECT url, score, link_score FROM page_scores WHERE crawl_id = ?
                   AND score IS NOT NULL)
        SELECT coalesce(y.url, x.url) AS url,
               x.score * 100 AS share_before, y.score * 100 AS share_after,
               coalesce(y.score, 0) * 100 - coalesce(x.score, 0) * 100 AS share_change,
               x.link_score AS link_score_before, y.link_score AS link_score_after
        FROM x FULL OUTER JOIN y ON x.url = y.url
        ORDER BY abs(share_change) DESC, url
        """,
        [a, b],
    )
    pages = store.arrow(
        """
        WITH x AS (SELECT url, status_code FROM pages WHERE crawl_id = ?),
             y AS (SELECT url, status_code FROM pages WHERE crawl_id = ?)
        SELECT coalesce(y.url, x.url) AS url,
               CASE WHEN x.url IS NULL THEN 'added' ELSE 'removed' END AS change,
               x.status_code AS status_before, y.status_code AS status_after
        FROM x FULL OUTER JOIN y ON x.url = y.url
        WHERE x.url IS NULL OR y.url IS NULL
        ORDER BY change, url
        """,
        [a, b],
    )
    links = store.arrow(
        """
        WITH x AS (SELECT DISTINCT src_url, dst_url FROM links WHERE crawl_id = ?),
             y AS (SELECT DISTINCT src_url, dst_url FROM links WHERE crawl_id = ?)
        SELECT coalesce(y.src_url, x.src_url) AS src_url,
               coalesce(y.dst_url, x.dst_url) AS dst_url,
               CASE WHEN x.src_url IS NULL THEN 'added' ELSE 'removed' END AS change
        FROM x FULL OUTER JOIN y ON x.src_url = y.src_url AND x.dst_url = y.dst_url
        WHERE x.src_url IS NULL OR y.src_url IS NULL
        ORDER BY change, src_url, dst_url
        """,
        [a, b],
    )
    depth = store.arrow(
        """
        SELECT y.url, x.depth AS depth_before, y.depth AS depth_after
        FROM pages x JOIN pages y ON x.url = y.url
        WHERE x.crawl_id = ? AND y.crawl_id = ? AND x.depth IS DISTINCT FROM y.depth
        ORDER BY y.depth - x.depth DESC, y.url
        """,
        [a, b],
    )
    findings = store.arrow(
        """
        WITH x AS (SELECT DISTINCT kind, url, severity FROM findings WHERE crawl_id = ?),
             y AS (SELECT DISTINCT kind, url, severity FROM findings WHERE crawl_id = ?)
        SELECT coalesce(y.kind, x.kind) AS kind, coalesce(y.url, x.url) AS url,
               coalesce(y.severity, x.severity) AS severity,
               CASE WHEN x.kind IS NULL THEN 'new' ELSE 'resolved' END AS change
        FROM x FULL OUTER JOIN y ON x.kind = y.kind AND x.url = y.url
        WHERE x.kind IS NULL OR y.kind IS NULL
        ORDER BY change, kind, url
        """,
        [a, b],
    )
    return Comparison(a, b, movers, pages, links, depth, findings)
