"""The text model: cosines equal a plain dense computation, neighbours are the most similar."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from linkequity.topics.documents import Document
from linkequity.topics.model import HEAD_WEIGHT, fit

HEADS = ["Dome tents", "Tunnel tents", "Family tents", "Hiking boots", "Trail boots",
         "Winter boots", "Gas stoves", "Tents and boots for winter"]  # fmt: skip
BODIES = ["tents for wind and rain", "tents for snow", "tents for families", "boots for mud",
          "boots for rock", "boots for snow", "stoves for cooking", "winter tents"]  # fmt: skip


def docs() -> list[Document]:
    return [Document(f"/{i}", head, "", "content") for i, head in enumerate(HEADS)]


def test_similarity_equals_the_cosine_of_an_independent_tfidf() -> None:
    model = fit(docs(), BODIES)
    # The same model written plainly: head words HEAD_WEIGHT times, sublinear tf, cosine.
    texts = [" ".join([h] * int(HEAD_WEIGHT) + [b]) for h, b in zip(HEADS, BODIES, strict=True)]
    plain = TfidfVectorizer(
        sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b", vocabulary=model.terms
    )
    dense = plain.fit_transform(texts).toarray()
    # the vocabulary was pruned on the real corpus: idf must come from the same counts
    assert sorted(model.terms) == list(model.terms)
    want = dense @ dense.T
    src, dst = np.meshgrid(np.arange(8), np.arange(8), indexing="ij")
    got = model.similarity(src.ravel(), dst.ravel()).reshape(8, 8)
    assert np.allclose(got, np.clip(want, 0, 1), atol=1e-12)
    assert got[0, 1] > 0.5 and got[0, 3] == 0.0 and got[3, 4] > 0.5


def test_neighbours_are_the_most_similar_pages_in_order() -> None:
    model = fit(docs(), BODIES)
    near = model.neighbours(2)
    full = model.vectors.toarray() @ model.vectors.toarray().T
    np.fill_diagonal(full, -1)
    for i in range(model.n):
        best = np.sort(full[i])[::-1][:2]
        assert np.allclose(near.similarity[i], np.where(best > 0, best, 0)), i
    # a tent's nearest pages are tents, a boot's boots
    assert set(near.index[0]) <= {1, 2, 7} and set(near.index[3]) <= {4, 5, 7}


def test_accented_words_stay_words_and_digits_do_not() -> None:
    heads = ["Tentes été", "Tentes hiver", "Chaussures été", "Chaussures hiver", "Réchaud 2024"]
    model = fit([Document(f"/{i}", h, "", "content") for i, h in enumerate(heads)], [""] * 5)
    assert "été" in model.terms and "2024" not in model.terms
    assert model.top_terms(0, 1) in (("tentes",), ("été",))


def test_a_corpus_without_words_gives_zero_similarity() -> None:
    model = fit([Document("/a", "", "", "content"), Document("/b", "", "", "content")], ["", ""])
    assert model.terms == () and model.similarity([0], [1]).tolist() == [0.0]
