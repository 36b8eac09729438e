"""Documents: what each live, indexable page of a crawl says, for the text model (analyze stage).

One :class:`Document` per live, indexable HTML page: its title and h1 (the *head*, weighted
above the rest by the text model) and its *body*, the plain text of its content region with
its headings (``page_texts``, kept by the crawl). A page whose text was not kept (an import,
or a crawl with ``store_text`` off) falls back to its title, h1 and the anchor texts of the
internal links pointing at it, and says so in ``text_source``.

Bodies are read in batches as the model needs them (:func:`bodies`), never all at once: the
content of 20,000 heavy pages is a few hundred MB of text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from linkequity.pagetext import decompress, plain
from linkequity.store import Store

__all__ = [
    "FALLBACK",
    "Document",
    "TextSource",
    "bodies",
    "read_documents",
]

TextSource = Literal["content", "title, h1 and inbound anchors"]
#: The ``text_source`` of a page whose own text the crawl did not keep.
FALLBACK: TextSource = "title, h1 and inbound anchors"
# Distinct anchors of a page's inlinks kept for its fallback document: a page linked from a
# menu on every page has one anchor thousands of times, which says nothing more.
_MAX_ANCHORS = 50
# Pages whose texts one query reads: ~1,000 x ~15 KB keeps a batch near 15 MB.
_BATCH = 1_000


@dataclass(frozen=True, slots=True)
class Document:
    """What one page says: its head (title, h1) and where its body comes from."""

    url: str
    title: str
    h1: str
    text_source: TextSource
    """``content``: the page's own text; otherwise the fallback, title, h1 and inbound anchors."""
    inbound_anchors: tuple[str, ...] = ()
    """The distinct anchors of the links to the page: its body when it has no stored text."""

    @property
    def head(self) -> str:
        """Title and h1, the words the text model weighs most."""
        return f"{self.title} {self.h1}".strip()


def read_documents(store: Store, crawl_id: int) -> tuple[Document, ...]:
    """One document per live, indexable HTML page of a crawl, sorted by URL."""
    rows = store.rows(
        """
        SELECT p.url, coalesce(p.title, ''), coalesce(p.h1, ''), t.url IS NOT NULL
        FROM pages p
        LEFT JOIN page_texts t ON t.crawl_id = p.crawl_id AND t.url = p.url
        WHERE p.crawl_id = ? AND p.indexable AND p.status_code BETWEEN 200 AND 299
        ORDER BY p.url
        """,
        [crawl_id],
    )
    without_text = [str(url) for url, _, _, has_text in rows if not has_text]
    anchors = _inbound_anchors(store, crawl_id, without_text) if without_text else {}
    return tuple(
        Document(str(url), str(title), str(h1), "content")
        if has_text
        else Document(str(url), str(title), str(h1), FALLBACK, anchors.get(str(url), ()))
        for url, title, h1, has_text in rows
    )


def _inbound_anchors(
    store: Store, crawl_id: int, urls: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """The distinct anchors (alt text for an image link) of the internal links from other
    pages to each URL, most used first, at most ``_MAX_ANCHORS``."""
    rows = store.rows(
        """
        WITH a AS (
            SELECT dst_url, trim(CASE WHEN is_image AND anchor = '' THEN coalesce(alt, '')
                                      ELSE anchor END) AS text
            FROM links
            WHERE crawl_id = ? AND is_internal AND src_url <> dst_url
              AND dst_url IN (SELECT unnest(?::VARCHAR[]))
        ), counted AS (
            SELECT dst_url, text, count(*) AS n FROM a WHERE text <> '' GROUP BY ALL
        )
        SELECT dst_url, list(text ORDER BY n DESC, text)[1:?] FROM counted GROUP BY dst_url
        """,
        [crawl_id, list(urls), _MAX_ANCHORS],
    )
    return {str(url): tuple(texts) for url, texts in rows}


#: Characters of a page's own text the text model reads: its opening, cut at a word. What a
#: page is about is said first; the 20,000-page example site's pages hold 16,500 characters
#: of own text on average, and counting all of them took 17 s of its analysis against 6.5 s
#: for the first 6,000.
BODY_CHARS = 6_000


def _opening(text: str) -> str:
    if len(text) <= BODY_CHARS:
        return text
    cut = text.rfind(" ", 0, BODY_CHARS)
    return text[: cut if cut > 0 else BODY_CHARS]


def bodies(store: Store, crawl_id: int, documents: Sequence[Document]) -> Iterator[str]:
    """The body of each document, in order: the opening of its stored text without marks
    (``BODY_CHARS``), or its inbound anchors; read ``_BATCH`` pages at a time."""
    for start in range(0, len(documents), _BATCH):
        batch = documents[start : start + _BATCH]
        wanted = [d.url for d in batch if d.text_source == "content"]
        texts: dict[str, str] = {}
        if wanted:
            rows = store.rows(
                "SELECT url, text FROM page_texts WHERE crawl_id = ? "
                "AND url IN (SELECT unnest(?::VARCHAR[]))",
                [crawl_id, wanted],
            )
            texts = {str(url): _opening(plain(decompress(blob))) for url, blob in rows}
        for d in batch:
            yield (
                texts.get(d.url, "") if d.text_source == "content" else " ".join(d.inbound_anchors)
            )
