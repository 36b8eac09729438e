"""Two crawls compared: pages, links, depth, equity and findings that changed, by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity import Project
from linkequity.errors import StoreError
from linkequity.store import Store
from linkequity.store.compare import compare_crawls
from tests.commands import one_sentence_error, run
from tests.unit.equity.builder import Crawl, url


def two_crawls(tmp_path: Path) -> Path:
    """Crawl 1: home -> a, b, gone (404); a -> c. Crawl 2: b is gone from the site, the
    broken link is fixed, home links c directly (c one click nearer) and d is new."""
    path = tmp_path / "p.duckdb"
    first = Crawl().page("", depth=0).page("a").page("b").page("c", depth=2).page("gone", 404)
    first.link("", "a").link("", "b").link("", "gone").link("a", "c").link("b", "").link("c", "")
    first.link("a", "")
    first.save(path, crawl_id=1)
    second = Crawl().page("", depth=0).page("a").page("c").page("d")
    second.link("", "a").link("", "c").link("", "d").link("a", "c").link("c", "").link("d", "")
    second.link("a", "")
    second.save(path, crawl_id=2)
    site = Project(path)
    site.analyze(1)
    site.analyze(2)
    return path


def test_what_changed_between_two_crawls(tmp_path: Path) -> None:
    path = two_crawls(tmp_path)
    with Store(path) as store:
        result = compare_crawls(store)
    assert (result.before, result.after) == (1, 2)
    pages = {(r["url"], r["change"]) for r in result.pages.to_pylist()}
    assert pages == {(url("b"), "removed"), (url("gone"), "removed"), (url("d"), "added")}
    links = {(r["src_url"], r["dst_url"], r["change"]) for r in result.links.to_pylist()}
    assert links == {
        (url(""), url("b"), "removed"),
        (url(""), url("gone"), "removed"),
        (url("b"), url(""), "removed"),
        (url(""), url("c"), "added"),
        (url(""), url("d"), "added"),
        (url("d"), url(""), "added"),
    }
    assert result.depth.to_pylist() == [{"url": url("c"), "depth_before": 2, "depth_after": 1}]
    broken = [r for r in result.findings.to_pylist() if r["kind"] == "broken_link"]
    assert broken == [
        {"kind": "broken_link", "url": url("gone"), "severity": "error", "change": "resolved"}
    ]
    movers = {r["url"]: r for r in result.movers.to_pylist()}
    scores = {
        cid: {
            r["url"]: r["share"] for r in Project(path).page_scores(cid).to_pylist() if r["share"]
        }
        for cid in (1, 2)
    }
    assert movers[url("c")]["share_change"] == pytest.approx(
        scores[2][url("c")] - scores[1][url("c")]
    )
    assert movers[url("d")]["share_before"] is None
    assert movers[url("b")]["share_after"] is None
    changes = [abs(r["share_change"]) for r in result.movers.to_pylist()]
    assert changes == sorted(changes, reverse=True)
    summary = dict(zip(*(result.summary().column(c).to_pylist() for c in ("change", "count")),
                       strict=True))  # fmt: skip
    assert summary["pages added"] == 1 and summary["links removed"] == 3


def test_comparing_needs_two_crawls(tmp_path: Path) -> None:
    path = tmp_path / "one.duckdb"
    Crawl().page("").save(path)
    with Store(path) as store, pytest.raises(StoreError) as caught:
        compare_crawls(store)
    assert str(caught.value) == f"Comparing needs two crawls; the project file {path} has one."
    path = two_crawls(tmp_path)
    assert one_sentence_error(run("compare", "1", "7", "-p", str(path), cwd=tmp_path)) == (
        f"The project file {path} has no crawl 7."
    )
    csv = run("compare", "-p", str(path), "--table", "pages", "-f", "csv", cwd=tmp_path)
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0] == '"url","change","status_before","status_after"'
    shown = run("compare", "-p", str(path), cwd=tmp_path, columns=160)
    assert "Crawl 1 -> crawl 2" in shown.stdout and "Equity movers" in shown.stdout
