"""The backlink reports by name, as ``linkequity backlinks ...`` shows them (analyze stage)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from linkequity.backlinks import profile
from linkequity.errors import StoreError
from linkequity.settings import BacklinkSettings
from linkequity.store import Store
from linkequity.store.queries import analysis_equity_settings, latest_analysed_crawl

__all__ = ["REPORTS", "backlink_report", "backlink_reports"]

#: Every report :func:`backlink_report` knows, in the order its error message lists them.
REPORTS = (
    "domains",
    "authority",
    "tlds",
    "anchors",
    "anchor_classes",
    "pages",
    "changes",
    "reclaim",
    "toxic",
)


def backlink_report(
    store: Store, name: str, settings: BacklinkSettings, **options: Any
) -> pa.Table:
    """One backlink report: ``domains`` (option ``sort``), ``authority``, ``tlds``,
    ``anchors``, ``anchor_classes``, ``pages``, ``changes``, ``reclaim`` or ``toxic``
    (option ``minimum``)."""
    return backlink_reports(store, (name,), settings, **options)[name]


def backlink_reports(
    store: Store, names: Sequence[str], settings: BacklinkSettings, **options: Any
) -> dict[str, pa.Table]:
    """Several backlink reports by name, from one reading of the backlinks (their toxicity
    and strength are computed once, not once per report)."""
    for name in names:
        if name not in REPORTS:
            raise StoreError(f"Unknown backlink report {name!r}; reports: {', '.join(REPORTS)}.")
    table = profile.backlink_table(store, None, settings)
    return {name: _report(store, table, name, settings, options) for name in names}


def _report(
    store: Store, table: pa.Table, name: str, settings: BacklinkSettings, options: dict[str, Any]
) -> pa.Table:
    if name == "domains":
        return profile.referring_domains(store, table, options.get("sort", "authority"))
    if name in ("anchors", "anchor_classes"):
        classes, top = profile.anchor_profile(store, table)
        return top if name == "anchors" else classes
    if name == "pages":
        return profile.landing_pages(store, table)
    if name == "authority":
        return profile.authority_distribution(store, table)
    if name == "tlds":
        return profile.tld_mix(store, table)
    if name == "changes":
        return profile.backlink_changes(store, table)
    if name == "reclaim":
        cid = latest_analysed_crawl(store)
        if cid is None:
            raise StoreError(
                f"{store.path} has no analyzed crawl to check backlink targets against: "
                "crawl and run linkequity analyze first."
            )
        external = analysis_equity_settings(store, cid).external_weight
        return profile.reclaim_list(store, table, external)
    return profile.toxic_links(store, table, float(options.get("minimum", 0.0)))
