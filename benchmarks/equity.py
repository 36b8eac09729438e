"""PageRank solve time of linkequity against igraph's PRPACK and networkx, in the same run.

Run ``python benchmarks/equity.py``: cnr-2000 and a synthetic 1M-page / 20M-link site;
``--quick`` swaps in a 100,000-page / 2M-link synthetic site (about a minute in all).

Method
------
1. Graphs. cnr-2000 (325,557 pages, 3,216,152 links; a 2000 crawl of the Italian CNR domain
   from the Laboratory for Web Algorithmics) is read from its gzipped ``src<TAB>dst`` edge
   list with pyarrow; the synthetic site comes from :func:`site_graph` (seeded). Loading or
   generating is timed and printed on its own, never as part of a solve. Both are written as
   ``.npy`` arrays that every child loads.
2. Every contender runs in its own child process (this script re-run with ``--child``), one
   at a time: it loads the links (``load``), builds its own structure (``build``:
   linkequity's transition matrix, igraph's ``Graph``, networkx's ``DiGraph``) and then solves
   ``--repeat`` times; the fastest solve is reported (the two cores are shared with whatever
   else runs, and the fastest run is the least disturbed one). A child reads its own peak
   RSS (``VmHWM`` in /proc, which starts afresh at exec) once at the end, so it includes the
   loaded links and the built graph, and once more for the solve alone, after resetting the
   mark through ``/proc/self/clear_refs`` when the graph is built.
3. Accuracy. A reference solution is computed first (linkequity's power method to an L1
   residual of 1e-14). For every result the parent computes the L1 residual
   ``||x - G(x)||_1`` (``pagerank_residual``) and the largest absolute difference from the
   reference. linkequity solves to 1e-10; networkx gets ``tol = 1e-10 / n`` (it stops when
   the L1 change of an iteration is below ``n * tol``); igraph fixes its own tolerance and
   lands near 1e-12, so linkequity is also run at the residual igraph reached
   (``linkequity@igraph``): that pair is the comparison at equal accuracy.
4. Per-iteration cost. linkequity's child also times bare products on the same CSR matrix:
   ``x @ P`` with the same ``x`` each time (as cache-friendly as a product gets), and a chain
   ``y = y @ P`` (what any iteration has to do at the least). ``ms/iter`` of each method is
   its solve time over its products with ``P``, compared with the first.
5. networkx. On cnr-2000 it runs whole. On the synthetic site (20M links would need tens of
   GB as a networkx graph) it runs on the subgraph induced by the first ``--nx-nodes`` pages
   (the ids follow the URL order, so that subgraph is a part of the site with its locality);
   it is timed there once to convergence, and twice more with ``max_iter`` 10 and 20 to
   split its time into conversion (graph to scipy matrix) and per-iteration cost, both
   proportional to links. The full-graph time is extrapolated as conversion x links ratio +
   per-iteration x links ratio x the iterations of linkequity's power method on the full
   graph (networkx runs the same power iteration). That number is marked ``extrapolated``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CNR = REPO.parent / "shared" / "data" / "graphs" / "cnr-2000.edgelist.tsv.gz"

DAMPING = 0.85
TOL = 1e-10
REFERENCE_TOL = 1e-14
BARE_PRODUCTS = 20

# Targets of the issue, at equal accuracy.
TARGET_VS_IGRAPH_CNR = 3.0
TARGET_VS_IGRAPH_SYNTHETIC = 10.0
TARGET_VS_NETWORKX = 100.0
TARGET_ITERATION_OVER_BARE = 1.5
TARGET_RSS_MB = 1536.0

IdArray = npt.NDArray[np.int32]


# --------------------------------------------------------------------------------------------
# Graphs


def load_edge_list(path: Path) -> tuple[int, IdArray, IdArray]:
    """``src<TAB>dst`` lines, ``#`` header lines first; ids from 0."""
    import pyarrow.csv as pacsv

    header = 0
    with gzip.open(path, "rt") if path.suffix == ".gz" else path.open() as lines:
        for line in lines:
            if not line.startswith("#"):
                break
            header += 1
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(skip_rows=header, column_names=["src", "dst"]),
        parse_options=pacsv.ParseOptions(delimiter="\t"),
        convert_options=pacsv.ConvertOptions(column_types={"src": "int32", "dst": "int32"}),
    )
    src = table["src"].to_numpy()
    dst = table["dst"].to_numpy()
    return int(max(src.max(), dst.max())) + 1, src, dst


