"""The query parameters the API and the HTML pages share, as FastAPI dependencies (present stage).

The page list's filters take the empty string as "any", so a plain HTML form (whose "any"
option sends ``indexable=``) and the API read the same parameters.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Query, Request

from linkequity.present.web.data import PageQuery, Site, Sort

__all__ = [
    "LinkWindowParam",
    "PageParam",
    "PageQueryParam",
    "SiteParam",
    "found_page",
    "link_window",
    "page_query",
    "site",
]


def site(request: Request) -> Site:
    """The project and crawl the app serves."""
    served: Site = request.app.state.site
    return served


def page_query(
    q: Annotated[str, Query(description="Text the URL or the title contains (any case).")] = "",
    indexable: Annotated[
        Literal["", "true", "false"], Query(description="Indexable pages only, or not.")
    ] = "",
    status: Annotated[str, Query(pattern=r"^(\d{3})?$", description="HTTP status code.")] = "",
    directory: Annotated[str, Query(description="First folder of the path, e.g. /blog/.")] = "",
    cluster: Annotated[str, Query(pattern=r"^(\d+)?$", description="Topic cluster id.")] = "",
    sort: Annotated[Sort, Query(description="The column to sort by.")] = "link_score",
    order: Annotated[
        Literal["", "asc", "desc"], Query(description="asc or desc; the column's best first.")
    ] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page of results, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=500, description="Rows per page.")] = 50,
) -> PageQuery:
    """The page list's search, filters, sort and page from the query string."""
    return PageQuery(
        q=q,
        indexable=None if indexable == "" else indexable == "true",
        status=int(status) if status else None,
        directory=directory or None,
        cluster=int(cluster) if cluster else None,
        sort=sort,
        order=order or None,
        page=page,
        per_page=per_page,
    )


def found_page(
    served: Annotated[Site, Depends(site)],
    url: Annotated[str, Query(description="The page's URL, as crawled.")],
) -> dict[str, Any]:
    """The page the ``url`` query parameter names (as given, or normalised as the crawl
    stores URLs): its scores, counts and cluster; 404 when the crawl does not hold it."""
    found = served.page(url)
    if found is None:
        raise HTTPException(404, f"Crawl {served.crawl_id} has no page {url}.")
    return found


def link_window(
    offset: Annotated[int, Query(ge=0, description="Skip this many links.")] = 0,
    limit: Annotated[int, Query(ge=1, le=100_000, description="At most this many links.")] = 1000,
) -> tuple[int, int]:
    """Which of a page's links to send, the most equity first."""
    return offset, limit


SiteParam = Annotated[Site, Depends(site)]
PageQueryParam = Annotated[PageQuery, Depends(page_query)]
PageParam = Annotated[dict[str, Any], Depends(found_page)]
LinkWindowParam = Annotated[tuple[int, int], Depends(link_window)]
