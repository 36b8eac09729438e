"""The ``linkequity`` command line: thin Typer wrappers over the library (present stage).

Library errors become one red sentence and exit code 1 here, at the edge, never a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pyarrow as pa
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from linkequity.cli_backlinks import backlinks_app, disavow_command
from linkequity.cli_import import import_app, print_backlink_summary
from linkequity.crawl import CrawlProgress
from linkequity.errors import ConfigError
from linkequity.output import (
    ConfigOpt,
    FormatOpt,
    ProjectOpt,
    cell,
    console,
    emit,
    err_console,
    user_errors,
)
from linkequity.project import Project
from linkequity.settings import (
    SECTIONS,
    AuditSettings,
    BacklinkSettings,
    EquitySettings,
    load_settings,
    settings_help,
)
from linkequity.store import TABLES, CrawlOverview

if TYPE_CHECKING:
    from linkequity.equity import AnalysisSummary

app = typer.Typer(
    help="Shows how link equity flows through a website and how to rebalance it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
example_app = typer.Typer(help="The bundled example site (a generated small-business shop).")
app.add_typer(example_app, name="example")
app.add_typer(backlinks_app, name="backlinks")
app.command("disavow")(disavow_command)
app.add_typer(import_app, name="import")


class _CrawlBar:
    """A live progress bar: pages fetched / queued, rate, errors."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("[bold]crawl[/] phase {task.fields[phase]} depth {task.fields[level]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.0f} pages/s"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            console=err_console,
            # gone when the crawl ends: the summary follows, or the one-line error
            transient=True,
        )
        self.task = self.progress.add_task(
            "crawl", total=None, phase=1, level=0, rate=0.0, errors=0
        )
        self.started = time.monotonic()
        self.first: int | None = None
        self.last = 0.0

    def __call__(self, p: CrawlProgress) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = p.fetched
        if now - self.last < 0.1 and p.queued:
            return
        self.last = now
        rate = (p.fetched - self.first) / max(now - self.started, 1e-6)
        self.progress.update(
            self.task,
            completed=p.fetched,
            total=p.fetched + p.queued,
            phase=p.phase,
            level=p.level,
            rate=rate,
            errors=p.errors,
        )


def print_overview(ov: CrawlOverview, out: Console = console) -> None:
    """Print a crawl's headline numbers as tables."""
    out.print(
        f"[bold]Crawl {ov.crawl_id}[/] of {ov.start_url} ({ov.status}): "
        f"{ov.pages} URLs, {ov.links} links, {ov.sitemap_urls} sitemap URLs",
        highlight=False,
    )
    grid = Table.grid(padding=(0, 3))
    parts: list[Table] = []
    for title, rows in (
        ("Status", ov.by_status),
        ("Indexability", ov.by_indexability),
        ("Crawl depth", ov.depth_histogram),
        ("Link position", ov.by_position),
    ):
        t = Table(title=title, title_justify="left", show_edge=False)
        t.add_column(title.split()[-1].lower())
        t.add_column("count", justify="right")
        for k, v in rows:
            t.add_row(k, f"{v:,}")
        parts.append(t)
    links = Table(title="Links", title_justify="left", show_edge=False)
    links.add_column("kind")
    links.add_column("count", justify="right")
    for k, v in (
        ("all <a href>", ov.links),
        ("internal", ov.internal_links),
        ("external", ov.external_links),
        ("unique internal", ov.unique_internal_links),
        ("nofollow", ov.nofollow_links),
    ):
        links.add_row(k, f"{v:,}")
    parts.append(links)
    grid.add_row(*parts[:3])
    out.print(grid)
    grid2 = Table.grid(padding=(0, 3))
    grid2.add_row(*parts[3:])
    out.print(grid2)


@app.command()
def crawl(
    url: Annotated[
        str | None, typer.Argument(help="Start URL, e.g. https://www.example.com/")
    ] = None,
    project: ProjectOpt = Path("site.duckdb"),
    resume: Annotated[bool, typer.Option(help="Finish the project's unfinished crawl.")] = False,
    max_pages: Annotated[int | None, typer.Option(help="Stop after this many URLs.")] = None,
    max_depth: Annotated[int | None, typer.Option(help="Clicks from the start URL.")] = None,
    include_subdomains: Annotated[
        bool | None, typer.Option("--include-subdomains", help="Crawl every subdomain too.")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Only crawl URLs matching this regex (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Never crawl URLs matching this regex (repeatable).")
    ] = None,
    strip_param: Annotated[
        list[str] | None,
        typer.Option(help="Query parameter to remove (glob; repeatable; replaces the defaults)."),
    ] = None,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent header.")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Requests in flight per host.")] = None,
    delay: Annotated[float | None, typer.Option(help="Seconds between requests per host.")] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Fetch URLs robots.txt disallows.")
    ] = False,
    no_sitemaps: Annotated[
        bool, typer.Option("--no-sitemaps", help="Do not read XML sitemaps.")
    ] = False,
    proxy: Annotated[str | None, typer.Option(help="HTTP proxy URL.")] = None,
    resolve: Annotated[
        list[str] | None,
        typer.Option(help="host:address override, like curl --resolve (repeatable)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="HTML parsing processes (0: in the fetching process).")
    ] = None,
    config: ConfigOpt = Path("linkequity.toml"),
) -> None:
    """Crawl a site into a project file, politely and resumably."""
    with user_errors():
        overrides: dict[str, Any] = {
            "max_pages": max_pages,
            "max_depth": max_depth,
            "include_subdomains": include_subdomains,
            "include": include or None,
            "exclude": exclude or None,
            "strip_params": strip_param or None,
            "user_agent": user_agent,
            "concurrency": concurrency,
            "delay": delay,
            "obey_robots": False if ignore_robots else None,
            "use_sitemaps": False if no_sitemaps else None,
            "proxy": proxy,
            "resolve": resolve or None,
            "workers": workers,
        }
        settings = load_settings(config, overrides)
        bar = _CrawlBar()
        with bar.progress:
            summary = Project(project).crawl(url, settings=settings, resume=resume, progress=bar)
        verb = "Resumed and finished" if summary.resumed else "Finished"
        err_console.print(
            f"{verb} crawl {summary.crawl_id}: {summary.pages:,} URLs, {summary.links:,} links, "
            f"{summary.errors:,} errors -> {project}",
            highlight=False,
        )
        print_overview(Project(project).overview(summary.crawl_id))


