"""``linkequity demo``: serve the example site, crawl, import, analyze, check (present stage).

This is what ``make demo`` runs: the whole pipeline so far on a site whose every count is known:
crawl, import the site's generated backlink exports, analyze, recommend links for the products
the site names without linking; each step checked against what the site's model says it must
find, and the plan's predicted gain against a simulation of its links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from rich.console import Console
from rich.table import Table

from linkequity.analysis import AnalysisSummary, AnalyzeProgress
from linkequity.crawl import CrawlProgress
from linkequity.example import SiteServer, build_site
from linkequity.example.backlinks import expected_backlinks, write_backlink_exports
from linkequity.example.equity_truth import expected_equity
from linkequity.example.site import ExampleSite
from linkequity.example.truth import GroundTruth, iter_links
from linkequity.ingest.backlinks import BacklinkImportSummary
from linkequity.pagetext import segments
from linkequity.plan.changes import LinkChange
from linkequity.plan.recommend import Recommendations
from linkequity.project import Project
from linkequity.records import IndexabilityReason
from linkequity.store import CrawlOverview, Store
from linkequity.store.queries import page_texts

__all__ = ["DemoOutput", "compare_equity_with_truth", "compare_with_truth", "run_demo"]


@dataclass(frozen=True, slots=True)
class DemoOutput:
    """How the demo shows progress and results (the CLI's bars and tables)."""

    console: Console
    crawl_bar: Callable[[], Any]
    step_bar: Callable[[], Any]
    print_overview: Callable[[CrawlOverview, Console], None]
    print_equity: Callable[[AnalysisSummary, pa.Table, Console, pa.Table | None], None]
    print_backlinks: Callable[[BacklinkImportSummary, Path, Console], None]
    print_recommendations: Callable[[Recommendations, Console], None]


def compare_with_truth(project: Project, truth: GroundTruth) -> list[tuple[str, int, int]]:
    """(what, crawled, expected) for the counts the example site's truth fixes."""
    ov = project.overview()
    pages = project.pages().to_pylist()
    links = project.links().to_pylist()
    by_url = {p["url"]: p for p in pages}
    linked = {lk["dst_url"] for lk in links if lk["src_url"] != lk["dst_url"]}
    orphans = sum(1 for p in pages if p["in_sitemap"] and p["url"] not in linked)
    broken = sum(
        1
        for lk in links
        if lk["is_internal"]
        and lk["dst_url"] in by_url
        and (by_url[lk["dst_url"]]["status_code"] or 0) >= 400
    )
    redirects = project.table("redirects").to_pylist()
    loops = len({r["url"] for r in redirects if r["is_loop"]})
    reasons = dict(ov.by_indexability)
    NOINDEX, CANONICALISED = IndexabilityReason.NOINDEX, IndexabilityReason.CANONICALISED

    def reason(name: str) -> int:
        return sum(1 for p in truth.pages.values() if p.indexability_reason == name)

    return [
        ("URLs crawled", ov.pages, len(truth.pages)),
        (
            "indexable pages",
            reasons.get("indexable", 0),
            sum(1 for p in truth.pages.values() if p.indexable),
        ),
        ("noindex pages", reasons.get(NOINDEX, 0), reason(NOINDEX)),
        ("canonicalised pages", reasons.get(CANONICALISED, 0), reason(CANONICALISED)),
        (
            "blocked by robots.txt",
            reasons.get(IndexabilityReason.BLOCKED, 0),
            len(truth.blocked_urls),
        ),
        ("sitemap URLs", ov.sitemap_urls, truth.sitemap_url_count),
        ("sitemap-only orphans", orphans, len(truth.orphan_urls)),
        ("links (<a href>)", ov.links, truth.link_count),
        ("internal links", ov.internal_links, truth.internal_link_count),
        ("nofollow links", ov.nofollow_links, truth.nofollow_link_count),
        ("broken link occurrences", broken, truth.broken_link_count),
        ("redirecting URLs", len({r["url"] for r in redirects}), len(truth.redirect_chains)),
        ("redirect loops", loops, len(truth.redirect_loops)),
    ]


def compare_equity_with_truth(
    project: Project, site: ExampleSite, truth: GroundTruth
) -> list[tuple[str, str, str, bool]]:
    """(what, analysed, expected, ok) for the analysis: internal scores and findings.

    The oracle is internal PageRank (uniform teleport), so it is compared with the
    internal-only scores; with backlinks the equity shares differ from it by design.
    """
    want, _shares = expected_equity(truth.pages, iter_links(site, truth))
    rows = project.page_scores().to_pylist()
    got = {r["url"]: r["internal_score"] for r in rows if r["internal_score"]}
    same_pages = sorted(got) == sorted(want)
    gap = max((abs(got[u] - want[u]) for u in want), default=0.0) if same_pages else 1.0
    found = project.findings().to_pylist()

    def urls(kind: str) -> list[str]:
        return sorted(f["url"] for f in found if f["kind"] == kind)

    broken = sum(project.finding_details("broken_link").column("occurrences").to_pylist())
    chains = sorted(c.url for c in truth.redirect_chains if not c.is_loop and len(c.hops) >= 2)
    rows = [
        ("pages holding equity", f"{len(got):,}", f"{len(want):,}", same_pages),
        ("largest internal score difference", f"{gap:.1e}", "< 1e-9", gap < 1e-9),
        ("orphan findings", f"{len(urls('orphan'))}", f"{len(truth.orphan_pages)}",
         urls("orphan") == list(truth.orphan_pages)),
        ("broken link occurrences", f"{broken}", f"{truth.broken_link_count}",
         broken == truth.broken_link_count),
        ("redirect chain findings", f"{len(urls('redirect_chain'))}", f"{len(chains)}",
         urls("redirect_chain") == chains),
        ("redirect loop findings", f"{len(urls('redirect_loop'))}",
         f"{len(truth.redirect_loops)}", urls("redirect_loop") == sorted(truth.redirect_loops)),
    ]  # fmt: skip
    return rows


def compare_backlinks_with_truth(
    project: Project, site: ExampleSite, origin: str
) -> list[tuple[str, str, str, bool]]:
    """(what, imported, expected, ok) for the backlink exports of the example site."""
    want = expected_backlinks(site, origin)
    links = project.backlinks().to_pylist()
    live = [b for b in links if not b["lost"]]
    domains = sorted({b["referring_domain"] for b in live})
    toxic = project.backlink_report("toxic", minimum=60.0).to_pylist()
    toxic_domains = sorted({t["referring_domain"] for t in toxic})
    reclaim = project.backlink_report("reclaim").to_pylist()
    broken = sum(1 for r in reclaim if r["target_role"] == "broken")
    redirected = sum(1 for r in reclaim if r["target_role"] == "redirect")

    def row(
        what: str, got: int, expected: int, ok: bool | None = None
    ) -> tuple[str, str, str, bool]:
        return (what, f"{got:,}", f"{expected:,}", got == expected if ok is None else ok)

    return [
        row("live backlinks", len(live), want.live_backlinks),
        row("lost backlinks", len(links) - len(live), want.lost_backlinks),
        row("referring domains", len(domains), len(want.referring_domains),
            domains == list(want.referring_domains)),
        row("toxic domains (60+)", len(toxic_domains), len(want.toxic_domains),
            toxic_domains == list(want.toxic_domains)),
        row("backlinks to broken URLs", broken, want.to_broken),
        row("backlinks to redirects", redirected, want.to_redirected),
    ]  # fmt: skip


#: Products the demo's plan works for: the ones the journal names most often without a link.
PLAN_TARGETS = 3
#: New links the demo's plan recommends.
PLAN_BUDGET = 10


def unlinked_mentions(project: Project, count: int) -> list[str]:
    """The product pages the site's own text names most often outside a link."""
    names = {
        str(r["title"]).split(" | ")[0]: str(r["url"])
        for r in project.page_scores().to_pylist()
        if r["role"] == "page" and "/products/" in str(r["url"]) and r["title"]
    }
    with Store(project.path, read_only=True) as store:
        texts = page_texts(store, project.overview().crawl_id)
    said: Counter[str] = Counter()
    for marked, _ in texts.values():
        for run in segments(marked):
            if run.kind == "text":
                said.update(name for name in names if name in run.text)
    return [names[name] for name, _ in said.most_common(count)]


def compare_plan_with_simulation(
    project: Project, result: Recommendations, targets: list[str]
) -> list[tuple[str, str, str, bool]]:
    """The greedy's predicted gain against a simulation of its links, and against the
    relevance-only baseline."""
    changes = tuple(
        LinkChange("add", r["source_url"], r["target_url"]) for r in result.links.to_pylist()
    )
    pages = project.simulate(changes).pages.to_pylist()
    simulated = sum(p["score_after"] - p["score_before"] for p in pages if p["url"] in targets)
    predicted = result.priority_gain
    close = abs(predicted - simulated) <= 1e-6 * abs(simulated)
    return [
        ("priority gain predicted = simulated (pp)", f"{predicted * 100:.6f}",
         f"{simulated * 100:.6f}", close),
        ("greedy beats the relevance-only baseline (pp)", f"{predicted * 100:.4f}",
         f"> {result.baseline_gain * 100:.4f}", predicted > result.baseline_gain),
    ]  # fmt: skip


def _print_checks(console: Console, title: str, rows: list[tuple[str, str, str, bool]]) -> bool:
    table = Table(title=title, title_justify="left")
    table.add_column("what")
    table.add_column("found", justify="right")
    table.add_column("expected", justify="right")
    table.add_column("")
    for what, got, want, ok in rows:
        table.add_row(what, got, want, "ok" if ok else "[red]MISMATCH")
    console.print(table)
    return all(ok for *_rest, ok in rows)


def run_demo(path: Path, pages: int, out: DemoOutput) -> bool:
    """Serve, crawl, analyze, print; True when everything matches the site's ground truth."""
    console = out.console
    site = build_site(pages=pages)
    project = Project(path)
    with SiteServer(site) as server:
        console.print(f"Serving the example site at {server.origin}/", highlight=False)
        bar = out.crawl_bar()
        on_progress: Callable[[CrawlProgress], None] = bar
        with bar.progress:
            project.crawl(server.origin + "/", progress=on_progress)
        truth = site.truth(server.origin)
        origin = server.origin
    out.print_overview(project.overview(), console)
    crawl_rows = [(what, f"{got:,}", f"{want:,}", got == want)
                  for what, got, want in compare_with_truth(project, truth)]  # fmt: skip
    crawl_ok = _print_checks(console, "Crawl checked against the site's ground truth", crawl_rows)
    exports = write_backlink_exports(site, origin, path.parent / "backlink-exports")
    out.print_backlinks(project.import_backlinks(*exports), path, console)
    steps = out.step_bar()
    on_step: AnalyzeProgress = steps
    with steps.progress:
        summary = project.analyze(progress=on_step)
    out.print_equity(summary, project.page_scores(limit=10), console, project.findings(limit=10))
    backlinks_ok = _print_checks(
        console,
        "Backlinks checked against the exports' model",
        compare_backlinks_with_truth(project, site, origin),
    )
    equity_ok = _print_checks(
        console,
        "Equity checked against the site's model (the equity model written plainly)",
        compare_equity_with_truth(project, site, truth),
    )
    targets = unlinked_mentions(project, PLAN_TARGETS)
    result = project.recommend(
        targets, budget=PLAN_BUDGET, per_source=2, in_text_only=True, save=True
    )
    out.print_recommendations(result, console)
    plan_ok = _print_checks(
        console,
        "Plan checked against a simulation of its links",
        compare_plan_with_simulation(project, result, targets),
    )
    ok = crawl_ok and backlinks_ok and equity_ok and plan_ok
    console.print(
        f"Project file: {path}" if ok else "[red]The results do not match the ground truth.",
        highlight=False,
    )
    return ok
