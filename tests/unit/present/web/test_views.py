"""The HTML pages over a site whose titles, anchors and URLs carry markup: every crawled string
is shown as the text it is, no script runs (there is none), no crawled URL is a live link."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from markupsafe import escape

from linkequity import Project
from linkequity.present.web.views import LINK_ROWS
from tests.unit.equity.builder import Crawl
from tests.unit.present.web.site import (
    HOSTILE,
    HOSTILE_PATH,
    JS_URL,
    app_for,
    get,
    hostile_site,
    recommend,
)
from tests.unit.present.web.site import url as site_url


class Page(HTMLParser):
    """Every start tag with its attributes, and the text of the page."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def links(self) -> list[str]:
        return [a["href"] or "" for t, a in self.tags if t == "a" and "href" in a]

    def page_links(self) -> list[str]:
        """The crawled URLs the page links to the page views of."""
        return [
            parse_qs(urlsplit(h).query)["url"][0] for h in self.links() if h.startswith("/page?")
        ]


def inert(source: str) -> Page:
    """The page, once it is known to hold no script, no handler, no link out of the app."""
    page = Page(source)
    names = [t for t, _ in page.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert not any(k.startswith("on") for _, a in page.tags for k in a)
    for _, attrs in page.tags:
        for key in ("href", "src", "action"):
            value = attrs.get(key)
            assert value is None or value.startswith("/"), (key, value)  # the app's own
    return page


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    path = hostile_site(tmp_path_factory.mktemp("views"))
    recommend(path)
    return app_for(path)


def test_the_page_list_shows_crawled_text_as_text(app: FastAPI) -> None:
    answer = get(app, "/")
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = inert(answer.text)
    text = "".join(page.text)
    assert HOSTILE in text  # the title, as text
    assert str(escape(HOSTILE)) in answer.text  # as Jinja2 escapes it
    assert "5 pages match; page 1 of 1." in text
    assert page.page_links() == [
        site_url(""),
        site_url("boots"),
        site_url("a"),
        site_url(HOSTILE_PATH),
        site_url("gone"),
    ]


def test_search_filters_and_paging(app: FastAPI) -> None:
    found = inert(get(app, "/?q=boots").text)
    assert found.page_links() == [site_url("boots")]
    none = inert(get(app, "/?q=nothing-like-this&indexable=&status=&cluster=").text)
    assert "No page matches." in "".join(none.text)
    first = inert(get(app, "/?per_page=2&sort=url&indexable=true").text)
    assert first.page_links() == [site_url(""), site_url("a")]
    assert "/?indexable=true&sort=url&page=2&per_page=2" in first.links()
    second = inert(get(app, "/?indexable=true&sort=url&page=2&per_page=2").text)
    assert second.page_links() == [site_url("boots"), site_url(HOSTILE_PATH)]
    broken = inert(get(app, "/?status=404").text)
    assert broken.page_links() == [site_url("gone")]


def test_the_page_view_lists_inlinks_outlinks_and_findings(app: FastAPI) -> None:
    answer = get(app, "/page", params={"url": site_url("a")})
    page = inert(answer.text)
    text = "".join(page.text)
    assert "Inlinks (1)" in text and "Outlinks (3)" in text
    assert HOSTILE in text  # the title and the anchors, as text
    assert JS_URL in text  # shown, never a link
    assert site_url("boots") in page.page_links() and JS_URL not in page.page_links()
    assert "single_inlink" in text
    assert "Recommended links (2)" in text and "see " + HOSTILE + " here" in text
    path = page.page_links()[:2]
    assert path == [site_url(""), site_url("a")]  # the crawl path comes first
    gone = inert(get(app, "/page", params={"url": site_url("gone")}).text)
    assert "No saved recommendation starts from or points to this page" in "".join(gone.text)
    hostile = inert(get(app, "/page", params={"url": site_url(HOSTILE_PATH)}).text)
    assert site_url(HOSTILE_PATH) in "".join(hostile.text)


def test_a_page_no_followed_link_reaches(tmp_path: Path) -> None:
    crawl = Crawl(sitemap=["https://shop.example/orphan"])
    path = crawl.page("").page("x").page("orphan").link("", "x").save(tmp_path / "o.duckdb")
    Project(path).analyze()
    page = inert(get(app_for(path), "/page", params={"url": site_url("orphan")}).text)
    assert "No followed link from the start URL reaches this page." in "".join(page.text)


def test_a_page_the_crawl_does_not_hold_is_a_404(app: FastAPI) -> None:
    answer = get(app, "/page", params={"url": "https://elsewhere.example/"})
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "Crawl 1 has no page https://elsewhere.example/."


def test_the_findings_page(app: FastAPI) -> None:
    page = inert(get(app, "/findings").text)
    text = "".join(page.text)
    assert "broken_link" in text and "single_inlink" in text
    assert page.page_links()[0] == site_url("gone")  # costliest first
    assert "/findings?kind=broken_link" in page.links()
    one = inert(get(app, "/findings?kind=single_inlink").text)
    assert set(one.page_links()) == {site_url("a"), site_url(HOSTILE_PATH)}


def test_the_report_is_served_whole(app: FastAPI) -> None:
    answer = get(app, "/report")
    assert answer.status_code == 200
    assert "<title>Link equity report: https://shop.example/</title>" in answer.text
    assert HOSTILE not in answer.text and "<script>window.pwned" not in answer.text


def test_the_stylesheet(app: FastAPI) -> None:
    answer = get(app, "/static/app.css")
    assert answer.headers["content-type"].startswith("text/css")
    assert "url(" not in answer.text and "@import" not in answer.text  # nothing fetched


def test_a_page_view_lists_the_links_passing_the_most_and_counts_them_all(
    tmp_path: Path,
) -> None:
    crawl = Crawl().page("", title="Home")
    for n in range(LINK_ROWS + 2):
        crawl.page(f"p{n}").link("", f"p{n}").link(f"p{n}", "")
    path = crawl.save(tmp_path / "wide.duckdb")
    Project(path).analyze()
    source = get(app_for(path), "/page", params={"url": site_url("")}).text
    page = inert(source)
    text = "".join(page.text)
    assert f"Inlinks ({LINK_ROWS + 2:,})" in text and f"Outlinks ({LINK_ROWS + 2:,})" in text
    assert f"The {LINK_ROWS} passing the most equity of {LINK_ROWS + 2:,}" in text
    assert "/api/page/inlinks?url=https%3A%2F%2Fshop.example%2F" in page.links()
    inlinks = source.split('id="inlinks"')[1].split('id="outlinks"')[0]
    outlinks = source.split('id="outlinks"')[1].split('id="findings"')[0]
    # a header and LINK_ROWS rows each
    assert inlinks.count("<tr>") == outlinks.count("<tr>") == LINK_ROWS + 1
