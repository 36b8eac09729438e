"""The finding-kind registry: its docs page, and the detail every audit writes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

from linkequity import Project
from linkequity.findings import KINDS, SEVERITIES, FindingKind, finding
from linkequity.settings import AuditSettings
from tests.unit.analysis.test_analyze import shop
from tests.unit.equity.builder import url

DOCS = Path(__file__).parents[2] / "docs" / "findings.md"


def _sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {p.split("\n", 1)[0].strip(): p for p in parts}


def test_the_registry_lists_every_kind_once_in_severity_order() -> None:
    assert tuple(KINDS) == get_args(FindingKind)
    assert SEVERITIES == ("error", "warning", "notice")
    assert all(info.kind == kind for kind, info in KINDS.items())
    assert finding("orphan", "https://a.example/x", "s", found_in=[]).severity == "warning"


def test_the_docs_page_explains_every_kind_as_registered() -> None:
    sections = _sections()
    assert list(sections) == list(KINDS)
    for kind, info in KINDS.items():
        text = " ".join(sections[kind].split())
        assert info.docs == f"docs/findings.md#{kind}"
        assert f"**{info.severity}** · {info.meaning}" in text, kind
        assert f"*Fix:* {info.fix}" in text, kind
        assert f"*Impact:* {info.impact}" in text, kind
        for field, kind_type in info.detail:
            assert f"`{field}` ({kind_type})" in text, (kind, field)


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The small shop of the analysis tests with one of every remaining mistake."""
    crawl = shop()
    crawl.page("loop-a", 301, redirect="loop-b").page("loop-b", 301, redirect="loop-a")
    crawl.page("tents-copy", canonical="tents", title="Tents | Shop")
    crawl.page("bad-canon", canonical="gone", title="Bad | Shop")
    crawl.link("", "loop-a", anchor="Sale").link("", "tents-copy", anchor="Tents copy")
    crawl.link("", "bad-canon", anchor="Bad canon").link("boots", "tents/t1", anchor="click here")
    for src in ("", "tents", "boots", "tents/t0", "tents/t1", "tents/t2"):
        crawl.link(src, "hidden", position="navigation", anchor="Members")
    for month in ("2031-05", "2031-06"):
        crawl.held(f"events?m={month}", "repeating", "events?m=*", "events?m=2031-04")
        crawl.link("", f"events?m={month}", anchor="Next month")
    for i in range(12):
        crawl.page(f"p{i}", title=f"P{i} | Shop").link("", f"p{i}", anchor=f"Page {i}")
        crawl.link(f"p{i}", "boots", anchor="boots")
        crawl.link(f"p{i}", "tents" if i < 2 else "boots" if i < 4 else "", anchor="camp kit")
    # the tents send their content links to a page of no cluster (noindex): a leaky cluster
    for sale in ("sale", "sale/tents", "sale/stoves"):
        crawl.page(sale, meta_robots="noindex", title="Sale | Shop")
        for i in range(3):
            crawl.link(f"tents/t{i}", sale, anchor="Sale")
    directory = tmp_path_factory.mktemp("kinds")
    keywords = directory / "keywords.csv"
    keywords.write_text(f"url,keyword\n{url('boots')},boots\n", encoding="utf-8")
    project = Project(crawl.save(directory / "kinds.duckdb"))
    audit = AuditSettings(
        keywords_file=str(keywords),
        max_links_per_page=5,
        priority_urls=("/deep$",),
        starved_percentile=90.0,
    )
    project.analyze(audit=audit)
    return project


def test_every_kind_is_found_with_exactly_its_registered_detail(every_kind: Project) -> None:
    rows = every_kind.findings().to_pylist()
    assert {r["kind"] for r in rows} == set(KINDS)
    for row in rows:
        info = KINDS[row["kind"]]
        assert row["severity"] == info.severity
        assert sorted(json.loads(row["detail_json"])) == sorted(f for f, _ in info.detail), row
        assert row["impact"] >= 0.0 and row["fix"], row
    # every kind puts some equity at stake in this shop but four: two about structure alone,
    # and two whose links follow a link of their page to the same final target (the menu's):
    # first link counts, they take nothing
    summary = {r["kind"]: r for r in every_kind.finding_summary().to_pylist()}
    free = {k for k, r in summary.items() if not r["total_impact"] > 0}
    assert free == {"deep_page", "single_inlink", "redirect_chain", "link_to_canonicalised"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_finding_details_are_typed_columns_equal_to_the_stored_json(
    every_kind: Project, kind: FindingKind
) -> None:
    details = every_kind.finding_details(kind)
    fields = [f for f, _ in KINDS[kind].detail]
    assert details.column_names == ["url", "summary", "impact", *fields]
    stored = {
        (r["url"], r["summary"], r["impact"], r["detail_json"])
        for r in every_kind.findings(kind=kind).to_pylist()
    }
    typed = details.to_pylist()
    assert len(typed) == len(stored) > 0
    for row in typed:
        detail = {f: row[f] for f in fields}
        for f, kind_type in KINDS[kind].detail:
            if kind_type.startswith("MAP") and detail[f] is not None:
                detail[f] = dict(detail[f])
        assert (
            row["url"],
            row["summary"],
            row["impact"],
            json.dumps(detail, sort_keys=True),
        ) in stored


def test_broken_link_details_name_source_anchor_position(every_kind: Project) -> None:
    broken = every_kind.finding_details("broken_link").to_pylist()
    assert [(b["url"], b["status_code"], b["occurrences"], b["source_pages"]) for b in broken] == [
        (url("gone"), 404, 2, 2)
    ]
    assert [(s["source"], s["anchor"], s["position"]) for s in broken[0]["sources"]] == [
        (url("tents/t0"), "Old tent", "content"),
        (url("tents/t1"), "Old tent", "content"),
    ]
