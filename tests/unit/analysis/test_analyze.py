"""analyze() end to end on hand-made crawls: stored scores, findings, anchors, link flows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.errors import ImportFormatError, StoreError
from linkequity.settings import AuditSettings
from linkequity.store import Store
from tests.unit.equity.builder import Crawl, url


def shop() -> Crawl:
    """A home page, two categories, products, a guide, and the usual mistakes."""
    crawl = Crawl(sitemap=[url("orphan"), url("tents")])
    crawl.page("", depth=0, title="Home | Shop").page("tents", title="Tents | Shop", h1="Tents")
    crawl.page("boots", title="Boots | Shop", h1="Boots")
    for i in range(3):
        crawl.page(f"tents/t{i}", depth=2, title=f"Tent {i} | Shop", h1=f"Tent {i}")
    crawl.page("deep", depth=5, title="Deep | Shop").page("orphan", depth=None)
    crawl.page("gone", 404).page("moved", 301, redirect="moved-again")
    crawl.page("moved-again", 301, redirect="boots")
    crawl.page("hidden", meta_robots="noindex", title="Hidden | Shop")
    for src in ("", "tents", "boots", "tents/t0", "tents/t1", "tents/t2", "deep", "hidden"):
        crawl.link(src, "", position="header", anchor="Home")
        crawl.link(src, "tents", position="navigation", anchor="Tents")
        crawl.link(src, "boots", position="navigation", anchor="Boots")
    for i in range(3):
        crawl.link("tents", f"tents/t{i}", anchor=f"Tent {i}")
        crawl.link(f"tents/t{i}", "tents", anchor="read more")
    crawl.link("tents/t0", "gone", anchor="Old tent").link("tents/t1", "gone", anchor="Old tent")
    crawl.link("", "moved", anchor="Boots").link("boots", "deep", anchor="")
    crawl.link("boots", "hidden", anchor="Hidden").link("tents/t2", "tents", anchor="Tents")
    return crawl


@pytest.fixture
def project(tmp_path: Path) -> Project:
    site = Project(shop().save(tmp_path / "shop.duckdb"))
    site.analyze()
    return site


def kinds(project: Project) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in project.findings().to_pylist():
        found.setdefault(row["kind"], []).append(row["url"].removeprefix(url("")))
    return found


def test_findings_of_a_small_shop(project: Project) -> None:
    found = kinds(project)
    assert found["broken_link"] == ["gone"]  # one finding per broken URL, listing its sources
    assert found["redirect_chain"] == ["moved"]
    assert found["link_to_redirect"] == ["moved"]
    assert found["link_to_noindex"] == ["hidden"]
    assert found["orphan"] == ["orphan"]
    assert found["deep_page"] == ["deep"]
    assert found["dead_end"] == ["orphan"]
    assert sorted(found["single_inlink"]) == ["deep", "tents/t0", "tents/t1", "tents/t2"]
    # the products' "read more" follows their menu link to /tents: it passes nothing, and
    # its words do not matter (first link counts)
    assert "generic_anchor" not in found
    assert found["empty_anchor"] == ["deep"]
    # "Boots" names both /boots and the redirect reaching /boots: one target, no cannibalisation
    assert "anchor_cannibalisation" not in found
    broken = project.findings(kind="broken_link").to_pylist()[0]
    assert broken["summary"] == (
        f"Broken (404): 2 link(s) from {url('tents/t0')} in the content and 1 other page(s)"
    )
    assert json.loads(broken["detail_json"]) == {
        "error": None,
        "occurrences": 2,
        "source_pages": 2,
        "sources": [
            {"anchor": "Old tent", "occurrences": 1, "position": "content",
             "source": url("tents/t0")},
            {"anchor": "Old tent", "occurrences": 1, "position": "content",
             "source": url("tents/t1")},
        ],
        "status_code": 404,
    }  # fmt: skip


def test_page_scores_rows(project: Project) -> None:
    rows = {r["url"].removeprefix(url("")): r for r in project.page_scores().to_pylist()}
    assert len(rows) == 12
    assert rows["moved"]["role"] == "redirect"
    assert rows["moved"]["equity_url"] == url("boots")
    assert rows["gone"]["score"] is None and rows["gone"]["link_outcome"] == "broken"
    tents = rows["tents"]
    assert (tents["inlinks"], tents["unique_inlinks"], tents["content_inlinks"]) == (11, 7, 3)
    assert tents["outlinks"] == 5 and tents["crawl_depth"] == 1
    best = project.page_scores(limit=1).to_pylist()[0]
    assert best["rank"] == 1 and best["link_score"] == 100.0
    scores = [r["score"] for r in rows.values() if r["score"] is not None]
    assert sum(scores) == pytest.approx(1.0)
    assert min(r["link_score"] for r in rows.values() if r["score"] is not None) == 0.0


def test_inlinks_add_up_to_what_a_page_receives(project: Project) -> None:
    flows = project.inlinks(url("boots")).to_pylist()
    outcome = {(f["src_url"].removeprefix(url("")), f["dst_url"].removeprefix(url(""))):
               f["outcome"] for f in flows}  # fmt: skip
    # the home page links to /boots in its navigation first, then through the redirect
    assert outcome[("", "boots")] == "passes"
    assert outcome[("", "moved")] == "duplicate (first link counts)"
    assert outcome[("boots", "boots")] == "excluded (self)"
    row = next(r for r in project.page_scores().to_pylist() if r["url"] == url("boots"))
    received = sum(row[f"received_{p}"] for p in ("content", "navigation", "header", "footer",
                                                  "sidebar", "unknown"))  # fmt: skip
    assert sum(f["equity"] for f in flows) == pytest.approx(received, rel=1e-12)


def test_anchors_table(project: Project) -> None:
    anchors = {(r["target_url"].removeprefix(url("")), r["anchor"]): r
               for r in project.anchors().to_pylist()}  # fmt: skip
    assert anchors[("tents", "Tents")]["links"] == 8
    assert anchors[("tents", "Tents")]["is_exact_match"]
    assert anchors[("tents", "read more")]["is_generic"]
    assert anchors[("deep", "")]["is_empty"]
    # the redirect's link counts for its final target
    assert anchors[("boots", "Boots")]["links"] == 8


def test_given_keywords_judge_over_optimisation(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("tents", h1="Tents")
    for i in range(12):
        crawl.page(f"p{i}").link(f"p{i}", "tents", anchor="cheap tents")
        crawl.link("", f"p{i}")
    keywords = tmp_path / "keywords.csv"
    keywords.write_text("url,keyword\n" + url("tents") + ",Cheap Tents\n", encoding="utf-8")
    site = Project(crawl.save(tmp_path / "k.duckdb"))
    site.analyze(audit=AuditSettings(keywords_file=str(keywords)))
    found = site.findings(kind="over_optimised_anchor").to_pylist()
    assert [f["summary"] for f in found] == [
        "12 of 12 content links (100%) use the exact keyword 'cheap tents'"
    ]
    site.analyze()  # without given keywords, naming a page by its h1 is not judged
    assert site.findings(kind="over_optimised_anchor").num_rows == 0


def test_a_bad_keywords_file_names_row_and_column(tmp_path: Path) -> None:
    keywords = tmp_path / "keywords.csv"
    keywords.write_text("url,keyword\nnot a url,tents\n", encoding="utf-8")
    site = Project(Crawl().page("").save(tmp_path / "k.duckdb"))
    with pytest.raises(ImportFormatError) as err:
        site.analyze(audit=AuditSettings(keywords_file=str(keywords)))
    assert str(err.value) == f"{keywords}, row 2, column 'url': 'not a url' is not a URL."


def test_analysing_again_replaces_the_rows(project: Project) -> None:
    before = project.findings().num_rows
    project.analyze()
    assert project.findings().num_rows == before
    with Store(project.path, read_only=True) as store:
        assert store.one("SELECT count(*) FROM analyses") == (1,)


def test_results_before_analysis_say_what_to_run(tmp_path: Path) -> None:
    site = Project(shop().save(tmp_path / "fresh.duckdb"))
    with pytest.raises(StoreError, match="has not been analyzed yet: run linkequity analyze"):
        site.page_scores()


def test_results_are_dataframes_for_notebooks(project: Project) -> None:
    frame = project.page_scores().to_pandas()
    assert frame.loc[frame["url"] == url("tents"), "unique_inlinks"].item() == 7
    findings = project.findings(kind="orphan").to_pandas()
    assert findings["url"].tolist() == [url("orphan")]


def test_every_internal_url_the_crawl_knows_has_a_row(tmp_path: Path) -> None:
    # /later was never fetched (beyond max_pages, say): its row says so and counts its inlinks
    crawl = Crawl().page("", depth=0).page("a").link("", "a").link("", "later")
    crawl.link("a", "later", anchor="Later").link("a", "https://other.example/", anchor="x")
    site = Project(crawl.save(tmp_path / "u.duckdb"))
    site.analyze()
    rows = {r["url"]: r for r in site.page_scores().to_pylist()}
    assert sorted(rows) == [url(""), url("a"), url("later")]  # the other site's URL is no row
    later = rows[url("later")]
    assert (later["role"], later["link_outcome"], later["equity_url"]) == (
        "unfetched", "excluded", None
    )  # fmt: skip
    assert (later["inlinks"], later["unique_inlinks"], later["outlinks"]) == (2, 2, 0)
    assert (later["score"], later["rank"], later["status_code"], later["crawl_depth"]) == (
        None, None, None, None
    )  # fmt: skip
    assert (later["indexable"], later["indexability_reason"]) == (False, "unknown")
    assert sum(r["score"] for r in rows.values() if r["score"] is not None) == pytest.approx(1.0)
