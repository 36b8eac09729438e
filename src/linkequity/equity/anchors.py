"""Internal anchor audit: generic, empty, exact-match and cannibalised anchors (analyze stage).

Counted over the internal links of the crawl's live pages whose target reaches a page (through
redirects and canonicals), a page's links to itself left out. An image link's anchor is its
alt text. Anchors are compared lower-cased, with whitespace collapsed and trailing
punctuation and arrows dropped (``"Read more »"`` is ``"read more"``).

A target's *keyword* is the one given in the ``keywords_file`` setting (a CSV of url,keyword),
else its h1, else its title without the site-name part (``"Tents | Shop"`` gives ``"tents"``).
``is_exact_match`` marks anchors equal to it. Over-optimisation is judged only against given
keywords: a derived keyword is the page's name, and links naming a page are how sites link.

Generic anchors are judged only in the content: "next", "home" or "more" in a menu, a footer
or a pager is how navigation reads, and pagination words (``pagination_anchors``) and links
marked ``rel="next"`` / ``"prev"`` are never a problem wherever they sit; nor is a generic
link that follows a descriptive one to the same target, which passes nothing. Cannibalisation
counts only links to pages themselves: a term linking to its definition (``#term``) or an
API entry names a place, and a filter link ("Red") names a view of a listing.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from linkequity.anchortext import comparable, keyword_of
from linkequity.equity.graph import EquityGraph
from linkequity.equity.impact import EquityAtStake
from linkequity.errors import ImportFormatError
from linkequity.findings import Finding, finding
from linkequity.settings import AuditSettings
from linkequity.store import Store
from linkequity.store.tables import table
from linkequity.urls import normalise_url

__all__ = ["anchor_audit", "read_keywords"]


class _Anchor(NamedTuple):
    """One anchor text's links to one target, and the equity they take from their sources.

    *Judged* links are those whose anchor is a choice of words about the target: in the
    content (or where the position is unknown), not marked ``rel="next"`` / ``"prev"``, and
    taking a share of their page's equity (a "read more" after a title linking the same
    target passes nothing: the first link counts). *Plain* links point at a page itself: not
    at a place in it (``#fragment``), not at a view of a listing (a URL with a query: filters,
    sorting, pages).
    """

    key: str
    text: str
    links: int
    source_pages: int
    content_links: int
    judged_links: int
    plain_links: int
    plain_sources: int
    equity: float
    content_equity: float
    judged_equity: float
    plain_equity: float
    examples: list[str]


# Page numbers and footnote marks: "2", "#3", "[33]", "(4)".
_NUMBER = re.compile(r"^[\d\s.,#()\[\]-]*$")


def read_keywords(path: Path) -> dict[str, str]:
    """Normalised URL -> comparable keyword, from a CSV with ``url`` and ``keyword`` columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            if "url" not in header or "keyword" not in header:
                raise ImportFormatError(
                    "a keywords file needs the columns url and keyword; "
                    f"found: {', '.join(header) or 'nothing'}.",
                    path=str(path),
                )
            at_url, at_keyword = header.index("url"), header.index("keyword")
            keywords: dict[str, str] = {}
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(at_url, at_keyword):
                    raise ImportFormatError(
                        f"expected {len(header)} columns, found {len(row)}.",
                        path=str(path),
                        row=line,
                    )
                url = normalise_url(row[at_url].strip())
                if url is None:
                    raise ImportFormatError(
                        f"{row[at_url]!r} is not a URL.",
                        path=str(path),
                        row=line,
                        column="url",
                    )
                keywords[url] = comparable(row[at_keyword])
            return keywords
    except OSError as exc:
        raise ImportFormatError(f"cannot be read: {exc.strerror}.", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFormatError("not UTF-8 text.", path=str(path)) from exc


# Occurrences are grouped per source page first, then per anchor: 2x faster than
# count(DISTINCT) and a sorted list of every source (0.7 s against 1.5 s for 4M links);
# min(src_url, 5) keeps only the five examples. A link's equity comes from _link_equity
# (impact.py): what it takes from its source, 0 for a link that takes no share.
_ANCHORS_SQL = """
    WITH occurrences AS (
        SELECT t.equity_url AS target_url,
               CASE WHEN l.is_image AND l.anchor = '' THEN coalesce(l.alt, '')
                    ELSE l.anchor END AS text,
               l.src_url, l.position, coalesce(e.equity, 0) AS equity,
               e.equity IS NOT NULL AND l.position IN ('content', 'unknown')
                 AND NOT regexp_matches(coalesce(l.rel, ''), '(^| )(next|prev)( |$)') AS judged,
               coalesce(l.fragment, '') = '' AND NOT contains(t.equity_url, '?') AS plain
        FROM links l
        JOIN _roles s ON s.url = l.src_url AND s.role = 'page'
        JOIN _roles t ON t.url = l.dst_url AND t.equity_url IS NOT NULL
        LEFT JOIN _link_equity e ON e.src_url = l.src_url AND e.ordinal = l.ordinal
        WHERE l.crawl_id = ? AND l.is_internal AND t.equity_url <> l.src_url
    ),
    per_source AS (
        SELECT target_url, text, src_url, count(*) AS links,
               count(*) FILTER (WHERE position = 'content') AS content_links,
               count(*) FILTER (WHERE judged) AS judged_links,
               count(*) FILTER (WHERE plain) AS plain_links,
               sum(equity) AS equity,
               sum(equity) FILTER (WHERE position = 'content') AS content_equity,
               sum(equity) FILTER (WHERE judged) AS judged_equity,
               sum(equity) FILTER (WHERE plain) AS plain_equity
        FROM occurrences
        GROUP BY ALL
    )
    SELECT target_url, text, sum(links)::BIGINT AS links, count(*) AS source_pages,
           sum(content_links)::BIGINT, sum(judged_links)::BIGINT, sum(plain_links)::BIGINT,
           count(*) FILTER (WHERE plain_links > 0) AS plain_sources,
           sum(equity), coalesce(sum(content_equity), 0), coalesce(sum(judged_equity), 0),
           coalesce(sum(plain_equity), 0),
           list_sort(min(src_url, 5)) AS examples
    FROM per_source
    GROUP BY target_url, text
    ORDER BY target_url, text
    """


def anchor_audit(
    store: Store, crawl_id: int, graph: EquityGraph, audit: AuditSettings, at_stake: EquityAtStake
) -> tuple[pa.Table, list[Finding]]:
    """The ``anchors`` rows of a crawl and the anchor findings."""
    with store.registered(_roles=graph.roles, _link_equity=at_stake.links):
        rows = store.rows(_ANCHORS_SQL, [crawl_id])
    facts = {
        url: keyword_of(title, h1)
        for url, title, h1 in store.rows(
            "SELECT url, title, h1 FROM pages WHERE crawl_id = ?", [crawl_id]
        )
    }
    given = read_keywords(Path(audit.keywords_file)) if audit.keywords_file else {}
    facts.update(given)
    generic = {comparable(a) for a in audit.generic_anchors}
    pagination = {comparable(a) for a in audit.pagination_anchors}
    columns: dict[str, list[object]] = {name: [] for name in table("anchors").names[1:]}
    per_target: dict[str, list[_Anchor]] = defaultdict(list)
    for target, text, links, source_pages, *counts, examples in rows:
        key = comparable(text)
        keyword = facts.get(target, "")
        columns["target_url"].append(target)
        columns["anchor"].append(" ".join(text.split()))
        columns["links"].append(links)
        columns["source_pages"].append(source_pages)
        columns["is_generic"].append(key in generic)
        columns["is_empty"].append(key == "")
        columns["is_exact_match"].append(bool(keyword) and key == keyword)
        columns["equity"].append(float(counts[4]))
        per_target[target].append(
            _Anchor._make([key, " ".join(text.split()), links, source_pages, *counts, examples])
        )
    anchors = table("anchors").batch(columns, crawl_id)
    found = _target_findings(per_target, given, generic - pagination, audit)
    found.extend(_cannibalisation(per_target, generic))
    return anchors, found


def _target_findings(
    per_target: dict[str, list[_Anchor]],
    keywords: dict[str, str],
    generic: set[str],
    audit: AuditSettings,
) -> list[Finding]:
    found = []
    for target, anchors in per_target.items():
        total = sum(a.links for a in anchors)
        generic_used = [a for a in anchors if a.key in generic and a.judged_links]
        if generic_used:
            count = sum(a.judged_links for a in generic_used)
            top = max(generic_used, key=lambda a: a.judged_links)
            found.append(
                finding(
                    "generic_anchor",
                    target,
                    f"{count} of {total} links use generic anchors in the content, such as "
                    f"'{top.text}'",
                    links=count,
                    total_links=total,
                    anchors={a.text: a.judged_links for a in generic_used},
                    impact=sum(a.judged_equity for a in generic_used),
                    fix=f"Rewrite the {count} '{top.text}' (and other generic) anchors to name "
                    "what the target page is about.",
                )
            )
        empty = [a for a in anchors if a.key == ""]
        if empty:
            count = sum(a.links for a in empty)
            found.append(
                finding(
                    "empty_anchor",
                    target,
                    f"{count} of {total} links have no anchor text or alt text",
                    links=count,
                    total_links=total,
                    examples=sorted({e for a in empty for e in a.examples})[:5],
                    impact=sum(a.equity for a in empty),
                )
            )
        keyword = keywords.get(target, "")
        if not keyword:
            continue
        content = sum(a.content_links for a in anchors)
        exact_used = [a for a in anchors if a.key == keyword]
        exact = sum(a.content_links for a in exact_used)
        if content >= audit.min_anchor_links and exact / content > audit.exact_match_share:
            found.append(
                finding(
                    "over_optimised_anchor",
                    target,
                    f"{exact} of {content} content links ({exact / content:.0%}) use the exact "
                    f"keyword '{keyword}'",
                    keyword=keyword,
                    exact_links=exact,
                    content_links=content,
                    share=exact / content,
                    impact=sum(a.content_equity for a in exact_used),
                )
            )
    return found


def _cannibalisation(per_target: dict[str, list[_Anchor]], generic: set[str]) -> list[Finding]:
    """One descriptive anchor used for several targets: the pages compete for its words.

    A target counts when at least two pages link to it with the anchor, to the page itself:
    a one-off link (a cross-reference, an index entry) does not make the site's linking
    ambiguous, a link to a place in a page (``#fragment``: a term's definition, an API
    entry, a section) names that place, not the page, and a link to a URL with a query (a
    filter, a sort order, a page of a listing) names a view of a listing. Its impact is the
    equity of the links to the targets other than the one most linked with the anchor: the
    links to reword.
    """
    by_anchor: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    equity: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    shown: dict[str, str] = {}
    for target, anchors in per_target.items():
        for a in anchors:
            # Page numbers and generic words point everywhere by design; they claim no topic.
            if a.key in generic or _NUMBER.match(a.key) or a.plain_sources < 2:
                continue
            by_anchor[a.key][target] += a.plain_links
            equity[a.key][target] += a.plain_equity
            shown.setdefault(a.key, a.text)
    found = []
    for key in sorted(by_anchor):
        targets = by_anchor[key]
        if len(targets) < 2:
            continue
        ordered = sorted(targets.items(), key=lambda t: (-t[1], t[0]))
        found.append(
            finding(
                "anchor_cannibalisation",
                ordered[0][0],
                f"Anchor '{shown[key]}' links to {len(targets)} different pages",
                anchor=shown[key],
                targets=dict(ordered),
                impact=sum(equity[key][t] for t, _ in ordered[1:]),
                fix=f"Keep '{shown[key]}' for {ordered[0][0]} and reword the links to the "
                f"{len(ordered) - 1} other page(s).",
            )
        )
    return found
