"""Inlink and outlink counts of every URL of a crawl, as SEO crawlers count them (analyze stage)."""

from __future__ import annotations

import pyarrow as pa

from linkequity.records import IndexabilityReason
from linkequity.store import Store

__all__ = ["page_counts"]


def page_counts(store: Store, crawl_id: int, nofollow_pages: frozenset[str]) -> pa.Table:
    """Inlink and outlink counts of every URL of a crawl, and of the internal link targets
    it did not fetch (their indexability reason ``unknown``).

    Counted over ``<a href>`` occurrences with an http(s) target on the crawl's pages, a page's
    links to itself left out: ``inlinks`` (every occurrence from another page),
    ``unique_inlinks`` (distinct source pages), ``content_inlinks`` (distinct source pages
    linking from the content), ``followed_inlinks`` (occurrences without nofollow, sponsored or
    ugc, from pages that do not say nofollow), ``outlinks`` / ``unique_outlinks`` (internal
    occurrences / distinct targets) and ``external_outlinks``.
    """
    nofollow = pa.table({"url": pa.array(sorted(nofollow_pages), pa.string())})
    with store.registered(_nofollow=nofollow):
        return store.arrow(
            """
            WITH l AS (
                SELECT src_url, dst_url, position, is_internal,
                       (is_nofollow OR is_sponsored OR is_ugc
                        OR src_url IN (SELECT url FROM _nofollow)) AS not_followed
                FROM links
                WHERE crawl_id = $1 AND src_url <> dst_url
                  AND (dst_url LIKE 'http://%' OR dst_url LIKE 'https://%')
            ),
            -- One row per source and target first: counting those rows is 2-3x faster than
            -- count(DISTINCT ...) over every occurrence (0.47 s against 1.0-1.45 s for 4M
            -- links). is_internal depends on the target alone, so it splits no pair.
            pairs AS (
                SELECT src_url, dst_url, is_internal, count(*) AS n,
                       bool_or(position = 'content') AS from_content,
                       count(*) FILTER (WHERE NOT not_followed) AS followed
                FROM l GROUP BY src_url, dst_url, is_internal
            ),
            inl AS (
                SELECT dst_url AS url,
                       sum(n) AS inlinks,
                       count(*) AS unique_inlinks,
                       count(*) FILTER (WHERE from_content) AS content_inlinks,
                       sum(followed) AS followed_inlinks
                FROM pairs WHERE is_internal GROUP BY dst_url
            ),
            outl AS (
                SELECT src_url AS url,
                       sum(n) FILTER (WHERE is_internal) AS outlinks,
                       count(*) FILTER (WHERE is_internal) AS unique_outlinks,
                       sum(n) FILTER (WHERE NOT is_internal) AS external_outlinks
                FROM pairs GROUP BY src_url
            ),
            -- Every URL of the crawl, and the internal link targets it never fetched (beyond
            -- max_pages, out of scope, reached only by nofollow links): a user looking any
            -- known URL up finds its row. What such a URL holds is not known.
            known AS (
                SELECT url, depth, status_code, indexable, indexability_reason, title
                FROM pages WHERE crawl_id = $1
                UNION ALL
                SELECT url, NULL, NULL, false, $2, NULL FROM inl
                WHERE url NOT IN (SELECT url FROM pages WHERE crawl_id = $1)
            )
            SELECT p.url, p.depth AS crawl_depth,
                   coalesce(i.inlinks, 0)::INTEGER AS inlinks,
                   coalesce(i.unique_inlinks, 0)::INTEGER AS unique_inlinks,
                   coalesce(i.content_inlinks, 0)::INTEGER AS content_inlinks,
                   coalesce(i.followed_inlinks, 0)::INTEGER AS followed_inlinks,
                   coalesce(o.outlinks, 0)::INTEGER AS outlinks,
                   coalesce(o.unique_outlinks, 0)::INTEGER AS unique_outlinks,
                   coalesce(o.external_outlinks, 0)::INTEGER AS external_outlinks,
                   p.status_code, p.indexable, p.indexability_reason, p.title
            FROM known p
            LEFT JOIN inl i ON i.url = p.url
            LEFT JOIN outl o ON o.url = p.url
            ORDER BY p.url
            """,
            [crawl_id, IndexabilityReason.UNKNOWN],
        )
