"""The backlink profile: domains, anchor classes, landing pages, changes, reclaim (analyze stage).

It also lists the toxic links, each with the signals that fired.

Everything starts from :func:`backlink_table`: every current backlink (see
:mod:`~linkequity.backlinks.current`) with what the latest analyzed crawl says of its target
(role, the page its equity reaches), its toxicity and signals, its strength and its anchor
class. The other functions aggregate that table with DuckDB.

Anchor classes, the first that applies: ``image`` (an image link, or no text at all),
``naked_url`` (the anchor is a URL or domain), ``branded`` (contains a brand term),
``exact`` (equals the landing page's keyword: its h1, else its title's first part),
``generic`` (the audit's generic anchors), ``partial`` (shares a word of three letters or more
with the keyword), else ``other``.
"""

from __future__ import annotations

import re

import pyarrow as pa

from linkequity.anchortext import comparable, keyword_of
from linkequity.backlinks.current import current_backlinks
from linkequity.backlinks.seeding import brand_terms_of, strength
from linkequity.backlinks.toxicity import link_toxicity, score
from linkequity.errors import ConfigError
from linkequity.settings import AuditSettings, BacklinkSettings
from linkequity.store import Store
from linkequity.store.queries import latest_analysed_crawl

__all__ = [
    "ANCHOR_CLASSES",
    "EXPLANATION",
    "anchor_profile",
    "authority_distribution",
    "backlink_changes",
    "backlink_table",
    "classify_anchor",
    "landing_pages",
    "reclaim_list",
    "referring_domains",
    "tld_mix",
    "toxic_links",
]

ANCHOR_CLASSES = ("branded", "exact", "partial", "generic", "naked_url", "image", "other")
#: The names of the toxicity signals that fired for a link.
_SIGNALS = pa.list_(pa.string())
#: Every toxicity signal that fired for a link, with its weight and why it fired.
EXPLANATION = pa.list_(
    pa.struct([("signal", pa.string()), ("weight", pa.float64()), ("why", pa.string())])
)
_NAKED = re.compile(r"^(https?://|www\.)\S+$|^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$")
_WORD = re.compile(r"[^\W_]{3,}")


def classify_anchor(
    anchor: str | None,
    is_image: bool | None,
    keyword: str,
    brand_terms: tuple[str, ...],
    generic: frozenset[str],
) -> str:
    """The class of a backlink's anchor (see the module docstring).

    >>> classify_anchor("Buy Ridge tents", False, "tents", ("ridge",), frozenset())
    'branded'
    >>> classify_anchor("best tents for winter", False, "winter tents", (), frozenset())
    'partial'
    """
    text = comparable(anchor or "")
    if is_image or not text:
        return "image"
    if _NAKED.match(text):
        return "naked_url"
    if any(term.lower() in text for term in brand_terms):
        return "branded"
    if keyword and text == keyword:
        return "exact"
    if text in generic:
        return "generic"
    if keyword and set(_WORD.findall(text)) & set(_WORD.findall(keyword)):
        return "partial"
    return "other"


def backlink_table(
    store: Store,
    crawl_id: int | None,
    settings: BacklinkSettings,
    audit: AuditSettings | None = None,
) -> pa.Table:
    """Every current backlink with its target's role, toxicity, signals, strength and class."""
    links = current_backlinks(store)
    cid = crawl_id if crawl_id is not None else latest_analysed_crawl(store)
    brand = brand_terms_of(store, cid, settings) if cid is not None else settings.brand_terms
    signals = link_toxicity(links, settings, brand)
    generic = frozenset(comparable(a) for a in (audit or AuditSettings()).generic_anchors)
    roles: dict[str, tuple[str, str | None]] = {}
    keywords: dict[str, str] = {}
    if cid is not None:
        for url, role, equity_url in store.rows(
            "SELECT url, role, equity_url FROM page_scores WHERE crawl_id = ?", [cid]
        ):
            roles[url] = (role, equity_url)
        for url, title, h1 in store.rows(
            "SELECT url, title, h1 FROM pages WHERE crawl_id = ?", [cid]
        ):
            keywords[url] = keyword_of(title, h1)
    rows = links.to_pylist()
    for row, fired in zip(rows, signals, strict=True):
        role, equity_url = roles.get(row["target_url"], ("not crawled", None))
        row["target_role"] = role
        row["equity_url"] = equity_url
        row["toxicity"] = score(fired)
        row["signals"] = [s.name for s in fired]
        row["explanation"] = [{"signal": s.name, "weight": s.weight, "why": s.why} for s in fired]
        follow = not (row["is_nofollow"] or row["is_sponsored"] or row["is_ugc"])
        row["is_follow"] = follow
        row["strength"] = strength(row["authority"], follow, row["toxicity"], settings)
        keyword = keywords.get(equity_url or row["target_url"], "")
        row["anchor_class"] = classify_anchor(
            row["anchor"], row["is_image"], keyword, brand, generic
        )
    if not rows:
        return _empty()
    out = pa.Table.from_pylist(rows)
    for name, kind in (("signals", _SIGNALS), ("explanation", EXPLANATION)):
        at = out.schema.get_field_index(name)
        out = out.set_column(at, name, pa.array(out.column(name).to_pylist(), kind))
    return out


