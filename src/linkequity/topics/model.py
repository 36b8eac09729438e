"""The text model: TF-IDF vectors of pages and the cosine of page pairs (analyze stage).

:func:`fit` turns documents into unit-length TF-IDF rows, so the cosine of two pages is the
dot product of their rows. It is what the topics and the plan read relevance from:

* :meth:`TextModel.similarity` gives the cosine of any pairs of pages, vectorised (the plan
  scores candidate links with it);
* :meth:`TextModel.neighbours` gives each page's ``k`` most similar pages, computed in
  chunks of sparse products so that 20,000 pages need a few tens of MB at a time (the kNN
  graph of the clusters; the plan's relevance-only baseline keeps the neighbours that do
  not link yet);
* :meth:`TextModel.top_terms` gives the words that weigh most in a page or a set of pages
  (the "why" of a cluster label or a recommendation).

How the vectors are made: words are runs of two or more letters of any script, lower-cased,
accents kept (``régime`` and ``regime`` stay two words: folding them is language-specific);
no stop-word list, which would favour one language: words on more than half the pages (the
site's own boilerplate, a language's function words) are dropped instead, and so are words
on one page only, which cannot make two pages similar. A term counts ``HEAD_WEIGHT`` times
in the title and h1, once in the body; term frequency is sublinear (``1 + log tf``) so that
a word repeated down a long page does not swamp the rest, and the rows are L2-normalised.
This is scikit-learn's ``TfidfVectorizer`` split in its two halves (``CountVectorizer`` and
``TfidfTransformer``) so that the head and the body can be counted apart and weighed; the
vocabulary is sorted, so the same documents give the same vectors.

>>> import numpy as np
>>> from linkequity.topics.documents import Document
>>> heads = ["Dome tents", "Tunnel tents", "Family tents", "Hiking boots", "Trail boots",
...          "Winter boots", "Gas stoves", "Tents and boots for winter"]
>>> docs = [Document(f"/{i}", head, "", "content") for i, head in enumerate(heads)]
>>> model = fit(docs, ["Our pick."] * 8)
>>> model.similarity(np.array([0, 0, 0]), np.array([1, 3, 7])).round(2).tolist()
[1.0, 0.0, 0.52]
>>> model.top_terms(7)
('winter', 'boots', 'tents')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from linkequity.topics.documents import Document

__all__ = ["HEAD_WEIGHT", "Neighbours", "TextModel", "fit", "model_from_table", "model_table"]

#: How many times a word of the title or h1 counts against once in the body. Search engines
#: weigh the title most of all on-page text; 3 makes a page whose title says "tents" and
#: whose body mentions tents twice closer to a tents page than a page mentioning them five
#: times in passing, and keeps the titles of the example site's product pages (brand, model,
#: type) from outweighing the type their category shares.
HEAD_WEIGHT = 3.0
# Letters only (no digits, no underscore), two or more, in any script.
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"
# Words on more than this share of the pages say nothing about any one of them.
_MAX_DF = 0.5
# Corpora smaller than this are kept in memory while counted (a few MB at most).
_KEEP_BELOW = 2_000
# Fewer pages than this: every word is on one page or on half of them; no pruning.
_PRUNE_FROM = 4
# Cap of one dense block of similarities in neighbours(): 4M float32 = 16 MB.
_BLOCK_CELLS = 4_000_000

_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Each page's most similar pages, most similar first."""

    index: _I64
    """``(pages, k)``: the row of each neighbour; -1 where a page has fewer than ``k``
    neighbours with any word in common."""
    similarity: _F64
    """``(pages, k)``: the cosine of each neighbour; 0 where ``index`` is -1."""


