"""Finding kinds, the one registry of what audits report, and the finding record (foundation stage).

Every kind has its severity, a one-line meaning, the sentence saying how to fix it, the
section of ``docs/findings.md`` that explains it, and the fields of its detail with their
DuckDB types. The audits build findings with :func:`finding`, which takes the severity from
here; the CLI lists the kinds from here; ``findings.detail_json`` holds the detail as JSON
and :func:`detail_structure` is what turns it back into typed columns in SQL. Adding a kind
means adding it here, to ``docs/findings.md`` and to the audit that finds it (a test holds
the three together).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = [
    "KINDS",
    "SEVERITIES",
    "Finding",
    "FindingKind",
    "KindInfo",
    "Severity",
    "detail_structure",
    "finding",
]

Severity = Literal["error", "warning", "notice"]
#: Severities, most severe first (the order findings are listed in).
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

FindingKind = Literal[
    "broken_link",
    "redirect_loop",
    "redirect_chain",
    "orphan",
    "crawl_trap",
    "link_to_redirect",
    "link_to_noindex",
    "link_to_canonicalised",
    "canonical_invalid",
    "noindex_equity",
    "starved_page",
    "dead_end",
    "deep_page",
    "too_many_links",
    "single_inlink",
    "generic_anchor",
    "empty_anchor",
    "over_optimised_anchor",
    "anchor_cannibalisation",
    "spokes_miss_pillar",
    "pillar_misses_spokes",
    "leaky_cluster",
]

_LINKED = (("links", "INTEGER"), ("source_pages", "INTEGER"), ("examples", "VARCHAR[]"))
_EQUITY = (("share", "DOUBLE"), ("rank", "INTEGER"), ("link_score", "DOUBLE"))
_OUTLINKS = (("outlinks", "INTEGER"), ("external_outlinks", "INTEGER"))
_CLUSTER = (("cluster", "INTEGER"), ("label", "VARCHAR"))
_SPOKES = (("spokes", "INTEGER"), ("missing", "INTEGER"))


@dataclass(frozen=True, slots=True)
class KindInfo:
    """What one finding kind means, how bad it is and how to fix it."""

    kind: FindingKind
    severity: Severity
    meaning: str
    """One line: what the finding says about its URL."""
    fix: str
    """One sentence: what to change on the site."""
    detail: tuple[tuple[str, str], ...]
    """(field, DuckDB type) of every field of the finding's detail, in order."""
    impact: str = ""
    """One sentence: what a finding's ``impact`` measures (see ``equity/impact.py``)."""

    @property
    def docs(self) -> str:
        """The section of the docs that explains the kind."""
        return f"docs/findings.md#{self.kind}"


def _kinds(*infos: KindInfo) -> dict[FindingKind, KindInfo]:
    return {info.kind: info for info in infos}