@app.command()
def export(
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(TABLES)}.")],
    project: ProjectOpt = Path("site.duckdb"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or parquet.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default TABLE.FORMAT).")
    ] = None,
    crawl_id: Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")] = None,
) -> None:
    """Export one table of a crawl to CSV or Parquet."""
    with user_errors():
        out = output or Path(f"{table}.{fmt}")
        n = Project(project).export(table, out, fmt, crawl_id)
        err_console.print(f"Wrote {n:,} rows to {out}", highlight=False)


@app.command()
def summary(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")] = None,
) -> None:
    """Print a crawl's pages by status, indexability and depth, and its link counts."""
    with user_errors():
        print_overview(Project(project).overview(crawl_id))


@app.command("settings")
def show_settings() -> None:
    """List every setting with its default and help (set them in linkequity.toml)."""
    for group, section in SECTIONS.items():
        t = Table(title=escape(f"[{section}] settings (linkequity.toml)"), title_justify="left")
        t.add_column("setting")
        t.add_column("default")
        t.add_column("help")
        for name, default, text in settings_help(group):
            t.add_row(Text(name), Text(default), Text(text))
        console.print(t)


@example_app.command("serve")
def example_serve(
    pages: Annotated[int, typer.Option(help="Approximate number of pages.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    heavy: Annotated[bool, typer.Option(help="~50 KB pages with ~200 links.")] = False,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 8000,
) -> None:
    """Serve the example site on 127.0.0.1 until interrupted."""
    from linkequity.example import build_site, serve_forever

    site = build_site(pages=pages, seed=seed, heavy=heavy)
    try:
        serve_forever(site, "127.0.0.1", port)
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


@example_app.command("write")
def example_write(
    directory: Annotated[Path, typer.Argument(help="Folder to write the site into.")],
    origin: Annotated[
        str, typer.Option(help="Origin it will be served from.")
    ] = "http://127.0.0.1:8000",
    pages: Annotated[int, typer.Option(help="Approximate number of pages.")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    heavy: Annotated[bool, typer.Option(help="~50 KB pages with ~200 links.")] = False,
) -> None:
    """Write the example site to disk with an nginx config (for benchmarks)."""
    from linkequity.example import build_site, write_static

    site = build_site(pages=pages, seed=seed, heavy=heavy)
    conf = write_static(site, directory, origin)
    err_console.print(f"Wrote the site to {directory}; nginx config: {conf}", highlight=False)


@app.command()
def demo(
    project: ProjectOpt = Path("demo.duckdb"),
    pages: Annotated[int, typer.Option(help="Approximate number of pages.")] = 300,
) -> None:
    """Serve the example site on 127.0.0.1, crawl it, import its backlinks, analyze, check."""
    from linkequity.demo import DemoOutput, run_demo

    with user_errors():
        out = DemoOutput(
            console, _CrawlBar, _StepBar, print_overview, print_equity, print_backlink_summary
        )
        ok = run_demo(project, pages, out)
    if not ok:
        raise typer.Exit(1)


CrawlOpt = Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")]


class _StepBar:
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
        from linkequity.equity import STEPS

        self.task = self.progress.add_task("graph", total=len(STEPS))

    def __call__(self, step: str, index: int) -> None:
        self.progress.update(self.task, description=step, completed=index)


def print_equity(summary: AnalysisSummary, top: pa.Table, out: Console = console) -> None:
    """Print an analysis: where the equity goes, the top pages and the findings by kind."""
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
    kinds = Table(title="Findings", title_justify="left", show_edge=False)
    kinds.add_column("kind")
    kinds.add_column("count", justify="right")
    for kind, count in summary.findings:
        kinds.add_row(kind, f"{count:,}")
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


@app.command("analyze")
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
        bar = _StepBar()
        site = Project(project)
        with bar.progress:
            summary = site.analyze(
                crawl_id, equity=equity, audit=audit, progress=bar, backlinks=backlinks
            )
        print_equity(summary, site.page_scores(summary.crawl_id, limit=top))


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


@app.command("pages")
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


@app.command("findings")
def findings_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind (e.g. orphan).")] = None,
    severity: Annotated[str | None, typer.Option(help="error, warning or notice.")] = None,
    limit: Annotated[int | None, typer.Option(help="Rows to show.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Structure and anchor findings: orphans, broken links, redirect chains, deep pages..."""
    from linkequity.equity import KINDS, SEVERITIES

    with user_errors():
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"Unknown finding kind {kind!r}; kinds: {', '.join(KINDS)}.")
        if severity is not None and severity not in SEVERITIES:
            raise ConfigError(
                f"Unknown severity {severity!r}; severities: {', '.join(SEVERITIES)}."
            )
        rows = _first(Project(project).findings(crawl_id, kind, severity), limit, fmt)
        if fmt == "table":
            rows = rows.select(["severity", "kind", "url", "summary"])
        emit(rows, fmt, "Findings")


@app.command("links")
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


@app.command("anchors")
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


def main(argv: list[str] | None = None) -> None:
    """Entry point for ``python -m linkequity``."""
    app(args=argv if argv is not None else sys.argv[1:])
