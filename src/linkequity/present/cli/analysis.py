"""The commands that analyze a crawl and show the results of its analysis (present stage).

``analyze``, ``pages``, ``findings``, ``links`` and ``anchors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyarrow as pa
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from linkequity.errors import ConfigError
from linkequity.present.output import (
    ConfigOpt,
    CrawlOpt,
    FormatOpt,
    ProjectOpt,
    cell,
    console,
    emit,
    err_console,
    user_errors,
)
from linkequity.project import Project
from linkequity.settings import AuditSettings, BacklinkSettings, EquitySettings, load_settings

if TYPE_CHECKING:
    from linkequity.analysis import AnalysisSummary

__all__ = [
    "StepBar",
    "analyze_command",
    "anchors_command",
    "findings_command",
    "links_command",
    "pages_command",
    "print_equity",
]


class StepBar:
    """Progress of an analysis, one step at a time."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]analyze[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        )
        from linkequity.analysis import STEPS

        self.task = self.progress.add_task("graph", total=len(STEPS))

    def __call__(self, step: str, index: int) -> None:
        self.progress.update(self.task, description=step, completed=index)


def impact_text(value: float | None) -> str:
    """An impact as printed: a percentage of the site's equity."""
    if value is None:
        return ""
    return f"{value:.3g}%" if value < 0.01 else f"{value:,.2f}%"


def print_costliest(rows: pa.Table, out: Console = console, title: str = "") -> None:
    """Print findings with their impact, fix and summary, as they come (costliest first)."""
    t = Table(title=title or None, title_justify="left")
    t.add_column("impact", justify="right")
    t.add_column("kind")
    t.add_column("url", overflow="fold", ratio=1)
    t.add_column("summary", overflow="fold", ratio=1)
    for r in rows.to_pylist():
        t.add_row(impact_text(r["impact"]), r["kind"], cell(r["url"]), cell(r["summary"]))
    out.print(t)


def print_equity(
    summary: AnalysisSummary,
    top: pa.Table,
    out: Console = console,
    costliest: pa.Table | None = None,
) -> None:
    """Print an analysis: where the equity goes, the top pages, the findings by kind and,
    given, the costliest findings."""
    site = summary.site
    out.print(
        f"[bold]Equity of crawl {summary.crawl_id}[/]: {site.nodes:,} pages hold equity, "
        f"{site.edges:,} links pass it (solved in {site.iterations} iterations, "
        f"residual {site.residual:.1e})",
        highlight=False,
    )
    if summary.backlinks:
        out.print(
            f"Seeded by {summary.backlinks_placed:,} of {summary.backlinks:,} live backlinks "
            f"(the others land on URLs the crawl did not fetch or that hold no equity); "
            f"external_weight {summary.external_weight:g}",
            highlight=False,
        )
    flow = Table(title="Where link equity goes", title_justify="left", show_edge=False)
    flow.add_column("to")
    flow.add_column("share", justify="right")
    for label, value in (
        ("internal pages", site.passed_internal),
        ("wasted on broken targets", site.wasted_broken),
        ("wasted on robots-blocked URLs", site.wasted_blocked),
        ("evaporated: nofollow", site.evaporated_nofollow),
        ("evaporated: sponsored", site.evaporated_sponsored),
        ("evaporated: ugc", site.evaporated_ugc),
        ("leaked to other sites", site.leaked_external),
    ):
        flow.add_row(label, f"{value:.1%}")
    spread = Table(title="How evenly", title_justify="left", show_edge=False)
    spread.add_column("measure")
    spread.add_column("value", justify="right")
    spread.add_row("Gini", f"{site.gini:.3f}")
    spread.add_row("top 1% of pages hold", f"{site.top1_share:.1%}")
    spread.add_row("top 10% of pages hold", f"{site.top10_share:.1%}")
    spread.add_row("pages without links hold", f"{site.dangling:.1%}")
    kinds = Table(title="Findings by kind", title_justify="left", show_edge=False)
    kinds.add_column("kind")
    kinds.add_column("count", justify="right")
    kinds.add_column("impact", justify="right")
    for kind, count, impact in summary.findings:
        kinds.add_row(kind, f"{count:,}", impact_text(impact))
    grid = Table.grid(padding=(0, 3))
    grid.add_row(flow, spread)
    out.print(grid)
    out.print(kinds)
    best = Table(title="Top pages by Link Score", title_justify="left")
    for name in ("rank", "link_score", "url", "unique_inlinks", "crawl_depth"):
        if name == "url":
            best.add_column(name, overflow="fold", ratio=1)
        else:
            best.add_column(name, justify="right")
    for r in top.to_pylist():
        best.add_row(*(cell(r[c]) for c in ("rank", "link_score", "url", "unique_inlinks",
                                             "crawl_depth")))  # fmt: skip
    out.print(best)
    if costliest is not None and costliest.num_rows:
        title = f"The {costliest.num_rows} costliest findings (impact: % of the site's equity)"
        print_costliest(costliest, out, title)


