"""The equity engine: graph build, PageRank, scores, structure and anchor audits (analyze stage)."""

from __future__ import annotations

from linkequity.equity.graph import EquityGraph, build_graph
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
    "NodeScores",
    "PageRankResult",
    "SiteEquity",
    "build_graph",
    "pagerank",
    "pagerank_residual",
    "reference_pagerank",
    "score_graph",
    "transition_matrix",
]