def site_graph(pages: int, links: int, seed: int = 0) -> tuple[IdArray, IdArray]:
    """A web-site-like link graph with exactly ``links`` distinct links among ``pages`` pages.

    Page ids follow the URL order, as a graph builder that numbers sorted URLs gives them:
    the home page is 0, then ~40 sections of Zipf-distributed sizes, each cut into
    categories of lognormal size (median ~55 pages) whose first page is the category hub.
    Out-degrees are lognormal (median ~14, capped at 2,000); 8% of pages (files, images)
    have no links. Each link is, with these odds:

    * 25% navigation: the home page or a section hub, Zipf-weighted (exponent 1.3);
    * 35% nearby: a page within a few dozen ids (same category: related items, pagination);
    * 10% breadcrumb: the page's own category hub;
    * 20% popular: a page drawn from a Zipf law (exponent 1.2) over a random order of all
      pages, a power-law in-degree spread over the site (bestsellers, pillar articles);
    * 10% anywhere, uniformly.

    Duplicates collapse, as ``duplicate_links = "first"`` does; self-links stay (a real crawl
    has them: 27% of cnr-2000's pages link to themselves).
    """
    rng = np.random.default_rng(seed)
    sections = 40
    sizes = rng.zipf(1.6, sections).astype(np.float64)
    sizes = np.maximum(1, sizes / sizes.sum() * (pages - 1)).astype(np.int64)
    sizes[-1] += pages - 1 - sizes.sum()
    section_hubs = 1 + np.concatenate([[0], np.cumsum(sizes)[:-1]])
    hubs = np.concatenate([[0], section_hubs[section_hubs < pages]])
    category_size = np.maximum(2, rng.lognormal(4, 1, size=pages)).astype(np.int64)
    starts = np.cumsum(category_size)
    starts = starts[starts < pages]
    category_hub = np.zeros(pages, dtype=np.int64)
    category_hub[starts] = starts
    category_hub = np.maximum.accumulate(category_hub)
    popular_order = rng.permutation(pages)
    has_links = rng.random(pages) >= 0.08
    has_links[0] = True

    def zipf(size: int, support: int, exponent: float) -> npt.NDArray[np.int64]:
        """Ranks 0..support-1 with P(k) ~ (k + 1)^-exponent, by inverting the CDF (numpy's
        own zipf rejects samples beyond the support one by one, slowly near exponent 1)."""
        cdf = np.cumsum(np.arange(1, support + 1, dtype=np.float64) ** -exponent)
        ranks = np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right")
        return np.minimum(ranks, support - 1)

    def draw(count: int) -> npt.NDArray[np.int64]:
        degree = np.minimum(rng.lognormal(np.log(14), 1.0, size=pages), 2000)
        degree = np.where(has_links, degree, 0)
        degree = np.floor(degree * (count / degree.sum()) + rng.random(pages)).astype(np.int64)
        src = np.repeat(np.arange(pages), degree)
        kind = rng.random(len(src))
        dst = np.empty(len(src), dtype=np.int64)
        nav = kind < 0.25
        dst[nav] = hubs[zipf(int(nav.sum()), len(hubs), 1.3)]
        near = (kind >= 0.25) & (kind < 0.6)
        offset = np.rint(rng.laplace(0, 30, int(near.sum()))).astype(np.int64)
        dst[near] = np.clip(src[near] + offset, 0, pages - 1)
        crumb = (kind >= 0.6) & (kind < 0.7)
        dst[crumb] = category_hub[src[crumb]]
        popular = (kind >= 0.7) & (kind < 0.9)
        dst[popular] = popular_order[zipf(int(popular.sum()), pages, 1.2)]
        anywhere = kind >= 0.9
        dst[anywhere] = rng.integers(0, pages, int(anywhere.sum()))
        return np.unique(src * pages + dst)

    # ~78% of drawn links are distinct at 20 links a page; draw enough, then keep `links`.
    keys = draw(int(links * 1.4))
    while len(keys) < links:
        keys = np.union1d(keys, draw(int((links - len(keys)) * 2)))
    keys = np.sort(rng.choice(keys, size=links, replace=False))
    return (keys // pages).astype(np.int32), (keys % pages).astype(np.int32)


@dataclass(frozen=True, slots=True)
class Graph:
    name: str
    pages: int
    links: int
    directory: Path
    prepare_s: float
    how: str

    def arrays(self) -> tuple[IdArray, IdArray]:
        return load_arrays(self.directory)[1:]


def load_arrays(directory: Path) -> tuple[int, IdArray, IdArray]:
    """The pages and links a child loads: ``graph.json``, ``src.npy`` and ``dst.npy``."""
    pages = int(json.loads((directory / "graph.json").read_text(encoding="utf-8"))["pages"])
    return pages, np.load(directory / "src.npy"), np.load(directory / "dst.npy")


def save_graph(
    name: str, directory: Path, pages: int, src: IdArray, dst: IdArray, seconds: float, how: str
) -> Graph:
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / "src.npy", src)
    np.save(directory / "dst.npy", dst)
    graph = Graph(name, pages, len(src), directory, seconds, how)
    (directory / "graph.json").write_text(
        json.dumps({"pages": pages, "links": len(src)}), encoding="utf-8"
    )
    return graph


