"""What-if: a simulated plan equals the analysis of the crawl with the links changed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from linkequity.analysis import analyze
from linkequity.errors import ConfigError, ImportFormatError, StoreError
from linkequity.plan.changes import LinkChange, read_plan
from linkequity.plan.simulate import load_baseline, simulate
from linkequity.settings import BacklinkSettings, EquitySettings
from linkequity.store import Store
from tests.unit.equity.builder import Crawl, url
from tests.unit.plan.sites import POSITIONS, changed_crawl, random_crawl

TIGHT = EquitySettings(tolerance=1e-13)


def analysed(crawl: Crawl, path: Path, equity: EquitySettings = TIGHT) -> Path:
    crawl.save(path)
    with Store(path) as store:
        analyze(store, 1, equity=equity)
    return path


def stored_scores(path: Path) -> dict[str, float]:
    with Store(path) as store:
        rows = store.rows(
            "SELECT url, score FROM page_scores WHERE crawl_id = 1 AND score IS NOT NULL"
        )
    return {str(u): float(s) for u, s in rows}


def random_plan(
    crawl: Crawl, rng: np.random.Generator, size: int
) -> list[tuple[str, str, str, str | None]]:
    """Changes whose links are known by their URL alone (no second URL of the same page)."""
    pages = [str(p["url"]) for p in crawl.pages if p["status_code"] == 200]
    plan: list[tuple[str, str, str, str | None]] = []
    touched: set[tuple[str, str]] = set()
    while len(plan) < size:
        action = str(rng.choice(["add", "remove", "nofollow", "follow", "position"]))
        if action == "add":
            src, dst = (str(u) for u in rng.choice(pages, 2, replace=False))
            linked = {str(link["dst_url"]) for link in crawl.links if link["src_url"] == src}
            if dst in linked or dst == url("p1") or (src, dst) in touched:
                continue
            plan.append((action, src, dst, str(rng.choice(POSITIONS))))
        else:
            link = crawl.links[int(rng.integers(len(crawl.links)))]
            src, dst = str(link["src_url"]), str(link["dst_url"])
            skip = dst in (url("p1"), url("old-1"), url("old-2")) or (src, dst) in touched
            if skip or (action == "follow" and src == url("p7")):
                continue
            value = str(rng.choice(POSITIONS)) if action == "position" else None
            plan.append((action, src, dst, value))
        touched.add((src, dst))
    return plan


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_simulated_plan_equals_the_analysis_of_the_changed_crawl(
    tmp_path: Path, seed: int
) -> None:
    crawl = random_crawl(seed)
    before = analysed(crawl, tmp_path / "before.duckdb")
    plan = random_plan(crawl, np.random.default_rng(seed), 12)
    after = analysed(changed_crawl(crawl, plan), tmp_path / "after.duckdb")
    changes = tuple(
        LinkChange(action, src, dst, value if action in ("add", "position") else None)  # type: ignore[arg-type]
        for action, src, dst, value in plan
    )
    with Store(before) as store:
        baseline = load_baseline(store, 1, TIGHT, BacklinkSettings())
        result = simulate(baseline, changes)
    got = dict(
        zip(
            result.pages.column("url").to_pylist(),
            result.pages.column("score_after").to_pylist(),
            strict=True,
        )
    )
    expected = stored_scores(after)
    assert got.keys() == expected.keys()
    for page, score in expected.items():
        assert got[page] == pytest.approx(score, rel=1e-9), page
    assert result.changes == 12
    assert max(abs(c) for c in result.pages.column("change").to_pylist()) > 1e-3
    with Store(after) as store:
        row = store.one("SELECT evaporated_nofollow, leaked_external, gini FROM analyses")
    assert row is not None
    assert result.after.evaporated_nofollow == pytest.approx(row[0], rel=1e-9, abs=1e-12)
    assert result.after.leaked_external == pytest.approx(row[1], rel=1e-9, abs=1e-12)
    assert result.after.gini == pytest.approx(row[2], rel=1e-9)


def test_an_empty_plan_changes_nothing(tmp_path: Path) -> None:
    path = analysed(random_crawl(9), tmp_path / "p.duckdb")
    with Store(path) as store:
        result = simulate(load_baseline(store, 1, TIGHT, BacklinkSettings()), ())
    before = np.array(result.pages.column("score_before").to_pylist())
    after = np.array(result.pages.column("score_after").to_pylist())
    np.testing.assert_allclose(after, before, rtol=1e-10)
    assert result.after.gini == pytest.approx(result.before.gini, rel=1e-9)


def small_site(tmp_path: Path) -> Path:
    crawl = (
        Crawl().page("").page("a").page("b", meta_robots="nofollow").page("r", 301, redirect="a")
    )
    crawl.link("", "a").link("a", "").link("b", "").link("", "b", position="footer")
    return analysed(crawl, tmp_path / "p.duckdb")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            LinkChange("remove", url("a"), url("b")),
            f"Change: {url('a')} has no counted link to {url('b')}, so it cannot be removed.",
        ),
        (
            LinkChange("add", url(""), url("a")),
            f"Change: {url('')} already links to {url('a')}; a second link counts for nothing "
            "(duplicate_links = first): change the one there with a position or follow row.",
        ),
        (
            LinkChange("add", url("r"), url("b")),
            f"Change: the source page {url('r')} is a redirect, so its links pass nothing.",
        ),
        (
            LinkChange("add", url("nowhere"), url("b")),
            f"Change: the crawl does not know the source page {url('nowhere')}.",
        ),
        (
            LinkChange("add", url("a"), url("nowhere")),
            f"Change: the crawl does not know the target page {url('nowhere')}.",
        ),
        (
            LinkChange("add", url(""), url("r")),
            f"Change: {url('')} already links to {url('r')}; a second link counts for nothing "
            "(duplicate_links = first): change the one there with a position or follow row.",
        ),
        (
            LinkChange("add", url("a"), url("r")),
            f"Change: {url('r')} passes its equity to {url('a')}, so the link would be a link "
            "to itself.",
        ),
        (
            LinkChange("follow", url("b"), url("")),
            f"Change: the meta robots or X-Robots-Tag of {url('b')} says nofollow, so no link "
            "of that page passes equity whatever its rel.",
        ),
    ],
)
def test_a_change_that_cannot_be_made_says_why(
    tmp_path: Path, change: LinkChange, message: str
) -> None:
    path = small_site(tmp_path)
    with Store(path) as store:
        baseline = load_baseline(store, 1, TIGHT, BacklinkSettings())
        with pytest.raises(ConfigError) as caught:
            simulate(baseline, (change,))
    assert str(caught.value) == message


def test_a_plan_needs_an_analysis_under_the_same_settings(tmp_path: Path) -> None:
    path = small_site(tmp_path)
    with Store(path) as store, pytest.raises(StoreError) as caught:
        load_baseline(store, 1, EquitySettings(tolerance=1e-13, damping=0.8), BacklinkSettings())
    assert str(caught.value) == (
        "The [equity] settings changed since crawl 1 was analysed (damping); run "
        "`linkequity analyze` again first."
    )
    other = Crawl().page("")
    other.save(tmp_path / "new.duckdb")
    with (
        Store(tmp_path / "new.duckdb") as store,
        pytest.raises(StoreError, match="has not been analysed yet"),
    ):
        load_baseline(store, 1, TIGHT, BacklinkSettings())


def test_a_plan_file_is_read_with_its_defaults(tmp_path: Path) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(
        "source_url,target_url,anchor,predicted_gain\n"
        f"{url('a')},{url('b')},blue tents,0.01\n"
        "\n"
        f"{url('b')},{url('')},,\n",
        encoding="utf-8",
    )
    changes = read_plan(plan)
    assert [
        (c.action, c.source_url, c.target_url, c.position, c.anchor, c.row) for c in changes
    ] == [
        ("add", url("a"), url("b"), None, "blue tents", 2),
        ("add", url("b"), url(""), None, None, 4),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "from,to,action\nhttps://s.example/a,https://s.example/b,delete\n",
            "row 2, column 'action': 'delete' is not an action; use one of add, remove, "
            "nofollow, follow, position.",
        ),
        (
            "source_url,target_url\nhttps://s.example/a,/b\n",
            "row 2, column 'target_url': '/b' is not an absolute http(s) URL.",
        ),
        (
            "source_url,target_url,action\nhttps://s.example/a,https://s.example/b,position\n",
            "row 2, column 'position': a position change needs a position.",
        ),
        (
            "source_url,target_url,position\nhttps://s.example/a,https://s.example/b,body\n",
            "row 2, column 'position': 'body' is not a link position; use one of content, "
            "navigation, header, footer, sidebar, unknown.",
        ),
        (
            "source_url,target_url,rel\nhttps://s.example/a,https://s.example/b,noopener\n",
            "row 2, column 'rel': 'noopener' is not a rel that changes equity (nofollow, "
            "sponsored, ugc).",
        ),
        (
            "url,anchor\nhttps://s.example/a,x\n",
            "has no source_url column (the columns are: url, anchor).",
        ),
    ],
)
def test_a_bad_plan_file_names_file_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_plan(plan)
    assert str(caught.value) == f"{plan}{', ' if message.startswith('row') else ': '}{message}"


@pytest.mark.parametrize("seed", [6, 7])
def test_a_patched_graph_is_the_graph_assembled_anew(tmp_path: Path, seed: int) -> None:
    from linkequity.equity.graph import assemble, patched
    from linkequity.plan.changes import apply_changes, changed_links

    crawl = random_crawl(seed)
    path = analysed(crawl, tmp_path / "p.duckdb")
    plan = random_plan(crawl, np.random.default_rng(seed), 15)
    changes = tuple(
        LinkChange(a, s, d, v if a in ("add", "position") else None)  # type: ignore[arg-type]
        for a, s, d, v in plan
    )
    with Store(path) as store:
        baseline = load_baseline(store, 1, TIGHT, BacklinkSettings())
    whole = assemble(apply_changes(baseline.links, changes, TIGHT), TIGHT)
    sources, links = changed_links(baseline.links, changes, TIGHT)
    assert set(sources.tolist()) == {baseline.graph.urls.index(s) for _, s, _, _ in plan}
    patch = patched(baseline.graph, sources, assemble(links, TIGHT))
    np.testing.assert_allclose(patch.transitions.toarray(), whole.transitions.toarray(), atol=1e-15)
    np.testing.assert_array_equal(patch.total_weight, whole.total_weight)
    for name in ("evaporated_nofollow", "leaked_external", "wasted_broken", "wasted_blocked"):
        np.testing.assert_array_equal(getattr(patch.losses, name), getattr(whole.losses, name))

    def flows(g: object) -> list[tuple[int, int, float, int]]:
        return sorted(
            zip(
                g.src.tolist(),
                g.dst.tolist(),
                np.round(g.share, 15).tolist(),  # type: ignore[attr-defined]
                g.position.tolist(),
                strict=True,
            )
        )  # type: ignore[attr-defined]

    assert flows(patch) == flows(whole)


def test_a_priority_that_holds_no_equity_of_its_own_is_named(tmp_path: Path) -> None:
    from linkequity.plan.priorities import node_of, read_priorities

    path = small_site(tmp_path)
    file = tmp_path / "priorities.csv"
    file.write_text(f"url,weight\n{url('a')},2\n{url('r')},1\n", encoding="utf-8")
    priorities = read_priorities(file)
    assert [(p.url, p.weight, p.row) for p in priorities] == [
        (url("a"), 2.0, 2),
        (url("r"), 1.0, 3),
    ]
    with Store(path) as store:
        baseline = load_baseline(store, 1, TIGHT, BacklinkSettings())
    node_id = {u: i for i, u in enumerate(baseline.links.urls)}
    assert node_of(priorities[0], baseline.links, node_id) == node_id[url("a")]
    with pytest.raises(ConfigError) as caught:
        node_of(priorities[1], baseline.links, node_id)
    assert str(caught.value) == (
        f"{file}, row 3: {url('r')} redirects to {url('a')}; list that page instead."
    )
    file.write_text(f"url,weight\n{url('a')},-1\n", encoding="utf-8")
    with pytest.raises(ImportFormatError) as bad:
        read_priorities(file)
    assert str(bad.value) == f"{file}, row 2, column 'weight': '-1' is not a positive number."
