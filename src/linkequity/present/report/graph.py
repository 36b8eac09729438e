"""The report's link graph: pages, what their links pass, where to draw them (present stage).

:func:`graph_data` reads an analysed crawl through :class:`~linkequity.Project` and returns
the plain JSON data ``templates/graph.js`` draws with sigma.js:

- **pages**: one entry per page holding equity (url, title, Link Score, share, status,
  directory, topic cluster, crawl depth, how many pages it links to and is linked from),
  stored column-wise (one array per field, strings once) to keep the file small;
- **edges**: the pairs of pages a followed link joins, with the equity their links pass
  (:meth:`~linkequity.Project.link_flows`, the sums of what ``outlinks`` lists). A templated
  site links every page to hundreds of others, far more than a file or a browser holds, so
  each page keeps its :data:`EDGES_PER_PAGE` strongest outlinks and inlinks (the panel of a
  page says how many there are in all);
- **x, y**: a precomputed layout (:mod:`~linkequity.present.report.layout`);
- above :data:`GROUP_ABOVE` pages, **groups**: the pages aggregated by directory (size the
  summed share, links the summed equity between directories, over *every* link), each page
  then placed in its own group's layout, drawn when its group is opened. A directory of
  more than :data:`GROUP_ABOVE` pages is split by its subfolders (``/products/tents/``) when
  it has any; a group still that large draws its :data:`GROUP_ABOVE` strongest pages by Link
  Score (the others have no position, ``x`` and ``y`` null: search and the panel list them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt

from linkequity.present.report.layout import layout
from linkequity.project import Project
from linkequity.urls import first_folder

__all__ = ["EDGES_PER_PAGE", "GROUP_ABOVE", "graph_data", "subfolder"]

#: Pages drawn one by one up to this many; beyond, directories first, and an opened group
#: draws at most this many (the report's target: 10,000 nodes that pan smoothly;
#: benchmarks/report.py measures the frame times).
GROUP_ABOVE: Final = 10_000
#: Strongest outlinks and inlinks kept per page: on the 20,000-page example site that is
#: 257,034 of its 2,816,794 linked pairs, 5.8 MB of its 8.45 MB report.
EDGES_PER_PAGE: Final = 8

_I = npt.NDArray[np.int64]


def subfolder(url: str) -> str:
    """The first two segments of a URL's path as ``/a/b/`` when the page lies below them
    (``/a/b/c``), else its first folder."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return f"/{segments[0]}/{segments[1]}/" if len(segments) > 2 else first_folder(url)


def _split(urls: list[str], directories: list[str], above: int) -> list[str]:
    """Each page's group: its directory, or its subfolder when the directory holds more than
    ``above`` pages and has subfolders."""
    sizes = Counter(directories)
    large = {d for d, size in sizes.items() if size > above}
    deeper = [subfolder(u) if d in large else d for u, d in zip(urls, directories, strict=True)]
    split = {d for d, deep in zip(directories, deeper, strict=True) if deep != d}
    return [deep if d in split else d for d, deep in zip(directories, deeper, strict=True)]


def _significant(values: npt.NDArray[np.float64], digits: int = 3) -> list[float]:
    """Floats rounded to a few significant digits: what a reader compares, in fewer bytes."""
    return [float(f"{v:.{digits}g}") for v in values.tolist()]


def _strongest(group: _I, equity: npt.NDArray[np.float64], keep: int) -> _I:
    """Indices of the ``keep`` largest ``equity`` within each value of ``group``."""
    order = np.lexsort((-equity, group))
    sorted_group = group[order]
    starts = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.arange(len(order)) - starts
    return np.asarray(order[rank < keep], dtype=np.int64)


def _index(values: list[str]) -> tuple[list[str], list[int]]:
    """The distinct values (sorted) and each value's position among them."""
    names = sorted(set(values))
    position = {name: i for i, name in enumerate(names)}
    return names, [position[v] for v in values]