def analyze_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    config: ConfigOpt = Path("linkequity.toml"),
    top: Annotated[int, typer.Option(help="Top pages to list.")] = 10,
) -> None:
    """Score every page (Link Score) and audit the structure and anchors of a crawl."""
    with user_errors():
        equity = load_settings(config, None, EquitySettings)
        audit = load_settings(config, None, AuditSettings)
        backlinks = load_settings(config, None, BacklinkSettings)
        bar = StepBar()
        site = Project(project)
        with bar.progress:
            summary = site.analyze(
                crawl_id, equity=equity, audit=audit, progress=bar, backlinks=backlinks
            )
        print_equity(
            summary,
            site.page_scores(summary.crawl_id, limit=top),
            costliest=site.findings(summary.crawl_id, limit=10),
        )


#: Rows a table shows when no --limit is given: a terminal holds no more; CSV and JSON get all.
_TABLE_ROWS = 50


def _first(rows: pa.Table, limit: int | None, fmt: str) -> pa.Table:
    """The first ``limit`` rows; a table without --limit shows the first 50 and says so."""
    if limit is None and fmt == "table" and rows.num_rows > _TABLE_ROWS:
        err_console.print(
            f"Showing the first {_TABLE_ROWS} of {rows.num_rows:,} rows; "
            "--limit N for more, --format csv for all.",
            highlight=False,
        )
        limit = _TABLE_ROWS
    return rows if limit is None else rows.slice(0, limit)


def pages_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    sort: Annotated[str, typer.Option(help="Column to sort by, best first.")] = "link_score",
    limit: Annotated[int | None, typer.Option(help="Rows to show.")] = None,
    fmt: FormatOpt = "table",
    all_columns: Annotated[
        bool, typer.Option("--all-columns", help="Every column of page_scores.")
    ] = False,
) -> None:
    """Pages with Link Score, share, rank, depth and link counts."""
    with user_errors():
        rows = Project(project).page_scores(crawl_id, sort)
        rows = _first(rows, limit, fmt)
        if fmt == "table" and not all_columns:
            rows = rows.select(
                ["rank", "link_score", "share", "url", "role", "crawl_depth", "inlinks",
                 "unique_inlinks", "content_inlinks", "outlinks", "indexable"]
            )  # fmt: skip
        emit(rows, fmt, "Pages")


def findings_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind (e.g. orphan).")] = None,
    severity: Annotated[str | None, typer.Option(help="error, warning or notice.")] = None,
    min_impact: Annotated[
        float | None,
        typer.Option(help="Only findings with at least this impact (% of the site's equity)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Rows to show.")] = None,
    summary: Annotated[
        bool, typer.Option("--summary", help="Only the summary per kind (any format).")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Findings, costliest first: a summary per kind, then each finding with its impact.

    Impact is the share of the site's equity a finding puts at stake (wasted, evaporated,
    leaked or withheld), in percent, in one unit for every kind (docs/findings.md).
    """
    from linkequity.findings import KINDS, SEVERITIES

    with user_errors():
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"Unknown finding kind {kind!r}; kinds: {', '.join(KINDS)}.")
        if severity is not None and severity not in SEVERITIES:
            raise ConfigError(
                f"Unknown severity {severity!r}; severities: {', '.join(SEVERITIES)}."
            )
        site = Project(project)
        if summary:
            emit(site.finding_summary(crawl_id), fmt, "Findings by kind")
            return
        rows = _first(site.findings(crawl_id, kind, severity, min_impact), limit, fmt)
        if fmt != "table":
            emit(rows, fmt, "Findings")
            return
        kinds = site.finding_summary(crawl_id)
        t = Table(title="Findings by kind", title_justify="left", show_edge=False)
        for name, right in (("kind", False), ("severity", False), ("findings", True),
                            ("total impact", True), ("largest", True)):  # fmt: skip
            t.add_column(name, justify="right" if right else "left")
        for r in kinds.to_pylist():
            t.add_row(r["kind"], r["severity"], f"{r['findings']:,}",
                      impact_text(r["total_impact"]), impact_text(r["max_impact"]))  # fmt: skip
        console.print(t)
        print_costliest(rows, console, "Findings, costliest first")


def links_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    to: Annotated[str | None, typer.Option("--to", help="Inlinks of this URL.")] = None,
    source: Annotated[str | None, typer.Option("--from", help="Outlinks of this URL.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The links to (or from) one page: source, anchor, position and the equity each passes."""
    from linkequity.urls import normalise_url

    with user_errors():
        if (to is None) == (source is None):
            raise ConfigError("Give exactly one of --to URL or --from URL.")
        url = normalise_url(to or source or "")
        if url is None:
            raise ConfigError(f"{to or source!r} is not an http(s) URL.")
        site = Project(project)
        rows = site.inlinks(url, crawl_id) if to is not None else site.outlinks(url, crawl_id)
        emit(rows, fmt, f"Links {'to' if to is not None else 'from'} {url}")


def anchors_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    to: Annotated[str | None, typer.Option("--to", help="Only anchors of this target.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Internal anchor texts per target page: counts, generic, empty and exact-match flags."""
    from linkequity.urls import normalise_url

    with user_errors():
        target = normalise_url(to) if to is not None else None
        if to is not None and target is None:
            raise ConfigError(f"{to!r} is not an http(s) URL.")
        emit(Project(project).anchors(crawl_id, target), fmt, "Anchors")
