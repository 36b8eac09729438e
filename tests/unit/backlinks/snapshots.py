"""Backlink snapshots written straight into a project file, for tests that do not import."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from linkequity.store import Store

_DEFAULTS: dict[str, Any] = {
    "anchor": "a link",
    "is_nofollow": False,
    "is_sponsored": False,
    "is_ugc": False,
    "authority": 50.0,
}


def add_snapshot(
    store: Store,
    import_id: int,
    rows: list[dict[str, Any]],
    tool: str = "ahrefs",
    exported_on: date | None = None,
) -> None:
    """One backlinks import: ``rows`` give referring_url and target_url, and any other column."""
    full = []
    for r in rows:
        domain = r["referring_url"].split("://", 1)[1].split("/", 1)[0].removeprefix("www.")
        full.append(
            {
                "import_id": import_id,
                "source_tool": tool,
                "referring_domain": domain,
                **_DEFAULTS,
                **r,
            }
        )
    columns = sorted({k for r in full for k in r})
    full = [{k: r.get(k) for k in columns} for r in full]
    store.write(
        {
            "imports": pa.Table.from_pylist(
                [
                    {
                        "import_id": import_id,
                        "tool": tool,
                        "report": "backlinks",
                        "format": f"{tool}-test",
                        "path": f"{tool}-{import_id}.csv",
                        "imported_at": datetime.now(UTC),
                        "exported_on": exported_on,
                        "rows": len(rows),
                    }
                ]
            ),
            "backlinks": pa.Table.from_pylist(full),
        }
    )
