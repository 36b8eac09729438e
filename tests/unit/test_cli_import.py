"""``linkequity import screamingfrog``: a summary on success, one sentence and exit 1 on error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from linkequity import Project

FIXTURES = Path(__file__).parents[1] / "fixtures" / "screamingfrog"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linkequity", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_import_prints_what_it_wrote(tmp_path: Path) -> None:
    result = run(
        "import",
        "screamingfrog",
        str(FIXTURES / "all_inlinks.csv"),
        str(FIXTURES / "internal_all.csv"),
        "--project",
        "sf.duckdb",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert out.startswith(
        "Imported snapshot 1 of https://www.example.com/ -> sf.duckdb: 14 URLs (1 known only "
        "from links), 17 links (14 internal), 3 redirect hops, 1 linked URL never requested "
    )
    for skipped in ("CSS │ 1", "HTML Canonical │ 1", "JavaScript │ 1"):
        assert skipped in out
    assert "all_inlinks.csv: link positions stored as unknown: Mega Menu (1)." in out
    overview = Project(tmp_path / "sf.duckdb").overview()
    assert (overview.pages, overview.links, overview.status) == (14, 17, "imported")


def test_an_unreadable_row_is_one_sentence_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "internal_all.csv"
    bad.write_text('"Address","Status Code"\n"https://www.example.com/","2OO"\n')
    inlinks = str(FIXTURES / "all_inlinks.csv")
    result = run("import", "screamingfrog", inlinks, str(bad), "-p", "sf.duckdb", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert " ".join(result.stderr.split()) == (
        f"Error: {bad}, row 2, column 'Status Code': '2OO' is not an HTTP status code."
    )
    assert Project(tmp_path / "sf.duckdb").table("crawls").num_rows == 0
