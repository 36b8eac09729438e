"""``linkequity import screamingfrog``: a summary on success, one sentence and exit 1 on error."""

from __future__ import annotations

from pathlib import Path

from linkequity import Project
from tests.commands import run

FIXTURES = Path(__file__).parents[2] / "fixtures" / "screamingfrog"


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


BACKLINKS = Path(__file__).parents[2] / "fixtures" / "backlinks"


def test_import_backlinks_prints_a_summary_per_file(tmp_path: Path) -> None:
    result = run(
        "import", "backlinks", str(BACKLINKS / "ahrefs_v3_backlinks.tsv"),
        str(BACKLINKS / "gsc_latest_links_en.csv"), "--project", "b.duckdb", cwd=tmp_path,
        columns=200,  # wide enough that no table cell is cut
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert out.startswith(
        "Imported 2 backlink exports -> b.duckdb: 7 rows, 6 backlinks from 5 referring domains"
    )
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "ahrefs_v3_backlinks.tsv │ 1 │ ahrefs-v3 │ backlinks │ │ 4 │ 4 │ 4 │ 0" in lines
    assert "gsc_latest_links_en.csv │ 2 │ gsc-links │ sample_links │ │ 3 │ 2 │ 2 │ 1" in lines
    assert "gsc_latest_links_en.csv: rows skipped: referring URL not http(s) (1)." in out
    assert Project(tmp_path / "b.duckdb").table("imports").num_rows == 2


def test_import_backlinks_with_a_mapping_and_its_errors(tmp_path: Path) -> None:
    generic = str(BACKLINKS / "generic_links.csv")
    result = run(
        "import", "backlinks", generic, "--map", "referring_url=Source URL",
        "--map", "target_url=Target", "-p", "b.duckdb", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "generic_links.csv: rows skipped: no target URL (1)." in " ".join(result.stdout.split())
    result = run("import", "backlinks", generic, "-p", "b.duckdb", "--tool", "moz", cwd=tmp_path)
    assert result.returncode == 1
    assert " ".join(result.stderr.split()) == (
        f'Error: {generic}, row 1: is not an export linkequity knows: its columns are "Source '
        'URL", "Target", "Text", "Follow"; known formats: Moz inbound links (needs Source URL, '
        "Target URL, Domain Authority); Moz linking domains (needs Root Domain, Domain "
        "Authority)."
    )
    assert Project(tmp_path / "b.duckdb").table("imports").num_rows == 1
