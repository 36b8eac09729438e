"""The commands that plan link changes: ``recommend`` and ``simulate`` (present stage)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyarrow as pa
import typer
from rich.console import Console
from rich.table import Table

from linkequity.present.output import (
    ConfigOpt,
    CrawlOpt,
    FormatOpt,
    ProjectOpt,
    cell,
    console,
    emit,
    err_console,
    user_errors,
)
from linkequity.project import Project
from linkequity.settings import AuditSettings, BacklinkSettings, EquitySettings, load_settings

if TYPE_CHECKING:
    from linkequity.equity.scores import SiteEquity
    from linkequity.plan.recommend import Recommendations

__all__ = ["print_recommendations", "recommend_command", "simulate_command"]


def _points(share: float) -> str:
    """A change of a share, in percentage points of the site's equity (small ones with
    their significant digits, not as +0.0000)."""
    points = share * 100
    return f"{points:+.4f} pp" if abs(points) >= 1e-3 or points == 0 else f"{points:+.2e} pp"


def recommend_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    config: ConfigOpt = Path("linkequity.toml"),
    priorities: Annotated[
        Path | None,
        typer.Option(help="CSV of url, weight, keywords (;-separated) of the priority pages."),
    ] = None,
    priority: Annotated[
        list[str] | None,
        typer.Option(help="A priority page (repeatable); instead of --priorities."),
    ] = None,
    budget: Annotated[int, typer.Option(help="New links in all.")] = 50,
    per_source: Annotated[int, typer.Option(help="New links from one page at most.")] = 3,
    per_target: Annotated[
        int | None, typer.Option(help="New links to one page at most (no limit by default).")
    ] = None,
    in_text_only: Annotated[
        bool,
        typer.Option("--in-text-only", help="Only sources whose text already says the anchor."),
    ] = False,
    min_relevance: Annotated[
        float | None,
        typer.Option(help="Least text similarity (cosine, 0-1) of source and target [0.1]."),
    ] = None,
    changes: Annotated[
        bool,
        typer.Option("--changes", help="Output the links to remove or follow (as a plan) instead."),
    ] = False,
    save: Annotated[
        bool,
        typer.Option(
            "--save/--no-save",
            help="Keep the new links in the project, where the report and the web app show them.",
        ),
    ] = True,
    fmt: FormatOpt = "table",
) -> None:
    """New internal links for the priority pages, each with its anchor and exact gain, and
    the links to remove or follow that would raise the priority pages.

    Without --priorities or --priority, priorities are proposed and each says why. With
    --format csv the output is a plan that `linkequity simulate` reads as it stands (the new
    links; with --changes the removals and follows, one row per page). The new links are kept
    in the project (table recommendations, replacing the ones kept before) unless --no-save.
    """
    with user_errors():
        site = Project(project)
        given: Path | list[str] | None = priorities if priorities is not None else priority
        result = site.recommend(
            given,
            crawl_id,
            budget=budget,
            per_source=per_source,
            per_target=per_target,
            in_text_only=in_text_only,
            min_relevance=min_relevance,
            equity=load_settings(config, None, EquitySettings),
            audit=load_settings(config, None, AuditSettings),
            backlinks=load_settings(config, None, BacklinkSettings),
            save=save,
        )
        if fmt != "table":
            emit(result.change_plan if changes else result.links, fmt, "Recommended links")
            return
        print_recommendations(result, console)


def print_recommendations(result: Recommendations, console: Console) -> None:
    """The priority pages, the links recommended, the links to remove or follow and the
    figures to judge them by."""
    p = Table(title="Priority pages", title_justify="left", show_edge=False)
    for name in ("url", "weight", "why", "share before", "after", "links added"):
        p.add_column(name, justify="left" if name in ("url", "why") else "right")
    for row in result.priorities.to_pylist():
        p.add_row(
            cell(row["url"]),
            cell(row["weight"]),
            cell(row["reason"]),
            f"{row['score_before'] * 100:.4f}%",
            f"{row['score_after'] * 100:.4f}%",
            cell(row["links_added"]),
        )
    console.print(p)
    if result.candidates == 0:
        console.print(
            "No candidate link: every live, indexable page related to these pages links "
            "to them already, or has no room under max_links_per_page. Name other "
            "priorities with --priority or --priorities, or lower --min-relevance.",
            highlight=False,
        )
        return
    t = Table(title="Recommended links", title_justify="left", show_edge=False)
    for name in ("#", "from", "to", "anchor", "in text", "target gain", "priority gain"):
        t.add_column(name, justify="right" if "gain" in name or name == "#" else "left",
                     overflow="fold")  # fmt: skip
    for row in result.links.to_pylist():
        t.add_row(
            cell(row["rank"]),
            cell(row["source_url"]),
            cell(row["target_url"]),
            cell(row["anchor"]),
            "yes" if row["anchor_in_text"] else "proposed",
            _points(row["predicted_gain"]),
            _points(row["predicted_priority_gain"]),
        )
    console.print(t)
    if result.changes.num_rows:
        c = Table(title="Links to remove or follow", title_justify="left", show_edge=False)
        for name in ("action", "why", "from", "to", "position", "priority gain"):
            c.add_column(name, justify="right" if "gain" in name else "left", overflow="fold")
        for row in result.changes.to_pylist():
            c.add_row(
                row["action"],
                row["reason"].replace("_", " "),
                cell(row["source_url"] or f"{row['pages']:,} pages (a template's link)"),
                cell(row["target_url"]),
                row["position"],
                _points(row["predicted_priority_gain"]),
            )
        console.print(c)
    console.print(
        f"Priority objective sum(weight x share): {result.objective_before * 100:.4f}% -> "
        f"{result.objective_after * 100:.4f}% ({_points(result.priority_gain)}, "
        f"{result.links.num_rows} links, greedy).",
        highlight=False,
    )
    console.print(
        f"The same links' gains each taken alone add up to "
        f"{_points(result.single_gain_sum)}; the most related pages that do not link yet "
        f"({result.baseline_links} links, relevance only) give "
        f"{_points(result.baseline_gain)}.",
        highlight=False,
    )
    if result.without_text:
        console.print(
            f"{result.without_text} of the links come from pages whose text was not kept "
            "(an import, or store_text off): their anchors are proposed, not found.",
            highlight=False,
        )
    err_console.print(
        f"{result.candidates:,} candidate links, {result.column_solves} source solves, "
        f"{result.seconds:.1f} s. Choosing the best k links is NP-hard; greedy is a "
        "heuristic.",
        highlight=False,
    )


def _site_rows(before: SiteEquity, after: SiteEquity) -> Table:
    t = Table(title="Where the equity goes", title_justify="left", show_edge=False)
    for name in ("", "before", "after"):
        t.add_column(name, justify="left" if not name else "right")
    shares = (
        ("passed between pages", "passed_internal"),
        ("wasted on broken links", "wasted_broken"),
        ("wasted on blocked pages", "wasted_blocked"),
        ("evaporated by nofollow", "evaporated_nofollow"),
        ("leaked to other sites", "leaked_external"),
    )
    for label, name in shares:
        t.add_row(label, f"{getattr(before, name):.2%}", f"{getattr(after, name):.2%}")
    t.add_row("Gini of the scores", f"{before.gini:.3f}", f"{after.gini:.3f}")
    t.add_row("share of the top 1% of pages", f"{before.top1_share:.2%}", f"{after.top1_share:.2%}")
    return t


def simulate_command(
    plan: Annotated[Path, typer.Argument(help="CSV of source_url, target_url, action, ...")],
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    config: ConfigOpt = Path("linkequity.toml"),
    limit: Annotated[int, typer.Option(help="Pages to show (table format).")] = 20,
    fmt: FormatOpt = "table",
) -> None:
    """Before and after a plan of link changes, for every page and for the site.

    A plan row adds (the default action), removes, nofollows, follows or moves (position)
    the links from source_url to target_url. A recommendation CSV is a plan.
    """
    with user_errors():
        result = Project(project).simulate(
            plan,
            crawl_id,
            equity=load_settings(config, None, EquitySettings),
            backlinks=load_settings(config, None, BacklinkSettings),
        )
        if fmt != "table":
            emit(result.pages.drop_columns(["change"]), fmt, "Pages")
            return
        console.print(_site_rows(result.before, result.after))
        moved: pa.Table = result.pages.slice(0, limit)
        t = Table(title="Pages that move most", title_justify="left", show_edge=False)
        for name in ("url", "share before", "after", "Link Score before", "after"):
            t.add_column(name, justify="left" if name == "url" else "right", overflow="fold")
        for row in moved.to_pylist():
            t.add_row(
                cell(row["url"]),
                f"{row['score_before']:.4%}",
                f"{row['score_after']:.4%}",
                f"{row['link_score_before']:.1f}",
                f"{row['link_score_after']:.1f}",
            )
        console.print(t)
        err_console.print(
            f"{result.changes} changes; solved warm from the stored scores in "
            f"{result.iterations} iterations.",
            highlight=False,
        )
