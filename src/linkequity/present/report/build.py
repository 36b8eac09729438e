"""The HTML report of an analysed crawl: one self-contained file, written whole (present stage).

What it holds so far: the KPIs (pages, indexable, links, where the equity goes, Gini and
top-1% share), the charts of :mod:`~linkequity.present.report.charts` (Lorenz curve, Link
Score distribution, equity received by link position, crawl depth, status codes), the
findings by kind with their impact and the costliest ten, the top and the starved pages,
the link graph of :mod:`~linkequity.present.report.graph` (its data in its own JSON
element, drawn by the vendored sigma.js and ``templates/graph.js``), the crawl path
(:mod:`~linkequity.present.report.crawlpath`), the tables of
:mod:`~linkequity.present.report.sections` (orphans, broken links, redirects, anchors,
backlinks, topics, recommendations), and, when the project holds an earlier crawl, what
changed since it (:mod:`~linkequity.store.compare`).
Tables are sortable and filterable by a small inline script reading the escaped JSON of
:mod:`~linkequity.present.report.embed`; every crawled string reaches the page through
Jinja2's autoescaping or that JSON, never pasted into markup or script. No resource is
fetched: styles and script are inline, URLs are shown as text, not links.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from linkequity.errors import StoreError
from linkequity.present.report import vendored
from linkequity.present.report.charts import bars, lorenz
from linkequity.present.report.crawlpath import crawl_path_data
from linkequity.present.report.embed import json_script
from linkequity.present.report.graph import graph_data
from linkequity.present.report.sections import cells, report_sections
from linkequity.project import Project
from linkequity.records import POSITIONS
from linkequity.store.exports import publish

__all__ = ["REPORT_CSP", "ReportData", "report_data", "write_report"]

#: Rows of the top and starved page tables.
PAGE_ROWS = 50
#: The deepest level the depth chart shows on its own (Screaming Frog's crawl depth report
#: stops at "10+" too); deeper pages share one bar.
DEEPEST = 10
#: The report's Content-Security-Policy: inline style and script, images only as data, and
#: no request to anywhere (the web app serves the report under it too).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
)
#: Link Score bins of the distribution chart.
_BINS = 10
#: The report's own scripts, in the order they run.
_SCRIPTS = ("tables.js", "crawlpath.js")


@dataclass(frozen=True, slots=True)
class ReportData:
    """What the report shows, computed from the project before anything is rendered."""

    title: str
    generated: str
    kpis: list[tuple[str, str]]
    charts: list[str]
    tables: dict[str, dict[str, Any]]
    """Table id -> ``{"title", "columns", "rows"}`` (rows of plain JSON values)."""
    crawl_path: dict[str, Any] | None = None
    """The click tree of :mod:`~linkequity.present.report.crawlpath` (None: nothing reached)."""
    graph: dict[str, Any] | None = None
    """The link graph's data (:func:`~linkequity.present.report.graph.graph_data`)."""


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2%}"