def _empty() -> pa.Table:
    return pa.table(
        {
            "referring_url": pa.array([], pa.string()),
            "referring_domain": pa.array([], pa.string()),
            "target_url": pa.array([], pa.string()),
            "anchor": pa.array([], pa.string()),
            "authority": pa.array([], pa.float64()),
            "is_follow": pa.array([], pa.bool_()),
            "lost": pa.array([], pa.bool_()),
            "is_new": pa.array([], pa.bool_()),
            "first_seen": pa.array([], pa.date32()),
            "last_seen": pa.array([], pa.date32()),
            "target_role": pa.array([], pa.string()),
            "equity_url": pa.array([], pa.string()),
            "toxicity": pa.array([], pa.float64()),
            "signals": pa.array([], _SIGNALS),
            "explanation": pa.array([], EXPLANATION),
            "strength": pa.array([], pa.float64()),
            "anchor_class": pa.array([], pa.string()),
            "external_links": pa.array([], pa.int32()),
        }
    )


def _query(store: Store, table: pa.Table, sql: str) -> pa.Table:
    with store.registered(_b=table):
        return store.arrow(sql)


def referring_domains(store: Store, table: pa.Table, sort: str = "authority") -> pa.Table:
    """One row per referring domain: authority, links, follow ratio, TLD, sitewide, toxicity."""
    order = {
        "authority": "authority DESC NULLS LAST",
        "links": "links DESC",
        "toxicity": "toxicity DESC",
        "domain": "domain",
        "first_seen": "first_seen",
    }
    if sort not in order:
        raise ConfigError(f"Cannot sort domains by {sort!r}; choose: {', '.join(order)}.")
    return _query(
        store,
        table,
        f"""
        SELECT referring_domain AS domain,
               max(authority) AS authority,
               count(*) FILTER (WHERE NOT lost) AS links,
               count(DISTINCT referring_url) FILTER (WHERE NOT lost) AS linking_pages,
               round(avg(CASE WHEN is_follow THEN 1.0 ELSE 0.0 END)
                     FILTER (WHERE NOT lost), 3) AS follow_ratio,
               count(DISTINCT target_url) AS landing_pages,
               split_part(referring_domain, '.', -1) AS tld,
               count(DISTINCT referring_url) >= 50 AS sitewide,
               max(toxicity) AS toxicity,
               min(first_seen) AS first_seen,
               count(*) FILTER (WHERE lost) AS lost_links
        FROM _b GROUP BY referring_domain
        ORDER BY {order[sort]}, domain
        """,
    )


