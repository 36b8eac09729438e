"""The site's backlinks now: every snapshot merged, deduplicated, new and lost (analyze stage).

Imports are snapshots. A backlink is one (referring URL, target URL) pair whatever tool or
export reported it; its row is the most recent report of it (by the tool's last-seen date,
then the export's date, then the import order), with ``first_seen`` the earliest date any
report gives, ``tools`` every tool that reported it and ``lost`` set when:

- the most recent report says the link is lost (Ahrefs' "Lost", a lost date), or
- the tool that reported it has a later backlinks snapshot without it (a sample, such as
  Search Console's links, is no snapshot: a link missing from a later sample is not lost).

A report without a target (Search Console's link samples name only the linking page) is the
same link as a report of that referring URL with a target, and counts only when no report
gives one; it is then one backlink whose ``target_url`` is NULL.

``is_new`` marks links that the latest snapshot of some tool has and its previous snapshot
lacked (only when a tool has two snapshots). Referring-domain exports fill in authority for
links whose export gives none.
"""

from __future__ import annotations

import pyarrow as pa

from linkequity.store import Store

__all__ = ["current_backlinks"]

_SQL = """
WITH seen AS (
    SELECT b.*, i.report, i.imported_at,
           coalesce(b.last_seen, i.exported_on, CAST(i.imported_at AS DATE)) AS seen_on
    FROM backlinks b JOIN imports i USING (import_id)
    WHERE b.target_url IS NOT NULL
       OR NOT EXISTS (SELECT 1 FROM backlinks t
                      WHERE t.referring_url = b.referring_url AND t.target_url IS NOT NULL)
),
snapshots AS (
    SELECT tool, import_id,
           dense_rank() OVER (PARTITION BY tool ORDER BY import_id DESC) AS age
    FROM imports WHERE report = 'backlinks'
),
merged AS (
    SELECT *,
           row_number() OVER pair_by_recency AS recency,
           min(first_seen) OVER pair AS first_seen_any,
           max(seen_on) OVER pair AS last_seen_any,
           list(DISTINCT source_tool) OVER pair AS tools
    FROM seen
    WINDOW pair AS (PARTITION BY referring_url, target_url),
           pair_by_recency AS (PARTITION BY referring_url, target_url
                               ORDER BY seen_on DESC, import_id DESC)
),
latest_by_tool AS (
    SELECT DISTINCT s.tool, b.referring_url, b.target_url, s.age
    FROM backlinks b JOIN snapshots s USING (import_id)
    WHERE s.age <= 2
),
domain_authority AS (
    SELECT domain, max(authority) AS authority
    FROM referring_domains GROUP BY domain
)
SELECT m.referring_url, m.referring_domain, m.target_url, m.anchor,
       m.is_nofollow, m.is_sponsored, m.is_ugc, m.is_image, m.is_redirect,
       coalesce(m.authority, d.authority) AS authority,
       m.domain_rating, m.url_rating, m.authority_score, m.trust_flow, m.citation_flow,
       m.domain_authority, m.page_authority, m.spam_score, m.is_spam, m.external_links,
       m.page_language, m.page_title,
       m.first_seen_any AS first_seen, m.last_seen_any AS last_seen,
       m.tools, m.import_id,
       (m.lost_on IS NOT NULL OR EXISTS (
            SELECT 1 FROM snapshots s
            WHERE s.tool = m.source_tool AND s.import_id > m.import_id
              AND NOT EXISTS (SELECT 1 FROM backlinks b2
                              WHERE b2.import_id = s.import_id
                                AND b2.referring_url = m.referring_url
                                AND b2.target_url IS NOT DISTINCT FROM m.target_url))) AS lost,
       EXISTS (SELECT 1 FROM latest_by_tool n
               WHERE n.referring_url = m.referring_url
                 AND n.target_url IS NOT DISTINCT FROM m.target_url
                 AND n.age = 1
                 AND EXISTS (SELECT 1 FROM snapshots p WHERE p.tool = n.tool AND p.age = 2)
                 AND NOT EXISTS (SELECT 1 FROM latest_by_tool o
                                 WHERE o.tool = n.tool AND o.age = 2
                                   AND o.referring_url = n.referring_url
                                   AND o.target_url IS NOT DISTINCT FROM n.target_url)) AS is_new
FROM merged m
LEFT JOIN domain_authority d ON d.domain = m.referring_domain
WHERE m.recency = 1
ORDER BY m.referring_domain, m.referring_url, m.target_url
"""


def current_backlinks(store: Store) -> pa.Table:
    """One row per (referring URL, target URL) across every backlink import."""
    return store.arrow(_SQL)
