"""A project: the Python entry point to one DuckDB project file (every stage goes through it).

>>> from linkequity import Project  # doctest: +SKIP
>>> site = Project("site.duckdb")  # doctest: +SKIP
>>> site.crawl("https://www.example.com/", max_pages=500)  # doctest: +SKIP
>>> site.analyze()  # doctest: +SKIP
>>> site.page_scores(limit=20).to_pandas()  # doctest: +SKIP

Each call opens the file, does its work and closes it, so a notebook can call again, and a
second process can read between calls.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from linkequity.crawl import CrawlSummary, run_crawl
from linkequity.errors import StoreError
from linkequity.settings import (
    AuditSettings,
    BacklinkSettings,
    CrawlSettings,
    EquitySettings,
    load_settings,
)
from linkequity.store import TABLES, CrawlOverview, Store, crawl_overview
from linkequity.store.schema import IMPORT_TABLES

# The analysis, import and backlink stages load scipy and pandas (~70 MB, ~0.5 s): imported
# by the methods that use them, so a crawl does not carry them.
if TYPE_CHECKING:
    from linkequity.backlinks.disavow import DisavowFile
    from linkequity.crawl.engine import ProgressCallback
    from linkequity.equity import AnalysisSummary
    from linkequity.equity.analyze import AnalyzeProgress
    from linkequity.ingest import BacklinkImportSummary, ImportProgress, ImportSummary

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
        ``max_pages=500``.
        """
        if settings is None or overrides:
            base = _as_dict(settings or CrawlSettings())
            settings = load_settings(None, {**base, **overrides})
        with Store(self.path) as store:
            return run_sync(run_crawl(store, start_url, settings, resume, progress))

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
            return crawl_overview(store, crawl_id)

    def table(self, name: str, crawl_id: int | None = None) -> pa.Table:
        """One table of one crawl (the latest by default) as Arrow; ``.to_pandas()`` for pandas."""
        if name not in TABLES:
            raise StoreError(f"Unknown table {name!r}; tables: {', '.join(TABLES)}.")
        with Store(self.path, read_only=True) as store:
            if name == "crawls":
                return store.arrow("SELECT * FROM crawls ORDER BY crawl_id")
            if name in IMPORT_TABLES:
                return store.arrow(f"SELECT * FROM {name} ORDER BY import_id")
            cid = store.latest_crawl_id() if crawl_id is None else crawl_id
            return store.arrow(f"SELECT * FROM {name} WHERE crawl_id = ?", [cid])

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
        from linkequity.equity import analyze

        with Store(self.path) as store:
            return analyze(store, crawl_id, equity, audit, progress, backlinks)

    def page_scores(
        self, crawl_id: int | None = None, sort: str = "link_score", limit: int | None = None
    ) -> pa.Table:
        """Scores and link counts of every URL, best first by ``sort`` (a page_scores column)."""
        with Store(self.path, read_only=True) as store:
            cid = self._analysed(store, crawl_id)
            columns = [r[0] for r in store.rows("DESCRIBE page_scores")]
            if sort not in columns:
                raise StoreError(f"Cannot sort by {sort!r}; columns: {', '.join(columns)}.")
            order = "ASC" if sort in ("rank", "crawl_depth", "url") else "DESC"
            cap = "" if limit is None else f" LIMIT {int(limit)}"
            return store.arrow(
                f"SELECT * EXCLUDE (crawl_id) FROM page_scores WHERE crawl_id = ? "
                f'ORDER BY "{sort}" {order} NULLS LAST, url{cap}',
                [cid],
            )

    def findings(
        self,
        crawl_id: int | None = None,
        kind: str | None = None,
        severity: str | None = None,
    ) -> pa.Table:
        """The findings of an analysed crawl, most severe first; optionally of one kind."""
        with Store(self.path, read_only=True) as store:
            cid = self._analysed(store, crawl_id)
            return store.arrow(
                "SELECT * EXCLUDE (crawl_id) FROM findings WHERE crawl_id = ? "
                "AND (? IS NULL OR kind = ?) AND (? IS NULL OR severity = ?) "
                "ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "
                "kind, url",
                [cid, kind, kind, severity, severity],
            )

    def anchors(self, crawl_id: int | None = None, target: str | None = None) -> pa.Table:
        """Internal anchor texts per target page with their counts and flags."""
        with Store(self.path, read_only=True) as store:
            cid = self._analysed(store, crawl_id)
            return store.arrow(
                "SELECT * EXCLUDE (crawl_id) FROM anchors WHERE crawl_id = ? "
                "AND (? IS NULL OR target_url = ?) ORDER BY target_url, links DESC, anchor",
                [cid, target, target],
            )

    def inlinks(self, url: str, crawl_id: int | None = None) -> pa.Table:
        """Every link whose equity reaches ``url``, with the equity each passes."""
        from linkequity.equity.flows import inlinks

        with Store(self.path, read_only=True) as store:
            return inlinks(store, self._analysed(store, crawl_id), url)

    def outlinks(self, url: str, crawl_id: int | None = None) -> pa.Table:
        """Every link on the page ``url``, with the equity each passes."""
        from linkequity.equity.flows import outlinks

        with Store(self.path, read_only=True) as store:
            return outlinks(store, self._analysed(store, crawl_id), url)

    def backlinks(self, settings: BacklinkSettings | None = None) -> pa.Table:
        """Every current backlink with its target's role, toxicity, strength and anchor class."""
        from linkequity.backlinks import profile

        with Store(self.path, read_only=True) as store:
            return profile.backlink_table(store, None, settings or BacklinkSettings())

    def backlink_report(
        self, name: str, settings: BacklinkSettings | None = None, **options: Any
    ) -> pa.Table:
        """One backlink report: ``domains`` (option ``sort``), ``authority``, ``tlds``,
        ``anchors``, ``anchor_classes``, ``pages``, ``changes``, ``reclaim`` or ``toxic``
        (option ``minimum``)."""
        from linkequity.backlinks import profile

        settings = settings or BacklinkSettings()
        with Store(self.path, read_only=True) as store:
            table = profile.backlink_table(store, None, settings)
            if name == "domains":
                return profile.referring_domains(store, table, options.get("sort", "authority"))
            if name in ("anchors", "anchor_classes"):
                classes, top = profile.anchor_profile(store, table)
                return top if name == "anchors" else classes
            if name == "pages":
                return profile.landing_pages(store, table)
            if name == "authority":
                return profile.authority_distribution(store, table)
            if name == "tlds":
                return profile.tld_mix(store, table)
            if name == "changes":
                return profile.backlink_changes(store, table)
            if name == "reclaim":
                row = store.one("SELECT max(crawl_id) FROM analyses")
                if not row or row[0] is None:
                    raise StoreError(
                        f"{self.path} has no analysed crawl to check backlink targets against: "
                        "crawl and run linkequity analyze first."
                    )
                weight = store.one(
                    "SELECT settings_json FROM analyses WHERE crawl_id = ?", [row[0]]
                )
                external = json.loads(weight[0])["equity"]["external_weight"] if weight else 0.0
                return profile.reclaim_list(store, table, external)
            if name == "toxic":
                return profile.toxic_links(store, table, float(options.get("minimum", 0.0)))
        raise StoreError(
            f"Unknown backlink report {name!r}; reports: domains, authority, tlds, anchors, "
            "anchor_classes, pages, changes, reclaim, toxic."
        )

    def disavow(
        self,
        existing: Path | None = None,
        whitelist: Path | None = None,
        settings: BacklinkSettings | None = None,
    ) -> tuple[DisavowFile, DisavowFile | None, tuple[Any, ...]]:
        """(the merged disavow file, the existing one, entries the whitelist kept out).

        Proposes every referring domain whose toxicity reaches ``disavow_threshold``.
        """
        from linkequity.backlinks.disavow import merge, proposals, read_disavow, read_whitelist

        settings = settings or BacklinkSettings()
        domains = self.backlink_report("domains", settings, sort="toxicity").to_pylist()
        toxic = self.backlink_report("toxic", settings, minimum=settings.disavow_threshold)
        signals: dict[str, set[str]] = {}
        for row in toxic.to_pylist():
            signals.setdefault(row["referring_domain"], set()).update(
                s for s in row["signals"].split(", ") if s
            )
        today = datetime.now(UTC).date()
        candidates = [
            (d["domain"], d["toxicity"] or 0.0, ", ".join(sorted(signals.get(d["domain"], ()))))
            for d in domains
        ]
        proposed = proposals(candidates, settings.disavow_threshold, today)
        old = read_disavow(existing) if existing is not None else None
        keep = read_whitelist(whitelist) if whitelist is not None else frozenset()
        merged, dropped = merge(old, proposed, keep)
        return merged, old, dropped

    @staticmethod
    def _analysed(store: Store, crawl_id: int | None) -> int:
        cid = store.latest_crawl_id() if crawl_id is None else crawl_id
        if store.one("SELECT 1 FROM analyses WHERE crawl_id = ?", [cid]) is None:
            raise StoreError(
                f"Crawl {cid} of {store.path} has not been analysed yet: run linkequity analyze."
            )
        return cid

    def export(
        self, name: str, out: str | Path, fmt: str = "csv", crawl_id: int | None = None
    ) -> int:
        """Write one table to CSV or Parquet; returns the number of rows written."""
        with Store(self.path, read_only=True) as store:
            return store.export(name, Path(out), fmt, crawl_id)


def _as_dict(settings: CrawlSettings) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(settings.to_json())
    return values
