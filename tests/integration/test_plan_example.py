"""Recommend and simulate on a real crawl of the example site: every rule of a recommendation
holds, and what the greedy predicts is what a simulation of its links gives."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.errors import ConfigError
from linkequity.example import SiteServer, build_site
from linkequity.pagetext import plain, segments
from linkequity.plan.changes import LinkChange
from linkequity.plan.priorities import Priority
from linkequity.plan.recommend import Recommendations
from linkequity.settings import AuditSettings, EquitySettings
from linkequity.store import Store
from linkequity.store.queries import page_texts

TIGHT = EquitySettings(tolerance=1e-13)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    site = build_site(pages=300, seed=7)
    with SiteServer(site) as server:
        result = Project(tmp_path_factory.mktemp("plan") / "site.duckdb")
        result.crawl(server.origin + "/", workers=0)
    result.analyze(equity=TIGHT)
    yield result


def weakest_guides(project: Project, count: int) -> list[str]:
    rows = project.page_scores(sort="score").to_pylist()
    guides = [
        r["url"]
        for r in rows
        if r["role"] == "page" and r["indexable"] and r["url"].rstrip("/").count("/") >= 4
    ]
    return guides[-count:]


def mentioned_products(project: Project, count: int) -> list[str]:
    """The products the journal names most often without linking them."""
    with Store(project.path, read_only=True) as store:
        texts = page_texts(store, 1)
    named: Counter[str] = Counter()
    for marked, _ in texts.values():
        for run in segments(marked):
            if run.kind == "text":
                named.update(re.findall(r"we want to try the ([^.]+)\.", run.text))
    by_name = {
        str(r["title"]).split(" | ")[0]: r["url"]
        for r in project.page_scores().to_pylist()
        if r["role"] == "page" and "/products/" in r["url"]
    }
    return [by_name[name] for name, _ in named.most_common(count)]


@pytest.fixture(scope="module")
def recommended(project: Project) -> tuple[list[str], Recommendations]:
    targets = mentioned_products(project, 3)
    return targets, project.recommend(targets, budget=12, per_source=2, equity=TIGHT)


def test_every_recommendation_obeys_the_rules(
    project: Project, recommended: tuple[list[str], Recommendations]
) -> None:
    targets, result = recommended
    rows = result.links.to_pylist()
    assert len(rows) == 12
    pages = {r["url"]: r for r in project.page_scores().to_pylist()}
    links = project.links().to_pylist()
    linked = {(link["src_url"], link["dst_url"]) for link in links}
    sources: dict[str, int] = {}
    for row in rows:
        source, target = row["source_url"], row["target_url"]
        assert target in targets
        assert source != target
        assert (source, target) not in linked
        page = pages[source]
        assert page["role"] == "page" and page["indexable"] and 200 <= page["status_code"] < 300
        sources[source] = sources.get(source, 0) + 1
        assert row["predicted_priority_gain"] > 0
    assert max(sources.values()) <= 2
    # the pages' links and the new ones stay within the page link budget
    outlinks = {u: p["outlinks"] for u, p in pages.items()}
    for source, added in sources.items():
        assert outlinks[source] + added <= AuditSettings().max_links_per_page
    cumulative = [r["cumulative_priority_gain"] for r in rows]
    assert cumulative == sorted(cumulative)
    assert result.priority_gain == pytest.approx(cumulative[-1], rel=1e-12)


def test_anchors_stand_in_the_source_text_outside_links_and_headings(
    project: Project, recommended: tuple[list[str], Recommendations]
) -> None:
    _, result = recommended
    rows = result.links.to_pylist()
    with Store(project.path, read_only=True) as store:
        texts = page_texts(store, 1, {r["source_url"] for r in rows})
    found = 0
    for row in rows:
        assert row["anchor"]
        if not row["anchor_in_text"]:
            assert row["snippet"] is None
            continue
        found += 1
        marked = texts[row["source_url"]][0]
        assert row["anchor"] in plain(marked)
        assert row["anchor"] in row["snippet"].replace("…", "")
        runs = [run.text for run in segments(marked) if run.kind == "text"]
        assert any(row["anchor"] in run for run in runs)
    assert found == sum(r["anchor_in_text"] for r in rows)


def test_in_text_only_links_stand_on_words_the_source_says(project: Project) -> None:
    targets = mentioned_products(project, 3)
    with Store(project.path, read_only=True) as store:
        from linkequity.plan.recommend import recommend
        from linkequity.settings import BacklinkSettings

        result = recommend(
            store, 1, TIGHT, AuditSettings(), BacklinkSettings(),
            tuple(Priority(t) for t in targets), budget=6, in_text_only=True,
        )  # fmt: skip
        texts = page_texts(store, 1, set(result.links.column("source_url").to_pylist()))
    rows = result.links.to_pylist()
    assert len(rows) == 6
    for row in rows:
        assert row["anchor_in_text"]
        runs = [run.text for run in segments(texts[row["source_url"]][0]) if run.kind == "text"]
        assert any(row["anchor"] in run for run in runs)
        assert row["anchor"] in row["snippet"]


def test_the_predicted_gain_is_what_a_simulation_gives(
    project: Project, recommended: tuple[list[str], Recommendations]
) -> None:
    targets, result = recommended
    rows = result.links.to_pylist()
    changes = tuple(LinkChange("add", r["source_url"], r["target_url"]) for r in rows)
    simulated = project.simulate(changes, equity=TIGHT)
    after = dict(
        zip(
            simulated.pages.column("url").to_pylist(),
            simulated.pages.column("score_after").to_pylist(),
            strict=True,
        )
    )
    before = dict(
        zip(
            simulated.pages.column("url").to_pylist(),
            simulated.pages.column("score_before").to_pylist(),
            strict=True,
        )
    )
    gain = sum(after[t] - before[t] for t in targets)
    assert result.priority_gain == pytest.approx(gain, rel=1e-9)
    # the greedy's links beat the most related pages at the same budget
    assert result.priority_gain > result.baseline_gain > 0
    # one at a time, the first pick alone: its single gain is its greedy gain
    first = rows[0]
    assert first["single_priority_gain"] == pytest.approx(first["predicted_priority_gain"])
    assert result.single_gain_sum == pytest.approx(sum(r["single_priority_gain"] for r in rows))


def test_a_recommendation_csv_is_a_plan(
    project: Project, recommended: tuple[list[str], Recommendations], tmp_path: Path
) -> None:
    import pyarrow.csv as pa_csv

    _, result = recommended
    plan = tmp_path / "plan.csv"
    pa_csv.write_csv(result.links, plan)
    simulated = project.simulate(plan, equity=TIGHT)
    assert simulated.changes == result.links.num_rows


def test_a_priority_the_crawl_does_not_know_is_named(project: Project, tmp_path: Path) -> None:
    origin = weakest_guides(project, 1)[0].split("/", 3)
    unknown = f"{origin[0]}//{origin[2]}/no-such-page/"
    priorities = tmp_path / "priorities.csv"
    priorities.write_text(f"url,weight,keywords\n{unknown},2,tents;dome tents\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        project.recommend(priorities, equity=TIGHT)
    assert str(caught.value) == f"{priorities}, row 2: the crawl does not know {unknown}."


def test_without_priorities_they_are_proposed_with_a_reason(project: Project) -> None:
    result = project.recommend(budget=5, equity=TIGHT)
    reasons = result.priorities.column("reason").to_pylist()
    assert 1 <= len(reasons) <= 8
    assert all(reasons)
    # the proposed pillars are the categories the navigation of every page links: few pages
    # are left that do not link them yet
    proposed = set(result.priorities.column("url").to_pylist())
    assert set(result.links.column("target_url").to_pylist()) <= proposed
    assert result.links.num_rows <= 5


def test_the_stored_text_model_is_the_fitted_one(project: Project) -> None:
    from linkequity.topics import fit_crawl, stored_model

    with Store(project.path, read_only=True) as store:
        stored = stored_model(store, 1)
        _, fitted = fit_crawl(store, 1)
    assert stored is not None
    assert stored.urls == fitted.urls and stored.terms == fitted.terms
    assert (stored.vectors != fitted.vectors).nnz == 0


def test_removals_and_follows_gain_what_a_simulation_says(
    project: Project, recommended: tuple[list[str], Recommendations]
) -> None:
    targets, result = recommended
    changes = result.changes.to_pylist()
    assert changes, "the example site's tag pages and noindex pages take equity"
    gains = [c["predicted_priority_gain"] for c in changes]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    assert {c["reason"] for c in changes} <= {"evaporating_nofollow", "low_value_target"}
    plan = result.change_plan.to_pylist()
    assert len(plan) == sum(c["pages"] for c in changes)
    singles = [c for c in changes if c["pages"] == 1][:3]
    assert singles
    for change in singles:
        simulated = project.simulate(
            (LinkChange(change["action"], change["source_url"], change["target_url"]),),
            equity=TIGHT,
        )
        pages = simulated.pages.to_pylist()
        gain = sum(p["score_after"] - p["score_before"] for p in pages if p["url"] in targets)
        assert change["predicted_priority_gain"] == pytest.approx(gain, rel=1e-9)


def test_with_relevance_weight_gains_stay_exact_and_scores_without_it_are_kept(
    project: Project, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "relevance.duckdb"
    shutil.copy(project.path, copy)
    leaning = EquitySettings(tolerance=1e-13, relevance_weight=0.5)
    site = Project(copy)
    site.analyze(equity=leaning)
    before = {r["url"]: r for r in project.page_scores().to_pylist()}
    after = {r["url"]: r for r in site.page_scores().to_pylist()}
    moved = 0.0
    for url, row in after.items():
        if row["score"] is None:
            assert row["score_without_relevance"] is None
            continue
        # the scores without relevance are the analysis with relevance_weight 0
        assert row["score_without_relevance"] == pytest.approx(before[url]["score"], rel=1e-9)
        moved = max(moved, abs(row["score"] - before[url]["score"]) / before[url]["score"])
    assert moved > 0.05
    assert all(r["score_without_relevance"] is None for r in before.values())
    targets = mentioned_products(site, 2)
    result = site.recommend(targets, budget=5, equity=leaning, changes=0)
    changes = tuple(
        LinkChange("add", r["source_url"], r["target_url"]) for r in result.links.to_pylist()
    )
    pages = site.simulate(changes, equity=leaning).pages.to_pylist()
    gain = sum(p["score_after"] - p["score_before"] for p in pages if p["url"] in targets)
    assert result.priority_gain == pytest.approx(gain, rel=1e-9)


def test_a_priority_url_is_taken_as_the_crawl_wrote_it(project: Project) -> None:
    target = mentioned_products(project, 1)[0]
    written = target.replace("http://", "HTTP://", 1)
    result = project.recommend([written], budget=1, equity=TIGHT, changes=0)
    assert result.priorities.column("url").to_pylist() == [target]
