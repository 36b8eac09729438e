"""Impact: one unit across kinds, equal to what the site's accounting says is at stake."""

from __future__ import annotations

import pytest

from linkequity import Project
from linkequity.store import Store
from tests.unit.analysis.test_analyze import shop
from tests.unit.equity.builder import url


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    crawl = shop()
    crawl.page("lost", 410).page("away", None)
    crawl.link("boots", "lost", position="footer", anchor="Lost").link("deep", "away")
    crawl.link("tents/t2", "lost", anchor="Lost", rel="nofollow")  # evaporates, not wasted
    project = Project(crawl.save(tmp_path_factory.mktemp("impact") / "p.duckdb"))
    project.analyze()
    return project


def test_broken_link_impacts_add_up_to_the_equity_wasted_on_broken_targets(
    analysed: Project,
) -> None:
    with Store(analysed.path, read_only=True) as store:
        row = store.one("SELECT wasted_broken FROM analyses")
        assert row is not None
        wasted = float(row[0])  # a share of what links pass on
        passing = store.one("SELECT 0.85 * sum(score) FROM page_scores WHERE equity_per_weight > 0")
        assert passing is not None
    broken = analysed.findings(kind="broken_link").to_pylist()
    assert {b["url"] for b in broken} == {url("gone"), url("lost"), url("away")}
    total = sum(b["impact"] for b in broken)
    assert total == pytest.approx(100 * wasted * float(passing[0]), rel=1e-9)


def test_a_broken_links_impact_is_its_links_equity_by_hand(analysed: Project) -> None:
    boots = next(r for r in analysed.page_scores().to_pylist() if r["url"] == url("boots"))
    lost = next(r for r in analysed.findings(kind="broken_link").to_pylist() if "lost" in r["url"])
    # /boots links Home (header 0.4), Tents (navigation 0.5), /deep and /hidden (content 1.0
    # each) and /lost (footer 0.2); its link to itself does not count. The nofollow link
    # of /tents/t2 to /lost evaporates: it would pass nothing were /lost alive.
    weight = 0.4 + 0.5 + 1.0 + 1.0 + 0.2
    assert lost["impact"] == pytest.approx(100 * 0.85 * boots["score"] * 0.2 / weight, rel=1e-9)


def test_findings_come_costliest_first_and_filter_by_impact(analysed: Project) -> None:
    rows = analysed.findings().to_pylist()
    impacts = [r["impact"] for r in rows]
    assert impacts == sorted(impacts, reverse=True)
    floor = impacts[len(impacts) // 2]
    kept = analysed.findings(min_impact=floor).to_pylist()
    assert kept and all(r["impact"] >= floor for r in kept)
    assert len(analysed.findings(limit=3)) == 3
    summary = analysed.finding_summary().to_pylist()
    totals = [r["total_impact"] for r in summary]
    assert totals == sorted(totals, reverse=True)
    assert sum(r["findings"] for r in summary) == len(rows)
