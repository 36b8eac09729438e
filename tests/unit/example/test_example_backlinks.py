"""The example site's backlink exports import to exactly the truth of the model behind them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.backlinks.current import current_backlinks
from linkequity.example import SiteServer, build_site
from linkequity.example.backlinks import (
    ExpectedBacklinks,
    expected_backlinks,
    write_backlink_exports,
)
from linkequity.ingest import BacklinkImportSummary
from linkequity.settings import BacklinkSettings
from linkequity.store import Store

Imported = tuple[Project, BacklinkImportSummary, ExpectedBacklinks]


def test_exports_are_deterministic(tmp_path: Path) -> None:
    site = build_site(pages=120, seed=7)
    first = write_backlink_exports(site, "http://northwind.test", tmp_path / "a")
    second = write_backlink_exports(site, "http://northwind.test", tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.name for p in first] == [
        "ahrefs_backlinks_2024-05-30.tsv", "semrush_backlinks.csv", "majestic_backlinks.csv",
        "gsc_enlaces_recientes.csv",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    site = build_site(pages=120, seed=7)
    tmp = tmp_path_factory.mktemp("example-backlinks")
    with SiteServer(site) as server:
        project = Project(tmp / "site.duckdb")
        project.crawl(server.origin + "/", workers=0)
        paths = write_backlink_exports(site, server.origin, tmp / "exports")
        summary = project.import_backlinks(*paths)
        project.analyze()
        yield project, summary, expected_backlinks(site, server.origin)


def test_import_matches_the_model(imported: Imported) -> None:
    project, summary, truth = imported
    assert {f.tool: f.rows for f in summary.files} == truth.rows_by_tool
    assert [f.format for f in summary.files] == ["ahrefs-v3", "semrush", "majestic", "gsc-links"]
    with Store(project.path, read_only=True) as store:
        current = current_backlinks(store).to_pylist()
    live = [r for r in current if not r["lost"]]
    assert len(live) == truth.live_backlinks
    assert sum(r["lost"] for r in current) == truth.lost_backlinks
    assert tuple(sorted({r["referring_domain"] for r in live})) == truth.referring_domains


def test_toxic_domains_and_reclaim_list(imported: Imported) -> None:
    project, _summary, truth = imported
    threshold = BacklinkSettings().disavow_threshold
    toxic = project.backlink_report("toxic", minimum=threshold).to_pylist()
    assert tuple(sorted({r["referring_domain"] for r in toxic})) == truth.toxic_domains
    reclaim = project.backlink_report("reclaim").to_pylist()
    roles = [r["target_role"] for r in reclaim]
    assert (roles.count("broken"), roles.count("redirect")) == (
        truth.to_broken, truth.to_redirected
    )  # fmt: skip
    assert (truth.to_broken, truth.to_redirected) == (2, 2)
