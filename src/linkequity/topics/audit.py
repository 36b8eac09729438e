"""The topics audit: clusters, pillars, hub health, their findings and rows (analyze stage).

:func:`topic_audit` reads the crawl's documents, fits the text model, clusters the pages by
text and links, picks each cluster's pillar and measures how its spokes and pillar link
(:mod:`linkequity.topics.hubs`), and returns the ``clusters`` and ``page_topics`` rows with
the findings of the broken patterns. It never reads the equity model: the analysis hands the
solved graph over as :class:`~linkequity.topics.hubs.SiteLinks`.

Findings are only made for clusters of at least ``MIN_HUB_PAGES`` pages, and only when the
site has more than one cluster (a site that is one topic has no pillar to check against).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.findings import Finding, finding
from linkequity.store import Store
from linkequity.store.tables import table
from linkequity.topics.clusters import NEIGHBOURS, Clustering, affinity, cluster_pages
from linkequity.topics.documents import Document, bodies, read_documents
from linkequity.topics.hubs import Hub, SiteLinks, hubs
from linkequity.topics.model import TextModel, fit, model_from_table, model_table

__all__ = [
    "HUB_SHARE",
    "LEAK_SHARE",
    "MIN_HUB_PAGES",
    "TopicAudit",
    "fit_crawl",
    "topic_audit",
]

#: A cluster of fewer pages (a pillar and one spoke) is a pair, not a hub.
MIN_HUB_PAGES = 3
#: A pillar is a hub when at least half its spokes link to it (and it to half of them):
#: below that most of the cluster does not show the structure.
HUB_SHARE = 0.5
#: "Most" of a cluster's content-link equity: more than half leaves it.
LEAK_SHARE = 0.5
_EXAMPLES = 10
_LABEL_TERMS = 3
_TOP_TERMS = 10


@dataclass(frozen=True, slots=True)
class TopicAudit:
    """What the topics audit writes and reports."""

    clusters: pa.Table
    """``clusters`` rows without ``crawl_id``."""
    page_topics: pa.Table
    """``page_topics`` rows without ``crawl_id``."""
    page_terms: pa.Table
    """``page_terms`` rows without ``crawl_id``: the text model, for the plan to read."""
    findings: list[Finding]
    clustering: Clustering


def fit_crawl(store: Store, crawl_id: int) -> tuple[tuple[Document, ...], TextModel]:
    """The documents of a crawl and their text model (rows in the documents' order)."""
    documents = read_documents(store, crawl_id)
    return documents, fit(documents, bodies(store, crawl_id, documents))


def stored_model(store: Store, crawl_id: int) -> TextModel | None:
    """The text model an analysis of the crawl stored; None when it stored none."""
    urls = [
        str(u)
        for (u,) in store.rows(
            "SELECT url FROM page_topics WHERE crawl_id = ? ORDER BY url", [crawl_id]
        )
    ]
    if not urls:
        return None
    rows = store.arrow("SELECT url, term, weight FROM page_terms WHERE crawl_id = ?", [crawl_id])
    return model_from_table(urls, rows)


def topic_audit(
    links: SiteLinks,
    documents: Sequence[Document],
    model: TextModel,
    priorities: Collection[str] = (),
    seed: int = 0,
) -> TopicAudit:
    """Clusters, pillars and hub health of a crawl's documents (``links`` indexed by their
    rows), the pillar taken among ``priorities`` (URLs) where a cluster has one."""
    n = model.n
    graph = affinity(model.neighbours(NEIGHBOURS), *_content_pairs(links))
    clustering = cluster_pages(graph, seed)
    labels = clustering.labels
    k = clustering.count
    centroids = [model.centroid(np.flatnonzero(labels == c)) for c in range(k)]
    similarity = np.zeros(n)
    for c in range(k):
        rows = np.flatnonzero(labels == c)
        similarity[rows] = model.vectors[rows] @ centroids[c] if model.terms else 0.0
    row_of = model.row_of()
    wanted = {row_of[u] for u in priorities if u in row_of}
    found_hubs = hubs(labels, links, similarity, wanted) if n else []
    urls = model.urls
    terms = [model.terms_of(centroids[c], _TOP_TERMS) for c in range(k)]
    labels_text = [", ".join(t[:_LABEL_TERMS]) or "(no words)" for t in terms]
    found: list[Finding] = []
    if k > 1:
        for c, hub in enumerate(found_hubs):
            if hub.spokes.size + 1 >= MIN_HUB_PAGES:
                found.extend(_hub_findings(c, labels_text[c], hub, links, urls))
    sizes = np.bincount(labels, minlength=k) if n else np.zeros(0, dtype=np.int64)
    equity = np.bincount(labels, weights=links.share, minlength=k) if n else np.zeros(0)
    clusters = table("clusters").batch(
        {
            "cluster": list(range(k)),
            "label": labels_text,
            "top_terms": [list(t) for t in terms],
            "pages": sizes.tolist(),
            "pillar_url": [urls[h.pillar] for h in found_hubs],
            "pillar_reason": [h.pillar_reason for h in found_hubs],
            "spokes_to_pillar": [h.spokes_to_pillar for h in found_hubs],
            "pillar_to_spokes": [h.pillar_to_spokes for h in found_hubs],
            "spoke_density": [h.spoke_density for h in found_hubs],
            "leaked_share": [h.leaked_share for h in found_hubs],
            "equity": equity.tolist(),
            "cohesion": [float(similarity[labels == c].mean()) for c in range(k)],
        }
    )
    pillars = {h.pillar for h in found_hubs}
    page_topics = table("page_topics").batch(
        {
            "url": list(urls),
            "cluster": labels.tolist(),
            "is_pillar": [i in pillars for i in range(n)],
            "similarity": np.clip(similarity, 0.0, 1.0).tolist(),
            "text_source": [d.text_source for d in documents],
        }
    )
    return TopicAudit(clusters, page_topics, model_table(model), found, clustering)


def _content_pairs(links: SiteLinks) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    keep = links.is_content
    return links.src[keep], links.dst[keep]


def _hub_findings(
    cluster: int, label: str, hub: Hub, links: SiteLinks, urls: Sequence[str]
) -> list[Finding]:
    found = []
    pillar = urls[hub.pillar]
    spokes = int(hub.spokes.size)
    if hub.spokes_to_pillar < HUB_SHARE:
        missing = hub.missing_to_pillar
        found.append(
            finding(
                "spokes_miss_pillar",
                pillar,
                f"{missing.size} of the {spokes} other pages of cluster {cluster} ({label}) "
                "do not link to its pillar",
                impact=sum(links.new_link_equity(int(s)) for s in missing),
                cluster=cluster,
                label=label,
                spokes=spokes,
                missing=int(missing.size),
                spokes_to_pillar=hub.spokes_to_pillar,
                examples=_examples(missing, links, urls),
            )
        )
    if hub.pillar_to_spokes < HUB_SHARE:
        missing = hub.missing_from_pillar
        found.append(
            finding(
                "pillar_misses_spokes",
                pillar,
                f"The pillar of cluster {cluster} ({label}) links to "
                f"{spokes - missing.size} of its {spokes} spokes",
                impact=links.new_link_equity(hub.pillar, int(missing.size)),
                cluster=cluster,
                label=label,
                spokes=spokes,
                missing=int(missing.size),
                pillar_to_spokes=hub.pillar_to_spokes,
                examples=_examples(missing, links, urls),
            )
        )
    if hub.leaked_share > LEAK_SHARE:
        passed = hub.leaked / hub.leaked_share
        found.append(
            finding(
                "leaky_cluster",
                pillar,
                f"Cluster {cluster} ({label}) passes {hub.leaked_share:.0%} of its content "
                "links' equity to pages outside it",
                impact=hub.leaked,
                cluster=cluster,
                label=label,
                pages=spokes + 1,
                passed=passed,
                leaked_share=hub.leaked_share,
            )
        )
    return found


def _examples(rows: npt.NDArray[np.int64], links: SiteLinks, urls: Sequence[str]) -> list[str]:
    """The URLs of up to ``_EXAMPLES`` pages, most equity first."""
    order = sorted((int(r) for r in rows), key=lambda r: (-float(links.share[r]), urls[r]))
    return [urls[r] for r in order[:_EXAMPLES]]
