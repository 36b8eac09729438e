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

from linkequity.ingest import ImportSummary
from linkequity.output import console, err_console, user_errors
from linkequity.project import Project

__all__ = ["import_app", "print_import_summary"]

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
