"""Backlink exports of every tool imported: formats detected, fields normalised, snapshots."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from linkequity import Project
from linkequity.backlinks.current import current_backlinks
from linkequity.ingest import import_backlinks
from linkequity.store import Store

FIXTURES = Path(__file__).parents[2] / "fixtures" / "backlinks"
BLOG = "https://www.outdoorblog.com/reviews/winter-tents/"
TENTS = "https://ridge.example/tents/"
HOME = "https://ridge.example/"


def rows(store: Store, sql: str) -> list[dict[str, Any]]:
    return store.arrow(sql).to_pylist()


def imported(tmp_path: Path, *names: str, **options: Any) -> tuple[Store, Any]:
    store = Store(tmp_path / "p.duckdb")
    summary = import_backlinks(store, [FIXTURES / n for n in names], **options)
    return store, summary


@pytest.mark.parametrize(
    ("name", "fmt", "report", "written", "links", "domains"),
    [
        ("ahrefs_v3_backlinks.tsv", "ahrefs-v3", "backlinks", 4, 4, 4),
        ("ahrefs_v3_backlinks_bom.csv", "ahrefs-v3", "backlinks", 2, 2, 2),
        ("ahrefs_old_backlinks.csv", "ahrefs-old", "backlinks", 2, 2, 2),
        ("ahrefs_referring_domains.csv", "ahrefs-referring-domains", "referring_domains", 2, 0, 2),
        ("ahrefs_anchors.csv", "ahrefs-anchors", "anchors", 2, 0, 0),
        ("semrush_backlinks.csv", "semrush", "backlinks", 3, 3, 3),
        ("semrush_backlinks_old.csv", "semrush-old", "backlinks", 1, 1, 1),
        ("semrush_referring_domains.csv", "semrush-referring-domains", "referring_domains",
         2, 0, 2),
        ("majestic_backlinks.csv", "majestic", "backlinks", 3, 3, 3),
        ("moz_inbound_links.csv", "moz-link-explorer", "backlinks", 2, 2, 2),
        ("moz_legacy_ose.csv", "moz-open-site-explorer", "backlinks", 1, 1, 1),
        ("gsc_latest_links_en.csv", "gsc-links", "sample_links", 2, 2, 2),
        ("gsc_latest_links_es.csv", "gsc-links", "sample_links", 2, 2, 2),
        ("gsc_latest_links_fr.csv", "gsc-links", "sample_links", 1, 1, 1),
        ("gsc_sample_links_de.csv", "gsc-links", "sample_links", 1, 1, 1),
        ("gsc_top_linking_sites.csv", "gsc-linking-sites", "linking_sites", 2, 0, 2),
        ("gsc_top_linked_pages_de.csv", "gsc-linked-pages", "linked_pages", 2, 0, 0),
    ],
)  # fmt: skip
def test_each_format_is_detected_from_its_header(
    tmp_path: Path, name: str, fmt: str, report: str, written: int, links: int, domains: int
) -> None:
    store, summary = imported(tmp_path, name)
    with store:
        (f,) = summary.files
        assert (f.format, f.report, f.written, f.links, f.domains) == (
            fmt, report, written, links, domains
        )  # fmt: skip
        (imp,) = rows(store, "SELECT * FROM imports")
        assert (imp["tool"], imp["report"], imp["format"]) == (f.tool, report, fmt)
        assert imp["rows"] == f.rows and imp["path"].endswith(name)


def test_ahrefs_v3_utf16_rows_keep_the_tools_metrics(tmp_path: Path) -> None:
    store, _ = imported(tmp_path, "ahrefs_v3_backlinks.tsv")
    with store:
        got = {r["referring_url"]: r for r in rows(store, "SELECT * FROM backlinks")}
    blog = got[BLOG]
    assert (blog["referring_domain"], blog["target_url"], blog["anchor"]) == (
        "outdoorblog.com", TENTS, "Ridge winter tents"
    )  # fmt: skip
    assert (blog["authority"], blog["domain_rating"], blog["url_rating"]) == (72.0, 72.0, 12.5)
    assert (blog["external_links"], blog["page_language"], blog["is_spam"]) == (24, "en", False)
    assert (blog["first_seen"], blog["last_seen"], blog["lost_on"]) == (
        date(2023, 6, 11), date(2024, 5, 13), None
    )  # fmt: skip
    extra = json.loads(blog["extra_json"])
    assert extra["Domain traffic"] == "207458" and extra["Left context"] == "the"
    assert "Referring page URL" not in extra
    forum = got["https://forum.hikers.org/t/123"]
    assert (forum["is_nofollow"], forum["is_ugc"], forum["is_sponsored"]) == (True, True, False)
    casino = got["https://best-casino-bonus.xyz/links"]
    assert (casino["is_spam"], casino["is_sponsored"], casino["is_image"]) == (True, True, True)
    old = got["https://news.example.co.uk/2019/tents"]
    assert (old["referring_domain"], old["is_redirect"], old["lost_on"]) == (
        "example.co.uk", True, date(2024, 4, 20)
    )  # fmt: skip


def test_other_tools_flags_metrics_and_lost_links(tmp_path: Path) -> None:
    store, summary = imported(
        tmp_path, "majestic_backlinks.csv", "semrush_backlinks.csv", "moz_inbound_links.csv",
        "moz_legacy_ose.csv", "ahrefs_old_backlinks.csv",
    )  # fmt: skip
    with store:
        table = rows(store, "SELECT * FROM backlinks")
    got = {(r["source_tool"], r["referring_url"]): r for r in table}
    majestic = got[("majestic", "http://redirector.example/go?id=5")]
    assert (majestic["is_redirect"], majestic["lost_on"], majestic["trust_flow"]) == (
        True, date(2024, 2, 1), 7.0
    )  # fmt: skip
    assert majestic["citation_flow"] == 22.0 and majestic["authority"] == 7.0
    image = got[("majestic", "https://pics.example/g")]
    assert (image["is_image"], image["is_nofollow"]) == (True, True)
    assert summary.files[0].skipped == (("mention without a link", 1),)
    deal = got[("semrush", "https://deals.example/post/9")]
    # Semrush says "Lost link" without a date: lost on its last-seen date
    assert (deal["is_sponsored"], deal["lost_on"], deal["authority_score"]) == (
        True, date(2024, 3, 1), 5.0
    )  # fmt: skip
    spammy = got[("moz", "https://spammy.example/list")]
    assert (spammy["spam_score"], spammy["domain_authority"], spammy["is_nofollow"]) == (
        72.0, 4.0, True
    )  # fmt: skip
    assert (spammy["first_seen"], spammy["lost_on"]) == (date(2024, 1, 2), date(2024, 4, 5))
    legacy = got[("moz", "http://camp.example/list")]
    assert (legacy["spam_score"], legacy["authority"], legacy["is_nofollow"]) == (17.6, 25.0, True)
    assert summary.files[3].exported_on == date(2018, 7, 15)  # "Created on:" in the preamble
    lost = got[("ahrefs", "https://links.example/page")]
    assert (lost["is_nofollow"], lost["is_ugc"], lost["url_rating"]) == (True, True, 1.0)


def test_search_console_in_four_languages_dates_and_numbers(tmp_path: Path) -> None:
    store, summary = imported(
        tmp_path, "gsc_latest_links_en.csv", "gsc_latest_links_es.csv",
        "gsc_latest_links_fr.csv", "gsc_sample_links_de.csv", "gsc_top_linking_sites.csv",
        "gsc_top_linked_pages_de.csv",
    )  # fmt: skip
    with store:
        links = {r["referring_url"]: r for r in rows(store, "SELECT * FROM backlinks")}
        sites = rows(store, "SELECT domain, backlinks, linked_pages FROM referring_domains")
        pages = rows(store, "SELECT target_url, backlinks, referring_domains FROM linked_pages")
    assert {u: (r["last_seen"], r["target_url"]) for u, r in links.items()} == {
        "https://hikers.org/t/9": (date(2020, 7, 15), None),
        "https://solo-gsc.example/b": (date(2020, 3, 4), None),  # English: month first
        BLOG: (date(2020, 7, 15), None),
        "https://solo-gsc.example/a": (date(2020, 4, 3), None),  # Spanish: day first
        "https://randonnee.fr/tentes": (date(2020, 7, 15), None),
        "https://blog.wandern.de/zelte": (date(2020, 7, 15), None),
    }
    assert summary.files[0].skipped == (("referring URL not http(s)", 1),)
    assert sites == [
        {"domain": "outdoorblog.com", "backlinks": 1240, "linked_pages": 3},
        {"domain": "hikers.org", "backlinks": 2, "linked_pages": 1},
    ]
    assert pages == [
        {"target_url": TENTS, "backlinks": 1240, "referring_domains": 12},
        {"target_url": HOME, "backlinks": 30, "referring_domains": 7},
    ]


def test_the_same_links_from_two_tools_and_twice_count_once(tmp_path: Path) -> None:
    store, _ = imported(
        tmp_path, "ahrefs_v3_backlinks_bom.csv", "semrush_backlinks.csv",
        "ahrefs_v3_backlinks_bom.csv", "gsc_latest_links_es.csv",
    )  # fmt: skip
    with store:
        assert store.one("SELECT count(*) FROM backlinks") == (9,)
        table = current_backlinks(store).to_pylist()
    current = {(r["referring_url"], r["target_url"]): r for r in table}
    # Ahrefs x2 + Semrush report the blog link; Search Console's sample of it names no target
    assert sorted(current) == sorted([
        (BLOG, TENTS), ("https://forum.hikers.org/t/123", HOME),
        ("https://deals.example/post/9", HOME), ("https://pics.example/g", "https://ridge.example/img"),
        ("https://solo-gsc.example/a", None),
    ])  # fmt: skip
    assert sorted(current[(BLOG, TENTS)]["tools"]) == ["ahrefs", "semrush"]
    assert current[("https://deals.example/post/9", HOME)]["lost"]
    assert not current[("https://solo-gsc.example/a", None)]["lost"]


def test_a_generic_csv_through_a_column_mapping(tmp_path: Path) -> None:
    mapping = {"referring_url": "Source URL", "target_url": "Target", "anchor": "Text",
               "rel": "Follow"}  # fmt: skip
    project = Project(tmp_path / "p.duckdb")
    summary = project.import_backlinks(FIXTURES / "generic_links.csv", mapping=mapping, tool="moz")
    (f,) = summary.files
    assert (f.format, f.tool, f.links, f.skipped) == ("generic", "moz", 1, (("no target URL", 1),))
    (row,) = project.table("backlinks").to_pylist()
    assert (row["referring_url"], row["target_url"], row["anchor"], row["is_nofollow"]) == (
        "https://partner.example/links", HOME, "Ridge Outfitters", True
    )  # fmt: skip
    assert row["source_tool"] == "moz" and row["extra_json"] is None


def test_tool_restricts_detection(tmp_path: Path) -> None:
    store, summary = imported(tmp_path, "semrush_backlinks.csv", tool="semrush")
    store.close()
    assert summary.files[0].format == "semrush"