@dataclass(frozen=True, slots=True)
class TextModel:
    """Unit-length TF-IDF rows of documents, in the documents' order."""

    urls: tuple[str, ...]
    vectors: sp.csr_array
    """``(pages, terms)``, every non-empty row of L2 norm 1."""
    terms: tuple[str, ...]
    """The vocabulary, sorted: column j is ``terms[j]``."""

    @property
    def n(self) -> int:
        """Number of pages."""
        return len(self.urls)

    def row_of(self) -> dict[str, int]:
        """URL -> its row."""
        return {url: i for i, url in enumerate(self.urls)}

    def similarity(self, src: npt.ArrayLike, dst: npt.ArrayLike) -> _F64:
        """The cosine of pages ``src[i]`` and ``dst[i]`` for every ``i`` (rows of this model);
        0 for a page without any word of the vocabulary."""
        a = np.asarray(src, dtype=np.int64)
        b = np.asarray(dst, dtype=np.int64)
        if a.shape != b.shape:
            raise ValueError(f"src and dst differ in shape: {a.shape} and {b.shape}.")
        out = np.zeros(a.size, dtype=np.float64)
        # Row by row products of two sparse selections: memory is the size of the selections.
        step = 100_000
        for start in range(0, a.size, step):
            left = self.vectors[a[start : start + step]]
            right = self.vectors[b[start : start + step]]
            out[start : start + step] = np.asarray(left.multiply(right).sum(axis=1)).ravel()
        return np.clip(out, 0.0, 1.0)

    def neighbours(self, k: int) -> Neighbours:
        """Each page's ``k`` most similar other pages (fewer columns when there are fewer
        pages), most similar first and equal ones by row; deterministic."""
        n = self.n
        k = max(0, min(k, n - 1))
        index = np.full((n, k), -1, dtype=np.int64)
        similarity = np.zeros((n, k), dtype=np.float64)
        if k == 0:
            return Neighbours(index, similarity)
        transposed = self.vectors.T.tocsr().astype(np.float32)
        rows = self.vectors.astype(np.float32)
        chunk = max(1, _BLOCK_CELLS // max(n, 1))
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            block = (rows[start:stop] @ transposed).toarray()
            block[np.arange(stop - start), np.arange(start, stop)] = -1.0  # not its own neighbour
            # The k largest by partition (a stable full sort of 18,500-wide rows took 8x longer),
            # then ordered: most similar first, equal similarities by row.
            part = np.argpartition(-block, k - 1, axis=1)[:, :k] if k < n - 1 else None
            top = np.argsort(-block, axis=1, kind="stable")[:, :k] if part is None else part
            values = np.take_along_axis(block, top, axis=1)
            order = np.lexsort((top, -values), axis=1)
            top = np.take_along_axis(top, order, axis=1)
            values = np.take_along_axis(values, order, axis=1).astype(np.float64)
            found = values > 0
            index[start:stop] = np.where(found, top, -1)
            similarity[start:stop] = np.where(found, np.minimum(values, 1.0), 0.0)
        return Neighbours(index, similarity)

    def centroid(self, rows: npt.ArrayLike) -> _F64:
        """The unit-length mean of some pages' rows (zeros if they have no words)."""
        picked = self.vectors[np.asarray(rows, dtype=np.int64)]
        mean = np.asarray(picked.mean(axis=0)).ravel()
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else mean

    def top_terms(self, page: int, count: int = 5) -> tuple[str, ...]:
        """The ``count`` words weighing most in one page, heaviest first."""
        row = self.vectors[[page]]
        return self._heaviest(row.indices, row.data, count)

    def terms_of(self, weights: _F64, count: int = 5) -> tuple[str, ...]:
        """The ``count`` heaviest words of a vector over the vocabulary (a centroid)."""
        nonzero = np.flatnonzero(weights > 0)
        return self._heaviest(nonzero, weights[nonzero], count)

    def _heaviest(
        self, columns: npt.ArrayLike, values: npt.ArrayLike, count: int
    ) -> tuple[str, ...]:
        cols = np.asarray(columns)
        vals = np.asarray(values)
        # Heaviest first; equal weights in vocabulary order.
        order = np.lexsort((cols, -vals))[:count]
        return tuple(self.terms[int(c)] for c in cols[order])


def model_table(model: TextModel) -> pa.Table:
    """The ``page_terms`` rows of a model (without ``crawl_id``): one per page and word."""
    coo = model.vectors.tocoo()
    order = np.lexsort((coo.col, coo.row))
    urls = np.array(model.urls, dtype=object)
    terms = np.array(model.terms, dtype=object)
    return pa.table(
        {
            "url": pa.array(urls[coo.row[order]].tolist(), pa.string()),
            "term": pa.array(terms[coo.col[order]].tolist(), pa.string()),
            "weight": pa.array(coo.data[order], pa.float64()),
        }
    )


def model_from_table(urls: Sequence[str], rows: pa.Table) -> TextModel:
    """The model :func:`model_table` wrote, for pages ``urls`` (sorted; a page without any
    word has no row)."""
    terms = sorted(set(rows.column("term").to_pylist()))
    column = {t: j for j, t in enumerate(terms)}
    row = {u: i for i, u in enumerate(urls)}
    r = np.array([row[u] for u in rows.column("url").to_pylist()], dtype=np.int64)
    c = np.array([column[t] for t in rows.column("term").to_pylist()], dtype=np.int64)
    w = rows.column("weight").to_numpy()
    vectors = sp.csr_array((w, (r, c)), shape=(len(urls), len(terms)))
    return TextModel(tuple(urls), vectors, tuple(terms))


def fit(documents: Sequence[Document], bodies: Iterable[str]) -> TextModel:
    """The text model of ``documents``, whose bodies ``bodies`` gives in the same order (an
    iterator is read once: :func:`~linkequity.topics.documents.bodies` streams them)."""
    heads = [d.head for d in documents]
    texts = (f"{head} {body}" for head, body in zip(heads, bodies, strict=True))
    counter, counts = _count(texts, len(documents))
    if counter is None:
        return TextModel(tuple(d.url for d in documents), sp.csr_array((len(documents), 0)), ())
    # The head was counted once with the body: HEAD_WEIGHT - 1 more times.
    weighted = counts.astype(np.float64) + (HEAD_WEIGHT - 1.0) * counter.transform(heads)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(weighted)
    terms = tuple(str(t) for t in counter.get_feature_names_out())
    return TextModel(tuple(d.url for d in documents), sp.csr_array(tfidf), terms)


def _count(texts: Iterable[str], n: int) -> tuple[CountVectorizer | None, sp.csr_matrix]:
    """Word counts of ``texts``, the vocabulary pruned as the module says. A small corpus is
    kept in memory to be counted again unpruned when pruning leaves no word (or when it has
    too few pages for "on one page only" and "on half the pages" to mean anything); a large
    one is streamed once."""
    attempts: list[tuple[Iterable[str], bool]]
    if n < _KEEP_BELOW:
        kept = list(texts)
        attempts = [(kept, True), (kept, False)] if n >= _PRUNE_FROM else [(kept, False)]
    else:
        attempts = [(texts, True)]
    for source, prune in attempts:
        counter = CountVectorizer(
            token_pattern=_TOKEN,
            lowercase=True,
            min_df=2 if prune else 1,
            max_df=_MAX_DF if prune else 1.0,
            dtype=np.float64,
        )
        try:
            return counter, counter.fit_transform(source)
        except ValueError:  # scikit-learn's "empty vocabulary": no word, or none left
            continue
    return None, sp.csr_matrix((n, 0))
