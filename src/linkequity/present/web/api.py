"""The JSON API under ``/api/``, described at ``/openapi.json`` (present stage).

Read-only views of the served crawl: the summary, the page list (search, filters, sort,
pages), one page with its inlinks, outlinks, findings, recommendations and click path, the
findings, the topic clusters and the saved recommendations. Crawled text comes back as the
JSON string it is; errors have the one shape of :mod:`~linkequity.present.web.errors`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from linkequity.present.web.data import Links
from linkequity.present.web.errors import ERROR_RESPONSES
from linkequity.present.web.params import LinkWindowParam, PageParam, PageQueryParam, SiteParam

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

Json = dict[str, Any]


@router.get("/summary")
def summary(site: SiteParam) -> Json:
    """The crawl's headline counts and where its equity goes."""
    return site.summary()


@router.get("/pages")
def pages(site: SiteParam, query: PageQueryParam) -> Json:
    """The pages matching the search and filters, sorted, one page of them."""
    found = site.page_list(query)
    return {
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "sort": found.sort,
        "order": found.order,
        "pages": found.rows,
    }


@router.get("/page")
def page(site: SiteParam, page: PageParam) -> Json:
    """One page's scores, counts, cluster and click path."""
    return {"page": page, "click_path": site.click_path(page["url"])}


def _links(url: str, name: str, links: Links) -> Json:
    return {"url": url, "total": links.total, "offset": links.offset, name: links.rows}


@router.get("/page/inlinks")
def inlinks(site: SiteParam, page: PageParam, window: LinkWindowParam) -> Json:
    """The links whose equity reaches the page, with the equity each passes, the most
    first (``total`` counts them all)."""
    return _links(page["url"], "inlinks", site.inlinks(page["url"], *window))


@router.get("/page/outlinks")
def outlinks(site: SiteParam, page: PageParam, window: LinkWindowParam) -> Json:
    """The links on the page, with the equity each passes, the most first (``total``
    counts them all)."""
    return _links(page["url"], "outlinks", site.outlinks(page["url"], *window))


@router.get("/page/findings")
def page_findings(site: SiteParam, page: PageParam) -> Json:
    """The findings about the page, costliest first."""
    return {"url": page["url"], "findings": site.findings(url=page["url"])}


@router.get("/page/recommendations")
def page_recommendations(site: SiteParam, page: PageParam) -> Json:
    """The saved recommended links that start from or point to the page."""
    return {"url": page["url"], "recommendations": site.recommendations(page["url"])}


@router.get("/page/click-path")
def click_path(site: SiteParam, page: PageParam) -> Json:
    """The shortest click path from the start URL to the page ([] when no followed link
    reaches it)."""
    return {"url": page["url"], "click_path": site.click_path(page["url"])}


@router.get("/findings")
def findings(
    site: SiteParam,
    kind: Annotated[str, Query(description="Only findings of this kind.")] = "",
    limit: Annotated[int, Query(ge=1, le=100_000, description="At most this many.")] = 1000,
) -> Json:
    """The findings, costliest first, and the finding kinds with their counts and impact."""
    return {
        "kinds": site.finding_kinds(),
        "findings": site.findings(kind=kind or None, limit=limit),
    }


@router.get("/clusters")
def clusters(site: SiteParam) -> Json:
    """The topic clusters with their pillar and hub-and-spoke health."""
    return {"clusters": site.clusters()}


@router.get("/recommendations")
def recommendations(site: SiteParam) -> Json:
    """The saved recommended links (``linkequity recommend``), by rank."""
    return {"recommendations": site.recommendations()}


@router.get("/directories")
def directories(site: SiteParam) -> Json:
    """The first folders of the crawl's URLs with their number of URLs."""
    return {"directories": [{"directory": d, "urls": n} for d, n in site.directories()]}
