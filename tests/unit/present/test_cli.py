"""The command line: every error a user meets is one sentence and a non-zero exit."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from linkequity import Project
from tests.commands import one_sentence_error, run
from tests.servers import Answer, ScriptedServer, lock_holder, page


def test_crawl_export_and_summary(tmp_path: Path) -> None:
    routes = {"/": Answer(body=page("/a", "mailto:x@example.com")), "/a": Answer(body=page())}
    with ScriptedServer(routes) as s:
        crawled = run("crawl", s.origin + "/", "-p", "site.duckdb", "--workers", "0", cwd=tmp_path)
        assert crawled.returncode == 0, crawled.stderr
        assert all(ua == "Mozilla/5.0 (compatible; linkequity/0.1)" for *_x, ua in s.requests)
    assert "Finished crawl 1: 2 URLs, 2 links, 0 errors" in crawled.stderr
    exported = run("export", "links", "-p", "site.duckdb", "--format", "csv", cwd=tmp_path)
    assert exported.returncode == 0
    assert (tmp_path / "links.csv").read_text().count("\n") == 3  # header + 2 links
    summary = run("summary", "-p", "site.duckdb", cwd=tmp_path)
    assert "Crawl 1 of " in summary.stdout
    assert "2 URLs, 2 links" in summary.stdout


def test_invalid_start_url(tmp_path: Path) -> None:
    message = one_sentence_error(run("crawl", "www.example.com", cwd=tmp_path))
    assert message == (
        "'www.example.com' is not a valid start URL; give an absolute http(s) URL such as "
        "https://www.example.com/."
    )


def test_unreachable_host(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    message = one_sentence_error(run("crawl", f"http://127.0.0.1:{port}/", cwd=tmp_path))
    assert message == f"Cannot reach 127.0.0.1:{port}: connection failed (connection refused)."


def test_robots_disallowing_everything(tmp_path: Path) -> None:
    robots = Answer(body="User-agent: *\nDisallow: /", content_type="text/plain")
    with ScriptedServer({"/robots.txt": robots}) as s:
        message = one_sentence_error(run("crawl", s.origin + "/", cwd=tmp_path))
    assert message.endswith("so there is nothing to crawl; pass --ignore-robots to crawl anyway.")


def test_resume_with_nothing_to_resume(tmp_path: Path) -> None:
    with ScriptedServer({"/": Answer(body=page())}) as s:
        Project(tmp_path / "site.duckdb").crawl(s.origin + "/", workers=0)
    message = one_sentence_error(run("crawl", "--resume", "-p", "site.duckdb", cwd=tmp_path))
    assert message == "The project file site.duckdb has no unfinished crawl to resume."


def test_locked_project_file(tmp_path: Path) -> None:
    path = tmp_path / "site.duckdb"
    with lock_holder(path) as pid, ScriptedServer({"/": Answer(body=page())}) as s:
        result = run("crawl", s.origin + "/", "-p", "site.duckdb", cwd=tmp_path)
    assert one_sentence_error(result) == (
        f"The project file site.duckdb is in use by another linkequity process "
        f"(process {pid}); wait for it to finish or use another file."
    )
    assert Project(path).table("crawls").num_rows == 0  # not damaged, still a project


def test_bad_settings_file(tmp_path: Path) -> None:
    (tmp_path / "linkequity.toml").write_text("[crawl]\nmax_pagez = 3\n")
    message = one_sentence_error(run("crawl", "http://127.0.0.1:9/", cwd=tmp_path))
    assert message.startswith("linkequity.toml: unknown setting 'max_pagez'; known: ")


def test_settings_lists_every_setting_with_help(tmp_path: Path) -> None:
    result = run("settings", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("max_pages", "include_subdomains", "strip_params", "autothrottle", "proxy"):
        assert name in result.stdout


@pytest.mark.parametrize("args", [["export", "nope"], ["export", "pages", "-f", "ods"]])
def test_export_errors(tmp_path: Path, args: list[str]) -> None:
    with ScriptedServer({"/": Answer(body=page())}) as s:
        Project(tmp_path / "site.duckdb").crawl(s.origin + "/", workers=0)
    message = one_sentence_error(run(*args, "-p", "site.duckdb", cwd=tmp_path))
    assert message.startswith("Unknown ")


def test_analyze_then_read_the_results(tmp_path: Path) -> None:
    routes = {
        "/": Answer(body=page("/a", "/b", "/gone")),
        "/a": Answer(body=page("/", "/b")),
        "/b": Answer(body=page("/")),
        "/gone": Answer(status=404, body="no"),
    }
    with ScriptedServer(routes) as s:
        crawled = run("crawl", s.origin + "/", "-p", "site.duckdb", "--workers", "0", cwd=tmp_path)
        assert crawled.returncode == 0, crawled.stderr
        origin = s.origin
    analysed = run("analyze", "-p", "site.duckdb", cwd=tmp_path)
    assert analysed.returncode == 0, analysed.stderr
    assert "3 pages hold equity" in " ".join(analysed.stdout.split())
    pages = run("pages", "-p", "site.duckdb", "-f", "json", cwd=tmp_path)
    rows = json.loads(pages.stdout)
    assert [r["url"] for r in rows[:3]] == [origin + "/", origin + "/b", origin + "/a"]
    assert rows[0]["link_score"] == 100.0 and rows[-1]["score"] is None
    broken = run(
        "findings", "-p", "site.duckdb", "--kind", "broken_link", "-f", "csv", cwd=tmp_path
    )
    lines = broken.stdout.splitlines()
    assert lines[0] == '"kind","severity","impact","url","summary","fix","detail_json"'
    assert len(lines) == 2 and lines[1].startswith('"broken_link","error",')
    impact = float(lines[1].split(",")[2])
    assert lines[1].split(",")[3] == f'"{origin}/gone"'
    # the impact is what the one link to it takes from the home page, one of its 3 links
    assert impact == pytest.approx(100 * 0.85 * rows[0]["score"] / 3, rel=1e-9)
    links = run("links", "-p", "site.duckdb", "--to", origin + "/b", "-f", "json", cwd=tmp_path)
    assert sorted(r["src_url"] for r in json.loads(links.stdout)) == [origin + "/", origin + "/a"]


def test_analysis_errors_are_one_sentence(tmp_path: Path) -> None:
    assert one_sentence_error(run("pages", "-p", "none.duckdb", cwd=tmp_path)) == (
        "The project file none.duckdb does not exist."
    )
    assert one_sentence_error(run("links", "-p", "x.duckdb", cwd=tmp_path)) == (
        "Give exactly one of --to URL or --from URL."
    )
    assert (
        one_sentence_error(run("findings", "-p", "x.duckdb", "--severity", "fatal", cwd=tmp_path))
        == "Unknown severity 'fatal'; severities: error, warning, notice."
    )
