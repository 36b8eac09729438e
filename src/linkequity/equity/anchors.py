"""Internal anchor audit: anchors per target; generic, empty, exact-match, cannibalised (analyze).

Counted over the internal links of the crawl's live pages whose target reaches a page (through
redirects and canonicals), a page's links to itself left out. An image link's anchor is its
alt text. Anchors are compared lower-cased, with whitespace collapsed and trailing
punctuation and arrows dropped (``"Read more »"`` is ``"read more"``).

A target's *keyword* is the one given in the ``keywords_file`` setting (a CSV of url,keyword),
else its h1, else its title without the site-name part (``"Tents | Shop"`` gives ``"tents"``).
``is_exact_match`` marks anchors equal to it. Over-optimisation is judged only against given
keywords: a derived keyword is the page's name, and links naming a page are how sites link.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from linkequity.equity.findings import Finding, finding
from linkequity.equity.graph import EquityGraph
from linkequity.errors import ImportFormatError
from linkequity.settings import AuditSettings
from linkequity.store import Store
from linkequity.urls import normalise_url

__all__ = ["anchor_audit", "comparable", "keyword_of", "read_keywords"]


class _Anchor(NamedTuple):
    """One anchor text's links to one target."""

    key: str
    text: str
    links: int
    source_pages: int
    content_links: int
    examples: list[str]


# Guillemets, single guillemets, arrows, ellipsis, middle dot, en and em dash.
_MARKS = "\u00bb\u00ab\u203a\u2039\u2192\u2190\u2026\u00b7\u2013\u2014"
_TRAILING = re.compile(rf"[\s.,:;!?>|/{_MARKS}-]+$")
_LEADING = re.compile(rf"^[\s<|{_MARKS}-]+")
_TITLE_PARTS = re.compile(r"\s+[|\u2013\u2014\u00b7-]\s+|\s+::\s+")
# Page numbers and footnote marks: "2", "#3", "[33]", "(4)".
_NUMBER = re.compile(r"^[\d\s.,#()\[\]-]*$")


def comparable(text: str) -> str:
    """An anchor as compared: lower case, whitespace collapsed, edge punctuation dropped.

    >>> comparable("  Read   MORE » ")
    'read more'
    """
    collapsed = " ".join(text.split()).lower()
    return _LEADING.sub("", _TRAILING.sub("", collapsed))


def keyword_of(title: str | None, h1: str | None) -> str:
    """A page's keyword: its h1, else the first part of its title.

    >>> keyword_of("Tents | Ridgeline Outdoor", None)
    'tents'
    >>> keyword_of("Tents | Ridgeline Outdoor", "Backpacking tents")
    'backpacking tents'
    """
    if h1 and h1.strip():
        return comparable(h1)
    if title and title.strip():
        return comparable(_TITLE_PARTS.split(title.strip(), maxsplit=1)[0])
    return ""


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


