"""Clusters of a hand-built corpus: three topics, found as three clusters."""

from __future__ import annotations

import numpy as np

from linkequity.topics.clusters import affinity, cluster_pages, modularity
from linkequity.topics.documents import Document
from linkequity.topics.model import fit

TOPICS = {
    "tent": ["dome", "tunnel", "pole", "fly", "pitch", "guy", "shelter"],
    "boot": ["sole", "lace", "leather", "ankle", "grip", "insole", "waterproof"],
    "stove": ["fuel", "burner", "simmer", "pot", "gas", "flame", "boil"],
}


def corpus() -> tuple[list[Document], list[str], list[str]]:
    rng = np.random.default_rng(3)
    documents, texts, truth = [], [], []
    for topic, words in TOPICS.items():
        for i in range(8):
            picked = rng.choice(words, size=5, replace=False)
            documents.append(
                Document(f"/{topic}/{i}", f"{topic.title()} {picked[0]}", "", "content")
            )
            texts.append(" ".join([topic, *picked, "our", "shop"]))
            truth.append(topic)
    return documents, texts, truth


def test_three_topics_come_out_as_three_clusters() -> None:
    documents, texts, truth = corpus()
    model = fit(documents, texts)
    # links within each topic only, from its first page
    src = np.array([t * 8 for t in range(3) for _ in range(7)])
    dst = np.array([t * 8 + i for t in range(3) for i in range(1, 8)])
    found = cluster_pages(affinity(model.neighbours(5), src, dst), seed=0)
    assert found.count == 3
    by_topic = {topic: set(found.labels[[i for i, t in enumerate(truth) if t == topic]])
                for topic in TOPICS}  # fmt: skip
    assert all(len(labels) == 1 for labels in by_topic.values())
    assert len(set().union(*by_topic.values())) == 3
    assert "3 clusters" in found.reason
    # each cluster's label words are its topic's
    for topic in TOPICS:
        rows = np.array([i for i, t in enumerate(truth) if t == topic])
        assert model.terms_of(model.centroid(rows), 1) == (topic,)


def test_modularity_of_two_triangles() -> None:
    import scipy.sparse as sp

    edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]
    rows, cols = zip(*edges, strict=True)
    graph = sp.csr_array((np.ones(7), (rows, cols)), shape=(6, 6))
    graph = sp.csr_array(graph + graph.T)
    # Newman: Q = sum over clusters of l_c / m - (d_c / 2m)^2 = 2 (3/7 - (7/14)^2)
    assert np.isclose(modularity(graph, np.array([0, 0, 0, 1, 1, 1])), 2 * (3 / 7 - 0.25))


def test_too_few_pages_are_one_cluster() -> None:
    documents, texts, _ = corpus()
    model = fit(documents[:4], texts[:4])
    found = cluster_pages(affinity(model.neighbours(3), np.zeros(0, int), np.zeros(0, int)))
    assert found.count == 1 and found.reason == "one cluster: too few pages to split"
