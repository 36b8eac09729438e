"""``linkequity demo``: serve the example site, crawl it, and check the crawl against its truth.

This is what ``make demo`` runs: the whole pipeline so far on a site whose every count is known.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from linkequity.crawl import CrawlProgress
from linkequity.example import SiteServer, build_site
from linkequity.example.truth import GroundTruth
from linkequity.project import Project
from linkequity.store import CrawlOverview

__all__ = ["compare_with_truth", "run_demo"]


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

    def reason(name: str) -> int:
        return sum(1 for p in truth.pages.values() if p.indexability_reason == name)

    return [
        ("URLs crawled", ov.pages, len(truth.pages)),
        (
            "indexable pages",
            reasons.get("indexable", 0),
            sum(1 for p in truth.pages.values() if p.indexable),
        ),
        ("noindex pages", reasons.get("noindex", 0), reason("noindex")),
        ("canonicalised pages", reasons.get("canonicalised", 0), reason("canonicalised")),
        ("blocked by robots.txt", reasons.get("blocked by robots.txt", 0), len(truth.blocked_urls)),
        ("sitemap URLs", ov.sitemap_urls, truth.sitemap_url_count),
        ("sitemap-only orphans", orphans, len(truth.orphan_urls)),
        ("links (<a href>)", ov.links, truth.link_count),
        ("internal links", ov.internal_links, truth.internal_link_count),
        ("nofollow links", ov.nofollow_links, truth.nofollow_link_count),
        ("broken link occurrences", broken, truth.broken_link_count),
        ("redirecting URLs", len({r["url"] for r in redirects}), len(truth.redirect_chains)),
        ("redirect loops", loops, len(truth.redirect_loops)),
    ]


def run_demo(
    path: Path,
    pages: int,
    console: Console,
    progress_bar: Callable[[], Any],
    print_overview: Callable[[CrawlOverview, Console], None],
) -> bool:
    """Serve, crawl, print; True when every count matches the site's ground truth."""
    site = build_site(pages=pages)
    project = Project(path)
    with SiteServer(site) as server:
        console.print(f"Serving the example site at {server.origin}/", highlight=False)
        bar = progress_bar()
        on_progress: Callable[[CrawlProgress], None] = bar
        with bar.progress:
            project.crawl(server.origin + "/", progress=on_progress)
        truth = site.truth(server.origin)
    print_overview(project.overview(), console)
    rows = compare_with_truth(project, truth)
    table = Table(title="Checked against the example site's ground truth", title_justify="left")
    table.add_column("what")
    table.add_column("crawled", justify="right")
    table.add_column("expected", justify="right")
    table.add_column("")
    for what, got, want in rows:
        table.add_row(what, f"{got:,}", f"{want:,}", "ok" if got == want else "[red]MISMATCH")
    console.print(table)
    ok = all(got == want for _w, got, want in rows)
    console.print(
        f"Project file: {path}" if ok else "[red]The crawl does not match the ground truth.",
        highlight=False,
    )
    return ok
