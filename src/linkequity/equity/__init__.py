"""The equity engine (analyze stage): graph build, PageRank, scores, structure and anchor audit."""

from __future__ import annotations

from linkequity.equity.analyze import STEPS, AnalysisSummary, analyze
from linkequity.equity.findings import KINDS, SEVERITIES, Finding
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
    "KINDS",
    "METHODS",
    "SEVERITIES",
    "STEPS",
    "AnalysisSummary",
    "EquityGraph",
    "Finding",
    "NodeScores",
    "PageRankResult",
    "SiteEquity",
    "analyze",
    "build_graph",
    "pagerank",
    "pagerank_residual",
    "reference_pagerank",
    "score_graph",
    "transition_matrix",
]