def anchor_audit(
    store: Store, crawl_id: int, graph: EquityGraph, audit: AuditSettings
) -> tuple[pa.Table, list[Finding]]:
    """The ``anchors`` rows of a crawl and the anchor findings."""
    # _roles (the graph's resolutions) is registered by the caller for the whole audit.
    # Occurrences are grouped per source page first, then per anchor: 2x faster than
    # count(DISTINCT) and a sorted list of every source (0.7 s against 1.5 s for 4M links);
    # min(src_url, 5) keeps only the five examples.
    rows = store.rows(
        """
        WITH per_source AS (
            SELECT t.equity_url AS target_url,
                   CASE WHEN l.is_image AND l.anchor = '' THEN coalesce(l.alt, '')
                        ELSE l.anchor END AS text,
                   l.src_url, count(*) AS links,
                   count(*) FILTER (WHERE l.position = 'content') AS content_links
            FROM links l
            JOIN _roles s ON s.url = l.src_url AND s.role = 'page'
            JOIN _roles t ON t.url = l.dst_url AND t.equity_url IS NOT NULL
            WHERE l.crawl_id = ? AND l.is_internal AND t.equity_url <> l.src_url
            GROUP BY ALL
        )
        SELECT target_url, text, sum(links)::BIGINT AS links, count(*) AS source_pages,
               sum(content_links)::BIGINT AS content_links,
               list_sort(min(src_url, 5)) AS examples
        FROM per_source
        GROUP BY target_url, text
        ORDER BY target_url, text
        """,
        [crawl_id],
    )
    facts = {
        url: keyword_of(title, h1)
        for url, title, h1 in store.rows(
            "SELECT url, title, h1 FROM pages WHERE crawl_id = ?", [crawl_id]
        )
    }
    given = read_keywords(Path(audit.keywords_file)) if audit.keywords_file else {}
    facts.update(given)
    generic = {comparable(a) for a in audit.generic_anchors}
    table: dict[str, list[object]] = defaultdict(list)
    per_target: dict[str, list[_Anchor]] = defaultdict(list)
    for target, text, links, source_pages, content_links, examples in rows:
        key = comparable(text)
        keyword = facts.get(target, "")
        table["target_url"].append(target)
        table["anchor"].append(" ".join(text.split()))
        table["links"].append(links)
        table["source_pages"].append(source_pages)
        table["is_generic"].append(key in generic)
        table["is_empty"].append(key == "")
        table["is_exact_match"].append(bool(keyword) and key == keyword)
        per_target[target].append(
            _Anchor(key, " ".join(text.split()), links, source_pages, content_links, examples)
        )
    anchors = pa.table(
        {
            "crawl_id": pa.array([crawl_id] * len(table["target_url"]), pa.int32()),
            "target_url": pa.array(table["target_url"], pa.string()),
            "anchor": pa.array(table["anchor"], pa.string()),
            "links": pa.array(table["links"], pa.int32()),
            "source_pages": pa.array(table["source_pages"], pa.int32()),
            "is_generic": pa.array(table["is_generic"], pa.bool_()),
            "is_empty": pa.array(table["is_empty"], pa.bool_()),
            "is_exact_match": pa.array(table["is_exact_match"], pa.bool_()),
        }
    )
    found = _target_findings(per_target, given, generic, audit)
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
        generic_used = [a for a in anchors if a.key in generic]
        if generic_used:
            count = sum(a.links for a in generic_used)
            top = max(generic_used, key=lambda a: a.links)
            found.append(
                finding(
                    "generic_anchor",
                    "notice",
                    target,
                    f"{count} of {total} links use generic anchors such as '{top.text}'",
                    links=count,
                    total_links=total,
                    anchors={a.text: a.links for a in generic_used},
                )
            )
        empty = [a for a in anchors if a.key == ""]
        if empty:
            count = sum(a.links for a in empty)
            found.append(
                finding(
                    "empty_anchor",
                    "warning",
                    target,
                    f"{count} of {total} links have no anchor text or alt text",
                    links=count,
                    total_links=total,
                    examples=sorted({e for a in empty for e in a.examples})[:5],
                )
            )
        keyword = keywords.get(target, "")
        if not keyword:
            continue
        content = sum(a.content_links for a in anchors)
        exact = sum(a.content_links for a in anchors if a.key == keyword)
        if content >= audit.min_anchor_links and exact / content > audit.exact_match_share:
            found.append(
                finding(
                    "over_optimised_anchor",
                    "warning",
                    target,
                    f"{exact} of {content} content links ({exact / content:.0%}) use the exact "
                    f"keyword '{keyword}'",
                    keyword=keyword,
                    exact_links=exact,
                    content_links=content,
                    share=exact / content,
                )
            )
    return found


def _cannibalisation(per_target: dict[str, list[_Anchor]], generic: set[str]) -> list[Finding]:
    """One descriptive anchor used for several targets: the pages compete for its words.

    A target counts when at least two pages link to it with the anchor: a one-off link (a
    cross-reference, an index entry) does not make the site's linking ambiguous.
    """
    by_anchor: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown: dict[str, str] = {}
    for target, anchors in per_target.items():
        for a in anchors:
            # Page numbers and generic words point everywhere by design; they claim no topic.
            if a.key in generic or _NUMBER.match(a.key) or a.source_pages < 2:
                continue
            by_anchor[a.key][target] += a.links
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
                "warning",
                ordered[0][0],
                f"Anchor '{shown[key]}' links to {len(targets)} different pages",
                anchor=shown[key],
                targets=dict(ordered),
            )
        )
    return found
