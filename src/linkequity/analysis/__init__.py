"""One analysis of a crawl: equity, backlink seeding and audits run together (analyze stage)."""

from __future__ import annotations

from linkequity.analysis.run import STEPS, AnalysisSummary, AnalyzeProgress, analyze

__all__ = ["STEPS", "AnalysisSummary", "AnalyzeProgress", "analyze"]