#: Every finding kind, in the order findings of one severity are listed.
KINDS: dict[FindingKind, KindInfo] = _kinds(
    KindInfo(
        "broken_link",
        "error",
        "A URL answering 4xx / 5xx or nothing that internal links point at, with every source.",
        "Point each link at the live page that replaced the target (or redirect the target to "
        "it), or remove the link.",
        (("status_code", "INTEGER"), ("error", "VARCHAR"), ("occurrences", "INTEGER"),
         ("source_pages", "INTEGER"),
         ("sources", "STRUCT(source VARCHAR, anchor VARCHAR, position VARCHAR, "
                     "occurrences INTEGER)[]")),
        impact="The equity the links to the URL take from their pages: wasted.",
    ),
    KindInfo(
        "redirect_loop",
        "error",
        "A redirecting URL whose chain comes back on itself.",
        "Make the first URL of the loop redirect straight to the page it stands for.",
        (("hops", "VARCHAR[]"),),
        impact="The equity the links to the URL take from their pages: wasted.",
    ),
    KindInfo(
        "redirect_chain",
        "warning",
        "A URL that takes two or more redirects to settle.",
        "Redirect the first URL straight to the final one, and link to the final URL.",
        (("hops", "VARCHAR[]"), ("final_url", "VARCHAR")),
        impact="The equity the links to the first URL pass through every hop.",
    ),
    KindInfo(
        "orphan",
        "warning",
        "A live, indexable page that no followed link path from the start page reaches.",
        "Link to the page (or its island's top page) from a related page that is reachable, "
        "or retire it: redirect it and drop it from the sitemap.",
        (("found_in", "VARCHAR[]"), ("backlink_domains", "INTEGER"), ("in_import", "BOOLEAN"),
         ("linked_by", "VARCHAR"), ("island", "VARCHAR"), ("island_size", "INTEGER"),
         ("share", "DOUBLE"), ("link_score", "DOUBLE"), ("would_get", "DOUBLE")),
        impact=(
            "The share the page would hold linked like the median reachable page, less the share "
            "it holds."
        ),
    ),
    KindInfo(
        "crawl_trap",
        "warning",
        "URLs of one pattern the crawl held back as a trap, on the page linking to most of them.",
        "Stop linking the pattern's URLs (or mark those links nofollow and disallow the "
        "pattern in robots.txt), or raise the named setting if they are real pages.",
        (("pattern", "VARCHAR"), ("rule", "VARCHAR"), ("held_back", "INTEGER"),
         ("examples", "VARCHAR[]"), ("crawled_examples", "VARCHAR[]"),
         ("linked_from", "INTEGER"), ("setting", "VARCHAR")),
        impact=(
            "The equity the links to the held-back URLs would take if the URLs were crawled "
            "pages."
        ),
    ),
    KindInfo(
        "link_to_redirect",
        "warning",
        "An internal link target that redirects.",
        "Change the links to point at the redirect's final URL.",
        (("final_url", "VARCHAR"), *_LINKED),
        impact="The equity the links to the URL pass through the redirect.",
    ),
    KindInfo(
        "link_to_noindex",
        "warning",
        "An internal link target that says noindex.",
        "Link to an indexable page instead, or make the target indexable if it should rank.",
        _LINKED,
        impact="The equity the links to the URL give a page that cannot rank.",
    ),
    KindInfo(
        "link_to_canonicalised",
        "notice",
        "An internal link target canonicalised to another page.",
        "Change the links to point at the canonical URL.",
        (("canonical_url", "VARCHAR"), *_LINKED),
        impact="The equity the links to the URL pass through the canonical.",
    ),
    KindInfo(
        "canonical_invalid",
        "warning",
        "A canonical pointing at a URL that cannot be canonical.",
        "Point the canonical at a live, indexable page, or at the page itself.",
        (("canonical_url", "VARCHAR"), ("canonical_role", "VARCHAR")),
        impact="The page's share of the site's equity.",
    ),
    KindInfo(
        "noindex_equity",
        "warning",
        "A noindex page holding more than an average page's equity.",
        "Link less to the noindex page, or make it indexable if it deserves the equity.",
        _EQUITY,
        impact="The page's share of the site's equity: held by a page that cannot rank.",
    ),
    KindInfo(
        "starved_page",
        "warning",
        "A priority page scoring below the configured percentile.",
        "Add links to the page from strong, related pages, in their content.",
        _EQUITY,
        impact="The share the page lacks to reach the percentile.",
    ),
    KindInfo(
        "dead_end",
        "notice",
        "A page none of whose links passes equity to another page.",
        "Add followed links from the page to related pages of the site.",
        _OUTLINKS,
        impact=(
            "What the page passes on each step (damping x its share), handed back to the "
            "teleport."
        ),
    ),
    KindInfo(
        "deep_page",
        "notice",
        "More clicks from the start page than deep_page_depth.",
        "Link to the page from a page closer to the start page (a category, hub or menu).",
        (("crawl_depth", "INTEGER"),),
        impact="None (0): no equity is lost; depth is about how the site is crawled and read.",
    ),
    KindInfo(
        "too_many_links",
        "notice",
        "More links on the page than max_links_per_page.",
        "Remove links that few visitors use, so each remaining link passes more.",
        _OUTLINKS,
        impact=(
            "What the page passes on each step (damping x its share) through the links beyond "
            "max_links_per_page."
        ),
    ),
    KindInfo(
        "single_inlink",
        "notice",
        "An indexable page linked from one page only.",
        "Link to the page from more related pages.",
        (("inlinks", "INTEGER"),),
        impact="None (0): no equity is lost yet; the page hangs on one page's link.",
    ),
    KindInfo(
        "generic_anchor",
        "notice",
        "Links to the page use generic anchors such as 'read more' or 'click here'.",
        "Rewrite the anchors to say what the target page is about.",
        (("links", "INTEGER"), ("total_links", "INTEGER"), ("anchors", "MAP(VARCHAR, INTEGER)")),
        impact="The equity of the content links with generic anchors.",
    ),
    KindInfo(
        "empty_anchor",
        "warning",
        "Links to the page with no anchor text and no image alt text.",
        "Give each link anchor text, or its image an alt text.",
        (("links", "INTEGER"), ("total_links", "INTEGER"), ("examples", "VARCHAR[]")),
        impact="The equity of the links without anchor text.",
    ),
    KindInfo(
        "over_optimised_anchor",
        "warning",
        "Too large a share of the page's content links use its exact keyword as anchor.",
        "Vary the anchors: partial matches, the page's name, natural phrases.",
        (("keyword", "VARCHAR"), ("exact_links", "INTEGER"), ("content_links", "INTEGER"),
         ("share", "DOUBLE")),
        impact="The equity of the content links with the exact keyword.",
    ),
    KindInfo(
        "anchor_cannibalisation",
        "warning",
        "One descriptive anchor text links to several different pages.",
        "Keep the anchor for the one page that should rank for it; reword the others.",
        (("anchor", "VARCHAR"), ("targets", "MAP(VARCHAR, INTEGER)")),
        impact="The equity of the links giving the anchor to pages other than its main target.",
    ),
    KindInfo(
        "spokes_miss_pillar",
        "warning",
        "Fewer than half the pages of a topic cluster link to its pillar page (the URL).",
        "Link to the pillar from the content of each spoke listed, with an anchor naming "
        "the topic.",
        (*_CLUSTER, *_SPOKES, ("spokes_to_pillar", "DOUBLE"), ("examples", "VARCHAR[]")),
        impact=(
            "What one content link to the pillar on each spoke that lacks one would pass it "
            "each step, before the scores move."
        ),
    ),
    KindInfo(
        "pillar_misses_spokes",
        "notice",
        "A topic cluster's pillar page (the URL) links to fewer than half its spokes.",
        "Link from the pillar's content to the spokes listed (or to the pages that list "
        "them).",
        (*_CLUSTER, *_SPOKES, ("pillar_to_spokes", "DOUBLE"), ("examples", "VARCHAR[]")),
        impact=(
            "What content links from the pillar to the spokes it lacks would pass them each "
            "step, before the scores move."
        ),
    ),
    KindInfo(
        "leaky_cluster",
        "notice",
        "Most of the equity a topic cluster's content links pass leaves the cluster.",
        "Point more of the cluster's content links at its own pillar and spokes; keep the "
        "links to other topics that readers need.",
        (*_CLUSTER, ("pages", "INTEGER"), ("passed", "DOUBLE"), ("leaked_share", "DOUBLE")),
        impact="The equity the cluster's content links pass to pages outside it each step.",
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing to look at, about one URL."""

    kind: FindingKind
    severity: Severity
    url: str
    summary: str
    detail_json: str
    """The figures behind the summary, as a JSON object with the kind's detail fields."""
    impact: float = 0.0
    """The share of the site's equity at stake, as a percentage (the unit of ``share``):
    wasted, evaporated, leaked or withheld; see ``equity/impact.py`` for each kind."""
    fix: str = ""
    """What to change on the site, for this finding (the kind's fix when nothing more
    particular can be said)."""


def finding(
    kind: FindingKind,
    url: str,
    summary: str,
    *,
    impact: float = 0.0,
    fix: str | None = None,
    **detail: object,
) -> Finding:
    """A finding of ``kind`` (its severity from :data:`KINDS`, its fix by default), the
    detail serialised with its keys sorted, so output is deterministic."""
    return Finding(
        kind,
        KINDS[kind].severity,
        url,
        summary,
        json.dumps(detail, sort_keys=True),
        impact,
        fix or KINDS[kind].fix,
    )


def detail_structure(kind: FindingKind) -> str:
    """The JSON structure of a kind's detail, for DuckDB's ``json_transform``."""
    return json.dumps(dict(KINDS[kind].detail))
