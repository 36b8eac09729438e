"""What commands print: Rich tables, CSV or JSON on standard output, and errors (present stage).

Library errors become one red sentence and exit code 1 here, at the edge, never a traceback;
the sentence is never wrapped, so a long path in it stays one string to copy. Crawled text is
shown as text, never read as Rich markup.

Widths: ``COLUMNS`` is honoured when set; a terminal gets its own width; a pipe or a file gets
lines that are never wrapped (``soft_wrap``) and tables as wide as their cells need
(:data:`PIPE_WIDTH` at most), so ``grep`` finds a whole URL or path on one line.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import pyarrow as pa
import pyarrow.csv as pa_csv
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from linkequity.errors import ConfigError, LinkEquityError

__all__ = [
    "FORMATS",
    "PIPE_WIDTH",
    "ConfigOpt",
    "CrawlOpt",
    "FormatOpt",
    "ProjectOpt",
    "cell",
    "console",
    "emit",
    "err_console",
    "user_errors",
]

# The width a pipe or a file gets when COLUMNS is not set: a bound no table of real data
# reaches, so a table takes the width its cells need and no URL in it is folded.
PIPE_WIDTH = 10_000


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # replaced or closed
        return False


def _make_console(*, stderr: bool = False) -> Console:
    """A console for standard output (or error) with the widths described above."""
    out = Console(stderr=stderr)  # Rich takes COLUMNS, else the terminal's width
    if out.is_jupyter or _is_terminal(sys.stderr if stderr else sys.stdout):
        return out
    out.soft_wrap = True
    if not os.environ.get("COLUMNS", "").isdigit():
        out.width = PIPE_WIDTH
    return out


console = _make_console()
err_console = _make_console(stderr=True)

ProjectOpt = Annotated[Path, typer.Option("--project", "-p", help="The project file (DuckDB).")]
ConfigOpt = Annotated[
    Path, typer.Option("--config", help="Settings file; flags given override it.")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]
CrawlOpt = Annotated[int | None, typer.Option("--crawl", help="Crawl id (latest).")]
FORMATS = ("table", "csv", "json")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into one sentence on standard error and exit code 1."""
    try:
        yield
    except LinkEquityError as exc:
        # soft_wrap: never broken into lines, on a terminal either (it wraps the line itself)
        err_console.print(Text.assemble(("Error:", "bold red"), " ", str(exc)), soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print(
            Text.assemble(
                ("Interrupted.", "yellow"),
                " Nothing half-written is kept: finish a crawl with --resume; run an import or "
                "an analysis again.",
            ),
            soft_wrap=True,
        )
        raise typer.Exit(130) from None


def cell(value: Any) -> Text:
    """A table cell; crawled text is shown as text, never read as Rich markup."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:.4g}" if abs(value) < 0.01 else f"{value:,.2f}")
    if isinstance(value, int) and not isinstance(value, bool):
        return Text(f"{value:,}")
    return Text(str(value))


def emit(rows: pa.Table, fmt: str, title: str) -> None:
    """Print an Arrow table as a Rich table, CSV or JSON records on standard output."""
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown format {fmt!r}; formats: {', '.join(FORMATS)}.")
    if fmt == "csv":
        pa_csv.write_csv(rows, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    records = rows.to_pylist()
    if fmt == "json":
        clean = [
            {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in r.items()}
            for r in records
        ]
        sys.stdout.write(json.dumps(clean, default=str, ensure_ascii=False, indent=1) + "\n")
        return
    t = Table(title=title, title_justify="left")
    for name in rows.column_names:
        numeric = pa.types.is_integer(rows.schema.field(name).type) or pa.types.is_floating(
            rows.schema.field(name).type
        )
        t.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for record in records:
        t.add_row(*(cell(v) for v in record.values()))
    console.print(t)
