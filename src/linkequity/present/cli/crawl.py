"""The crawl commands: ``crawl``, ``summary``, ``export`` and ``settings`` (present stage)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from linkequity.crawl import CrawlProgress
from linkequity.present.output import ConfigOpt, ProjectOpt, console, err_console, user_errors
from linkequity.project import Project
from linkequity.settings import SECTIONS, load_settings, settings_help
from linkequity.store import TABLES, CrawlOverview

if TYPE_CHECKING:
    from linkequity.crawl import CrawlSummary

__all__ = ["CrawlBar", "crawl", "export", "print_overview", "show_settings", "summary"]


class CrawlBar:
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


def _sitemaps_line(summary: CrawlSummary, listed: int = 3) -> str:
    """One line on the sitemap locations a crawl tried: how many, which answered, which failed.

    A location that was not there (a guess answering 404) is only counted; a failure is a
    sitemap that could not be read, which the user may want to fix.
    """
    origin = "/".join(summary.start_url.split("/", 3)[:3])

    def short(url: str) -> str:
        return url[len(origin) :] if url.startswith(origin + "/") else url

    def some(items: list[str]) -> str:
        more = f", {len(items) - listed} more" if len(items) > listed else ""
        return ", ".join(items[:listed]) + more

    def count(n: int, noun: str) -> str:
        return f"{n:,} {noun}{'' if n == 1 else 's'}"

    read: list[str] = []
    failed: list[str] = []
    for f in summary.sitemaps:
        if f.kind == "sitemapindex":
            read.append(f"{short(f.url)}: index of {count(f.url_count, 'sitemap')}")
        elif f.kind is not None:
            read.append(f"{short(f.url)}: {count(f.url_count, 'URL')}")
        elif f.error is not None:
            failed.append(f"{short(f.url)}: {f.error}")
    line = f"Sitemaps: {count(len(summary.sitemaps), 'location')} tried, "
    line += f"{len(read)} answered ({some(read)})" if read else "none answered"
    if failed:
        line += f"; {len(failed)} unreadable ({some(failed)})"
    return line


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
        bar = CrawlBar()
        with bar.progress:
            summary = Project(project).crawl(url, settings=settings, resume=resume, progress=bar)
        verb = "Resumed and finished" if summary.resumed else "Finished"
        err_console.print(
            f"{verb} crawl {summary.crawl_id}: {summary.pages:,} URLs, {summary.links:,} links, "
            f"{summary.errors:,} errors -> {project}",
            highlight=False,
        )
        if summary.sitemaps:
            err_console.print(
                _sitemaps_line(summary), highlight=False, markup=False, soft_wrap=True
            )
        print_overview(Project(project).overview(summary.crawl_id))


def export(
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(TABLES)}.")],
    project: ProjectOpt = Path("site.duckdb"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, parquet or xlsx.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default TABLE.FORMAT).")
    ] = None,
    crawl_id: Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")] = None,
) -> None:
    """Export one table of a crawl to CSV, Parquet or XLSX (text that a spreadsheet would run
    as a formula is neutralised in CSV and XLSX)."""
    with user_errors():
        out = output or Path(f"{table}.{fmt}")
        n = Project(project).export(table, out, fmt, crawl_id)
        err_console.print(f"Wrote {n:,} rows to {out}", highlight=False)


def summary(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")] = None,
) -> None:
    """Print a crawl's pages by status, indexability and depth, and its link counts."""
    with user_errors():
        print_overview(Project(project).overview(crawl_id))


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