def anchor_profile(store: Store, table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(links and domains per anchor class, the top anchors) of the live backlinks."""
    classes = _query(
        store,
        table,
        """
        SELECT anchor_class, count(*) AS links,
               count(DISTINCT referring_domain) AS referring_domains,
               round(count(*) / sum(count(*)) OVER (), 4) AS share
        FROM _b WHERE NOT lost GROUP BY anchor_class ORDER BY links DESC, anchor_class
        """,
    )
    top = _query(
        store,
        table,
        """
        SELECT coalesce(anchor, '') AS anchor, any_value(anchor_class) AS anchor_class,
               count(*) AS links, count(DISTINCT referring_domain) AS referring_domains
        FROM _b WHERE NOT lost GROUP BY coalesce(anchor, '')
        ORDER BY referring_domains DESC, links DESC, anchor LIMIT 50
        """,
    )
    return classes, top


def landing_pages(store: Store, table: pa.Table) -> pa.Table:
    """Pages backlinks land on, by referring domains, with what the crawl says of them
    (backlinks whose export names no target are left out)."""
    return _query(
        store,
        table,
        """
        SELECT target_url, any_value(target_role) AS target_role,
               count(DISTINCT referring_domain) AS referring_domains,
               count(*) AS links, max(authority) AS best_authority,
               count(*) FILTER (WHERE is_follow) AS followed_links
        FROM _b WHERE NOT lost AND target_url IS NOT NULL GROUP BY target_url
        ORDER BY referring_domains DESC, links DESC, target_url
        """,
    )


def backlink_changes(store: Store, table: pa.Table) -> pa.Table:
    """Backlinks new in the latest snapshot of a tool, and those lost."""
    return _query(
        store,
        table,
        """
        SELECT CASE WHEN lost THEN 'lost' ELSE 'new' END AS change, referring_url,
               referring_domain, target_url, anchor, authority, first_seen, last_seen
        FROM _b WHERE lost OR is_new
        ORDER BY change, authority DESC NULLS LAST, referring_url
        """,
    )


def reclaim_list(store: Store, table: pa.Table, external_weight: float) -> pa.Table:
    """Live backlinks whose target is broken, redirects, is canonicalised, or was not crawled
    (backlinks whose export names no target cannot be reclaimed and are left out).

    ``recoverable`` is the share of the backlink-seeded teleport (``external_weight`` of all
    random jumps) the link would bring to the site's pages if its target were a live page: the
    whole of its strength for broken, blocked or unknown targets, nothing for redirects and
    canonicals, whose equity already arrives (fixing them removes a hop, not a loss).
    """
    return _query(
        store,
        table,
        f"""
        WITH live AS (SELECT * FROM _b WHERE NOT lost),
        total AS (SELECT sum(strength) AS all_strength FROM live)
        SELECT target_url, target_role, equity_url, referring_url, referring_domain, anchor,
               authority, strength,
               CASE WHEN equity_url IS NULL AND all_strength > 0
                    THEN {float(external_weight)} * strength / all_strength ELSE 0 END
                   AS recoverable,
               CASE WHEN target_role IN ('broken', 'redirect_loop')
                        THEN 'redirect the URL to the closest live page (301)'
                    WHEN target_role = 'blocked' THEN 'allow it in robots.txt or redirect it'
                    WHEN target_role IN ('not crawled', 'unfetched')
                        THEN 'crawl it: is it a live page? if not, redirect it'
                    WHEN target_role = 'redirect'
                        THEN 'ask the linking site to link to '
                             || coalesce(equity_url, 'the final URL')
                    WHEN target_role = 'canonicalised'
                        THEN 'ask the linking site to link to the canonical ' || equity_url
                    ELSE 'check the target' END AS fix
        FROM live, total
        WHERE target_url IS NOT NULL AND (target_role <> 'page' OR equity_url IS NULL)
        ORDER BY recoverable DESC, authority DESC NULLS LAST, target_url, referring_url
        """,
    )


def toxic_links(store: Store, table: pa.Table, minimum: float) -> pa.Table:
    """Live backlinks whose toxicity reaches ``minimum``, most toxic first, with explanations."""
    return _query(
        store,
        table,
        f"""
        SELECT referring_domain, referring_url, target_url, anchor, authority, toxicity,
               signals, explanation
        FROM _b WHERE NOT lost AND toxicity >= {float(minimum)}
        ORDER BY toxicity DESC, referring_domain, referring_url
        """,
    )


def authority_distribution(store: Store, table: pa.Table) -> pa.Table:
    """Referring domains (live links only) by authority band of ten, and without authority."""
    return _query(
        store,
        table,
        """
        WITH domains AS (
            SELECT referring_domain, max(authority) AS authority
            FROM _b WHERE NOT lost GROUP BY referring_domain
        )
        SELECT CASE WHEN authority IS NULL THEN 'unknown'
                    ELSE lpad(CAST(least(CAST(floor(authority / 10) AS INTEGER) * 10, 90)
                                   AS VARCHAR), 2, '0')
                         || '-' || CAST(least(CAST(floor(authority / 10) AS INTEGER) * 10, 90)
                                        + 10 AS VARCHAR) END AS authority,
               count(*) AS referring_domains,
               round(count(*) / sum(count(*)) OVER (), 4) AS share
        FROM domains GROUP BY 1 ORDER BY 1
        """,
    )


def tld_mix(store: Store, table: pa.Table) -> pa.Table:
    """Referring domains (live links only) by top-level domain, most frequent first."""
    return _query(
        store,
        table,
        """
        SELECT split_part(referring_domain, '.', -1) AS tld,
               count(DISTINCT referring_domain) AS referring_domains,
               count(*) AS links,
               round(count(DISTINCT referring_domain)
                     / sum(count(DISTINCT referring_domain)) OVER (), 4) AS share
        FROM _b WHERE NOT lost GROUP BY 1 ORDER BY referring_domains DESC, tld
        """,
    )
