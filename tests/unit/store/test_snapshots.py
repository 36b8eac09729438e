"""Two backlink snapshots compared: links and referring domains new and lost, the latest two of
one tool by default, and every refusal as one sentence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.errors import StoreError
from linkequity.store import Store
from tests.commands import one_sentence_error, run
from tests.unit.backlinks.snapshots import add_snapshot

T = "https://shop.example/"


def project(tmp_path: Path) -> Path:
    """Ahrefs 1: a.example (2 links), b.example, c.example (lost per the export itself).
    Semrush 2: z.example. Ahrefs 3: a.example (1 of its 2 links), d.example (2 links)."""
    path = tmp_path / "p.duckdb"
    with Store(path) as store:
        add_snapshot(store, 1, [
            {"referring_url": "https://a.example/1", "target_url": T, "authority": 40.0},
            {"referring_url": "https://a.example/2", "target_url": T + "x", "authority": 45.0},
            {"referring_url": "https://b.example/", "target_url": T, "authority": 70.0},
            {"referring_url": "https://c.example/", "target_url": T,
             "lost_on": date(2026, 1, 1)},
        ])  # fmt: skip
        add_snapshot(store, 2, [{"referring_url": "https://z.example/", "target_url": T}],
                     tool="semrush")  # fmt: skip
        add_snapshot(store, 3, [
            {"referring_url": "https://a.example/1", "target_url": T, "authority": 40.0},
            {"referring_url": "https://d.example/p", "target_url": T, "authority": 20.0,
             "is_nofollow": True},
            {"referring_url": "https://d.example/q", "target_url": T + "y", "authority": 25.0},
        ])  # fmt: skip
    return path


def test_the_latest_two_of_one_tool(tmp_path: Path) -> None:
    result = Project(project(tmp_path)).compare_backlinks()
    # the semrush export in between is another tool's view, not an earlier snapshot
    assert (result.before, result.after) == (1, 3)
    links = [(r["change"], r["referring_url"], r["target_url"]) for r in result.links.to_pylist()]
    assert links == [
        ("lost", "https://b.example/", T),
        ("lost", "https://a.example/2", T + "x"),
        ("new", "https://d.example/q", T + "y"),
        ("new", "https://d.example/p", T),
    ]
    domains = {r["referring_domain"]: r for r in result.domains.to_pylist()}
    # a.example keeps a link: neither new nor lost; c.example was lost before snapshot 1
    assert set(domains) == {"b.example", "d.example"}
    assert domains["d.example"]["change"] == "new"
    assert (domains["d.example"]["links"], domains["d.example"]["followed_links"]) == (2, 1)
    assert domains["d.example"]["authority"] == 25.0
    assert domains["b.example"]["change"] == "lost"
    assert dict(zip(*result.summary().to_pydict().values(), strict=True)) == {
        "backlinks new": 2,
        "backlinks lost": 2,
        "referring domains new": 1,
        "referring domains lost": 1,
    }


def test_two_named_snapshots(tmp_path: Path) -> None:
    result = Project(project(tmp_path)).compare_backlinks(2, 3)
    assert {r["referring_domain"]: r["change"] for r in result.domains.to_pylist()} == {
        "a.example": "new",
        "d.example": "new",
        "z.example": "lost",
    }


def test_refusals(tmp_path: Path) -> None:
    path = project(tmp_path)
    site = Project(path)
    with pytest.raises(StoreError, match=r"has no import 9\.$"):
        site.compare_backlinks(9, 3)
    with pytest.raises(StoreError, match=r"^Import 3 compared with itself shows no change\.$"):
        site.compare_backlinks(3, 3)
    with pytest.raises(StoreError, match=r"^Import 2 is the first backlinks export from semrush"):
        site.compare_backlinks(None, 2)
    with Store(path) as store:
        store.rows("UPDATE imports SET report = 'sample_links', tool = 'gsc' WHERE import_id = 2")
    with pytest.raises(StoreError) as error:
        site.compare_backlinks(2, 3)
    assert str(error.value) == (
        "Import 2 is a sample of links from gsc, not a backlinks snapshot: only backlinks "
        "exports can be compared."
    )
    with Store(tmp_path / "empty.duckdb"):
        pass
    with pytest.raises(StoreError, match=r"needs two backlinks exports; .* has none\.$"):
        Project(tmp_path / "empty.duckdb").compare_backlinks()


def test_the_command(tmp_path: Path) -> None:
    project(tmp_path)
    shown = run("compare", "--backlinks", "-p", "p.duckdb", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Backlinks: import 1 -> import 3" in shown.stdout
    assert "d.example" in shown.stdout and "referring domains new" in shown.stdout
    as_json = run("compare", "--backlinks", "1", "3", "-p", "p.duckdb", "--table", "domains",
                  "-f", "json", cwd=tmp_path)  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    rows = json.loads(as_json.stdout)
    assert [(r["change"], r["referring_domain"]) for r in rows] == [
        ("lost", "b.example"),
        ("new", "d.example"),
    ]
    wrong = run("compare", "--backlinks", "-p", "p.duckdb", "--table", "movers", "-f", "csv",
                cwd=tmp_path)  # fmt: skip
    assert one_sentence_error(wrong) == "Unknown table 'movers'; tables: summary, links, domains."
