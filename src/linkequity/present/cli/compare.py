"""The command that compares two crawls: ``compare`` (present stage)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from linkequity.errors import ConfigError
from linkequity.present.output import FormatOpt, ProjectOpt, cell, console, emit, user_errors
from linkequity.project import Project

__all__ = ["compare_command"]

#: The tables of a comparison, as --table names them.
TABLES = ("summary", "movers", "pages", "links", "depth", "findings")
#: The tables of a backlinks comparison (--backlinks).
BACKLINK_TABLES = ("summary", "links", "domains")
#: Rows of each table the terminal view shows.
_SHOWN = 15


def compare_command(
    before: Annotated[
        int | None, typer.Argument(help="The earlier crawl (the previous), or import.")
    ] = None,
    after: Annotated[
        int | None, typer.Argument(help="The later crawl (the latest), or import.")
    ] = None,
    project: ProjectOpt = Path("site.duckdb"),
    backlinks: Annotated[
        bool,
        typer.Option(
            "--backlinks",
            help="Compare two backlinks exports (import ids; by default the latest two of "
            "one tool) instead of two crawls.",
        ),
    ] = False,
    table: Annotated[
        str,
        typer.Option(
            help=f"With --format csv or json, the table: {', '.join(TABLES)}; with "
            f"--backlinks {', '.join(BACKLINK_TABLES)}. [default: movers; links]"
        ),
    ] = "",
    fmt: FormatOpt = "table",
) -> None:
    """What changed between two crawls: equity movers, pages and links added and removed,
    depth changes, findings new and resolved (orphans and broken links among them). With
    --backlinks, between two backlinks exports: backlinks and referring domains new and lost."""
    with user_errors():
        if backlinks:
            _compare_backlinks(Project(project), before, after, table or "links", fmt)
            return
        table = table or "movers"
        if table not in TABLES:
            raise ConfigError(f"Unknown table {table!r}; tables: {', '.join(TABLES)}.")
        result = Project(project).compare(before, after)
        if fmt != "table":
            rows = result.summary() if table == "summary" else getattr(result, table)
            emit(rows, fmt, table)
            return
        console.print(f"Crawl {result.before} -> crawl {result.after}", highlight=False)
        emit(result.summary(), fmt, "Changes")
        moved = [r for r in result.movers.to_pylist() if r["share_change"]][:_SHOWN]
        t = Table(title="Equity movers (share of the site, %)", title_justify="left")
        for name in ("url", "before", "after", "change", "Link Score before", "after"):
            t.add_column(name, justify="left" if name == "url" else "right", overflow="fold")
        for r in moved:
            t.add_row(
                cell(r["url"]),
                cell(r["share_before"]),
                cell(r["share_after"]),
                f"{r['share_change']:+.4f}",
                cell(r["link_score_before"]),
                cell(r["link_score_after"]),
            )
        console.print(t)
        if result.findings.num_rows:
            emit(result.findings.slice(0, _SHOWN), fmt, "Findings new and resolved")


def _compare_backlinks(
    project: Project, before: int | None, after: int | None, table: str, fmt: str
) -> None:
    if table not in BACKLINK_TABLES:
        raise ConfigError(f"Unknown table {table!r}; tables: {', '.join(BACKLINK_TABLES)}.")
    result = project.compare_backlinks(before, after)
    if fmt != "table":
        emit(result.summary() if table == "summary" else getattr(result, table), fmt, table)
        return
    console.print(f"Backlinks: import {result.before} -> import {result.after}", highlight=False)
    emit(result.summary(), fmt, "Changes")
    if result.domains.num_rows:
        emit(result.domains.slice(0, _SHOWN), fmt, "Referring domains new and lost")
    if result.links.num_rows:
        shown = result.links.select(["change", "referring_url", "target_url", "anchor",
                                     "authority"])  # fmt: skip
        emit(shown.slice(0, _SHOWN), fmt, "Backlinks new and lost")
