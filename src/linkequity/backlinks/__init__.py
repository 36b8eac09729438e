"""Backlinks: referring-domain profile, toxicity, reports, equity seeding (analyze stage)."""

from __future__ import annotations

__all__: list[str] = []
