"""A project: the Python entry point to one DuckDB project file (facade stage).

>>> from linkequity import Project  # doctest: +SKIP
>>> site = Project("site.duckdb")  # doctest: +SKIP
>>> site.crawl("https://www.example.com/", max_pages=500)  # doctest: +SKIP
>>> site.analyze()  # doctest: +SKIP
>>> site.page_scores(limit=20).to_pandas()  # doctest: +SKIP

Each call opens the file, does its work and closes it, so a notebook can call again, and a
second process can read between calls. The facade only delegates: the SQL is in
:mod:`linkequity.store.queries` or in the stage that owns the table.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Coroutine, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from linkequity.crawl import CrawlSummary, run_crawl
from linkequity.settings import (
    AuditSettings,
    BacklinkSettings,
    CrawlSettings,
    EquitySettings,
    load_settings,
)
from linkequity.store import CrawlOverview, Store, queries

# The analysis, import and backlink stages load scipy and pandas (~70 MB, ~0.5 s): imported
# by the methods that use them, so a crawl does not carry them.
if TYPE_CHECKING:
    from linkequity.analysis import AnalysisSummary, AnalyzeProgress
    from linkequity.crawl.engine import ProgressCallback
    from linkequity.equity.flows import PairFlows
    from linkequity.findings import FindingKind
    from linkequity.ingest import BacklinkImportSummary, ImportProgress, ImportSummary
    from linkequity.plan.changes import LinkChange
    from linkequity.plan.disavow import DisavowEntry, DisavowFile
    from linkequity.plan.priorities import Priority
    from linkequity.plan.recommend import Recommendations
    from linkequity.plan.simulate import Simulation
    from linkequity.store.compare import Comparison
    from linkequity.store.snapshots import BacklinkComparison

__all__ = ["Project"]

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion, also from inside a running loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Project:
    """One project file; created on first write."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def crawl(
        self,
        start_url: str | None = None,
        *,
        settings: CrawlSettings | None = None,
        resume: bool = False,
        progress: ProgressCallback | None = None,
        **overrides: Any,
    ) -> CrawlSummary:
        """Crawl a site into this project (or resume its unfinished crawl).

        ``overrides`` are :class:`~linkequity.settings.CrawlSettings` fields, e.g.
        ``max_pages=500``. A crawl that fails before it starts (a bad start URL, a site that
        cannot be reached, nothing to resume) leaves no project file behind that it created.
        """
        if settings is None or overrides:
            base = _as_dict(settings or CrawlSettings())
            settings = load_settings(None, {**base, **overrides})
        created = not self.path.exists()
        store = Store(self.path)
        try:
            summary = run_sync(run_crawl(store, start_url, settings, resume, progress))
        except BaseException:
            unused = created and queries.crawl_count(store) == 0
            store.close()
            if unused:
                _remove_project_file(self.path)
            raise
        store.close()
        return summary

    def import_screamingfrog(
        self, *paths: str | Path, progress: ImportProgress | None = None
    ) -> ImportSummary:
        """Import Screaming Frog CSV exports as a new snapshot (all files or nothing).

        Give an All Inlinks or All Outlinks export and Internal: All (or HTML) exports.
        """
        from linkequity.ingest import import_screamingfrog

        with Store(self.path) as store:
            return import_screamingfrog(store, [Path(p) for p in paths], progress)

    def import_backlinks(
        self,
        *paths: str | Path,
        tool: str | None = None,
        mapping: dict[str, str] | None = None,
        progress: ImportProgress | None = None,
    ) -> BacklinkImportSummary:
        """Import backlink exports, one snapshot per file, all files or nothing.

        Ahrefs, Semrush, Majestic, Moz and Search Console exports are recognised by their
        header (``tool`` restricts which); ``mapping`` reads another tool's CSV, e.g.
        ``{"referring_url": "Source URL", "target_url": "Target"}``.
        """
        from linkequity.ingest import import_backlinks

        with Store(self.path) as store:
            return import_backlinks(store, [Path(p) for p in paths], tool, mapping, progress)

    def overview(self, crawl_id: int | None = None) -> CrawlOverview:
        """Headline counts of a crawl (the latest by default)."""
        with Store(self.path, read_only=True) as store:
            return queries.crawl_overview(store, crawl_id)

    def table(self, name: str, crawl_id: int | None = None) -> pa.Table:
        """One table of one crawl (the latest by default) as Arrow; ``.to_pandas()`` for pandas."""
        with Store(self.path, read_only=True) as store:
            return queries.table_rows(store, name, crawl_id)

    def pages(self, crawl_id: int | None = None) -> pa.Table:
        """The pages of a crawl."""
        return self.table("pages", crawl_id)

    def links(self, crawl_id: int | None = None) -> pa.Table:
        """The links of a crawl, one row per ``<a href>`` occurrence."""
        return self.table("links", crawl_id)

    def analyze(
        self,
        crawl_id: int | None = None,
        *,
        equity: EquitySettings | None = None,
        audit: AuditSettings | None = None,
        progress: AnalyzeProgress | None = None,
        backlinks: BacklinkSettings | None = None,
    ) -> AnalysisSummary:
        """Score every page of a crawl (the latest by default) and audit its structure.

        Backlinks imported into the project seed the scores (``external_weight``).
        """
        from linkequity.analysis import analyze

        with Store(self.path) as store:
            return analyze(store, crawl_id, equity, audit, progress, backlinks)

    def page_scores(
        self, crawl_id: int | None = None, sort: str = "link_score", limit: int | None = None
    ) -> pa.Table:
        """Scores and link counts of every URL, best first by ``sort`` (a page_scores column)."""
        with Store(self.path, read_only=True) as store:
            return queries.page_scores(store, crawl_id, sort, limit)

    def findings(
        self,
        crawl_id: int | None = None,
        kind: str | None = None,
        severity: str | None = None,
        min_impact: float | None = None,
        limit: int | None = None,
    ) -> pa.Table:
        """The findings of an analyzed crawl, costliest first: ``impact`` is the share of the
        site's equity each puts at stake, in percent; optionally of one kind or severity, at
        least ``min_impact``, the first ``limit``."""
        with Store(self.path, read_only=True) as store:
            return queries.findings(store, crawl_id, kind, severity, min_impact, limit)

    def finding_summary(self, crawl_id: int | None = None) -> pa.Table:
        """Per finding kind: severity, count, total and largest impact, costliest first."""
        with Store(self.path, read_only=True) as store:
            return queries.finding_summary(store, crawl_id)

    def finding_details(self, kind: FindingKind, crawl_id: int | None = None) -> pa.Table:
        """The findings of one kind with their impact and their detail as typed columns, e.g. a
        broken link's ``source``, ``anchor``, ``position`` and ``occurrences``."""
        with Store(self.path, read_only=True) as store:
            return queries.finding_details(store, crawl_id, kind)

    def anchors(self, crawl_id: int | None = None, target: str | None = None) -> pa.Table:
        """Internal anchor texts per target page with their counts and flags."""
        with Store(self.path, read_only=True) as store:
            return queries.anchors(store, crawl_id, target)

    def topics(self, crawl_id: int | None = None) -> tuple[pa.Table, pa.Table]:
        """(clusters, page_topics) of an analyzed crawl: each topic cluster with its label,
        pillar and hub-and-spoke health, and the cluster of every page."""
        with Store(self.path, read_only=True) as store:
            return queries.topics(store, crawl_id)

    def click_tree(self, crawl_id: int | None = None) -> pa.Table:
        """The crawl path tree of an analyzed crawl: every URL the start URL reaches along
        followed links, with its clicks from the start (``crawl_depth``), ``parent_url``, the
        page one click nearer the start that leads to it (null for the start URL), and its
        ``link_score`` and ``role``."""
        with Store(self.path, read_only=True) as store:
            return queries.click_tree(store, crawl_id)

    def click_path(self, url: str, crawl_id: int | None = None) -> list[str]:
        """The shortest click path from the start URL to ``url`` (both included) along
        followed links; empty when none reaches it."""
        from linkequity.urls import normalise_url

        with Store(self.path, read_only=True) as store:
            return queries.click_path(store, crawl_id, normalise_url(url) or url)

    def inlinks(self, url: str, crawl_id: int | None = None) -> pa.Table:
        """Every link whose equity reaches ``url``, with the equity each passes."""
        from linkequity.equity.flows import inlinks

        with Store(self.path, read_only=True) as store:
            return inlinks(store, queries.analysed_crawl(store, crawl_id), url)

    def outlinks(self, url: str, crawl_id: int | None = None) -> pa.Table:
        """Every link on the page ``url``, with the equity each passes."""
        from linkequity.equity.flows import outlinks

        with Store(self.path, read_only=True) as store:
            return outlinks(store, queries.analysed_crawl(store, crawl_id), url)

    def link_flows(self, crawl_id: int | None = None) -> PairFlows:
        """Every pair of pages a followed link joins, with the equity its links pass (the
        sums of :meth:`outlinks`' ``equity`` per source and target page)."""
        from linkequity.equity.flows import pair_flows

        with Store(self.path, read_only=True) as store:
            return pair_flows(store, queries.analysed_crawl(store, crawl_id))

    def backlinks(self, settings: BacklinkSettings | None = None) -> pa.Table:
        """Every current backlink with its target's role, toxicity, strength and anchor class."""
        from linkequity.backlinks.profile import backlink_table

        with Store(self.path, read_only=True) as store:
            return backlink_table(store, None, settings or BacklinkSettings())

    def backlink_report(
        self, name: str, settings: BacklinkSettings | None = None, **options: Any
    ) -> pa.Table:
        """One backlink report: ``domains`` (option ``sort``), ``authority``, ``tlds``,
        ``anchors``, ``anchor_classes``, ``pages``, ``changes``, ``reclaim`` or ``toxic``
        (option ``minimum``)."""
        from linkequity.backlinks.reports import backlink_report

        with Store(self.path, read_only=True) as store:
            return backlink_report(store, name, settings or BacklinkSettings(), **options)

    def backlink_reports(
        self, names: Sequence[str], settings: BacklinkSettings | None = None, **options: Any
    ) -> dict[str, pa.Table]:
        """Several backlink reports by name (see :meth:`backlink_report`), the backlinks read
        and scored once for all of them."""
        from linkequity.backlinks.reports import backlink_reports

        with Store(self.path, read_only=True) as store:
            return backlink_reports(store, names, settings or BacklinkSettings(), **options)

    def disavow(
        self,
        existing: Path | None = None,
        whitelist: Path | None = None,
        settings: BacklinkSettings | None = None,
    ) -> tuple[DisavowFile, DisavowFile | None, tuple[DisavowEntry, ...]]:
        """(the merged disavow file, the existing one, entries the whitelist kept out).

        Proposes every referring domain whose toxicity reaches ``disavow_threshold``.
        """
        from linkequity.plan.disavow import disavow_plan

        today = datetime.now(UTC).date()
        with Store(self.path, read_only=True) as store:
            return disavow_plan(store, existing, whitelist, settings or BacklinkSettings(), today)

    def compare(self, before: int | None = None, after: int | None = None) -> Comparison:
        """What changed between two crawls (the previous and the latest by default): equity
        movers, pages and links added and removed, depth changes, findings new and resolved."""
        from linkequity.store.compare import compare_crawls

        with Store(self.path, read_only=True) as store:
            return compare_crawls(store, before, after)

    def compare_backlinks(
        self, before: int | None = None, after: int | None = None
    ) -> BacklinkComparison:
        """What changed between two backlinks snapshots (import ids; by default the latest
        and the one before it from the same tool): backlinks and referring domains new and
        lost."""
        from linkequity.store.snapshots import compare_snapshots

        with Store(self.path, read_only=True) as store:
            return compare_snapshots(store, before, after)

    def simulate(
        self,
        plan: str | Path | Sequence[LinkChange],
        crawl_id: int | None = None,
        *,
        equity: EquitySettings | None = None,
        backlinks: BacklinkSettings | None = None,
    ) -> Simulation:
        """Every page's score and the site's shares before and after a plan of link changes
        (a plan file, see :mod:`linkequity.plan.changes`, or the changes themselves), solved
        against the stored analysis under the same settings."""
        from linkequity.plan.changes import read_plan
        from linkequity.plan.simulate import load_baseline, simulate

        changes = read_plan(plan) if isinstance(plan, str | Path) else tuple(plan)
        with Store(self.path, read_only=True) as store:
            cid = store.latest_crawl_id() if crawl_id is None else crawl_id
            baseline = load_baseline(
                store, cid, equity or EquitySettings(), backlinks or BacklinkSettings()
            )
            return simulate(baseline, changes)

    def recommend(
        self,
        priorities: str | Path | Sequence[Priority | str] | None = None,
        crawl_id: int | None = None,
        *,
        budget: int = 50,
        per_source: int | None = 3,
        per_target: int | None = None,
        in_text_only: bool = False,
        min_relevance: float | None = None,
        changes: int = 20,
        equity: EquitySettings | None = None,
        audit: AuditSettings | None = None,
        backlinks: BacklinkSettings | None = None,
        save: bool = False,
    ) -> Recommendations:
        """New internal links for the priority pages (a priorities file, URLs or
        :class:`~linkequity.plan.priorities.Priority` records; proposed when None), each with
        its anchor and exact predicted gains, chosen greedily under the budgets; and up to
        ``changes`` links to remove or follow, each with its gain. ``save`` keeps the new
        links as the crawl's ``recommendations`` table, which the report and web app show."""
        from linkequity.plan.priorities import Priority, read_priorities
        from linkequity.plan.recommend import MIN_RELEVANCE, recommend, save_recommendations
        from linkequity.urls import normalise_url

        if priorities is None:
            given: tuple[Priority, ...] = ()
        elif isinstance(priorities, str | Path):
            given = read_priorities(priorities)
        else:
            given = tuple(
                p if isinstance(p, Priority) else Priority(normalise_url(p) or p)
                for p in priorities
            )
        with Store(self.path, read_only=True) as store:
            cid = store.latest_crawl_id() if crawl_id is None else crawl_id
            result = recommend(
                store,
                cid,
                equity or EquitySettings(),
                audit or AuditSettings(),
                backlinks or BacklinkSettings(),
                given,
                budget=budget,
                per_source=per_source,
                per_target=per_target,
                in_text_only=in_text_only,
                min_relevance=MIN_RELEVANCE if min_relevance is None else min_relevance,
                changes=changes,
            )
        if save:
            with Store(self.path) as store:
                save_recommendations(store, cid, result)
        return result

    def export(
        self, name: str, out: str | Path, fmt: str = "csv", crawl_id: int | None = None
    ) -> int:
        """Write one table to CSV or Parquet; returns the number of rows written."""
        with Store(self.path, read_only=True) as store:
            return store.export(name, Path(out), fmt, crawl_id)


def _remove_project_file(path: Path) -> None:
    """Remove a project file this process created, with DuckDB's write-ahead log."""
    for file in (path, path.with_name(path.name + ".wal")):
        file.unlink(missing_ok=True)


def _as_dict(settings: CrawlSettings) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(settings.to_json())
    return values
