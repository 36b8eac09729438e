"""Links to remove or follow: each kind is found, and each gain is what a simulation gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkequity.analysis import analyze
from linkequity.plan.changes import LinkChange
from linkequity.plan.gains import EquityModel
from linkequity.plan.removals import FOOTER_LINKS, TEMPLATE_PAGES, suggest_changes
from linkequity.plan.simulate import load_baseline, simulate
from linkequity.settings import BacklinkSettings, EquitySettings
from linkequity.store import Store
from tests.unit.equity.builder import Crawl, url

TIGHT = EquitySettings(tolerance=1e-13)
PAGES = TEMPLATE_PAGES + 5
FOOTER = FOOTER_LINKS + 2


def site(tmp_path: Path) -> Path:
    """PAGES pages, each with a footer of FOOTER links to filler pages, a header link to
    the account page and a content link to the guide (the priority); the first links the
    guide only with rel=nofollow, the second also links a noindex page."""
    crawl = Crawl().page("").page("guide").page("account/").page("hidden", meta_robots="noindex")
    for i in range(FOOTER):
        crawl.page(f"f{i}")
        crawl.link(f"f{i}", "")
    for i in range(PAGES):
        crawl.page(f"p{i}")
        crawl.link("", f"p{i}", position="navigation")
        crawl.link(f"p{i}", "guide" if i else "")
        crawl.link(f"p{i}", "account/", position="header")
        for j in range(FOOTER):
            crawl.link(f"p{i}", f"f{j}", position="footer")
    crawl.link("p0", "guide", rel="nofollow")
    crawl.link("p1", "hidden")
    crawl.link("guide", "").link("account/", "").link("hidden", "")
    path = crawl.save(tmp_path / "p.duckdb")
    with Store(path) as store:
        analyze(store, 1, equity=TIGHT)
    return path


def test_each_kind_is_found_and_each_gain_is_a_simulations(tmp_path: Path) -> None:
    path = site(tmp_path)
    with Store(path) as store:
        baseline = load_baseline(store, 1, TIGHT, BacklinkSettings())
        graph = baseline.graph
        model = EquityModel(graph.transitions, graph.total_weight, TIGHT.damping,
                            baseline.teleport)  # fmt: skip
        c = np.zeros(graph.n)
        c[graph.urls.index(url("guide"))] = 1.0
        model.set_priorities(c)
        table, plan = suggest_changes(store, baseline, model)
    rows = table.to_pylist()
    kinds = {(r["reason"], r["action"], r["target_url"]) for r in rows}
    assert ("evaporating_nofollow", "follow", url("guide")) in kinds
    assert ("low_value_target", "remove", url("hidden")) in kinds
    assert ("low_value_target", "remove", url("account/")) in kinds
    assert any(k[0] == "footer_link_dump" for k in kinds)
    assert all(r["predicted_priority_gain"] > 0 for r in rows)
    template = next(r for r in rows if r["reason"] == "footer_link_dump")
    assert template["source_url"] is None and template["pages"] == PAGES
    assert sum(1 for p in plan.to_pylist() if p["target_url"] == template["target_url"]) == PAGES
    before = float(baseline.scores @ c)
    for row in rows:
        sources = (
            [row["source_url"]]
            if row["source_url"]
            else [p["source_url"] for p in plan.to_pylist() if p["target_url"] == row["target_url"]
                  and p["reason"] == row["reason"]]
        )  # fmt: skip
        changes = tuple(LinkChange(row["action"], s, row["target_url"]) for s in sources)
        after = simulate(baseline, changes).pages.to_pylist()
        score = next(p["score_after"] for p in after if p["url"] == url("guide"))
        assert row["predicted_priority_gain"] == pytest.approx(score - before, rel=1e-9)
