"""The plan commands as a user runs them: recommend writes a plan that simulate reads, and
every error is one sentence naming the file, row and URL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.commands import one_sentence_error, run
from tests.servers import Answer, ScriptedServer


def article(title: str, text: str, *links: str) -> str:
    anchors = "".join(f'<a href="{href}">{href.strip("/") or "home"}</a> ' for href in links)
    return (
        f"<html><head><title>{title}</title></head><body><nav>{anchors}</nav>"
        f"<main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A home page, three tent pages that say "dome tents", and a dome tent guide nothing
    links to but the sitemap-less home page's last link."""
    tents = "Our tents pitch fast. We compare dome tents and tunnel tents for wind and rain."
    routes = {
        "/": Answer(body=article("Tents shop", tents, "/a/", "/b/", "/c/", "/guide/")),
        "/a/": Answer(body=article("Tunnel tents", tents, "/", "/b/")),
        "/b/": Answer(body=article("Family tents", tents, "/", "/c/")),
        "/c/": Answer(body=article("Trekking tents", tents, "/", "/a/")),
        "/guide/": Answer(body=article("Dome tents", "How dome tents stand in the wind.", "/")),
    }
    path = tmp_path_factory.mktemp("cli-plan")
    with ScriptedServer(routes) as server:
        crawled = run("crawl", server.origin + "/", "-p", "site.duckdb", "--workers", "0",
                      cwd=path)  # fmt: skip
        assert crawled.returncode == 0, crawled.stderr
        origin = server.origin
    analysed = run("analyze", "-p", "site.duckdb", cwd=path)
    assert analysed.returncode == 0, analysed.stderr
    return path, origin


def test_recommend_writes_a_plan_simulate_reads(site: tuple[Path, str]) -> None:
    path, origin = site
    guide = origin + "/guide/"
    priorities = path / "priorities.csv"
    priorities.write_text(f"url,weight,keywords\n{guide},1,dome tents\n", encoding="utf-8")
    recommended = run("recommend", "-p", "site.duckdb", "--priorities", "priorities.csv",
                      "--budget", "2", "-f", "csv", cwd=path)  # fmt: skip
    assert recommended.returncode == 0, recommended.stderr
    rows = list(csv.DictReader(io.StringIO(recommended.stdout)))
    assert len(rows) == 2
    assert {r["target_url"] for r in rows} == {guide}
    assert all(r["anchor_in_text"] == "true" and "dome tents" in r["snippet"] for r in rows)
    (path / "plan.csv").write_text(recommended.stdout, encoding="utf-8")
    simulated = run("simulate", "plan.csv", "-p", "site.duckdb", "-f", "json", cwd=path)
    assert simulated.returncode == 0, simulated.stderr
    pages = {r["url"]: r for r in json.loads(simulated.stdout)}
    assert pages[guide]["score_after"] - pages[guide]["score_before"] == pytest.approx(
        float(rows[-1]["cumulative_priority_gain"]), rel=1e-6
    )
    table = run("simulate", "plan.csv", "-p", "site.duckdb", cwd=path, columns=200)
    assert "Where the equity goes" in table.stdout and guide in table.stdout


def test_plan_errors_are_one_sentence(site: tuple[Path, str]) -> None:
    path, origin = site
    plan = path / "bad.csv"
    plan.write_text(f"source_url,target_url,action\n{origin}/a/,{origin}/,add\n", encoding="utf-8")
    assert one_sentence_error(run("simulate", "bad.csv", "-p", "site.duckdb", cwd=path)) == (
        f"bad.csv, row 2: {origin}/a/ already links to {origin}/; a second link counts for "
        "nothing (duplicate_links = first): change the one there with a position or follow "
        "row."
    )
    plan.write_text(f"source_url,target_url,action\n{origin}/a/,{origin}/c/,remove\n",
                    encoding="utf-8")  # fmt: skip
    assert one_sentence_error(run("simulate", "bad.csv", "-p", "site.duckdb", cwd=path)) == (
        f"bad.csv, row 2: {origin}/a/ has no counted link to {origin}/c/, so it cannot be removed."
    )
    assert one_sentence_error(
        run("simulate", "none.csv", "-p", "site.duckdb", cwd=path)
    ).startswith("none.csv")
    unknown = path / "unknown.csv"
    unknown.write_text(f"url\n{origin}/nowhere/\n", encoding="utf-8")
    assert (
        one_sentence_error(
            run("recommend", "-p", "site.duckdb", "--priorities", "unknown.csv", cwd=path)
        )
        == f"unknown.csv, row 2: the crawl does not know {origin}/nowhere/."
    )
    assert one_sentence_error(run("simulate", "bad.csv", "-p", "none.duckdb", cwd=path)) == (
        "The project file none.duckdb does not exist."
    )


def test_recommend_keeps_its_links_for_the_report(site: tuple[Path, str]) -> None:
    from linkequity import Project

    path, origin = site
    guide = origin + "/guide/"
    args = ("recommend", "-p", "site.duckdb", "--priority", guide, "-f", "csv")
    first = run(*args, "--budget", "2", cwd=path)
    assert first.returncode == 0, first.stderr
    printed = list(csv.DictReader(io.StringIO(first.stdout)))
    kept = Project(path / "site.duckdb").table("recommendations").to_pylist()
    assert [(r["rank"], r["source_url"], r["target_url"], r["anchor"]) for r in kept] == [
        (int(r["rank"]), r["source_url"], r["target_url"], r["anchor"]) for r in printed
    ]
    assert [r["predicted_gain"] for r in kept] == [float(r["predicted_gain"]) for r in printed]
    # a second run replaces them; --no-save leaves what was kept
    assert run(*args, "--budget", "1", cwd=path).returncode == 0
    assert Project(path / "site.duckdb").table("recommendations").num_rows == 1
    assert run(*args, "--budget", "2", "--no-save", cwd=path).returncode == 0
    assert Project(path / "site.duckdb").table("recommendations").num_rows == 1
