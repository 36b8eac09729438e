"""What a command writes to a pipe: errors on one line, tables as wide as COLUMNS allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity import Project
from tests.commands import run
from tests.servers import Answer, ScriptedServer, page

LONG = "/a-rather-long-path-naming-the-page-in-words"


@pytest.mark.parametrize("columns", [None, 40])
def test_an_error_naming_a_long_path_is_one_unbroken_line(
    tmp_path: Path, columns: int | None
) -> None:
    missing = tmp_path / ("deep-directory-" * 8) / ("deeper-still-" * 8) / "site.duckdb"
    assert len(str(missing)) > 200
    result = run("pages", "--project", str(missing), cwd=tmp_path, columns=columns)
    assert result.returncode == 1
    assert result.stderr == f"Error: The project file {missing} does not exist.\n"
    assert result.stdout == ""


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A crawled and analysed two-page site: (the directory of site.duckdb, its long URL)."""
    directory = tmp_path_factory.mktemp("widths")
    routes = {"/": Answer(body=page(LONG)), LONG: Answer(body=page("/"))}
    with ScriptedServer(routes) as s:
        Project(directory / "site.duckdb").crawl(s.origin + "/", workers=0)
        url = s.origin + LONG
    Project(directory / "site.duckdb").analyze()
    return directory, url


def _pages(directory: Path, columns: int | None) -> list[str]:
    result = run("pages", "-p", "site.duckdb", cwd=directory, columns=columns)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_columns_200_widens_a_table(analysed: tuple[Path, str]) -> None:
    directory, url = analysed
    row = f"│ 1 │ 100.00 │ 50.00 │ {url} │ page │ 1 │ 1 │ 1 │ 1 │ 1 │ True │"
    narrow = _pages(directory, 100)
    assert max(len(line) for line in narrow) == 100
    assert not any(url in line for line in narrow)  # folded into the column's width
    wide = _pages(directory, 200)
    assert row in [" ".join(line.split()) for line in wide]
    assert max(len(line) for line in wide) == len(url) + 121  # the table's own width, < 200
    # a pipe without COLUMNS: the table as wide as its cells need, nothing folded
    assert _pages(directory, None) == wide