def report_data(project: Project, crawl_id: int | None = None) -> ReportData:
    """Everything the report shows, read from an analysed crawl."""
    overview = project.overview(crawl_id)
    analyses = list(project.table("analyses", overview.crawl_id).to_pylist())
    if not analyses:
        raise StoreError(
            f"Crawl {overview.crawl_id} has not been analysed yet; run `linkequity analyze` first."
        )
    site = analyses[0]
    scores = project.page_scores(overview.crawl_id, "score").to_pylist()
    scored = [r for r in scores if r["score"] is not None]
    indexable = sum(1 for r in scores if r["indexable"] and r["role"] == "page")
    kpis = [
        ("pages crawled", f"{overview.pages:,}"),
        ("pages holding equity", f"{len(scored):,}"),
        ("indexable pages", f"{indexable:,}"),
        ("links", f"{overview.links:,}"),
        ("passed between pages", _percent(site["passed_internal"])),
        ("wasted (broken, blocked)", _percent(site["wasted_broken"] + site["wasted_blocked"])),
        (
            "evaporated (nofollow)",
            _percent(
                site["evaporated_nofollow"] + site["evaporated_sponsored"] + site["evaporated_ugc"]
            ),
        ),
        ("leaked to other sites", _percent(site["leaked_external"])),
        ("Gini of the scores", f"{site['gini']:.3f}"),
        ("share of the top 1% of pages", _percent(site["top1_share"])),
    ]
    link_scores = [float(r["link_score"]) for r in scored]
    counts = [0] * _BINS
    for value in link_scores:
        counts[min(int(value // (100 / _BINS)), _BINS - 1)] += 1
    received = [sum(float(r[f"received_{p}"] or 0.0) for r in scored) * 100 for p in POSITIONS]
    charts = [
        lorenz([float(r["score"]) for r in scored], "Equity across pages"),
        bars([f"{i * 10}-{i * 10 + 10}" for i in range(_BINS)], counts, "Link Score (pages)"),
        bars(
            [*list(POSITIONS), "teleport"],
            [*received, sum(float(r["received_teleport"] or 0) for r in scored) * 100],
            "Equity received by link position",
            "%",
        ),
        bars(*depth_rows(overview.depth_histogram), "Pages by crawl depth"),
        bars(
            [s for s, _ in overview.by_status],
            [n for _, n in overview.by_status],
            "Pages by status",
        ),
    ]
    page_columns = ["rank", "link_score", "share", "url", "title", "crawl_depth",
                    "unique_inlinks", "content_inlinks", "outlinks", "indexable"]  # fmt: skip
    starved = [r for r in scored if r["indexable"]][::-1][:PAGE_ROWS]
    summary = project.finding_summary(overview.crawl_id).to_pylist()
    costliest = project.findings(overview.crawl_id, limit=10).to_pylist()
    tables = {
        "top-pages": {"title": "Top pages", "columns": page_columns,
                      "rows": cells(scored[:PAGE_ROWS], page_columns)},
        "starved-pages": {"title": "Starved indexable pages (lowest scores)",
                          "columns": page_columns, "rows": cells(starved, page_columns)},
        "finding-kinds": {"title": "Findings by kind (impact: % of the site's equity)",
                          "columns": ["kind", "severity", "findings", "total_impact",
                                      "max_impact"],
                          "rows": cells(summary, ["kind", "severity", "findings",
                                                  "total_impact", "max_impact"])},
        "costliest": {"title": "The ten costliest findings",
                      "columns": ["kind", "impact", "url", "summary", "fix"],
                      "rows": cells(costliest, ["kind", "impact", "url", "summary", "fix"])},
    }  # fmt: skip
    tables.update(report_sections(project, overview.crawl_id))
    tables.update(_since_previous(project, overview.crawl_id))
    return ReportData(
        title=f"Link equity report: {overview.start_url}",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        kpis=kpis,
        charts=charts,
        tables=tables,
        crawl_path=crawl_path_data(project, overview.crawl_id),
        graph=graph_data(project, overview.crawl_id),
    )


def depth_rows(histogram: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """The depth chart's bars: depths up to ``DEEPEST``, then one bar for every deeper page
    (a paginated archive can run to hundreds of levels, whose bars no chart can label)."""
    labels: list[str] = []
    values: list[int] = []
    deeper = 0
    for label, count in histogram:
        if label.isdigit() and int(label) >= DEEPEST:
            deeper += count
            continue
        if not label.isdigit() and deeper:
            labels.append(f"{DEEPEST}+")
            values.append(deeper)
            deeper = 0
        labels.append(label)
        values.append(count)
    if deeper:
        labels.append(f"{DEEPEST}+")
        values.append(deeper)
    return labels, values


def _since_previous(project: Project, crawl_id: int) -> dict[str, dict[str, Any]]:
    """The comparison with the crawl before this one, when there is one."""
    earlier = [
        int(r["crawl_id"])
        for r in project.table("crawls").to_pylist()
        if int(r["crawl_id"]) < crawl_id
    ]
    if not earlier:
        return {}
    result = project.compare(max(earlier), crawl_id)
    # shares moved only where both crawls were analysed: else every page would "move"
    analysed = {int(r["crawl_id"]) for r in project.table("analyses", result.before).to_pylist()}
    movers = (
        [r for r in result.movers.to_pylist() if r["share_change"]][:PAGE_ROWS]
        if result.before in analysed
        else []
    )
    mover_columns = ["url", "share_before", "share_after", "share_change",
                     "link_score_before", "link_score_after"]  # fmt: skip
    return {
        "since-changes": {
            "title": f"Since the previous crawl ({result.before} -> {result.after})",
            "columns": ["change", "count"],
            "rows": cells(result.summary().to_pylist(), ["change", "count"]),
        },
        "since-movers": {
            "title": "Equity movers since the previous crawl (share, %)",
            "columns": mover_columns,
            "rows": cells(movers, mover_columns),
        },
        "since-findings": {
            "title": "Findings new and resolved since the previous crawl",
            "columns": ["change", "kind", "severity", "url"],
            "rows": cells(result.findings.to_pylist(), ["change", "kind", "severity", "url"]),
        },
    }


def render(data: ReportData) -> str:
    """The report's HTML."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("linkequity.present.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    template = environment.get_template("report.html")
    folder = resources.files("linkequity.present.report").joinpath("templates")
    script = "\n".join(folder.joinpath(name).read_text("utf-8") for name in _SCRIPTS)
    graph = data.graph is not None and bool(data.graph["pages"]["url"])
    return template.render(
        data=data,
        csp=REPORT_CSP,
        # charts are SVG built from escaped parts (charts.py); the data element is escaped
        # JSON (embed.py); the script is the project's own file
        charts=[Markup(c) for c in data.charts],
        tables_json=Markup(json_script("report-tables", data.tables)),
        crawl_path_json=Markup(
            json_script("report-crawl-path", data.crawl_path) if data.crawl_path else ""
        ),
        script=Markup(script),
        # the vendored libraries are checked against their recorded SHA-256 (vendored())
        graph_json=Markup(json_script("report-graph", data.graph)) if graph else "",
        graphology=Markup(vendored("graphology")) if graph else "",
        sigma=Markup(vendored("sigma")) if graph else "",
        graph_script=Markup(folder.joinpath("graph.js").read_text("utf-8")) if graph else "",
    )


def write_report(project: Project, out: Path, crawl_id: int | None = None) -> int:
    """Write the report to ``out`` whole (a temporary file renamed); returns its size."""
    folder = out.parent
    if not folder.is_dir():
        raise StoreError(f"The folder {folder} does not exist; create it or choose another.")
    html = render(report_data(project, crawl_id))
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(html)
        publish(Path(name), out)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return len(html.encode("utf-8"))
