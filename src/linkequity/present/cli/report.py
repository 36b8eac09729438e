"""The command that writes the HTML report: ``report`` (present stage)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkequity.present.output import CrawlOpt, ProjectOpt, err_console, user_errors
from linkequity.project import Project

__all__ = ["report_command"]


def report_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
) -> None:
    """Write the analysis as one self-contained HTML file that opens offline and prints."""
    from linkequity.present.report.build import write_report

    with user_errors():
        size = write_report(Project(project), output, crawl_id)
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        err_console.print(f"Wrote the report to {output} ({shown}).", highlight=False)
