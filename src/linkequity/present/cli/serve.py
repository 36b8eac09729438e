"""The command that starts the local web app: ``serve`` (present stage)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from linkequity.present.output import CrawlOpt, ProjectOpt, console, err_console, user_errors

if TYPE_CHECKING:
    from linkequity.present.web.server import Listening

__all__ = ["serve_command"]


def _announce(listening: Listening) -> None:
    if listening.exposed:
        err_console.print(
            "Warning: other machines can reach this server; every request needs its token "
            "(header Authorization: Bearer TOKEN, or ?token=TOKEN in the address).",
            style="yellow",
            highlight=False,
        )
    if listening.generated:
        console.print(f"Token (shown once): {listening.token}", highlight=False)
    console.print(f"Serving on {listening.url} (Ctrl+C to stop)", highlight=False)
    sys.stdout.flush()


def serve_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="The port (0: any free one).")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to listen on. Any other than 127.0.0.1, ::1 or localhost lets "
            "other machines in: it prints a warning and needs a token on every request.",
        ),
    ] = "127.0.0.1",
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            help="The token every request must carry (generated and printed once when "
            "--host reaches beyond this machine and none is given).",
        ),
    ] = None,
) -> None:
    """Serve a read-only page explorer and JSON API of an analysed crawl on this machine."""
    from linkequity.present.web.server import serve

    with user_errors():
        serve(project, crawl_id, host=host, port=port, token=token, announce=_announce)
