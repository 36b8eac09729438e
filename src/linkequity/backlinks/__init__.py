"""Backlinks: the referring-domain profile, toxicity, disavow files, equity seeding (analyze)."""

from __future__ import annotations

__all__: list[str] = []
