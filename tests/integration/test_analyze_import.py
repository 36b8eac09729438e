"""A Screaming Frog export imported and analysed: the whole analysis runs on an existing crawl."""

from __future__ import annotations

from pathlib import Path

from linkequity import Project

FIXTURES = Path(__file__).parents[1] / "fixtures" / "screamingfrog"


def test_an_inlinks_export_alone_is_analysed(tmp_path: Path) -> None:
    site = Project(tmp_path / "sf.duckdb")
    site.import_screamingfrog(FIXTURES / "all_inlinks.csv")
    site.analyze()
    rows = {r["url"]: r for r in site.page_scores().to_pylist()}
    pages = sorted(u for u, r in rows.items() if r["score"] is not None)
    # pages known only as link targets (no content type in the export) hold equity too
    assert pages == [
        "https://blog.example.com/",
        "https://www.example.com/",
        "https://www.example.com/shop/",
        "https://www.example.com/shop/chairs",
    ]
    assert max(rows[u]["link_score"] for u in pages) == 100.0
    # the export gives the 301's status but not its Location: not broken, just unknown
    assert rows["https://www.example.com/old-page"]["role"] == "redirect"
    broken = [f["url"] for f in site.findings(kind="broken_link").to_pylist()]
    assert broken == ["https://www.example.com/missing"]
    # every internal URL the export's links name has a row, fetched by the tool or not
    links = site.links().to_pylist()
    named = {r["dst_url"] for r in links if r["is_internal"] and r["dst_url"].startswith("http")}
    assert named - set(rows) == set()
    assert {r["src_url"] for r in links} - set(rows) == set()


def test_an_import_without_text_gets_proposed_anchors_and_says_so(tmp_path: Path) -> None:
    site = Project(tmp_path / "sf.duckdb")
    site.import_screamingfrog(FIXTURES / "internal_all.csv", FIXTURES / "all_inlinks.csv")
    site.analyze()
    _, pages = site.topics()
    assert set(pages.column("text_source").to_pylist()) == {"title, h1 and inbound anchors"}
    result = site.recommend(["https://www.example.com/"], budget=3, min_relevance=0.0)
    rows = result.links.to_pylist()
    assert rows and result.without_text == len(rows)
    assert all(not r["anchor_in_text"] and r["snippet"] is None and r["anchor"] for r in rows)
