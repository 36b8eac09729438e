"""A plan of link changes: read from a CSV file, applied to a crawl's counted links (plan stage).

A plan is a list of :class:`LinkChange`, one per row of a plan file:

============ ==========================================================================
action       what happens to the links from ``source_url`` to ``target_url``
============ ==========================================================================
add          a new link (``position``: content by default; ``rel``: none by default)
remove       every link from the source to the target goes
nofollow     they get ``rel="nofollow"``
follow       they lose ``rel`` nofollow, sponsored and ugc
position     they move to ``position`` (content, navigation, header, footer, sidebar)
============ ==========================================================================

``action`` defaults to ``add``, so a recommendation CSV is a plan as it stands. A link is
known by where its equity goes: a link to a URL that redirects to the target, or to a
duplicate canonicalised to it, is a link to the target, as the equity model counts it.
:func:`apply_changes` edits :class:`~linkequity.equity.graph.GraphLinks` (before weights and rel
policies are applied), so the changed graph is assembled under exactly the rules of an
analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.equity.graph import GraphLinks, position_codes
from linkequity.errors import ConfigError, ImportFormatError
from linkequity.ingest.csvfile import CsvReader, sniff_csv
from linkequity.records import POSITIONS, Position
from linkequity.settings import EquitySettings
from linkequity.urls import normalise_url, registrable_domain

__all__ = ["ACTIONS", "LinkChange", "PlanAction", "apply_changes", "changed_links", "read_plan"]

PlanAction = Literal["add", "remove", "nofollow", "follow", "position"]
ACTIONS: tuple[PlanAction, ...] = get_args(PlanAction)

#: Column names a plan file may use, lower-cased: ours first, then the usual export names.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "action": ("action",),
    "source_url": ("source_url", "source", "from", "from_url", "src_url"),
    "target_url": ("target_url", "target", "to", "to_url", "dst_url", "destination"),
    "position": ("position", "link_position"),
    "rel": ("rel",),
    "anchor": ("anchor", "anchor_text"),
}
_RELS = ("nofollow", "sponsored", "ugc")


@dataclass(frozen=True, slots=True)
class LinkChange:
    """One change to the links from one page to another."""

    action: PlanAction
    source_url: str
    target_url: str
    position: Position | None = None
    """``add``: where the new link sits (content when None); ``position``: where it moves."""
    rel: tuple[str, ...] = ()
    """``add``: the new link's rel tokens among nofollow, sponsored, ugc."""
    anchor: str | None = None
    row: int | None = None
    """The plan file's line this change was read from."""
    path: str | None = None
    """The plan file, None for a change made in Python."""

    def where(self) -> str:
        """The file and row, or "change" for one made in Python, to start an error with."""
        if self.path is None:
            return "Change"
        return f"{self.path}, row {self.row}"


def read_plan(path: str | Path) -> tuple[LinkChange, ...]:
    """The changes of a plan file (CSV); an error names the file, row and column."""
    layout = sniff_csv(path)
    names = [name.strip().lower() for name in layout.header]
    index: dict[str, int] = {}
    for key, aliases in _COLUMNS.items():
        for alias in aliases:
            if alias in names:
                index[key] = names.index(alias)
                break
    for key in ("source_url", "target_url"):
        if key not in index:
            raise ImportFormatError(
                f"has no {key} column (the columns are: {', '.join(layout.header)}).",
                layout.path,
            )
    changes: list[LinkChange] = []
    with CsvReader(layout) as rows:
        for line, fields in rows:
            changes.append(_change(layout.path, line, fields, index, layout.header))
    return tuple(changes)


def _change(
    path: Path, line: int, fields: list[str], index: dict[str, int], header: tuple[str, ...]
) -> LinkChange:
    def value(key: str) -> str:
        i = index.get(key)
        return fields[i].strip() if i is not None and i < len(fields) else ""

    def fail(key: str, message: str) -> ImportFormatError:
        return ImportFormatError(message, path, line, header[index[key]])

    action = value("action").lower() or "add"
    if action not in ACTIONS:
        raise fail("action", f"{action!r} is not an action; use one of {', '.join(ACTIONS)}.")
    urls: dict[str, str] = {}
    for key in ("source_url", "target_url"):
        raw = value(key)
        normal = normalise_url(raw) if raw else None
        if normal is None:
            raise fail(key, f"{raw!r} is not an absolute http(s) URL.")
        urls[key] = normal
    position_text = value("position").lower()
    if position_text and position_text not in POSITIONS:
        raise fail(
            "position",
            f"{position_text!r} is not a link position; use one of {', '.join(POSITIONS)}.",
        )
    if action == "position" and not position_text:
        raise ImportFormatError("a position change needs a position.", path, line, "position")
    rel = tuple(token for token in value("rel").lower().replace(",", " ").split() if token)
    unknown = [token for token in rel if token not in _RELS]
    if unknown:
        raise fail("rel", f"{unknown[0]!r} is not a rel that changes equity ({', '.join(_RELS)}).")
    position: Position | None = None
    for known in POSITIONS:
        if known == position_text:
            position = known
    return LinkChange(
        action=next(a for a in ACTIONS if a == action),
        source_url=urls["source_url"],
        target_url=urls["target_url"],
        position=position,
        rel=rel,
        anchor=value("anchor") or None,
        row=line,
        path=str(path),
    )


