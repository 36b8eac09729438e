"""Two backlink snapshots side by side: links and referring domains won and lost (store stage).

Every imported backlinks export is a snapshot (``imports`` with report ``backlinks``).
:func:`compare_snapshots` reads two of them (by default the latest and the one before it
from the same tool, since two tools see different parts of the web and their difference
is no change) and returns, as Arrow tables:

* ``links``: backlinks, one per (referring URL, target URL), live in the later snapshot and
  not in the earlier (``new``) or the other way round (``lost``); a link an export marks
  lost (``lost_on``) is not live in it;
* ``domains``: referring domains with live links in one snapshot and none in the other, with
  their live links and best authority where they have them.

Search Console's link samples are no snapshots (a link missing from a later sample is not
lost), so they are refused, as are the other reports (referring domains, anchors).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from linkequity.errors import StoreError
from linkequity.store.database import Store

__all__ = ["BacklinkComparison", "compare_snapshots"]


@dataclass(frozen=True, slots=True)
class BacklinkComparison:
    """What changed from backlinks snapshot ``before`` to snapshot ``after`` (import ids)."""

    before: int
    after: int
    links: pa.Table
    domains: pa.Table

    def summary(self) -> pa.Table:
        """One row per kind of change, with its count."""

        def count(table: pa.Table, value: str) -> int:
            return sum(1 for v in table.column("change").to_pylist() if v == value)

        rows = [
            ("backlinks new", count(self.links, "new")),
            ("backlinks lost", count(self.links, "lost")),
            ("referring domains new", count(self.domains, "new")),
            ("referring domains lost", count(self.domains, "lost")),
        ]
        return pa.table({"change": [r[0] for r in rows], "count": [r[1] for r in rows]})


def _snapshots(store: Store, before: int | None, after: int | None) -> tuple[int, int]:
    rows = store.rows("SELECT import_id, tool, report FROM imports ORDER BY import_id")
    kinds = {int(i): (tool, report) for i, tool, report in rows}
    for given in (before, after):
        if given is None:
            continue
        if given not in kinds:
            raise StoreError(f"The project file {store.path} has no import {given}.")
        tool, report = kinds[given]
        if report != "backlinks":
            what = "a sample of links" if report == "sample_links" else f"a {report} report"
            raise StoreError(
                f"Import {given} is {what} from {tool}, not a backlinks snapshot: only "
                "backlinks exports can be compared."
            )
    snapshots = [i for i, (_, report) in kinds.items() if report == "backlinks"]
    later = max(snapshots, default=None) if after is None else after
    if later is None:
        raise StoreError(
            f"Comparing backlinks needs two backlinks exports; the project file {store.path} "
            "has none."
        )
    if before is None:
        tool = kinds[later][0]
        earlier = max((i for i in snapshots if i < later and kinds[i][0] == tool), default=None)
        if earlier is None:
            raise StoreError(
                f"Import {later} is the first backlinks export from {tool}: import a later "
                "or an earlier one from the same tool to compare, or name two imports."
            )
    else:
        earlier = before
    if earlier == later:
        raise StoreError(f"Import {later} compared with itself shows no change.")
    return earlier, later


_LIVE = """
    SELECT referring_url, target_url, any_value(referring_domain) AS referring_domain,
           any_value(anchor ORDER BY anchor NULLS LAST) AS anchor, max(authority) AS authority,
           bool_and(is_nofollow) AS is_nofollow
    FROM backlinks WHERE import_id = ? AND lost_on IS NULL
    GROUP BY referring_url, target_url
"""


def compare_snapshots(
    store: Store, before: int | None = None, after: int | None = None
) -> BacklinkComparison:
    """What changed between two backlinks snapshots (by default the latest two of one tool)."""
    a, b = _snapshots(store, before, after)
    links = store.arrow(
        f"""
        WITH x AS ({_LIVE}), y AS ({_LIVE})
        SELECT CASE WHEN x.referring_url IS NULL THEN 'new' ELSE 'lost' END AS change,
               coalesce(y.referring_url, x.referring_url) AS referring_url,
               coalesce(y.referring_domain, x.referring_domain) AS referring_domain,
               coalesce(y.target_url, x.target_url) AS target_url,
               coalesce(y.anchor, x.anchor) AS anchor,
               coalesce(y.authority, x.authority) AS authority,
               coalesce(y.is_nofollow, x.is_nofollow) AS is_nofollow
        FROM x FULL OUTER JOIN y
          ON x.referring_url = y.referring_url AND x.target_url IS NOT DISTINCT FROM y.target_url
        WHERE x.referring_url IS NULL OR y.referring_url IS NULL
        ORDER BY change, authority DESC NULLS LAST, referring_url, target_url
        """,
        [a, b],
    )
    domains = store.arrow(
        f"""
        WITH x AS (SELECT referring_domain, count(*) AS links, max(authority) AS authority,
                          count(*) FILTER (WHERE NOT is_nofollow) AS followed
                   FROM ({_LIVE}) GROUP BY referring_domain),
             y AS (SELECT referring_domain, count(*) AS links, max(authority) AS authority,
                          count(*) FILTER (WHERE NOT is_nofollow) AS followed
                   FROM ({_LIVE}) GROUP BY referring_domain)
        SELECT CASE WHEN x.referring_domain IS NULL THEN 'new' ELSE 'lost' END AS change,
               coalesce(y.referring_domain, x.referring_domain) AS referring_domain,
               coalesce(y.links, x.links) AS links,
               coalesce(y.followed, x.followed) AS followed_links,
               coalesce(y.authority, x.authority) AS authority
        FROM x FULL OUTER JOIN y ON x.referring_domain = y.referring_domain
        WHERE x.referring_domain IS NULL OR y.referring_domain IS NULL
        ORDER BY change, authority DESC NULLS LAST, referring_domain
        """,
        [a, b],
    )
    return BacklinkComparison(a, b, links, domains)