# --------------------------------------------------------------------------------------------
# Children


@dataclass(slots=True)
class ChildReport:
    name: str
    load_s: float = 0.0
    build_s: float = 0.0
    solve_s: list[float] = field(default_factory=list)
    iterations: int | None = None
    method: str = ""
    peak_rss_mb: float = 0.0
    solve_rss_mb: float | None = None
    bare_ms: list[float] = field(default_factory=list)
    chain_ms: list[float] = field(default_factory=list)
    links: int = 0
    pages: int = 0
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def peak_rss_mb() -> float:
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Restart the VmHWM mark at the current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def timed_solves(repeat: int, solve: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = solve()
        times.append(time.perf_counter() - started)
    return times, result


def child_linkequity(args: argparse.Namespace, report: ChildReport) -> npt.NDArray[np.float64]:
    from linkequity.equity import pagerank, transition_matrix

    started = time.perf_counter()
    pages, src, dst = load_arrays(Path(args.graph))
    report.load_s = time.perf_counter() - started
    started = time.perf_counter()
    matrix = transition_matrix(pages, src, dst)
    report.build_s = time.perf_counter() - started
    del src, dst
    gc.collect()
    fresh = reset_peak_rss()
    method = "power" if args.child == "linkequity-power" else "auto"
    tol = args.tol or TOL
    report.solve_s, result = timed_solves(
        args.repeat, lambda: pagerank(matrix, damping=DAMPING, tol=tol, method=method)
    )
    if fresh:
        report.solve_rss_mb = peak_rss_mb()
    report.iterations = result.iterations
    report.method = result.method
    report.note = f"tol {tol:.3g}"
    x = np.array(result.scores)
    for _ in range(BARE_PRODUCTS):
        started = time.perf_counter()
        x @ matrix
        report.bare_ms.append((time.perf_counter() - started) * 1000)
    y = x
    for _ in range(BARE_PRODUCTS):
        started = time.perf_counter()
        y = y @ matrix
        report.chain_ms.append((time.perf_counter() - started) * 1000)
    return x


def child_igraph(args: argparse.Namespace, report: ChildReport) -> npt.NDArray[np.float64]:
    import igraph

    started = time.perf_counter()
    pages, src, dst = load_arrays(Path(args.graph))
    report.load_s = time.perf_counter() - started
    started = time.perf_counter()
    graph = igraph.Graph(n=pages, edges=np.column_stack([src, dst]), directed=True)
    report.build_s = time.perf_counter() - started
    del src, dst
    gc.collect()
    fresh = reset_peak_rss()
    report.solve_s, scores = timed_solves(
        args.repeat, lambda: graph.pagerank(damping=DAMPING, implementation="prpack")
    )
    if fresh:
        report.solve_rss_mb = peak_rss_mb()
    report.note = "PRPACK, its own tolerance"
    return np.array(scores)


def child_networkx(args: argparse.Namespace, report: ChildReport) -> npt.NDArray[np.float64]:
    import networkx as nx

    from linkequity.equity import pagerank, transition_matrix

    started = time.perf_counter()
    pages, src, dst = load_arrays(Path(args.graph))
    if args.nx_nodes:
        inside = (src < args.nx_nodes) & (dst < args.nx_nodes)
        src, dst, pages = src[inside], dst[inside], args.nx_nodes
    report.load_s = time.perf_counter() - started
    started = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_nodes_from(range(pages))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    report.build_s = time.perf_counter() - started
    report.links, report.pages = len(src), pages
    gc.collect()
    fresh = reset_peak_rss()
    tol = TOL / pages
    report.solve_s, scores = timed_solves(
        args.repeat, lambda: nx.pagerank(graph, alpha=DAMPING, tol=tol, max_iter=10_000)
    )
    if fresh:
        report.solve_rss_mb = peak_rss_mb()
    # networkx's pagerank first converts the graph to a scipy matrix, then runs the power
    # iteration; its iterations are those of linkequity's power method on the same graph
    # (networkx stops on the L1 change of an iteration, which is the residual of the one
    # before), so the rest of its time over them is its cost per iteration.
    started = time.perf_counter()
    nx.to_scipy_sparse_array(graph, nodelist=list(graph), weight="weight", dtype=float)
    conversion = time.perf_counter() - started
    iterations = pagerank(transition_matrix(pages, src, dst), method="power").iterations
    report.iterations = iterations
    report.extra = {
        "conversion_s": conversion,
        "per_iteration_s": max(0.0, min(report.solve_s) - conversion) / iterations,
    }
    report.note = f"tol {tol:.3g} (= 1e-10 / n), {conversion:.2f} s of it converting the graph"
    return np.array([scores[page] for page in range(pages)])


CHILDREN: dict[str, Callable[[argparse.Namespace, ChildReport], npt.NDArray[np.float64]]] = {
    "reference": child_linkequity,
    "linkequity": child_linkequity,
    "linkequity-power": child_linkequity,
    "linkequity@igraph": child_linkequity,
    "igraph": child_igraph,
    "networkx": child_networkx,
}


def child_main(args: argparse.Namespace) -> int:
    report = ChildReport(args.child)
    if args.child == "reference":
        args.child = "linkequity-power"
        args.tol = REFERENCE_TOL
        args.repeat = 1
    scores = CHILDREN[report.name](args, report)
    report.peak_rss_mb = peak_rss_mb()
    np.save(args.report.with_suffix(".npy"), scores)
    args.report.write_text(json.dumps(asdict(report)), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------------------------
# Parent


@dataclass(slots=True)
class Result:
    graph: str
    child: ChildReport
    residual: float = math.nan
    max_diff: float = math.nan
    extrapolated_s: float | None = None

    @property
    def solve_s(self) -> float:
        if self.extrapolated_s is not None:
            return self.extrapolated_s
        return min(self.child.solve_s) if self.child.solve_s else math.nan

    @property
    def ms_per_iteration(self) -> float:
        if self.child.name == "networkx":
            return self.child.extra.get("per_iteration_s", math.nan) * 1000
        if not self.child.iterations:
            return math.nan
        return min(self.child.solve_s) / self.child.iterations * 1000


def say(message: str) -> None:
    print(message, flush=True)


def run_child(
    name: str, graph: Graph, workdir: Path, repeat: int, extra: Sequence[str] = ()
) -> tuple[ChildReport, npt.NDArray[np.float64]] | None:
    report = workdir / f"{graph.name}-{name}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", name]
    command += ["--graph", str(graph.directory), "--report", str(report)]
    command += ["--repeat", str(repeat), *extra]
    say(f"  {name}: running")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        say(f"  {name}: FAILED (exit {done.returncode})\n{done.stderr[-2000:]}")
        return None
    child = ChildReport(**json.loads(report.read_text(encoding="utf-8")))
    return child, np.load(report.with_suffix(".npy"))


def measure_graph(graph: Graph, workdir: Path, args: argparse.Namespace) -> list[Result]:
    from linkequity.equity import pagerank_residual, transition_matrix

    say(f"\n{graph.name}: {graph.pages:,} pages, {graph.links:,} links ({graph.how})")
    src, dst = graph.arrays()
    matrix = transition_matrix(graph.pages, src, dst)
    del src, dst
    results: list[Result] = []
    reference = run_child("reference", graph, workdir, 1)
    if reference is None:
        return results
    truth = reference[1]
    results.append(Result(graph.name, reference[0], pagerank_residual(matrix, truth), 0.0))

    def add(name: str, repeat: int, extra: Sequence[str] = ()) -> Result | None:
        ran = run_child(name, graph, workdir, repeat, extra)
        if ran is None:
            return None
        child, scores = ran
        result = Result(graph.name, child)
        if len(scores) == graph.pages:
            result.residual = pagerank_residual(matrix, scores, damping=DAMPING)
            result.max_diff = float(np.abs(scores - truth).max())
        results.append(result)
        return result

    if "linkequity" in args.only:
        add("linkequity", args.repeat)
        add("linkequity-power", args.repeat)
    igraph_result = add("igraph", args.repeat) if "igraph" in args.only else None
    if igraph_result is not None and "linkequity" in args.only:
        tol = max(igraph_result.residual, REFERENCE_TOL)
        add("linkequity@igraph", args.repeat, ["--tol", repr(tol)])
    if "networkx" in args.only:
        sub = args.nx_nodes if graph.name != "cnr-2000" else 0
        nx_result = add("networkx", 1, ["--nx-nodes", str(sub)] if sub else [])
        power = next((r for r in results if r.child.name == "linkequity-power"), None)
        if nx_result is not None and sub and power is not None and nx_result.child.links:
            scale = graph.links / nx_result.child.links
            extra = nx_result.child.extra
            nx_result.extrapolated_s = scale * (
                extra["conversion_s"] + extra["per_iteration_s"] * (power.child.iterations or 0)
            )
            nx_result.child.note = (
                f"measured on the first {sub:,} pages ({nx_result.child.links:,} links): "
                f"{min(nx_result.child.solve_s):.2f} s; full graph extrapolated"
            )
    return results


def table(results: Sequence[Result]) -> str:
    head = (
        f"{'graph':<10}{'contender':<19}{'load s':>7}{'build s':>8}{'solve s':>9}{'iters':>6}"
        f"{'ms/iter':>8}{'residual':>10}{'max|diff|':>10}{'peakMB':>8}{'solveMB':>8}  note"
    )
    rows = [head, "-" * len(head)]
    for r in results:
        c = r.child
        solve = f"{r.solve_s:.3f}" + ("*" if r.extrapolated_s is not None else "")
        rows.append(
            f"{r.graph[:9]:<10}{c.name:<19}{c.load_s:>7.2f}{c.build_s:>8.2f}{solve:>9}"
            f"{c.iterations if c.iterations is not None else '-':>6}"
            f"{r.ms_per_iteration:>8.2f}{r.residual:>10.1e}{r.max_diff:>10.1e}"
            f"{c.peak_rss_mb:>8.0f}{c.solve_rss_mb or math.nan:>8.0f}  {c.note}"
        )
    rows.append("* extrapolated (see the note and the module docstring)")
    return "\n".join(rows)


def verdicts(results: Sequence[Result], synthetic: str) -> list[str]:
    found = {(r.graph, r.child.name): r for r in results}
    lines: list[str] = []

    def line(label: str, value: float, unit: str, target: float | None = None) -> None:
        """One number; with a target, PASS/FAIL (a target below 0 means "at most -target")."""
        verdict, goal = "    ", ""
        if target is not None:
            ok = value >= target if target >= 0 else value <= -target
            verdict = "PASS" if ok else "FAIL"
            goal = f"(target {'>=' if target >= 0 else '<='} {abs(target):,.2f}{unit})"
        lines.append(f"{verdict}  {label:<58}{value:>10,.2f}{unit:<2} {goal}")

    for graph, igraph_target in (
        ("cnr-2000", TARGET_VS_IGRAPH_CNR),
        (synthetic, TARGET_VS_IGRAPH_SYNTHETIC),
    ):
        ours = found.get((graph, "linkequity"))
        if ours is None:
            continue
        equal = found.get((graph, "linkequity@igraph"))
        igraph = found.get((graph, "igraph"))
        networkx = found.get((graph, "networkx"))
        if igraph and equal:
            line(
                f"{graph}: igraph / linkequity, at igraph's residual {igraph.residual:.1e}",
                igraph.solve_s / equal.solve_s,
                "x",
                igraph_target,
            )
        if igraph:
            line(f"{graph}: igraph / linkequity at 1e-10", igraph.solve_s / ours.solve_s, "x")
        if networkx:
            label = f"{graph}: networkx / linkequity at 1e-10"
            if networkx.extrapolated_s is not None:
                label += " (networkx extrapolated)"
            line(label, networkx.solve_s / ours.solve_s, "x", TARGET_VS_NETWORKX)
        bare = min(ours.child.bare_ms) if ours.child.bare_ms else math.nan
        chain = min(ours.child.chain_ms) if ours.child.chain_ms else math.nan
        lines.append(
            f"      {graph}: bare x @ P {bare:.2f} ms, chained y = y @ P {chain:.2f} ms "
            "(fastest of 20)"
        )
        for name in ("linkequity", "linkequity-power"):
            run = found.get((graph, name))
            if run and run.child.iterations:
                line(
                    f"{graph}: {name} ({run.child.method}), ms per product / bare x @ P",
                    run.ms_per_iteration / bare,
                    "x",
                    -TARGET_ITERATION_OVER_BARE,
                )
                line(
                    f"{graph}: {name} ({run.child.method}), ms per product / chained y @ P",
                    run.ms_per_iteration / chain,
                    "x",
                )
        if graph == synthetic:
            line(
                f"{graph}: linkequity peak RSS MB (load + build + solve)",
                ours.child.peak_rss_mb,
                "",
                -TARGET_RSS_MB,
            )
            if ours.child.solve_rss_mb:
                line(
                    f"{graph}: linkequity peak RSS MB during the solve", ours.child.solve_rss_mb, ""
                )
    return lines


@contextlib.contextmanager
def work_directory(keep: str | None) -> Iterator[Path]:
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="equity-bench-") as name:
        yield Path(name)


