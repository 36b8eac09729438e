"""The example site's commands: ``example serve``, ``example write``, ``demo`` (present stage)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkequity.present.cli.analysis import StepBar, print_equity
from linkequity.present.cli.crawl import CrawlBar, print_overview
from linkequity.present.cli.imports import print_backlink_summary
from linkequity.present.cli.plan import print_recommendations
from linkequity.present.output import ProjectOpt, console, err_console, user_errors

__all__ = ["demo", "example_app"]

example_app = typer.Typer(help="The bundled example site (a generated small-business shop).")


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


def demo(
    project: ProjectOpt = Path("demo.duckdb"),
    pages: Annotated[int, typer.Option(help="Approximate number of pages.")] = 300,
) -> None:
    """Serve the example site on 127.0.0.1, crawl it, import its backlinks, analyze, check."""
    from linkequity.present.demo import DemoOutput, run_demo

    with user_errors():
        out = DemoOutput(
            console,
            CrawlBar,
            StepBar,
            print_overview,
            print_equity,
            print_backlink_summary,
            print_recommendations,
        )
        ok = run_demo(project, pages, out)
    if not ok:
        raise typer.Exit(1)
