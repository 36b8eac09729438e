"""Crawl trap findings: the URL patterns the crawl held back, one finding each (analyze stage).

The crawl's trap defences (``crawl/traps.py``) keep a ``frontier`` row for every URL they
held back, with the rule in ``held_back`` and the pattern in ``trap_pattern``. Each (rule,
pattern) becomes one ``crawl_trap`` finding on the page that links to most of its URLs (where
the trap is made, and mended), with examples, the count held back and the setting that would
let them through. URLs held back for repeating another URL's parameters in another order are
grouped per path.
"""

from __future__ import annotations

import pyarrow as pa

from linkequity.equity.impact import EquityAtStake
from linkequity.findings import Finding, finding
from linkequity.store import Store

__all__ = ["crawl_trap_findings"]

#: The setting that lets each rule's URLs through (crawl/traps.py HOLD_RULES, which this
#: stage may not import).
_SETTINGS = {
    "url_length": "max_url_length",
    "query_params": "max_query_params",
    "segment_repeats": "max_segment_repeats",
    "facets": "max_facets",
    "repeating": "trap_examples",
    "reordered": "detect_traps",
}
_WHAT = {
    "url_length": ("URL too long", "URLs too long"),
    "query_params": ("URL with too many query parameters", "URLs with too many query parameters"),
    "segment_repeats": ("URL whose path repeats a segment", "URLs whose path repeats a segment"),
    "facets": ("facet combination", "facet combinations"),
    "repeating": ("URL of a pattern whose pages repeat one another",
                  "URLs of a pattern whose pages repeat one another"),
    "reordered": ("URL repeating another URL's parameters in another order",
                  "URLs repeating other URLs' parameters in another order"),
}  # fmt: skip
_EXAMPLES = 5


# What the links to held-back URLs would take if the URLs were crawled pages: per source page,
# damping x share x their weight / (its counted weight + their weight); the first link of a
# page to a URL counts.
_IMPACT_SQL = """
    WITH held AS (
        SELECT url, CASE WHEN held_back = 'reordered'
                         THEN split_part(url, '?', 1) || '?(same parameters in another order)'
                         ELSE trap_pattern END AS pattern, held_back AS rule
        FROM frontier WHERE crawl_id = ? AND held_back IN (SELECT unnest(?::VARCHAR[]))
    ),
    firsts AS (
        SELECT h.rule, h.pattern, l.src_url, arg_min(l.position, l.ordinal) AS position
        FROM links l JOIN held h ON h.url = l.dst_url
        WHERE l.crawl_id = ? AND NOT l.is_nofollow GROUP BY h.rule, h.pattern, l.src_url, l.dst_url
    ),
    weighted AS (
        SELECT f.rule, f.pattern, f.src_url, sum(w.weight) AS weight
        FROM firsts f JOIN _weights w ON w.position = f.position GROUP BY ALL
    ),
    per_source AS (SELECT src_url, sum(weight) AS held_weight FROM weighted GROUP BY ALL)
    SELECT w.rule, w.pattern,
           sum(? * p.share * w.weight / nullif(p.total_weight + s.held_weight, 0))
    FROM weighted w JOIN per_source s USING (src_url) JOIN _page_equity p ON p.url = w.src_url
    GROUP BY ALL
"""


def crawl_trap_findings(store: Store, crawl_id: int, at_stake: EquityAtStake) -> list[Finding]:
    """One ``crawl_trap`` finding per rule and pattern the crawl held URLs back by."""
    weights = pa.table(
        {
            "position": pa.array(list(at_stake.weights), pa.string()),
            "weight": pa.array(list(at_stake.weights.values()), pa.float64()),
        }
    )
    with store.registered(_page_equity=at_stake.pages, _weights=weights):
        impacts = {
            (str(rule), str(pattern)): float(total)
            for rule, pattern, total in store.rows(
                _IMPACT_SQL, [crawl_id, list(_SETTINGS), crawl_id, at_stake.damping]
            )
        }
    rows = store.rows(
        """
        WITH held AS (
            SELECT held_back AS rule, url,
                CASE WHEN held_back = 'reordered'
                     THEN split_part(url, '?', 1) || '?(same parameters in another order)'
                     ELSE trap_pattern END AS pattern
            FROM frontier
            WHERE crawl_id = ? AND held_back IN (SELECT unnest(?::VARCHAR[]))
        ),
        sources AS (
            SELECT h.rule, h.pattern, l.src_url, count(DISTINCT h.url) AS n
            FROM held h JOIN links l ON l.crawl_id = ? AND l.dst_url = h.url GROUP BY ALL
        ),
        by_pattern AS (
            SELECT rule, pattern, count(DISTINCT src_url) AS linked_from,
                first(src_url ORDER BY n DESC, src_url) AS source
            FROM sources GROUP BY ALL
        ),
        crawled AS (
            SELECT pattern, list(url ORDER BY phase, level, url) AS urls FROM (
                SELECT f.trap_pattern AS pattern, f.url, f.phase, f.level
                FROM frontier f JOIN pages p ON p.crawl_id = f.crawl_id AND p.url = f.url
                WHERE f.crawl_id = ? AND f.trap_pattern IN (SELECT pattern FROM held)
                QUALIFY row_number() OVER (PARTITION BY f.trap_pattern
                                           ORDER BY f.phase, f.level, f.url) <= ?
            ) GROUP BY ALL
        )
        SELECT h.rule, h.pattern, count(*) AS held,
            list(h.url ORDER BY length(h.url), h.url)[1:?] AS examples,
            coalesce(any_value(b.linked_from), 0), any_value(b.source),
            coalesce(any_value(c.urls), []) AS crawled
        FROM held h
        LEFT JOIN by_pattern b ON b.rule = h.rule AND b.pattern = h.pattern
        LEFT JOIN crawled c ON c.pattern = h.pattern AND h.rule <> 'reordered'
        GROUP BY h.rule, h.pattern
        ORDER BY held DESC, h.pattern, h.rule
        """,
        [crawl_id, list(_SETTINGS), crawl_id, crawl_id, _EXAMPLES, _EXAMPLES],
    )
    found = []
    for rule, pattern, held, examples, linked_from, source, crawled in rows:
        setting = _SETTINGS[rule]
        shown = f" after crawling {len(crawled)}" if crawled else ""
        what = _WHAT[rule][0 if held == 1 else 1]
        found.append(
            finding(
                "crawl_trap",
                source or examples[0],
                f"{held} {what} held back{shown}: {pattern}",
                pattern=pattern,
                rule=rule,
                held_back=int(held),
                examples=list(examples),
                crawled_examples=list(crawled),
                linked_from=int(linked_from),
                setting=setting,
                impact=impacts.get((rule, pattern), 0.0),
                fix=f"Stop linking {pattern} from {source or 'its pages'} (nofollow the links "
                f"and disallow the pattern in robots.txt), or raise {setting} if these are "
                "real pages.",
            )
        )
    return found
