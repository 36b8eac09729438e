"""The backlink profile, toxicity explanations, the reclaim list and the disavow command."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.backlinks.profile import classify_anchor
from linkequity.settings import BacklinkSettings
from linkequity.store import Store
from tests.commands import run
from tests.unit.backlinks.snapshots import add_snapshot
from tests.unit.equity.builder import Crawl, url


@pytest.fixture
def project(tmp_path: Path) -> Project:
    crawl = Crawl().page("", title="Home | Ridge Outfitters")
    crawl.page("tents", title="Tents | Ridge Outfitters", h1="Winter tents")
    crawl.page("gone", 404).page("old", 301, redirect="tents")
    crawl.link("", "tents").link("tents", "")
    path = crawl.save(tmp_path / "p.duckdb")
    rows = [
        {"referring_url": "https://news.example/review", "target_url": url("tents"),
         "anchor": "Ridge Outfitters", "authority": 70.0},
        {"referring_url": "https://blog.example/post", "target_url": url("tents"),
         "anchor": "winter tents", "authority": 30.0},
        {"referring_url": "https://blog.example/other", "target_url": url("gone"),
         "anchor": "https://shop.example/gone", "authority": 30.0},
        {"referring_url": "https://forum.example/t/1", "target_url": url("old"),
         "anchor": "click here", "authority": 20.0, "is_ugc": True},
        {"referring_url": "https://best-casino-bonus.xyz/links", "target_url": url(""),
         "anchor": "buy cheap tents", "authority": 3.0, "external_links": 450,
         "is_spam": True},
    ] + [
        {"referring_url": f"https://footer.example/p{i}", "target_url": url(""),
         "anchor": "tents", "authority": 15.0}
        for i in range(50)
    ]  # fmt: skip
    with Store(path) as store:
        add_snapshot(store, 1, rows, exported_on=date(2026, 10, 1))
    site = Project(path)
    site.analyze()
    return site


def test_anchor_classes() -> None:
    brand = ("ridge",)
    generic = frozenset({"click here"})
    assert classify_anchor("Ridge tents", False, "winter tents", brand, generic) == "branded"
    assert classify_anchor("Winter Tents", False, "winter tents", brand, generic) == "exact"
    assert classify_anchor("tents for snow", False, "winter tents", brand, generic) == "partial"
    assert classify_anchor("click here", False, "winter tents", brand, generic) == "generic"
    assert classify_anchor("www.shop.example", False, "", brand, generic) == "naked_url"
    assert classify_anchor("", True, "", brand, generic) == "image"


def test_referring_domains(project: Project) -> None:
    domains = {r["domain"]: r for r in project.backlink_report("domains").to_pylist()}
    assert next(iter(domains)) == "news.example"  # sorted by authority
    assert domains["footer.example"]["sitewide"] and domains["footer.example"]["links"] == 50
    assert domains["forum.example"]["follow_ratio"] == 0.0
    assert domains["best-casino-bonus.xyz"]["tld"] == "xyz"


def test_toxicity_is_explained(project: Project) -> None:
    toxic = project.backlink_report("toxic", minimum=60).to_pylist()
    assert [r["referring_domain"] for r in toxic] == ["best-casino-bonus.xyz"]
    explained = {s["signal"]: s["why"] for s in toxic[0]["explanation"]}
    assert explained == {
        "tool_spam_flag": "the export's tool flags it as spam",
        "spam_vocabulary": "spam-niche word 'casino'",
        "low_authority_many_links": "authority 3 with 450 outbound links",
        "commercial_anchor": "commercial anchor 'buy cheap tents'",
        "spam_tld": "under .xyz, a TLD most abused by spam",
    }
    assert toxic[0]["toxicity"] == 100.0  # 40 + 35 + 20 + 15 + 10, capped
    footer = project.backlink_report("toxic", minimum=1).to_pylist()
    assert any(r["signals"] == ["sitewide"] for r in footer)
    assert toxic[0]["explanation"][0] == {
        "signal": "tool_spam_flag", "weight": 40.0, "why": "the export's tool flags it as spam"
    }  # fmt: skip
    assert toxic[0]["signals"] == [s["signal"] for s in toxic[0]["explanation"]]


def test_anchor_profile(project: Project) -> None:
    report = project.backlink_report("anchor_classes").to_pylist()
    classes = {r["anchor_class"]: r["links"] for r in report}
    # the home page's keyword is "home": its 51 other anchors are neither exact nor partial
    assert classes == {"other": 51, "branded": 1, "exact": 1, "naked_url": 1, "generic": 1}


def test_reclaim_list(project: Project) -> None:
    rows = {r["referring_url"]: r for r in project.backlink_report("reclaim").to_pylist()}
    assert sorted(rows) == ["https://blog.example/other", "https://forum.example/t/1"]
    gone = rows["https://blog.example/other"]
    assert gone["target_role"] == "broken" and gone["recoverable"] > 0
    assert gone["fix"] == "redirect the URL to the closest live page (301)"
    assert rows["https://forum.example/t/1"]["recoverable"] == 0.0


def test_disavow_command(project: Project, tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text("domain:ancient-spam.example\n")
    keep = tmp_path / "keep.txt"
    keep.write_text("footer.example\n")
    out = tmp_path / "disavow.txt"
    result = run(
        "disavow", "-p", str(project.path), "-o", str(out),
        "--existing", str(old), "--whitelist", str(keep), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [line for line in out.read_text().splitlines() if not line.startswith("#")]
    assert lines == ["domain:ancient-spam.example", "domain:best-casino-bonus.xyz"]
    assert result.stdout.split() == ["+domain:best-casino-bonus.xyz"]
    assert "Wrote 2 domains and 0 URLs" in result.stderr


def test_thresholds_are_settings(project: Project) -> None:
    lenient = BacklinkSettings(weight_tool_spam_flag=0, weight_spam_vocabulary=0)
    toxic = project.backlink_report("toxic", lenient, minimum=60).to_pylist()
    assert toxic == []


def test_authority_distribution_and_tld_mix(project: Project) -> None:
    bands = {r["authority"]: r["referring_domains"]
             for r in project.backlink_report("authority").to_pylist()}  # fmt: skip
    # news 70, blog 30, forum 20, footer 15, the casino 3
    assert bands == {"00-10": 1, "10-20": 1, "20-30": 1, "30-40": 1, "70-80": 1}
    tlds = {r["tld"]: r["referring_domains"] for r in project.backlink_report("tlds").to_pylist()}
    assert tlds == {"example": 4, "xyz": 1}


def test_several_reports_at_once_equal_each_alone(project: Project) -> None:
    from linkequity.backlinks.reports import REPORTS
    from linkequity.errors import StoreError

    together = project.backlink_reports(REPORTS)
    for name in REPORTS:
        assert together[name].equals(project.backlink_report(name)), name
    with pytest.raises(StoreError, match=r"^Unknown backlink report 'nope'; reports: domains,"):
        project.backlink_reports(["domains", "nope"])
