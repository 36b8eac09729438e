"""Clusters: groups of pages that say similar things and link to each other (analyze stage).

The pages are the nodes of one affinity graph that adds two kinds of evidence:

* **text**: each page's ``NEIGHBOURS`` most similar pages (:meth:`TextModel.neighbours`),
  weighed by their cosine, made symmetric (the larger of the two directions);
* **links**: the followed links in the content between two pages (either direction),
  weighed ``LINK_WEIGHT``; navigation, header, footer and sidebar links are left out: a
  template links every page to the same menu, which says nothing about what a page is about.

Every page also gets a link to itself of weight 1, so that a page no other is close to is a
cluster's outlier rather than a zero row.

The clustering is spectral (Ng, Jordan & Weiss 2001): the leading singular vectors of the
normalised affinity ``D^-1/2 A D^-1/2`` (a randomised ``TruncatedSVD``, seeded) embed the
pages; for each ``k`` of ``2 .. MAX_CLUSTERS`` k-means splits the rows of the first ``k``
vectors, normalised, and the partition's modularity on the affinity graph (Newman 2006: the
weight inside clusters against what random wiring would put there) scores it. The fewest
clusters within ``MODULARITY_TOLERANCE`` of the best are kept.

Why this, measured on the example site (``linkequity.example``, 300 pages, its 8 sections
known): k-means on the TF-IDF vectors alone cannot use the links; agglomerative clustering
of the kNN graph keeps a quadratic tree; ``SpectralClustering`` needs a connected graph (it
warns otherwise) and an eigensolver slower than the randomised SVD. For the number of
clusters, the mean silhouette on the embedding grows with ``k`` when the embedding is fixed
(29 of 30 clusters) and is highest at ``k = 2`` when it has ``k`` dimensions; the eigengap
had no clear gap. Modularity picks 8 clusters there, each one section (adjusted Rand index
0.69 against the sections; 0.42 for the silhouette's 29).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD

from linkequity.topics.model import Neighbours

__all__ = [
    "LINK_WEIGHT",
    "MAX_CLUSTERS",
    "MODULARITY_TOLERANCE",
    "NEIGHBOURS",
    "Clustering",
    "affinity",
    "cluster_pages",
    "modularity",
]

#: Neighbours per page in the text graph. 10 is the usual kNN-graph size for spectral
#: clustering (von Luxburg 2007 suggests k of the order of log n: 6 for 300 pages, 10 for
#: 20,000); more joins small topics to their neighbours.
NEIGHBOURS = 10
#: Weight of a content link between two pages against a cosine of 1. A link is a site
#: owner's own statement that two pages belong together; at 0.5, two pages that link to each
#: other and share little text (a guide and a product) are as close as two pages with a
#: cosine of 0.5.
LINK_WEIGHT = 0.5
#: At most this many clusters (and at most a third of the pages): a site's topical sections
#: are its main menu, rarely more than a few dozen.
MAX_CLUSTERS = 30
# Fewer pages than this are one cluster: a split of five pages is noise.
_MIN_PAGES = 6
#: The fewest clusters whose modularity is within this of the best are chosen. Modularity
#: has a flat top (on the 300-page example site 0.707 at 8 clusters, its 8 sections, and
#: 0.713 at 12, which split sections by product type); like the one-standard-error rule,
#: the simpler partition wins what the criterion cannot tell apart.
MODULARITY_TOLERANCE = 0.01
#: k-means runs per number of clusters: one k-means++ seeded run, scikit-learn's own
#: default for that seeding. Four runs took 8.3 s of the 20,000-page example site's analysis
#: against 1.4 s for one, and find the same sections on the 300-page site.
_N_INIT = 1

_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Clustering:
    """The cluster of every page and how the number of clusters was chosen."""

    labels: _I64
    """The cluster of each page, numbered by size (0 the largest), ties by first page."""
    tried: tuple[tuple[int, float], ...]
    """(k, modularity) of every number of clusters tried; empty for one cluster."""

    @property
    def count(self) -> int:
        """Number of clusters."""
        return int(self.labels.max()) + 1 if self.labels.size else 0

    @property
    def reason(self) -> str:
        """Why this many clusters, in one sentence."""
        if not self.tried:
            return "one cluster: too few pages to split"
        best = max(self.tried, key=lambda t: t[1])
        mine = dict(self.tried)[self.count]
        low, high = self.tried[0][0], self.tried[-1][0]
        return (
            f"{self.count} clusters: the fewest of {low} to {high} whose modularity "
            f"({mine:.3f}) is within {MODULARITY_TOLERANCE} of the best ({best[1]:.3f}, "
            f"{best[0]} clusters)"
        )


def affinity(neighbours: Neighbours, link_src: _I64, link_dst: _I64) -> sp.csr_array:
    """The symmetric affinity of the pages (rows of the text model): text neighbours by
    cosine, content links by ``LINK_WEIGHT`` (shared among a page's links beyond
    ``NEIGHBOURS`` of them), 1 on the diagonal."""
    n = neighbours.index.shape[0]
    rows = np.repeat(np.arange(n), neighbours.index.shape[1])
    cols = neighbours.index.ravel()
    keep = cols >= 0
    text = sp.csr_array(
        (neighbours.similarity.ravel()[keep], (rows[keep], cols[keep])), shape=(n, n)
    )
    text = text.maximum(text.T)
    other = link_src != link_dst
    pairs = np.unique(np.stack([link_src[other], link_dst[other]]), axis=1)
    # A page's content links together weigh as much as its NEIGHBOURS text neighbours: a
    # page with 90 content links (a shop's "also viewed" grid) says less about each. On the
    # 20,000-page example site this lifts the agreement of clusters and sections (adjusted
    # Rand index) from 0.13 with every link at LINK_WEIGHT to 0.27 (text alone: 0.09).
    degree = np.bincount(pairs[0], minlength=n) if pairs.size else np.zeros(n, np.int64)
    weight = np.minimum(1.0, NEIGHBOURS / np.maximum(degree[pairs[0]], 1))
    links = sp.csr_array((weight, (pairs[0], pairs[1])), shape=(n, n))
    links = links.maximum(links.T)
    return sp.csr_array(text + LINK_WEIGHT * links + sp.eye_array(n, format="csr"))


def cluster_pages(graph: sp.csr_array, seed: int = 0) -> Clustering:
    """Spectral clusters of an affinity graph, their number chosen by modularity."""
    n = graph.shape[0]
    max_k = min(MAX_CLUSTERS, n // 3)
    if n < _MIN_PAGES or max_k < 2:
        return Clustering(np.zeros(n, dtype=np.int64), ())
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = sp.diags_array(1.0 / np.sqrt(degree))
    embedding = TruncatedSVD(min(max_k, n - 1), algorithm="randomized", random_state=seed)
    vectors = embedding.fit_transform(scale @ graph @ scale)
    between = sp.csr_array(graph - sp.diags_array(graph.diagonal()))
    tried: list[tuple[int, float]] = []
    partitions: dict[int, _I64] = {}
    for k in range(2, vectors.shape[1] + 1):
        leading = vectors[:, :k]
        norms = np.linalg.norm(leading, axis=1, keepdims=True)
        leading = leading / np.where(norms > 0, norms, 1.0)
        labels = KMeans(k, n_init=_N_INIT, random_state=seed).fit_predict(leading)
        partitions[k] = labels.astype(np.int64)
        tried.append((k, modularity(between, partitions[k])))
    if not tried:
        return Clustering(np.zeros(n, dtype=np.int64), ())
    best = max(q for _, q in tried)
    chosen = min(k for k, q in tried if q >= best - MODULARITY_TOLERANCE)
    return Clustering(_by_size(partitions[chosen]), tuple(tried))


def modularity(graph: sp.csr_array, labels: _I64) -> float:
    """Newman's modularity of a partition of a weighted undirected graph (no self-loops):
    the share of the weight inside clusters less the share expected at random."""
    n = graph.shape[0]
    total = float(graph.sum())
    if total == 0:
        return 0.0
    member = sp.csr_array((np.ones(n), (np.arange(n), labels)), shape=(n, int(labels.max()) + 1))
    inside = (member.T @ graph @ member).diagonal()
    degree = member.T @ np.asarray(graph.sum(axis=1)).ravel()
    return float((inside / total - (degree / total) ** 2).sum())


def _by_size(labels: npt.NDArray[np.integer]) -> _I64:
    """Labels renumbered 0 .. k-1, largest cluster first, ties by their first page."""
    found, first, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first, -sizes))
    renumber = np.empty(found.max() + 1, dtype=np.int64)
    renumber[found[order]] = np.arange(order.size)
    renumbered: _I64 = renumber[labels]
    return renumbered
