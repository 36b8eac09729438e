"""What the web app shows, read through the Project facade per request (present stage).

Each function opens the project read-only through :class:`~linkequity.project.Project`
(which opens and closes the file per call, so the app never holds a lock an analysis
would wait for) and returns plain JSON values: the API sends them as they are and the
templates show them as text. The page list is filtered, sorted and cut with Arrow compute
over the crawl's ``page_scores``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, get_args

import pyarrow as pa
import pyarrow.compute as pc

from linkequity.project import Project
from linkequity.urls import first_folder, normalise_url

__all__ = [
    "ORDERS",
    "SORTS",
    "Links",
    "PageList",
    "PageQuery",
    "Site",
    "clean",
    "records",
]

Sort = Literal[
    "link_score", "share", "rank", "inlinks", "unique_inlinks", "content_inlinks",
    "outlinks", "crawl_depth", "status_code", "url", "title",
]  # fmt: skip
SORTS: tuple[Sort, ...] = get_args(Sort)
Order = Literal["asc", "desc"]
ORDERS: tuple[Order, ...] = get_args(Order)
#: Sorts whose best comes first ascending.
_ASCENDING = frozenset({"rank", "crawl_depth", "status_code", "url", "title"})
#: The columns of a row of the page list.
LIST_COLUMNS = (
    "url", "title", "status_code", "indexable", "indexability_reason", "role", "link_score",
    "share", "rank", "crawl_depth", "inlinks", "unique_inlinks", "content_inlinks", "outlinks",
)  # fmt: skip


def clean(value: Any) -> Any:
    """A value as plain JSON: NaN and infinities become null, dates ISO text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def records(rows: pa.Table) -> list[dict[str, Any]]:
    """An Arrow table as plain JSON rows."""
    return [clean(row) for row in rows.to_pylist()]


@dataclass(frozen=True, slots=True)
class PageQuery:
    """The page list's search, filters, sort and page."""

    q: str = ""
    indexable: bool | None = None
    status: int | None = None
    directory: str | None = None
    cluster: int | None = None
    sort: Sort = "link_score"
    order: Order | None = None
    page: int = 1
    per_page: int = 50

    @property
    def direction(self) -> Order:
        if self.order is not None:
            return self.order
        return "asc" if self.sort in _ASCENDING else "desc"


