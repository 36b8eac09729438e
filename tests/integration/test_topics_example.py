"""Topics of a real crawl of the example site: its sections come out as clusters."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from linkequity import Project
from linkequity.example import SiteServer, build_site


def test_the_example_sites_sections_are_clusters(tmp_path: Path) -> None:
    site = build_site(pages=300, seed=7)
    with SiteServer(site) as server:
        project = Project(tmp_path / "site.duckdb")
        project.crawl(server.origin + "/", workers=0)
    project.analyze()
    clusters, pages = project.topics()
    sections = site.sections()
    members: dict[int, Counter[str | None]] = {}
    for row in pages.to_pylist():
        members.setdefault(row["cluster"], Counter())[sections.get(urlsplit(row["url"]).path)] += 1
        assert row["text_source"] == "content"
    # one cluster per section, and the blog's posts of several sections in one or two more
    assert len(site.categories) == 8 and clusters.num_rows in (8, 9)
    # a cluster is one section when nine in ten of its section pages are of that section
    pure = {}
    for cluster, counts in members.items():
        (section, n), *_ = Counter({s: c for s, c in counts.items() if s}).most_common(1)
        if n >= 0.9 * sum(c for s, c in counts.items() if s):
            pure[section] = cluster
    # every section but one is a cluster of its own; the eighth holds the blog's posts
    assert len(pure) >= 7 and len(set(pure.values())) == len(pure)
    by_cluster = {r["cluster"]: r for r in clusters.to_pylist()}
    tents = by_cluster[pure["tents"]]
    assert "tents" in tents["top_terms"] or "tent" in tents["top_terms"]
    assert urlsplit(tents["pillar_url"]).path.startswith("/category/tents/")
    assert sum(r["pages"] for r in by_cluster.values()) == pages.num_rows
    assert sum(r["equity"] for r in by_cluster.values()) == pytest.approx(
        sum(r["share"] or 0 for r in project.page_scores().to_pylist()
            if r["url"] in set(pages.column("url").to_pylist())),
        rel=1e-9,
    )  # fmt: skip
