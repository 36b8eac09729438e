"""The equity engine: graph build, PageRank, scores, structure and anchor audit (analyze stage)."""

from __future__ import annotations

from linkequity.equity.analyze import STEPS, AnalysisSummary, analyze
from linkequity.equity.findings import KINDS, SEVERITIES, Finding
from linkequity.equity.graph import EquityGraph, build_graph
from linkequity.equity.scores import NodeScores, SiteEquity, score_graph

__all__ = [
    "KINDS",
    "SEVERITIES",
    "STEPS",
    "AnalysisSummary",
    "EquityGraph",
    "Finding",
    "NodeScores",
    "SiteEquity",
    "analyze",
    "build_graph",
    "score_graph",
]
