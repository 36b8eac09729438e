"""The command that shows the topic clusters of an analyzed crawl (present stage).

``topics``: each cluster with its label, pillar and hub-and-spoke health; ``--pages`` lists
the cluster of every page instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkequity.present.output import CrawlOpt, FormatOpt, ProjectOpt, emit, user_errors
from linkequity.project import Project

__all__ = ["topics_command"]

# The columns printed: top_terms is a list, which CSV cannot hold (export keeps it).
_CLUSTER_COLUMNS = (
    "cluster",
    "pages",
    "label",
    "pillar_url",
    "pillar_reason",
    "spokes_to_pillar",
    "pillar_to_spokes",
    "spoke_density",
    "leaked_share",
    "equity",
    "cohesion",
)


def topics_command(
    project: ProjectOpt = Path("site.duckdb"),
    crawl_id: CrawlOpt = None,
    pages: Annotated[
        bool, typer.Option("--pages", help="List the cluster of every page instead.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Topic clusters (by text and links) with their pillar page and hub-and-spoke health."""
    with user_errors():
        clusters, page_topics = Project(project).topics(crawl_id)
        if pages:
            emit(page_topics, fmt, "Pages by topic cluster")
        else:
            emit(clusters.select(list(_CLUSTER_COLUMNS)), fmt, "Topic clusters")
