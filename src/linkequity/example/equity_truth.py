"""The example site's expected equity: the equity model written out plainly (example stage).

It reads the ground truth's pages and links (derived from the site's model, not from a crawl),
applies the rules of the equity model (see :mod:`linkequity.equity.graph`) with dicts and loops,
and iterates PageRank as the design states it: ``x = d P'x + d (dangling x) v + (1 - d) v``,
with the default settings. The analyze stage must agree with it; the demo and the tests check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from linkequity.example.truth import ExpectedLink, ExpectedPage
from linkequity.parse.headers import robots_directives
from linkequity.records import HTML_MEDIA_TYPES, IndexabilityReason
from linkequity.settings import EquitySettings

__all__ = ["expected_equity"]

WEIGHTS = EquitySettings().position_weights()
D = EquitySettings().damping
_ITERATIONS = 500  # 0.85**500 ~ 1e-35: converged far below float precision


def _role(page: ExpectedPage) -> str:
    if page.indexability_reason == IndexabilityReason.BLOCKED:
        return "blocked"
    status = page.status_code
    if status is None or status >= 400 or status < 200:
        return "broken"
    if status >= 300:
        return "redirect"
    return "page" if page.content_type in HTML_MEDIA_TYPES else "non_html"


def _landing(pages: Mapping[str, ExpectedPage], url: str) -> tuple[str | None, str]:
    """(node reached, outcome) of a link to a crawled URL."""
    seen = {url}
    while _role(pages[url]) == "redirect":
        url = pages[url].redirect_url or ""
        if url in seen:
            return None, "broken"
        seen.add(url)
        if url not in pages:
            return None, "excluded"
    kind = _role(pages[url])
    if kind == "page":
        canonical = pages[url].canonical_url
        target = pages.get(canonical or "")
        if canonical != url and target is not None and _role(target) == "page" and target.indexable:
            return canonical, "node"
        return url, "node"
    return None, {"non_html": "excluded", "blocked": "blocked"}.get(kind, "broken")


def expected_equity(
    pages: Mapping[str, ExpectedPage], links: Iterable[ExpectedLink]
) -> tuple[dict[str, float], dict[str, float]]:
    """(score per node URL, share of link equity by where it goes)."""
    nodes = sorted({node for u in pages if (node := _landing(pages, u)[0]) is not None})
    sources = {u for u in nodes if _landing(pages, u)[0] == u}
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    lost: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    seen: set[tuple[str, str]] = set()
    for link in sorted(links, key=lambda k: (k.src_url, k.ordinal)):
        src, dst = link.src_url, link.dst_url
        if src not in sources or not dst.startswith(("http://", "https://")):
            continue
        page = pages[src]
        nofollow = link.is_nofollow or "nofollow" in robots_directives(
            page.meta_robots, page.x_robots_tag, "googlebot"
        )
        if not link.is_internal:
            target, outcome = None, "external"
        elif dst in pages:
            target, outcome = _landing(pages, dst)
        else:
            target, outcome = None, "excluded"
        if target == src or dst == src:
            continue
        if outcome == "excluded" and not (nofollow or link.is_sponsored or link.is_ugc):
            continue
        key = (src, target or dst)
        if key in seen:
            continue
        seen.add(key)
        w = WEIGHTS[link.position]
        if nofollow or link.is_sponsored or link.is_ugc:
            token = "nofollow" if nofollow else "sponsored" if link.is_sponsored else "ugc"
            lost[src][f"evaporated_{token}"] += w
        elif outcome == "node" and target is not None:
            weights[src][target] += w
        else:
            lost[src][{"external": "leaked_external", "broken": "wasted_broken",
                       "blocked": "wasted_blocked"}[outcome]] += w  # fmt: skip
    total = {u: sum(weights[u].values()) + sum(lost[u].values()) for u in nodes}
    n = len(nodes)
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(_ITERATIONS):
        dangling = sum(x[u] for u in nodes if total[u] == 0)
        nxt = dict.fromkeys(nodes, (1 - D) / n + D * dangling / n)
        for u, targets in weights.items():
            for node, w in targets.items():
                nxt[node] += D * x[u] * w / total[u]
        x = nxt
    s = sum(x.values())
    scores = {u: value / s for u, value in x.items()}
    passing = sum(D * scores[u] for u in nodes if total[u] > 0)
    shares: dict[str, float] = defaultdict(float)
    for u in nodes:
        for name, w in lost[u].items():
            shares[name] += D * scores[u] * w / total[u] / passing
        if total[u]:
            passed = sum(weights[u].values())
            shares["passed_internal"] += D * scores[u] * passed / total[u] / passing
    return scores, dict(shares)
