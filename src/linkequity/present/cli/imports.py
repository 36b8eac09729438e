"""The ``linkequity import`` commands: other tools' exports into a project (present stage).

Thin wrappers over :mod:`linkequity.ingest`; the main app mounts :data:`import_app` as
``import``. Errors become one sentence and exit code 1 through the app's own error handler.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from linkequity.ingest import BacklinkImportSummary, ImportSummary, parse_mapping
from linkequity.ingest.backlink_formats import BACKLINK_FIELDS, TOOLS
from linkequity.present.output import console, err_console, user_errors
from linkequity.project import Project

__all__ = ["import_app", "print_backlink_summary", "print_import_summary"]

import_app = typer.Typer(
    help="Import another tool's export into a project as a new snapshot.",
    no_args_is_help=True,
)


class _FileBar:
    """A transient progress bar over the bytes of the file being read."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]import[/] {task.fields[name]}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        task = self.tasks.get(name)
        if task is None:
            task = self.tasks[name] = self.progress.add_task(name, total=total, name=name)
        self.progress.update(task, completed=done)


def print_import_summary(summary: ImportSummary, project: Path, out: Console) -> None:
    """Print what an import wrote: one line, a table of files, the rows skipped by type."""
    out.print(
        f"[bold]Imported snapshot {summary.crawl_id}[/] of {summary.start_url} -> {project}: "
        f"{summary.pages:,} URLs ({summary.pages_from_links:,} known only from links), "
        f"{summary.links:,} links ({summary.internal_links:,} internal), "
        f"{summary.redirect_hops:,} redirect hops, {summary.unfetched:,} linked "
        f"URL{'' if summary.unfetched == 1 else 's'} never requested",
        highlight=False,
    )
    files = Table(show_edge=False)
    files.add_column("file")
    files.add_column("format")
    for name in ("rows", "pages", "links", "skipped"):
        files.add_column(name, justify="right")
    for f in summary.files:
        files.add_row(
            f.name,
            f.format + (f" ({f.title})" if f.title else ""),
            f"{f.rows:,}",
            f"{f.pages:,}",
            f"{f.links:,}",
            f"{sum(n for _, n in f.skipped):,}",
        )
    out.print(files)
    if summary.skipped:
        skipped = Table(title="Rows skipped", title_justify="left", show_edge=False)
        skipped.add_column("type")
        skipped.add_column("rows", justify="right")
        for kind, n in summary.skipped:
            skipped.add_row(kind, f"{n:,}")
        out.print(skipped)
    for f in summary.files:
        if f.missing_columns:
            out.print(
                f"{f.name} has no {', '.join(f.missing_columns)} column"
                f"{'s' if len(f.missing_columns) > 1 else ''}: those facts stay empty.",
                highlight=False,
            )
        if f.other_positions:
            names = ", ".join(f"{p} ({n:,})" for p, n in f.other_positions)
            out.print(f"{f.name}: link positions stored as unknown: {names}.", highlight=False)


@import_app.command("screamingfrog")
def screamingfrog(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="All Inlinks or All Outlinks export (one) and Internal: All / HTML exports."
        ),
    ],
    project: Annotated[
        Path, typer.Option("--project", "-p", help="The project file (DuckDB).")
    ] = Path("site.duckdb"),
) -> None:
    """Import a Screaming Frog SEO Spider crawl from its CSV exports, in one transaction."""
    # imported here: the main app imports this module while it is being defined
    with user_errors():
        bar = _FileBar(err_console)
        with bar.progress:
            summary = Project(project).import_screamingfrog(*files, progress=bar)
        print_import_summary(summary, project, console)


def print_backlink_summary(summary: BacklinkImportSummary, project: Path, out: Console) -> None:
    """Print what a backlink import wrote: one line, a table of files, rows skipped."""
    files = len(summary.files)
    out.print(
        f"[bold]Imported {files} backlink export{'' if files == 1 else 's'}[/] -> {project}: "
        f"{summary.rows:,} rows, {summary.backlinks:,} backlinks from "
        f"{summary.referring_domains:,} referring domains",
        highlight=False,
    )
    table = Table(show_edge=False)
    for name in ("file", "snapshot", "format", "report", "exported"):
        table.add_column(name)
    for name in ("rows", "links", "domains", "skipped"):
        table.add_column(name, justify="right")
    for f in summary.files:
        table.add_row(
            Text(f.name),
            str(f.import_id),
            f.format,
            f.report,
            f.exported_on.isoformat() if f.exported_on else "",
            f"{f.rows:,}",
            f"{f.links:,}",
            f"{f.domains:,}",
            f"{sum(n for _, n in f.skipped):,}",
        )
    out.print(table)
    for f in summary.files:
        if f.skipped:
            reasons = ", ".join(f"{reason} ({n:,})" for reason, n in f.skipped)
            out.print(Text(f"{f.name}: rows skipped: {reasons}."))
        if f.report != "sample_links" and f.missing_columns:
            out.print(
                Text(
                    f"{f.name} has no {', '.join(f.missing_columns)} column"
                    f"{'s' if len(f.missing_columns) > 1 else ''}: those facts stay empty."
                )
            )


_TOOL_HELP = "Only try this tool's formats: " + ", ".join(TOOLS) + "."
_MAP_HELP = (
    "Read another tool's CSV: field=column, e.g. --map referring_url='Source URL' --map "
    "target_url=Target. Fields: " + ", ".join(BACKLINK_FIELDS) + "."
)


@import_app.command("backlinks")
def backlinks(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Backlink exports of Ahrefs, Semrush, Majestic, Moz or Search Console, in any "
            "mix; each becomes a snapshot."
        ),
    ],
    tool: Annotated[
        str | None,
        typer.Option(help=_TOOL_HELP),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help=_MAP_HELP,
        ),
    ] = None,
    project: Annotated[
        Path, typer.Option("--project", "-p", help="The project file (DuckDB).")
    ] = Path("site.duckdb"),
) -> None:
    """Import backlink exports (format recognised by their header), all in one transaction."""
    with user_errors():
        columns = parse_mapping(mapping) if mapping else None
        bar = _FileBar(err_console)
        with bar.progress:
            summary = Project(project).import_backlinks(
                *files, tool=tool, mapping=columns, progress=bar
            )
        print_backlink_summary(summary, project, console)
