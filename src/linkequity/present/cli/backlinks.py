"""The ``linkequity backlinks`` and ``linkequity disavow`` commands (present stage).

Thin wrappers over :mod:`linkequity.backlinks` and :mod:`linkequity.plan.disavow`; the app
mounts :data:`backlinks_app` as ``backlinks`` and :func:`disavow_command` as ``disavow``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from rich.table import Table
from rich.text import Text

from linkequity.errors import ConfigError, StoreError
from linkequity.plan.disavow import diff, render
from linkequity.present.output import (
    ConfigOpt,
    FormatOpt,
    ProjectOpt,
    console,
    emit,
    err_console,
    user_errors,
)
from linkequity.project import Project
from linkequity.settings import BacklinkSettings, load_settings

__all__ = ["backlinks_app", "disavow_command"]

backlinks_app = typer.Typer(
    help="The backlink profile: referring domains, anchors, landing pages, reclaim, toxicity.",
    no_args_is_help=True,
)


def _report(project: Path, config: Path, name: str, fmt: str, title: str, **options: Any) -> None:
    with user_errors():
        settings = load_settings(config, None, BacklinkSettings)
        emit(Project(project).backlink_report(name, settings, **options), fmt, title)


@backlinks_app.command("domains")
def domains_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    sort: Annotated[
        str, typer.Option(help="authority, links, toxicity, domain or first_seen.")
    ] = "authority",
    fmt: FormatOpt = "table",
) -> None:
    """Referring domains: authority, links, follow ratio, TLD, sitewide, toxicity."""
    _report(project, config, "domains", fmt, "Referring domains", sort=sort)


@backlinks_app.command("summary")
def summary_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    fmt: FormatOpt = "table",
) -> None:
    """The profile at a glance: authority distribution, TLD mix and anchor classes."""
    _report(project, config, "authority", fmt, "Referring domains by authority")
    _report(project, config, "tlds", fmt, "Referring domains by TLD")
    _report(project, config, "anchor_classes", fmt, "Backlink anchor classes")


@backlinks_app.command("anchors")
def anchors_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    fmt: FormatOpt = "table",
) -> None:
    """Anchor classes (branded, exact, partial, generic, naked URL, image) and top anchors."""
    _report(project, config, "anchor_classes", fmt, "Backlink anchor classes")
    if fmt == "table":
        _report(project, config, "anchors", fmt, "Top backlink anchors")


@backlinks_app.command("pages")
def pages_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    fmt: FormatOpt = "table",
) -> None:
    """Landing pages by referring domains, with what the crawl says of each."""
    _report(project, config, "pages", fmt, "Backlink landing pages")


@backlinks_app.command("changes")
def changes_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    fmt: FormatOpt = "table",
) -> None:
    """Backlinks new in each tool's latest snapshot, and backlinks lost."""
    _report(project, config, "changes", fmt, "New and lost backlinks")


@backlinks_app.command("reclaim")
def reclaim_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    fmt: FormatOpt = "table",
) -> None:
    """Backlinks landing on 404s, redirects or non-canonical URLs, and what fixing each brings."""
    _report(project, config, "reclaim", fmt, "Backlinks to reclaim")


@backlinks_app.command("toxic")
def toxic_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    minimum: Annotated[float, typer.Option("--min", help="Lowest toxicity shown.")] = 30.0,
    explain: Annotated[bool, typer.Option(help="Show every signal that fired.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Backlinks by toxicity: the sum of named signals, each with its weight."""
    with user_errors():
        settings = load_settings(config, None, BacklinkSettings)
        rows = Project(project).backlink_report("toxic", settings, minimum=minimum)
        if fmt != "table" or not explain:
            shown = _as_text(rows.drop_columns(["explanation"]) if not explain else rows)
            emit(shown, fmt, "Toxic links")
            return
        for row in rows.to_pylist():
            t = Table(title_justify="left", show_edge=False)
            t.title = None
            t.add_column("signal")
            t.add_column("weight", justify="right")
            t.add_column("why")
            for signal in row["explanation"]:
                t.add_row(Text(signal["signal"]), f"{signal['weight']:g}", Text(signal["why"]))
            console.print(
                Text.assemble(
                    (f"{row['toxicity']:.0f}", "bold red"),
                    "  ",
                    row["referring_url"],
                    " -> ",
                    row["target_url"],
                )
            )
            console.print(t)


def _as_text(rows: pa.Table) -> pa.Table:
    """The toxic links with their lists as text: the signals joined with commas, the
    explanation as JSON (a CSV cell holds no list)."""
    signals = [", ".join(s) for s in rows.column("signals").to_pylist()]
    rows = rows.set_column(rows.schema.get_field_index("signals"), "signals", pa.array(signals))
    if "explanation" in rows.column_names:
        text = [json.dumps(e) for e in rows.column("explanation").to_pylist()]
        at = rows.schema.get_field_index("explanation")
        rows = rows.set_column(at, "explanation", pa.array(text, pa.string()))
    return rows


def _site_of(project: Path) -> str:
    """The start URL of the project's latest crawl, for the file's header ('' if none)."""
    try:
        return Project(project).overview().start_url
    except StoreError:
        return ""


def disavow_command(
    project: ProjectOpt = Path("site.duckdb"),
    config: ConfigOpt = Path("linkequity.toml"),
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")] = Path(
        "disavow.txt"
    ),
    existing: Annotated[
        Path | None, typer.Option(help="The disavow file Search Console has now, to merge.")
    ] = None,
    whitelist: Annotated[
        Path | None, typer.Option(help="Domains never to disavow, one a line.")
    ] = None,
) -> None:
    """Write a disavow file for Google: toxic domains merged with the existing file."""
    with user_errors():
        settings = load_settings(config, None, BacklinkSettings)
        merged, old, dropped = Project(project).disavow(existing, whitelist, settings)
        if existing is not None and output.resolve() == existing.resolve():
            raise ConfigError("Write the new disavow file beside the existing one, not over it.")
        text = render(merged, datetime.now(UTC).date(), _site_of(project))
        output.write_text(text, encoding="utf-8")
        for line in diff(old, merged):
            style = "green" if line.startswith("+") else "red"
            console.print(Text(line, style=style))
        for entry in dropped:
            err_console.print(Text(f"kept out by the whitelist: {entry.line}"))
        err_console.print(
            f"Wrote {len(merged.domains):,} domains and {len(merged.urls):,} URLs to {output}",
            highlight=False,
        )
