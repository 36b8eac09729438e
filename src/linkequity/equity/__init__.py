"""The equity engine: graph build, PageRank, scores, structure and anchor audits (analyze stage)."""

from __future__ import annotations

from linkequity.equity.graph import EquityGraph, GraphLinks, assemble, build_graph, graph_links
from linkequity.equity.pagerank import (
    METHODS,
    PageRankResult,
    pagerank,
    pagerank_residual,
    transition_matrix,
)
from linkequity.equity.reference import reference_pagerank
from linkequity.equity.scores import NodeScores, SiteEquity, score_graph

__all__ = [
    "METHODS",
    "EquityGraph",
    "GraphLinks",
    "NodeScores",
    "PageRankResult",
    "SiteEquity",
    "assemble",
    "build_graph",
    "graph_links",
    "pagerank",
    "pagerank_residual",
    "reference_pagerank",
    "score_graph",
    "transition_matrix",
]
