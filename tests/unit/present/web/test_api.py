"""The JSON API over a small analysed site: every route answers with the figures of the
analysis, crawled text comes back as the exact string it is, errors have one shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from linkequity import Project
from tests.unit.equity.builder import Crawl
from tests.unit.present.web.site import (
    HOSTILE,
    HOSTILE_PATH,
    JS_URL,
    app_for,
    get,
    hostile_site,
    recommend,
    url,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = hostile_site(tmp_path_factory.mktemp("api"))
    recommend(path)
    return path


@pytest.fixture(scope="module")
def app(site: Path) -> FastAPI:
    return app_for(site)


def test_summary_holds_the_crawls_counts(app: FastAPI) -> None:
    body = get(app, "/api/summary").json()
    assert body["crawl_id"] == 1 and body["start_url"] == url("")
    assert body["pages"] == 5 and body["links"] == 9
    assert body["by_status"] == {"200": 4, "404": 1}
    assert body["analysis"]["pages"] == 5 and 0 < body["analysis"]["passed_internal"] <= 1


def test_pages_are_sorted_paged_and_match_page_scores(app: FastAPI, site: Path) -> None:
    expected = Project(site).page_scores().to_pylist()
    body = get(app, "/api/pages").json()
    assert body["total"] == 5 and body["sort"] == "link_score" and body["order"] == "desc"
    assert [p["url"] for p in body["pages"]] == [r["url"] for r in expected]
    home = body["pages"][0]
    assert home["url"] == url("") and home["link_score"] == 100.0 and home["inlinks"] == 3
    assert home["directory"] == "/" and home["cluster"] == 0
    second = get(app, "/api/pages", params={"per_page": 2, "page": 2}).json()
    assert [p["url"] for p in second["pages"]] == [r["url"] for r in expected[2:4]]
    by_url = get(app, "/api/pages", params={"sort": "url"}).json()
    assert [p["url"] for p in by_url["pages"]] == sorted(r["url"] for r in expected)
    worst = get(app, "/api/pages", params={"sort": "link_score", "order": "asc"}).json()
    assert worst["pages"][0]["link_score"] == 0.0  # nulls (the broken page) last either way
    assert worst["pages"][-1]["url"] == url("gone")


def test_pages_search_and_filters(app: FastAPI) -> None:
    def urls(**params: str) -> list[str]:
        return [p["url"] for p in get(app, "/api/pages", params=params).json()["pages"]]

    assert urls(q="BOOTS") == [url("boots")]  # the title or URL, any case
    assert urls(q="onerror=") == [url("a")]  # the hostile title
    assert urls(status="404") == [url("gone")]
    assert set(urls(indexable="false")) == {url("gone")}
    assert len(urls(indexable="true")) == 4
    assert len(urls(directory="/")) == 5 and urls(directory="/blog/") == []
    assert len(urls(cluster="0")) == 4 and urls(cluster="7") == []


def test_one_page_with_its_links_findings_and_path(app: FastAPI) -> None:
    body = get(app, "/api/page", params={"url": url("boots")}).json()
    assert body["page"]["title"] == "Boots" and body["page"]["unique_inlinks"] == 2
    inlinks = get(app, "/api/page/inlinks", params={"url": url("boots")}).json()["inlinks"]
    assert sorted(i["src_url"] for i in inlinks) == [url(""), url("a")]
    assert {i["anchor"] for i in inlinks} == {"Boots", HOSTILE}  # the exact crawled string
    assert all(i["equity"] > 0 for i in inlinks)
    body = get(app, "/api/page/outlinks", params={"url": url("a")}).json()
    assert body["total"] == 3 and body["offset"] == 0
    # the most equity first; ties in the order of the page
    outlinks = body["outlinks"]
    assert [o["dst_url"] for o in outlinks] == [url("boots"), url(""), JS_URL]
    assert outlinks[0]["equity"] == outlinks[1]["equity"] > 0 and outlinks[2]["equity"] == 0.0
    window = {"url": url("a"), "offset": 1, "limit": 1}
    body = get(app, "/api/page/outlinks", params=window).json()
    assert body["total"] == 3 and [o["dst_url"] for o in body["outlinks"]] == [url("")]
    findings = get(app, "/api/page/findings", params={"url": url("gone")}).json()["findings"]
    assert [(f["kind"], f["severity"]) for f in findings] == [("broken_link", "error")]
    assert get(app, "/api/page/findings", params={"url": url("")}).json()["findings"] == []
    path = get(app, "/api/page/click-path", params={"url": url("boots")}).json()
    assert path == {"url": url("boots"), "click_path": [url(""), url("boots")]}
    assert get(app, "/api/page", params={"url": url("a")}).json()["click_path"] == [
        url(""),
        url("a"),
    ]


def test_recommendations_of_a_page_and_of_the_site(app: FastAPI) -> None:
    def ranks(target: str) -> list[int]:
        body = get(app, "/api/page/recommendations", params={"url": target}).json()
        return [r["rank"] for r in body["recommendations"]]

    assert ranks(url("a")) == [1, 2]  # the target of both
    assert ranks(url("boots")) == [1]  # the source of the first
    assert ranks(url("gone")) == []
    every = get(app, "/api/recommendations").json()["recommendations"]
    assert [(r["source_url"], r["target_url"]) for r in every] == [
        (url("boots"), url("a")),
        (url(""), url("a")),
    ]
    assert every[0]["anchor"] == HOSTILE and every[0]["predicted_gain"] == 0.0125


def test_a_page_no_followed_link_reaches_has_an_empty_click_path(tmp_path: Path) -> None:
    crawl = Crawl(sitemap=["https://shop.example/orphan"])
    path = crawl.page("").page("x").page("orphan").link("", "x").save(tmp_path / "o.duckdb")
    Project(path).analyze()
    app = app_for(path)
    assert get(app, "/api/page/click-path", params={"url": url("orphan")}).json() == {
        "url": url("orphan"),
        "click_path": [],
    }
    assert get(app, "/api/recommendations").json() == {"recommendations": []}


def test_a_url_is_found_as_given_or_normalised(app: FastAPI) -> None:
    body = get(app, "/api/page/inlinks", params={"url": "HTTPS://SHOP.EXAMPLE/boots"}).json()
    assert body["url"] == url("boots") and len(body["inlinks"]) == 2


def test_a_hostile_url_is_a_page_like_any_other(app: FastAPI) -> None:
    hostile = url(HOSTILE_PATH)
    body = get(app, "/api/page", params={"url": hostile}).json()
    assert body["page"]["url"] == hostile and body["page"]["title"] == "Search"


def test_findings_clusters_recommendations_and_directories(app: FastAPI) -> None:
    body = get(app, "/api/findings").json()
    kinds = [k["kind"] for k in body["kinds"]]
    assert kinds[0] == "broken_link"
    impacts = [f["impact"] for f in body["findings"]]
    assert impacts == sorted(impacts, reverse=True)  # costliest first
    only = get(app, "/api/findings", params={"kind": "broken_link"}).json()["findings"]
    assert [(f["kind"], f["url"]) for f in only] == [("broken_link", url("gone"))]
    clusters = get(app, "/api/clusters").json()["clusters"]
    assert [c["pages"] for c in clusters] == [4]
    folders = get(app, "/api/directories").json()["directories"]
    assert folders == [{"directory": "/", "urls": 5}]


def test_errors_have_one_shape(app: FastAPI) -> None:
    missing = get(app, "/api/page", params={"url": url("nowhere")})
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {"status": 404, "message": f"Crawl 1 has no page {url('nowhere')}."}
    }
    no_url = get(app, "/api/page/inlinks")
    assert no_url.status_code == 400
    assert no_url.json()["error"] == {
        "status": 400,
        "message": "The query parameter url is missing.",
    }
    too_many = get(app, "/api/pages", params={"per_page": 501})
    assert too_many.status_code == 400 and too_many.json()["error"]["message"] == (
        "The query parameter per_page is not valid: Input should be less than or equal to 500."
    )
    bad_sort = get(app, "/api/pages", params={"sort": "nonsense"})
    assert bad_sort.status_code == 400 and "sort" in bad_sort.json()["error"]["message"]
    nowhere = get(app, "/api/nothing")
    assert nowhere.status_code == 404
    assert nowhere.json() == {
        "error": {"status": 404, "message": "There is nothing at this address."}
    }


def test_openapi_describes_every_route_and_the_error_shape(app: FastAPI) -> None:
    spec = get(app, "/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/summary", "/api/pages", "/api/page", "/api/page/inlinks", "/api/page/outlinks",
        "/api/page/findings", "/api/page/recommendations", "/api/page/click-path",
        "/api/findings", "/api/clusters", "/api/recommendations", "/api/directories",
    }  # fmt: skip
    assert all(set(ops) == {"get"} for ops in spec["paths"].values())
    responses = spec["paths"]["/api/page"]["get"]["responses"]
    assert {"400", "403", "404", "405", "421", "503"} <= set(responses)
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert get(app, "/docs").status_code == 404  # its script would come from a CDN


def test_a_project_file_that_goes_away_while_served(tmp_path: Path) -> None:
    path = hostile_site(tmp_path)
    app = app_for(path)
    assert get(app, "/api/summary").status_code == 200
    path.unlink()
    gone = get(app, "/api/summary")
    assert gone.status_code == 503
    assert gone.json() == {
        "error": {"status": 503, "message": f"The project file {path} does not exist."}
    }
