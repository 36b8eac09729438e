"""The web app's HTML pages: page list, page view, findings, the report (present stage).

Rendered on the server by Jinja2 with autoescaping: every crawled string (title, anchor,
URL) reaches the page as escaped text, and a crawled URL is never a live link; links go
only to the app's own pages, the crawled URL in their query string, encoded. The pages run
no script; ``/report`` is the report of :mod:`linkequity.present.report.build`, served
under its own Content-Security-Policy.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query
from starlette.responses import HTMLResponse, Response

from linkequity.present.web.data import ORDERS, SORTS, PageQuery
from linkequity.present.web.errors import ERROR_RESPONSES
from linkequity.present.web.params import PageParam, PageQueryParam, SiteParam
from linkequity.present.web.security import with_frame_ancestors

__all__ = ["router"]

router = APIRouter(include_in_schema=False, responses=ERROR_RESPONSES)

#: Inlinks and outlinks a page view lists (the most equity first); the API has them all. A
#: home page linked from each of 20,000 pages would otherwise make an 8 MB page.
LINK_ROWS = 500

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("linkequity.present.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _render(name: str, **context: Any) -> HTMLResponse:
    return HTMLResponse(_environment.get_template(name).render(**context))


def _list_link(query: PageQuery, **changes: Any) -> str:
    values = {
        "q": query.q,
        "indexable": "" if query.indexable is None else str(query.indexable).lower(),
        "status": "" if query.status is None else str(query.status),
        "directory": query.directory or "",
        "cluster": "" if query.cluster is None else str(query.cluster),
        "sort": query.sort,
        "order": query.order or "",
        "page": str(query.page),
        "per_page": str(query.per_page),
        **{k: str(v) for k, v in changes.items()},
    }
    return "/?" + urlencode({k: v for k, v in values.items() if v != ""})


def _page_link(url: str) -> str:
    return "/page?" + urlencode({"url": url})


@router.get("/", response_class=HTMLResponse)
def page_list(site: SiteParam, query: PageQueryParam) -> HTMLResponse:
    """The pages: search, filters, sort, pages."""
    found, directories, clusters = site.listing(query)
    return _render(
        "pages.html",
        title="Pages",
        found=found,
        query=query,
        heading=site.heading(),
        directories=directories,
        clusters=clusters,
        sorts=SORTS,
        orders=ORDERS,
        list_link=lambda **changes: _list_link(query, **changes),
        page_link=_page_link,
    )


@router.get("/page", response_class=HTMLResponse)
def page_view(site: SiteParam, page: PageParam) -> HTMLResponse:
    """One page: scores, click path, inlinks, outlinks, findings, recommendations."""
    url = page["url"]
    return _render(
        "page.html",
        title=url,
        page=page,
        inlinks=site.inlinks(url, limit=LINK_ROWS),
        outlinks=site.outlinks(url, limit=LINK_ROWS),
        findings=site.findings(url=url),
        recommendations=site.recommendations(url),
        click_path=site.click_path(url),
        page_link=_page_link,
        api_link=lambda name: f"/api/page/{name}?" + urlencode({"url": url}),
    )


@router.get("/findings", response_class=HTMLResponse)
def findings(
    site: SiteParam,
    kind: Annotated[str, Query()] = "",
    limit: Annotated[int, Query(ge=1, le=100_000)] = 500,
) -> HTMLResponse:
    """The findings by kind, costliest first."""
    return _render(
        "findings.html",
        title="Findings",
        kind=kind,
        kinds=site.finding_kinds(),
        findings=site.findings(kind=kind or None, limit=limit),
        limit=limit,
        page_link=_page_link,
        kind_link=lambda k: "/findings?" + urlencode({"kind": k}),
    )


@router.get("/report", response_class=HTMLResponse)
def report(site: SiteParam) -> HTMLResponse:
    """The HTML report of the crawl, under the report's own policy."""
    from linkequity.present.report.build import REPORT_CSP, render, report_data

    html = render(report_data(site.project, site.crawl_id))
    policy = with_frame_ancestors(REPORT_CSP)
    return HTMLResponse(html, headers={"content-security-policy": policy})


@router.get("/static/app.css")
def stylesheet() -> Response:
    """The app's stylesheet."""
    css = resources.files("linkequity.present.web").joinpath("static", "app.css")
    return Response(css.read_text("utf-8"), media_type="text/css")