def _domain(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


class _Edges:
    """The counted links, edited: flags and positions as arrays, rows kept or dropped, new
    rows beside. The string columns stay in Arrow (a 4M-link site's would take seconds to
    become Python objects); only the rows of a changed source are read."""

    def __init__(self, links: GraphLinks, sources: npt.NDArray[np.int64] | None = None) -> None:
        edges = links.edges
        if sources is not None:
            # only the rows of these pages (the rows are in source order): a what-if of a
            # few pages then costs their links, not the site's
            src = edges.column("src").to_numpy()
            bounds = np.searchsorted(src, np.stack([sources, sources + 1]).astype(src.dtype))
            rows = np.concatenate([np.arange(lo, hi) for lo, hi in bounds.T] or [np.zeros(0)])
            edges = edges.take(pa.array(rows.astype(np.int64)))
        self.edges = edges
        self.src = edges.column("src").to_numpy().astype(np.int32)
        self.dst = edges.column("dst").to_numpy().astype(np.int32)
        self.position = position_codes(
            GraphLinks(links.urls, edges, links.resolutions, links.nofollow_pages)
        ).copy()
        self.is_nofollow = edges.column("is_nofollow").to_numpy(zero_copy_only=False).copy()
        self.is_sponsored = edges.column("is_sponsored").to_numpy(zero_copy_only=False).copy()
        self.is_ugc = edges.column("is_ugc").to_numpy(zero_copy_only=False).copy()
        self.ordinal = edges.column("ordinal").to_numpy().astype(np.int32)
        self.keep = np.ones(len(self.src), dtype=bool)
        self.added: list[dict[str, object]] = []
        self.touched: set[int] = set()

    def rows_of(self, source: int, dst: int, off_graph: str | None) -> np.ndarray:
        """Row indices of the kept links from ``source`` to a node or an off-graph URL."""
        lo, hi = (
            int(i)
            for i in np.searchsorted(self.src, np.array([source, source + 1], dtype=self.src.dtype))
        )
        rows = np.arange(lo, hi)
        if dst >= 0:
            rows = rows[self.dst[lo:hi] == dst]
        else:
            urls = self.edges.column("off_graph").slice(lo, hi - lo).to_pylist()
            rows = rows[(self.dst[lo:hi] < 0) & np.array([u == off_graph for u in urls], bool)]
        rows = rows[self.keep[rows]]
        added = [
            i
            for i, row in enumerate(self.added)
            if row["src"] == source and row["dst"] == dst and row["off_graph"] == off_graph
        ]
        return np.concatenate([rows, len(self.src) + np.array(added, dtype=np.int64)])

    def next_ordinal(self, source: int) -> int:
        lo, hi = np.searchsorted(self.src, np.array([source, source + 1], dtype=self.src.dtype))
        existing = int(self.ordinal[lo:hi].max()) if hi > lo else -1
        added = [int(str(r["ordinal"])) for r in self.added if r["src"] == source]
        return max([existing, *added]) + 1

    def set(self, rows: np.ndarray, column: str, value: object) -> None:
        base = rows[rows < len(self.src)]
        stored = POSITIONS.index(str(value)) if column == "position" else value
        getattr(self, column)[base] = stored
        for i in rows[rows >= len(self.src)]:
            self.added[int(i) - len(self.src)][column] = value

    def table(self) -> pa.Table:
        """The links after the changes."""
        positions = pa.DictionaryArray.from_arrays(
            pa.array(self.position, pa.int8()), pa.array(POSITIONS, pa.string())
        ).cast(pa.string())
        base = pa.table(
            {
                "src": self.edges.column("src"),
                "dst": self.edges.column("dst"),
                "outcome": self.edges.column("outcome"),
                "position": positions,
                "is_nofollow": pa.array(self.is_nofollow, pa.bool_()),
                "is_sponsored": pa.array(self.is_sponsored, pa.bool_()),
                "is_ugc": pa.array(self.is_ugc, pa.bool_()),
                "ordinal": self.edges.column("ordinal"),
                "off_graph": self.edges.column("off_graph"),
            }
        ).filter(pa.array(self.keep, pa.bool_()))
        if not self.added:
            return base
        added = pa.Table.from_pylist(self.added, schema=base.schema)
        merged = pa.concat_tables([base, added])
        order = np.argsort(merged.column("src").to_numpy(), kind="stable")
        return merged.take(pa.array(order))


def apply_changes(
    links: GraphLinks, changes: tuple[LinkChange, ...], settings: EquitySettings
) -> GraphLinks:
    """``links`` with every change made, in order; an error names the change's row and URL."""
    return GraphLinks(
        links.urls, _edited(links, changes, settings).table(), links.resolutions,
        links.nofollow_pages,
    )  # fmt: skip


def changed_links(
    links: GraphLinks, changes: tuple[LinkChange, ...], settings: EquitySettings
) -> tuple[npt.NDArray[np.int64], GraphLinks]:
    """The pages whose links the changes touch (node ids, sorted), and all the links of those
    pages after the changes: what a graph needs to be patched rather than assembled anew."""
    node_id = {url: i for i, url in enumerate(links.urls)}
    sources = np.array(sorted({_source(links, node_id, c) for c in changes}), dtype=np.int64)
    edges = _edited(links, changes, settings, sources)
    return sources, GraphLinks(links.urls, edges.table(), links.resolutions, links.nofollow_pages)


def _edited(
    links: GraphLinks,
    changes: tuple[LinkChange, ...],
    settings: EquitySettings,
    sources: npt.NDArray[np.int64] | None = None,
) -> _Edges:
    """The counted links (of ``sources`` only, when given) with every change made, in
    order."""
    node_id = {url: i for i, url in enumerate(links.urls)}
    edges = _Edges(links, sources)
    for change in changes:
        source = _source(links, node_id, change)
        edges.touched.add(source)
        dst, outcome, off_graph = _target(links, node_id, change)
        rows = edges.rows_of(source, dst, off_graph)
        if change.action == "add":
            if rows.size and settings.duplicate_links == "first":
                raise ConfigError(
                    f"{change.where()}: {change.source_url} already links to "
                    f"{change.target_url}; a second link counts for nothing (duplicate_links "
                    "= first): change the one there with a position or follow row."
                )
            nofollow = "nofollow" in change.rel or change.source_url in links.nofollow_pages
            edges.added.append(
                {
                    "src": source,
                    "dst": dst,
                    "outcome": outcome,
                    "position": change.position or "content",
                    "is_nofollow": nofollow,
                    "is_sponsored": "sponsored" in change.rel,
                    "is_ugc": "ugc" in change.rel,
                    "ordinal": edges.next_ordinal(source),
                    "off_graph": off_graph,
                }
            )
            continue
        if not rows.size:
            raise ConfigError(
                f"{change.where()}: {change.source_url} has no counted link to "
                f"{change.target_url}, so it cannot be {_PAST[change.action]}."
            )
        if change.action == "remove":
            base = rows[rows < len(edges.src)]
            edges.keep[base] = False
            for i in sorted(
                (int(i) - len(edges.src) for i in rows[rows >= len(edges.src)]), reverse=True
            ):
                del edges.added[i]
        elif change.action == "nofollow":
            edges.set(rows, "is_nofollow", True)
        elif change.action == "follow":
            if change.source_url in links.nofollow_pages:
                raise ConfigError(
                    f"{change.where()}: the meta robots or X-Robots-Tag of {change.source_url} "
                    "says nofollow, so no link of that page passes equity whatever its rel."
                )
            for column in ("is_nofollow", "is_sponsored", "is_ugc"):
                edges.set(rows, column, False)
        else:
            edges.set(rows, "position", change.position)
    return edges


_PAST = {
    "remove": "removed",
    "nofollow": "made nofollow",
    "follow": "made followed",
    "position": "moved",
}


def _source(links: GraphLinks, node_id: dict[str, int], change: LinkChange) -> int:
    """The node of a change's source page; an error when its links count for nothing."""
    url = change.source_url
    resolution = links.resolutions.get(url)
    if resolution is None:
        raise ConfigError(f"{change.where()}: the crawl does not know the source page {url}.")
    if resolution.role != "page":
        what = {
            "canonicalised": f"canonicalised to {resolution.equity_url}",
            "redirect": "a redirect",
        }.get(resolution.role, resolution.role.replace("_", " "))
        raise ConfigError(
            f"{change.where()}: the source page {url} is {what}, so its links pass nothing."
        )
    return node_id[url]


def _target(
    links: GraphLinks, node_id: dict[str, int], change: LinkChange
) -> tuple[int, str, str | None]:
    """(node id or -1, outcome, URL when off the graph) of a change's target."""
    url = change.target_url
    if url == change.source_url:
        raise ConfigError(f"{change.where()}: {url} would link to itself.")
    resolution = links.resolutions.get(url)
    if resolution is None:
        if _domain(url) == _domain(change.source_url):
            raise ConfigError(f"{change.where()}: the crawl does not know the target page {url}.")
        return -1, "external", url
    if resolution.outcome == "node" and resolution.equity_url is not None:
        if resolution.equity_url == change.source_url:
            raise ConfigError(
                f"{change.where()}: {url} passes its equity to {change.source_url}, so the "
                "link would be a link to itself."
            )
        return node_id[resolution.equity_url], "node", None
    return -1, resolution.outcome, url
