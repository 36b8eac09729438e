"""The report's tables of findings, anchors, backlinks, topics and recommendations (present stage).

Each section is a table spec of plain JSON, as :mod:`~linkequity.present.report.build` embeds
them: ``title``, ``columns``, ``rows`` and, where they apply, ``total`` (how many rows exist
when fewer are embedded), ``group`` (the column whose equal values the page draws as one
group: an island of orphans, the sources of one broken URL), ``group_sizes`` and
``group_unit`` (each group's size, which may exceed its embedded rows, and what it counts,
singular and plural), ``note`` (one line under the title) and ``empty`` (the sentence shown
instead of a table when there is nothing to list). A section of the crawl says plainly
"none" when it found nothing; the backlink, topic and recommendation sections say why they
are empty (nothing imported, no topics, no saved recommendations).

Rows are capped so that the report of a 20,000-page site stays a few megabytes: the caps
below keep the rows a person reads through (the costliest, the most linked) and the title
says how many exist; the exports hold them all.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from linkequity.errors import StoreError
from linkequity.project import Project

__all__ = ["backlink_changes", "cells", "report_sections", "table_spec"]

#: Orphans listed (largest islands first): a site with thousands of orphans has a few big
#: islands (an archive, an old campaign) whose first rows say what to fix.
ORPHAN_ROWS = 1000
#: (broken URL, source, anchor, position) rows listed, and per broken URL: a sitewide broken
#: menu link names its template in its first rows (the finding keeps 100 sources).
BROKEN_ROWS = 1000
BROKEN_SOURCES = 20
#: Redirect chains and loops listed.
REDIRECT_ROWS = 500
#: Target pages of the anchor health table (those with anchor findings first).
ANCHOR_TARGETS = 500
#: Anchors listed as linking to several pages, and the targets named for each (a navigation
#: anchor can name hundreds of pages: 200 of those made 140 kB on the 20,000-page site).
CANNIBAL_ROWS = 200
CANNIBAL_TARGETS = 5
#: Referring domains (by authority) and reclaimable backlinks (by what they would bring).
DOMAIN_ROWS = 300
RECLAIM_ROWS = 500
#: Saved recommendations listed (a plan's budget is usually tens of links).
RECOMMENDATION_ROWS = 500

Spec = dict[str, Any]

_ANCHOR_KINDS = ("generic_anchor", "empty_anchor", "over_optimised_anchor")
_TOPIC_KINDS = ("spokes_miss_pillar", "pillar_misses_spokes", "leaky_cluster")


def cells(records: Iterable[dict[str, Any]], columns: list[str]) -> list[list[Any]]:
    """Rows of JSON values: lists joined for reading, non-finite numbers as empty cells."""

    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value if value is None or isinstance(value, int | float | str | bool) else str(value)

    return [[clean(r.get(c)) for c in columns] for r in records]


def table_spec(
    title: str,
    columns: list[str],
    records: list[dict[str, Any]],
    *,
    empty: str,
    limit: int | None = None,
    total: int | None = None,
    **extra: Any,
) -> Spec:
    """A table spec of the first ``limit`` records; the title says how many of how many."""
    total = len(records) if total is None else total
    shown = records if limit is None else records[:limit]
    spec: Spec = {"title": title, "columns": columns, "rows": cells(shown, columns)}
    if len(shown) < total:
        spec["title"] = f"{title} (the first {len(shown):,} of {total:,} shown)"
        spec["total"] = total
    if not shown:
        spec["empty"] = empty
    spec.update(extra)
    return spec


def report_sections(project: Project, crawl_id: int) -> dict[str, Spec]:
    """Every section of this module, by table id, in the order the report shows them."""
    findings = project.findings(crawl_id).to_pylist()
    sections = {
        "orphans": orphans(project, crawl_id),
        "broken-links": broken_links(project, crawl_id),
        "redirects": redirects(project, crawl_id),
        **anchor_health(project, crawl_id, findings),
        **backlinks(project),
        "clusters": clusters(project, crawl_id, findings),
        "recommendations": recommendations(project, crawl_id),
    }
    return sections


def orphans(project: Project, crawl_id: int) -> Spec:
    """Orphan pages grouped by island, the largest islands first."""
    rows = project.finding_details("orphan", crawl_id).to_pylist()
    for row in rows:
        row["share"] = 100 * (row["share"] or 0.0)
        row["would_get"] = 100 * (row["would_get"] or 0.0)
    rows.sort(key=lambda r: (-r["island_size"], r["island"], r["url"] != r["island"], r["url"]))
    islands = {r["island"]: r["island_size"] for r in rows}
    shown = rows[:ORPHAN_ROWS]
    columns = ["island", "url", "linked_by", "found_in", "backlink_domains", "link_score",
               "share", "would_get", "impact"]  # fmt: skip
    title = f"Orphan pages: {len(rows):,} in {len(islands):,} island(s)"
    return table_spec(
        title,
        columns,
        rows,
        limit=ORPHAN_ROWS,
        empty="None: every live, indexable page is reached by followed links from the start page.",
        group="island",
        group_unit=("orphan", "orphans"),
        group_sizes={i: islands[i] for i in {r["island"] for r in shown}},
        note="Pages no followed link path from the start page reaches; an island is orphans "
        "linked to each other, named after its shortest URL. Share and would_get: % of the "
        "site's equity, held and held if linked like a typical page.",
    )


def broken_links(project: Project, crawl_id: int) -> Spec:
    """Every link to a broken URL: its source page, anchor and position."""
    found = project.finding_details("broken_link", crawl_id).to_pylist()
    found.sort(key=lambda f: (-f["occurrences"], f["url"]))
    rows: list[dict[str, Any]] = []
    sizes: dict[str, int] = {}
    for finding in found:
        status = finding["status_code"] or f"no response: {finding['error'] or 'unknown'}"
        sources = finding["sources"] or []
        sizes[finding["url"]] = finding["source_pages"]
        for source in sources[:BROKEN_SOURCES]:
            rows.append({"url": finding["url"], "status": status, **source})
    links = sum(f["occurrences"] for f in found)
    source_rows = sum(len(f["sources"] or []) for f in found)
    columns = ["url", "status", "source", "anchor", "position", "occurrences"]
    spec = table_spec(
        f"Broken links: {links:,} link(s) to {len(found):,} broken URL(s)",
        columns,
        rows,
        limit=BROKEN_ROWS,
        total=max(source_rows, len(rows)),
        empty="None: no internal link points at a URL answering 4xx, 5xx or nothing.",
        group="url",
        group_unit=("source page", "source pages"),
        note="Grouped by broken URL (its number of source pages beside it); each row is a "
        "source page, the anchor and where on the page the link sits.",
    )
    shown = {row[0] for row in spec["rows"]}
    spec["group_sizes"] = {url: n for url, n in sizes.items() if url in shown}
    return spec


def redirects(project: Project, crawl_id: int) -> Spec:
    """Redirect loops and chains of two or more hops, the costliest first."""
    rows = []
    for kind in ("redirect_loop", "redirect_chain"):
        for finding in project.finding_details(kind, crawl_id).to_pylist():
            hops = list(finding["hops"] or [])
            rows.append(
                {
                    "kind": "loop" if kind == "redirect_loop" else "chain",
                    "url": finding["url"],
                    "hops": len(hops),
                    "final_url": finding.get("final_url"),
                    "chain": " -> ".join([finding["url"], *hops]),
                    "impact": finding["impact"],
                }
            )
    rows.sort(key=lambda r: (-(r["impact"] or 0.0), r["kind"] != "loop", r["url"]))
    loops = sum(1 for r in rows if r["kind"] == "loop")
    return table_spec(
        f"Redirect chains and loops: {len(rows) - loops:,} chain(s), {loops:,} loop(s)",
        ["kind", "url", "hops", "final_url", "chain", "impact"],
        rows,
        limit=REDIRECT_ROWS,
        empty="None: no URL takes two or more redirects, and no redirect loops.",
    )


def anchor_health(
    project: Project, crawl_id: int, findings: list[dict[str, Any]]
) -> dict[str, Spec]:
    """Per target page: its anchors, exact-match share, generic and empty anchors, the anchor
    findings; and the anchors that link to several pages."""
    flagged: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f["kind"] in _ANCHOR_KINDS:
            flagged[f["url"]].append(f["kind"])
    cannibal = project.finding_details("anchor_cannibalisation", crawl_id).to_pylist()
    shared: Counter[str] = Counter()
    for f in cannibal:
        shared.update(dict(f["targets"] or {}).keys())
    per_target: dict[str, dict[str, Any]] = {}
    for anchor in project.anchors(crawl_id).to_pylist():
        row = per_target.setdefault(
            anchor["target_url"],
            {"target_url": anchor["target_url"], "links": 0, "anchors": 0, "exact": 0,
             "generic_links": 0, "empty_links": 0, "top_anchor": anchor["anchor"], "top": 0},
        )  # fmt: skip
        links = int(anchor["links"])
        row["links"] += links
        row["anchors"] += 1
        row["exact"] += links if anchor["is_exact_match"] else 0
        row["generic_links"] += links if anchor["is_generic"] else 0
        row["empty_links"] += links if anchor["is_empty"] else 0
        if links > row["top"] and not anchor["is_empty"]:
            row["top_anchor"], row["top"] = anchor["anchor"], links
    for url, row in per_target.items():
        row["exact_match_share"] = row["exact"] / row["links"] if row["links"] else None
        row["shared_anchors"] = shared.get(url, 0)
        row["findings"] = sorted(flagged.get(url, []))
    targets = sorted(
        per_target.values(),
        key=lambda r: (
            -len(r["findings"]) - (r["shared_anchors"] > 0),
            -r["links"],
            r["target_url"],
        ),
    )
    columns = ["target_url", "links", "anchors", "top_anchor", "exact_match_share",
               "generic_links", "empty_links", "shared_anchors", "findings"]  # fmt: skip
    health = table_spec(
        f"Anchor health: {len(targets):,} linked page(s), {len(flagged):,} with anchor findings",
        columns,
        targets,
        limit=ANCHOR_TARGETS,
        empty="None: no internal link carries an anchor to a page of the crawl.",
        note="Per target page: its distinct anchors, the share of its links whose anchor is "
        "its exact keyword, links with generic or empty anchors, and its anchors that also "
        "name other pages; pages with anchor findings first.",
    )
    rows = sorted(
        (
            {
                "anchor": f["anchor"],
                "targets": len(f["targets"] or {}),
                "main_target": f["url"],
                "links": _first(f"{u} ({n})" for u, n in dict(f["targets"] or {}).items()),
            }
            for f in cannibal
        ),
        key=lambda r: (-r["targets"], r["anchor"]),
    )
    cannibalised = table_spec(
        f"Anchors linking to several pages: {len(rows):,}",
        ["anchor", "targets", "main_target", "links"],
        rows,
        limit=CANNIBAL_ROWS,
        empty="None: no descriptive anchor text names two different pages.",
    )
    return {"anchor-health": health, "anchor-cannibalisation": cannibalised}


def _first(texts: Iterable[str], shown: int = CANNIBAL_TARGETS) -> str:
    """The first ``shown`` texts joined, and how many more there are."""
    items = list(texts)
    more = f", and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def backlinks(project: Project) -> dict[str, Spec]:
    """The backlink profile and reclaim list, or one line saying none were imported."""
    if project.table("imports").num_rows == 0:
        return {
            "backlinks": table_spec(
                "Backlink profile",
                [],
                [],
                empty="None: no backlinks imported (`linkequity import backlinks` adds them).",
            )
        }
    links = project.backlinks().to_pylist()
    live = [b for b in links if not b["lost"]]
    reports = project.backlink_reports(["domains", "anchor_classes", "authority", "reclaim"])
    domains = reports["domains"].to_pylist()
    live_domains = [d for d in domains if d["links"]]
    followed = sum(1 for b in live if b["is_follow"])
    kpis: list[dict[str, Any]] = [
        {"measure": "live backlinks", "value": len(live)},
        {"measure": "lost backlinks", "value": len(links) - len(live)},
        {"measure": "referring domains", "value": len(live_domains)},
        {"measure": "follow ratio", "value": round(followed / len(live), 4) if live else None},
        {"measure": "landing pages", "value": len({b["target_url"] for b in live})},
        {"measure": "toxic domains (60+)", "value": sum(1 for d in live_domains
                                                         if (d["toxicity"] or 0) >= 60)},
    ]  # fmt: skip
    domain_columns = ["domain", "authority", "links", "linking_pages", "follow_ratio",
                      "landing_pages", "tld", "toxicity", "first_seen", "lost_links"]  # fmt: skip
    reclaim = reports["reclaim"].to_pylist()
    for row in reclaim:
        row["recoverable"] = 100 * (row["recoverable"] or 0.0)
    reclaim_columns = ["target_url", "target_role", "referring_url", "referring_domain",
                       "anchor", "authority", "recoverable", "fix"]  # fmt: skip
    none = "None."
    return {
        "backlink-summary": table_spec("Backlink profile", ["measure", "value"], kpis, empty=none),
        "backlink-domains": table_spec(
            f"Referring domains: {len(domains):,}",
            domain_columns,
            domains,
            limit=DOMAIN_ROWS,
            empty="None.",
        ),
        "backlink-anchor-classes": table_spec(
            "Backlink anchors by class",
            ["anchor_class", "links", "referring_domains", "share"],
            reports["anchor_classes"].to_pylist(),
            empty=none,
        ),
        "backlink-authority": table_spec(
            "Referring domains by authority",
            ["authority", "referring_domains", "share"],
            reports["authority"].to_pylist(),
            empty=none,
        ),
        "backlink-reclaim": table_spec(
            f"Backlinks to reclaim: {len(reclaim):,}",
            reclaim_columns,
            reclaim,
            limit=RECLAIM_ROWS,
            empty="None: every live backlink lands on a live page.",
            note="Live backlinks whose target is broken, redirects, is canonicalised or was not "
            "crawled; recoverable: % of the backlink-seeded equity the link would bring.",
        ),
        **backlink_changes(project),
    }


def backlink_changes(project: Project) -> dict[str, Spec]:
    """Referring domains and backlinks won and lost since the previous backlinks export of
    the same tool; nothing when there is no such pair of exports."""
    try:
        result = project.compare_backlinks()
    except StoreError:
        return {}
    since = f"since the previous backlinks export (import {result.before} -> {result.after})"
    counts = ", ".join(f"{r['count']:,} {r['change']}" for r in result.summary().to_pylist())
    return {
        "backlink-domain-changes": table_spec(
            f"Referring domains won and lost {since}",
            ["change", "referring_domain", "links", "followed_links", "authority"],
            result.domains.to_pylist(),
            limit=DOMAIN_ROWS,
            empty="None: the same referring domains link in both exports.",
            note=counts,
        ),
        "backlink-link-changes": table_spec(
            f"Backlinks new and lost {since}",
            ["change", "referring_url", "target_url", "anchor", "authority", "is_nofollow"],
            result.links.to_pylist(),
            limit=RECLAIM_ROWS,
            empty="None: both exports hold the same live backlinks.",
        ),
    }


def clusters(project: Project, crawl_id: int, findings: list[dict[str, Any]]) -> Spec:
    """Topic clusters with their label, pillar, hub-and-spoke health and findings."""
    table, _pages = project.topics(crawl_id)
    kinds: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f["kind"] in _TOPIC_KINDS:
            kinds[f["url"]].append(f["kind"])
    rows = table.to_pylist()
    for row in rows:
        row["findings"] = sorted(kinds.get(row["pillar_url"], []))
    columns = ["cluster", "label", "pages", "pillar_url", "pillar_reason", "spokes_to_pillar",
               "pillar_to_spokes", "spoke_density", "leaked_share", "equity", "cohesion",
               "findings"]  # fmt: skip
    return table_spec(
        f"Topic clusters and pillars: {len(rows):,}",
        columns,
        rows,
        empty="None: the analysis found no topics (too few pages with text).",
        note="Equity: % of the site's equity its pages hold; spokes_to_pillar, "
        "pillar_to_spokes, spoke_density and leaked_share are shares (0-1).",
    )


def recommendations(project: Project, crawl_id: int) -> Spec:
    """The links ``linkequity recommend`` saved, with their predicted gains."""
    saved = project.table("recommendations", crawl_id).to_pylist()
    saved.sort(key=lambda r: r["rank"])
    for row in saved:
        for name in ("predicted_gain", "predicted_priority_gain", "cumulative_priority_gain"):
            row[name] = None if row[name] is None else 100 * row[name]
    columns = ["rank", "source_url", "target_url", "anchor", "anchor_in_text", "position",
               "relevance", "predicted_gain", "predicted_priority_gain",
               "cumulative_priority_gain", "snippet"]  # fmt: skip
    return table_spec(
        f"Recommended links: {len(saved):,}",
        columns,
        saved,
        limit=RECOMMENDATION_ROWS,
        empty="None saved: linkequity recommend saves the links it recommends.",
        note="Gains are percentage points of the site's equity: the target's own, the "
        "priority pages', and the priority pages' after this link and every one before it.",
    )