def graph_data(
    project: Project,
    crawl_id: int | None = None,
    seed: int = 7,
    group_above: int = GROUP_ABOVE,
) -> dict[str, Any]:
    """The link graph of an analysed crawl as the report embeds it (plain JSON data); its
    pages are grouped by directory when there are more than ``group_above``."""
    flows = project.link_flows(crawl_id)
    scores = {
        r["url"]: r
        for r in project.page_scores(crawl_id, "score").to_pylist()
        if r["score"] is not None
    }
    clusters, page_topics = project.topics(crawl_id)
    labels = {int(r["cluster"]): str(r["label"]) for r in clusters.to_pylist()}
    cluster_of = {str(r["url"]): int(r["cluster"]) for r in page_topics.to_pylist()}
    urls = flows.urls
    n = len(urls)
    rows = [scores.get(u, {}) for u in urls]
    src = flows.src.astype(np.int64)
    dst = flows.dst.astype(np.int64)
    equity = flows.equity
    kept = np.union1d(
        _strongest(src, equity, EDGES_PER_PAGE), _strongest(dst, equity, EDGES_PER_PAGE)
    )
    kept = kept[np.argsort(-equity[kept], kind="stable")]
    grouped = n > group_above
    folders = [first_folder(u) for u in urls]
    if grouped:
        folders = _split(urls, folders, group_above)
    directories, page_directory = _index(folders)
    cluster_ids = sorted(labels)
    cluster_index = {c: i for i, c in enumerate(cluster_ids)}
    page_cluster = [cluster_index.get(cluster_of.get(u, -1), -1) for u in urls]
    statuses = [r.get("status_code") for r in rows]
    groups: dict[str, Any] | None = None
    drawn = np.ones(n, dtype=bool)
    if grouped:
        x, y, drawn, groups = _grouped(
            src, dst, equity, kept, page_directory, directories, rows, seed, group_above
        )
    else:
        x, y = layout(n, src[kept], dst[kept], seed)
    pages = {
        "url": urls,
        "title": [r.get("title") or "" for r in rows],
        "link_score": [round(float(r.get("link_score") or 0.0), 1) for r in rows],
        "share": _significant(np.array([float(r.get("share") or 0.0) for r in rows])),
        "status": statuses,
        "crawl_depth": [r.get("crawl_depth") for r in rows],
        "directory": page_directory,
        "cluster": page_cluster,
        "outlinks": np.bincount(src, minlength=n).tolist(),
        "inlinks": np.bincount(dst, minlength=n).tolist(),
        "x": [v if on else None for v, on in zip(x.tolist(), drawn.tolist(), strict=True)],
        "y": [v if on else None for v, on in zip(y.tolist(), drawn.tolist(), strict=True)],
    }
    return {
        "pages": pages,
        "edges": {
            "src": src[kept].tolist(),
            "dst": dst[kept].tolist(),
            "equity": _significant(equity[kept] * 100),
        },
        "directories": directories,
        "clusters": [labels[c] for c in cluster_ids],
        "statuses": sorted({s for s in statuses if s is not None}),
        "groups": groups,
        "total_edges": len(src),
    }


def _grouped(
    src: _I,
    dst: _I,
    equity: npt.NDArray[np.float64],
    kept: _I,
    page_directory: list[int],
    directories: list[str],
    rows: list[dict[str, Any]],
    seed: int,
    most: int,
) -> tuple[_I, _I, npt.NDArray[np.bool_], dict[str, Any]]:
    """Directory groups with their summed share and equity, and each page's place in the
    layout of its own group; a group of more than ``most`` pages places its ``most``
    strongest by Link Score (the mask of the pages placed is returned)."""
    group = np.asarray(page_directory, dtype=np.int64)
    n, count = len(group), len(directories)
    shares = [float(r.get("share") or 0.0) for r in rows]
    score = np.array([float(r.get("link_score") or 0.0) for r in rows])
    share = np.bincount(group, weights=shares, minlength=count).astype(np.float64)
    pair = group[src] * count + group[dst]
    between = pair[group[src] != group[dst]]
    flows = np.bincount(pair, weights=equity, minlength=count * count)
    pairs = np.unique(between)
    gx, gy = layout(count, pairs // count, pairs % count, seed)
    x = np.zeros(n, dtype=np.int64)
    y = np.zeros(n, dtype=np.int64)
    drawn = np.zeros(n, dtype=bool)
    for g in range(count):
        members = np.flatnonzero(group == g)
        if len(members) > most:
            members = np.sort(members[np.argsort(-score[members], kind="stable")[:most]])
        drawn[members] = True
    inside = kept[(group[src[kept]] == group[dst[kept]]) & drawn[src[kept]] & drawn[dst[kept]]]
    for g in range(count):
        members = np.flatnonzero((group == g) & drawn)
        local = np.full(n, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        edges = inside[group[src[inside]] == g]
        mx, my = layout(len(members), local[src[edges]], local[dst[edges]], seed)
        x[members], y[members] = mx, my
    return (
        x,
        y,
        drawn,
        {
            "by": "directory",
            "pages": np.bincount(group, minlength=count).tolist(),
            "drawn": np.bincount(group[drawn], minlength=count).tolist(),
            "share": _significant(share),
            "x": gx.tolist(),
            "y": gy.tolist(),
            "src": (pairs // count).tolist(),
            "dst": (pairs % count).tolist(),
            "equity": _significant(flows[pairs] * 100),
        },
    )