def prepare_graphs(args: argparse.Namespace, workdir: Path) -> list[Graph]:
    graphs = []
    if not args.skip_cnr:
        started = time.perf_counter()
        pages, src, dst = load_edge_list(args.cnr)
        seconds = time.perf_counter() - started
        graphs.append(
            save_graph(
                "cnr-2000",
                workdir / "cnr-2000",
                pages,
                src,
                dst,
                seconds,
                f"loaded from {args.cnr.name} in {seconds:.2f} s",
            )
        )
        say(f"cnr-2000: loaded in {seconds:.2f} s")
    started = time.perf_counter()
    src, dst = site_graph(args.pages, args.links, args.seed)
    seconds = time.perf_counter() - started
    name = f"site-{args.pages // 1000}k"
    graphs.append(
        save_graph(
            name,
            workdir / name,
            args.pages,
            src,
            dst,
            seconds,
            f"generated, seed {args.seed}, in {seconds:.2f} s",
        )
    )
    say(f"{name}: generated in {seconds:.2f} s")
    return graphs


def parent_main(args: argparse.Namespace) -> int:
    out = REPO / "bench-out"
    out.mkdir(exist_ok=True)
    with work_directory(args.keep) as workdir:
        graphs = prepare_graphs(args, workdir)
        results: list[Result] = []
        for graph in graphs:
            results += measure_graph(graph, workdir, args)
    say("\n" + table(results))
    synthetic = graphs[-1].name
    say("\nAgainst the targets (equal accuracy where marked):")
    for line in verdicts(results, synthetic):
        say(line)
    report = out / f"equity-{synthetic}.json"
    report.write_text(
        json.dumps(
            [
                {
                    "graph": r.graph,
                    "solve_s": r.solve_s,
                    "residual": r.residual,
                    "max_diff": r.max_diff,
                    **asdict(r.child),
                }
                for r in results
            ],
            indent=1,
        ),
        encoding="utf-8",
    )
    say(f"\nResults written to {report.relative_to(REPO)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cnr", type=Path, default=DEFAULT_CNR, help="cnr-2000 edge list")
    parser.add_argument("--skip-cnr", action="store_true", help="only the synthetic site")
    parser.add_argument("--pages", type=int, default=1_000_000, help="synthetic site pages")
    parser.add_argument("--links", type=int, default=20_000_000, help="synthetic site links")
    parser.add_argument("--seed", type=int, default=0, help="synthetic site seed")
    parser.add_argument("--quick", action="store_true", help="100,000-page / 2M-link site")
    parser.add_argument("--repeat", type=int, default=3, help="solves per contender")
    parser.add_argument(
        "--nx-nodes",
        type=int,
        help="pages of the networkx subgraph on the synthetic site (100,000; 20,000 --quick)",
    )
    parser.add_argument(
        "--only", default="linkequity,igraph,networkx", help="comma-separated contenders"
    )
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the graphs")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tol", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    if args.quick:
        args.pages, args.links = 100_000, 2_000_000
    if args.nx_nodes is None:
        args.nx_nodes = 20_000 if args.quick else 100_000
    args.only = set(args.only.split(","))
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
