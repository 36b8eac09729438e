"""A command that fails before doing anything leaves no project file behind."""

from __future__ import annotations

import socket
from pathlib import Path

from linkequity import Project
from tests.commands import one_sentence_error, run
from tests.servers import Answer, ScriptedServer, page


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_a_bad_start_url_leaves_no_file(tmp_path: Path) -> None:
    message = one_sentence_error(run("crawl", "not-a-url", "--project", "x.duckdb", cwd=tmp_path))
    assert message == (
        "'not-a-url' is not a valid start URL; give an absolute http(s) URL such as "
        "https://www.example.com/."
    )
    assert _files(tmp_path) == []


def test_reading_a_missing_project_leaves_no_file(tmp_path: Path) -> None:
    message = one_sentence_error(run("pages", "--project", "missing.duckdb", cwd=tmp_path))
    assert message == "The project file missing.duckdb does not exist."
    assert _files(tmp_path) == []


def test_an_unreachable_start_host_leaves_no_file(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("crawl", f"http://127.0.0.1:{port}/", "--project", "x.duckdb", cwd=tmp_path)
    message = one_sentence_error(result)
    assert message == f"Cannot reach 127.0.0.1:{port}: connection failed (connection refused)."
    assert _files(tmp_path) == []


def test_nothing_to_resume_leaves_no_file(tmp_path: Path) -> None:
    message = one_sentence_error(run("crawl", "--resume", "-p", "new.duckdb", cwd=tmp_path))
    assert message == "The project file new.duckdb has no unfinished crawl to resume."
    assert _files(tmp_path) == []


def test_a_failed_crawl_keeps_a_project_file_that_was_there(tmp_path: Path) -> None:
    with ScriptedServer({"/": Answer(body=page())}) as s:
        Project(tmp_path / "site.duckdb").crawl(s.origin + "/", workers=0)
    one_sentence_error(run("crawl", "not-a-url", "--project", "site.duckdb", cwd=tmp_path))
    assert _files(tmp_path) == ["site.duckdb"]
    assert Project(tmp_path / "site.duckdb").table("crawls").num_rows == 1
