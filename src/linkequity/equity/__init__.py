"""Equity (analyze stage): link equity through the internal link graph, as PageRank."""

from __future__ import annotations

from linkequity.equity.pagerank import (
    METHODS,
    PageRankResult,
    pagerank,
    pagerank_residual,
    transition_matrix,
)
from linkequity.equity.reference import reference_pagerank

__all__ = [
    "METHODS",
    "PageRankResult",
    "pagerank",
    "pagerank_residual",
    "reference_pagerank",
    "transition_matrix",
]