@dataclass(frozen=True, slots=True)
class PageList:
    """One page of the page list and how many pages match in all."""

    total: int
    page: int
    per_page: int
    sort: str
    order: str
    rows: list[dict[str, Any]]

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True, slots=True)
class Links:
    """Some of a page's inlinks or outlinks, the most equity first, and how many in all."""

    total: int
    offset: int
    rows: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Site:
    """The project and the crawl one app serves."""

    project: Project
    crawl_id: int

    def page_list(self, query: PageQuery) -> PageList:
        """The pages matching ``query``, sorted, the asked page of them."""
        return self.listing(query)[0]

    def listing(
        self, query: PageQuery
    ) -> tuple[PageList, list[tuple[str, int]], list[dict[str, Any]]]:
        """The page list, the first folders with their number of URLs (largest first) and
        the topic clusters: what the page list shows, each table read once."""
        scores = self.project.page_scores(self.crawl_id)
        cluster_table, page_topics = self.project.topics(self.crawl_id)
        clusters = _membership(page_topics)
        mask = pc.is_valid(scores["url"])  # every row
        if query.q:
            term = query.q
            in_url = pc.match_substring(scores["url"], term, ignore_case=True)
            in_title = pc.fill_null(
                pc.match_substring(scores["title"], term, ignore_case=True), False
            )
            mask = pc.and_(mask, pc.or_(in_url, in_title))
        if query.indexable is not None:
            mask = pc.and_(mask, pc.equal(scores["indexable"], query.indexable))
        if query.status is not None:
            mask = pc.and_(mask, pc.fill_null(pc.equal(scores["status_code"], query.status), False))
        if query.directory:
            folder = query.directory if query.directory.endswith("/") else query.directory + "/"
            pattern = r"^[^:/?#]+://[^/?#]*" + re.escape(folder if folder != "/" else "")
            if folder == "/":
                pattern += r"(/[^/?#]*)?([?#].*)?$"
            mask = pc.and_(mask, pc.match_substring_regex(scores["url"], pattern))
        if query.cluster is not None:
            members = [u for u, c in clusters.items() if c == query.cluster]
            mask = pc.and_(mask, pc.is_in(scores["url"], pa.array(members, pa.string())))
        chosen = scores.filter(mask).select(list(LIST_COLUMNS))
        order = "ascending" if query.direction == "asc" else "descending"
        keys = [(query.sort, order, "at_end")]
        if query.sort != "url":
            keys.append(("url", "ascending", "at_end"))
        indices = pc.sort_indices(chosen, sort_keys=keys)
        start = (query.page - 1) * query.per_page
        rows = records(chosen.take(indices[start : start + query.per_page]))
        for row in rows:
            row["cluster"] = clusters.get(row["url"])
            row["directory"] = first_folder(row["url"])
        found = PageList(chosen.num_rows, query.page, query.per_page, query.sort,
                         query.direction, rows)  # fmt: skip
        return found, _directories(scores["url"].to_pylist()), records(cluster_table)

    def directories(self) -> list[tuple[str, int]]:
        """Every first folder of the crawl's URLs with its number of URLs, largest first."""
        return _directories(self.project.page_scores(self.crawl_id)["url"].to_pylist())

    def page(self, url: str) -> dict[str, Any] | None:
        """A page's scores, counts and cluster; None when the crawl does not know the URL,
        as given or normalised as the crawl stores URLs."""
        scores = self.project.page_scores(self.crawl_id)
        found = scores.filter(pc.equal(scores["url"], url))
        normalised = normalise_url(url)
        if found.num_rows == 0 and normalised is not None and normalised != url:
            url = normalised
            found = scores.filter(pc.equal(scores["url"], url))
        if found.num_rows == 0:
            return None
        row = records(found)[0]
        page_topics = self.project.topics(self.crawl_id)[1]
        cluster = page_topics.filter(pc.equal(page_topics["url"], url))["cluster"].to_pylist()
        row["cluster"] = cluster[0] if cluster else None
        row["directory"] = first_folder(url)
        return row

    def inlinks(self, url: str, offset: int = 0, limit: int | None = None) -> Links:
        """The links whose equity reaches ``url`` with the equity each passes, the most
        first; ``limit`` of them from ``offset``."""
        return _links(self.project.inlinks(url, self.crawl_id), offset, limit)

    def outlinks(self, url: str, offset: int = 0, limit: int | None = None) -> Links:
        """The links on the page ``url`` with the equity each passes, the most first;
        ``limit`` of them from ``offset``."""
        return _links(self.project.outlinks(url, self.crawl_id), offset, limit)

    def findings(
        self, kind: str | None = None, url: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Findings, costliest first; of one kind, or about one URL."""
        rows = self.project.findings(self.crawl_id, kind=kind, limit=None if url else limit)
        if url is not None:
            rows = rows.filter(pc.equal(rows["url"], url))
        return records(rows.drop_columns(["detail_json"]))

    def finding_kinds(self) -> list[dict[str, Any]]:
        """Per finding kind: severity, count, total and largest impact, costliest first."""
        return records(self.project.finding_summary(self.crawl_id))

    def clusters(self) -> list[dict[str, Any]]:
        """The topic clusters with their pillar and hub-and-spoke health."""
        return records(self.project.topics(self.crawl_id)[0])

    def recommendations(self, url: str | None = None) -> list[dict[str, Any]]:
        """The saved recommendations (new links), by rank; those that start from or target
        ``url`` when given. Empty when none are saved."""
        rows = self.project.table("recommendations", self.crawl_id)
        if url is not None:
            rows = rows.filter(pc.or_(pc.equal(rows["source_url"], url),
                                      pc.equal(rows["target_url"], url)))  # fmt: skip
        rows = rows.sort_by([("rank", "ascending")])
        return records(rows.drop_columns(["crawl_id"]))

    def click_path(self, url: str) -> list[str]:
        """The start URL, ..., ``url`` along followed links; [] when none reaches it."""
        return self.project.click_path(url, self.crawl_id)

    def heading(self) -> dict[str, Any]:
        """The crawl's id, start URL and number of URLs (cheap: no count over the links)."""
        crawls = self.project.table("crawls")
        crawl = crawls.filter(pc.equal(crawls["crawl_id"], self.crawl_id)).to_pylist()[0]
        analysis = self.project.table("analyses", self.crawl_id).to_pylist()[0]
        return {"crawl_id": self.crawl_id, "start_url": crawl["start_url"],
                "pages": analysis["pages"]}  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """The crawl's headline counts and where its equity goes."""
        overview = self.project.overview(self.crawl_id)
        analysis = records(self.project.table("analyses", self.crawl_id))[0]
        analysis.pop("settings_json", None)
        analysis.pop("crawl_id", None)
        return {
            "crawl_id": overview.crawl_id,
            "start_url": overview.start_url,
            "status": overview.status,
            "pages": overview.pages,
            "links": overview.links,
            "internal_links": overview.internal_links,
            "external_links": overview.external_links,
            "by_status": dict(overview.by_status),
            "by_indexability": dict(overview.by_indexability),
            "by_depth": dict(overview.depth_histogram),
            "analysis": analysis,
        }


def _membership(page_topics: pa.Table) -> dict[str, int]:
    urls, clusters = page_topics["url"].to_pylist(), page_topics["cluster"].to_pylist()
    return dict(zip(urls, clusters, strict=True))


def _directories(urls: list[str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for url in urls:
        folder = first_folder(url)
        counts[folder] = counts.get(folder, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _links(rows: pa.Table, offset: int, limit: int | None) -> Links:
    # the most equity first; the stored order (source, then place on the page) breaks ties
    order = pc.sort_indices(
        pa.table({"equity": rows["equity"], "at": pa.array(range(rows.num_rows))}),
        sort_keys=[("equity", "descending", "at_end"), ("at", "ascending", "at_end")],
    )
    end = rows.num_rows if limit is None else offset + limit
    return Links(rows.num_rows, offset, records(rows.take(order[offset:end])))
