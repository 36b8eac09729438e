"""Anchors for recommended internal links, found in the source page's own text (plan stage).

A recommended link "source page -> target page" reads best on words the source already
says. The target's *phrases* (:func:`target_phrases`) are the words a link to it could use:
its keywords, its title without the site name, its h1 and shorter parts of those.
:func:`find_anchors` looks for them in the source's own text (:mod:`linkequity.pagetext`),
in its plain runs only: never inside an existing link or a heading, never across the edge of
one. When none is there, :func:`propose_anchor` gives the anchor an editor would write a
sentence around. :func:`vary_anchors` then picks one anchor per source for one target, so
that the share of exact-match anchors among all the target's links stays within the
``[audit] exact_match_share`` setting the anchor audit judges (:mod:`linkequity.equity.anchors`).

>>> from linkequity.pagetext import mark_link
>>> phrases = target_phrases("Dome tents for wind | Ridgeline", "Dome tents", ["dome tent"])
>>> [(p.text, p.source) for p in phrases]
[('dome tent', 'keyword'), ('Dome tents for wind', 'title'), ('Dome tents', 'h1'),
 ('tents for wind', 'title_part')]
>>> text = "Pick a " + mark_link("dome tent") + " for the coast: dome  TENTS shed wind."
>>> [(m.anchor, m.phrase.source, m.is_exact) for m in find_anchors(text, phrases)]
[('dome  TENTS', 'keyword', False)]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from linkequity.anchortext import comparable
from linkequity.pagetext import plain, segments

__all__ = [
    "SHARED_TITLES",
    "STOP_WORDS",
    "AnchorChoice",
    "AnchorMatch",
    "InboundAnchors",
    "Phrase",
    "distinct_phrases",
    "find_anchors",
    "main_keyword",
    "propose_anchor",
    "target_phrases",
    "vary_anchors",
]

PhraseSource = Literal["keyword", "title", "h1", "title_part", "h1_part"]

#: Words a sub-phrase may not start or end on: the articles, prepositions, conjunctions,
#: pronouns and auxiliary verbs of the Snowball English stop-word list
#: (snowballstem.org/algorithms/english/stop.txt; its reflexives and contractions left out),
#: and a few it lacks: without, onto, among, per, via, vs, can, will, may, might, must, also,
#: just. English only: :mod:`linkequity.anchortext` compares anchors in no language.
STOP_WORDS: frozenset[str] = frozenset(
    (
        "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from",
        "by", "with", "without", "into", "onto", "over", "under", "about", "above", "below",
        "after", "before", "between", "through", "during", "against", "among", "per", "via", "vs",
        "than", "as", "so", "if", "then", "not", "no", "is", "are", "was", "were", "be", "been",
        "being", "am", "do", "does", "did", "has", "have", "had", "can", "will", "would", "should",
        "could", "may", "might", "must", "it", "its", "this", "that", "these", "those", "i", "me",
        "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them",
        "their", "what", "which", "who", "whom", "how", "why", "when", "where", "all", "any",
        "each", "more", "most", "some", "such", "only", "own", "same", "too", "very", "just",
        "also", "up", "out", "off",
    )
)  # fmt: skip

# Sub-phrases of a title or h1: 2 to 5 words, at most this many of each length from each
# (a 12-word h1 has 38 such runs; 6 a length keeps its first words' runs, where titles put
# their subject) and this many in all, so that one target's regex stays small.
_PART_WORDS = (5, 4, 3, 2)
_PARTS_PER_LENGTH = 6
_MAX_PARTS = 24
# The separators of a title's parts when spaced, as in anchortext.keyword_of: a bar, a
# hyphen, an en or em dash, a middle dot or a double colon ("Tents | Shop", "Tents - Shop").
_TITLE_PARTS = re.compile(r"\s+(?:[|\u2013\u2014\u00b7-]|::)\s+")
# A site-name prefix before a colon ("Ridgeline: Dome tents") has at most this many words:
# brands are short, subjects before a subtitle colon need not be.
_PREFIX_WORDS = 3
# Where a title or h1 breaks into clauses: punctuation other than in-word apostrophes and
# hyphens, and spaced dashes. A sub-phrase never spans one ("Tents, tarps" is no anchor).
_CLAUSE = re.compile(r"[^\w\s'\u2019-]+|\s[-\u2013\u2014]+\s|\s-|-\s")
_WORD = re.compile(r"\w", re.UNICODE)
# The snippet: about this many characters around the anchor (a search result's snippet).
_SNIPPET_CHARS = 160
# Compiled patterns kept: one per target, so a plan over a few thousand priority targets
# compiles each once however many sources it tries.
_PATTERNS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words a link to the target could use, and where they come from."""

    text: str
    source: PhraseSource
    """``keyword`` (given in a keywords or priorities file), ``title`` (without the site
    name), ``h1``, or ``title_part`` / ``h1_part`` (2 to 5 words of the title or h1)."""


@dataclass(frozen=True, slots=True)
class AnchorMatch:
    """A target's phrase found in a source page's own plain text."""

    anchor: str
    """The words exactly as the page writes them: ``plain(text)[start:end]``."""
    start: int
    """Offset in the text with its marks removed (:func:`linkequity.pagetext.plain`)."""
    end: int
    snippet: str
    """About 160 characters around the anchor, cut at words, "…" where cut."""
    phrase: Phrase
    is_exact: bool
    """The anchor equals the target's main keyword as the anchor audit compares them."""


@dataclass(frozen=True, slots=True)
class InboundAnchors:
    """The target's links today, as the anchor audit counts its exact-match share: its
    content links, and how many of them use its keyword as anchor."""

    links: int
    exact_links: int


@dataclass(frozen=True, slots=True)
class AnchorChoice:
    """The anchor chosen for one new link to a target."""

    source: str
    anchor: str
    anchor_in_text: bool
    """Whether the source already says the words (``match``), or an editor must write them."""
    is_exact: bool
    match: AnchorMatch | None


def target_phrases(
    title: str | None,
    h1: str | None,
    keywords: Iterable[str] = (),
    *,
    site_name: str | None = None,
) -> tuple[Phrase, ...]:
    """The phrases a link to a page could use, best first: each given keyword, the title
    without its site name, the h1, then parts of the title and h1 (longest first).

    Phrases that compare equal (:func:`linkequity.anchortext.comparable`) are kept once, at
    their best place. The site name is removed from the title by this rule:

    - when ``site_name`` is given (the part the site's titles share), it is removed where it
      starts or ends the title, with its separator (a bar, a hyphen, an en or em dash, a
      middle dot, ``::`` or a colon after it);
    - what remains is split at spaced separators, and the page's part is the first
      (``"Tents | Shop"``, the usual order), unless the h1 shares no word with the first
      part and some with another: then that one (``"Shop - Tents"`` with h1 ``"Tents"``);
    - a short prefix before a colon (``"Ridgeline: Dome tents"``, at most 3 words) is
      removed only when the h1 shares none of its words and some of the rest's: a colon
      in a title mostly introduces a subtitle (``"Tents: a buyer's guide"``).

    >>> [p.text for p in target_phrases("Ridgeline - Light dome tents", "Light dome tents")]
    ['Light dome tents', 'Light dome', 'dome tents']
    >>> [p.text for p in target_phrases("Shop: Tents", None, site_name="Shop")]
    ['Tents']
    """
    found: list[Phrase] = []
    seen: set[str] = set()

    def add(text: str, source: PhraseSource) -> None:
        text = _bare(text)
        key = comparable(text)
        if key and key not in seen:
            seen.add(key)
            found.append(Phrase(" ".join(text.split()), source))

    for keyword in keywords:
        add(keyword, "keyword")
    name = _page_name(title, h1, site_name) if title else ""
    add(name, "title")
    add(h1 or "", "h1")
    parts = [(len(p.split()), 0, i, p) for i, p in enumerate(_parts(name))]
    parts += [(len(p.split()), 1, i, p) for i, p in enumerate(_parts(h1 or ""))]
    before = len(found)
    for _, of_h1, _, part in sorted(parts, key=lambda p: (-p[0], p[1], p[2])):
        if len(found) - before >= _MAX_PARTS:
            break
        add(part, "h1_part" if of_h1 else "title_part")
    return tuple(found)


#: Marks a heading carries that no one would link on: the permalink signs documentation
#: generators append to headings (Sphinx's pilcrow, MkDocs' and others' section sign, hash).
_HEADING_MARKS = "\u00b6\u00a7#"


def _bare(text: str) -> str:
    """``text`` without the permalink marks and spaces around it."""
    return text.strip().strip(_HEADING_MARKS).strip()


#: Other pages' titles a part of a title may appear in and still name its page: a part
#: that three titles or more share names a brand, a range or a category (the example site's
#: "Sierra Loft" is in 40 product titles), and a link on it would promise any of them.
SHARED_TITLES = 2


def distinct_phrases(
    phrases: Sequence[Phrase], titles: Iterable[str], own: str | None = None
) -> tuple[Phrase, ...]:
    """``phrases`` without the title and h1 parts that stand more than
    :data:`SHARED_TITLES` times in other pages' titles (as whole words, compared as anchors
    are); keywords, the title and the h1 themselves are kept. ``own`` is the page's own
    title."""
    joined = "\n" + "\n".join(comparable(t) for t in titles if t and t != own) + "\n"
    kept: list[Phrase] = []
    for phrase in phrases:
        if phrase.source in ("title_part", "h1_part"):
            key = comparable(phrase.text)
            pattern = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
            if len(pattern.findall(joined)) > SHARED_TITLES:
                continue
        kept.append(phrase)
    return tuple(kept)


def _page_name(title: str, h1: str | None, site_name: str | None) -> str:
    """The title without its site name (the rule in :func:`target_phrases`)."""
    name = " ".join(title.split())
    if site_name and site_name.strip():
        brand = re.escape(" ".join(site_name.split()))
        # A dash separates only when spaced: "Shop-in-shop displays" keeps its first word.
        separator = r"(?:\s*(?:[|\u00b7:]|::)\s*|\s+[\u2013\u2014-]\s+)"
        stripped = re.sub(rf"^{brand}{separator}|{separator}{brand}$", "", name, flags=re.I)
        name = stripped.strip() or name
    h1_words = _word_set(h1 or "")
    parts = [p for p in _TITLE_PARTS.split(name) if p.strip()]
    if len(parts) > 1:
        page = parts[0]
        if h1_words and not _word_set(page) & h1_words:
            page = next((p for p in parts[1:] if _word_set(p) & h1_words), page)
        return page.strip()
    prefix, colon, rest = name.partition(": ")
    if (
        colon
        and rest.strip()
        and len(prefix.split()) <= _PREFIX_WORDS
        and h1_words
        and not _word_set(prefix) & h1_words
        and _word_set(rest) & h1_words
    ):
        return rest.strip()
    return name


def _word_set(text: str) -> set[str]:
    """The words of a text as compared, stop words left out."""
    return {w for w in re.findall(r"\w+", text.lower()) if w not in STOP_WORDS}


def _parts(text: str) -> list[str]:
    """Runs of 2 to 5 words of a title or h1 within one clause, longest first, neither
    starting nor ending on a stop word, not only digits."""
    clauses = [c.split() for c in _CLAUSE.split(text)]
    clauses = [[w.strip("-'\u2019") for w in c if w.strip("-'\u2019")] for c in clauses]
    found: list[str] = []
    for size in _PART_WORDS:
        kept = 0
        for words in clauses:
            for at in range(len(words) - size + 1):
                run = words[at : at + size]
                if kept >= _PARTS_PER_LENGTH:
                    break
                first, last = run[0].lower(), run[-1].lower()
                if first in STOP_WORDS or last in STOP_WORDS:
                    continue
                if all(w.isdigit() or w.lower() in STOP_WORDS for w in run):
                    continue
                found.append(" ".join(run))
                kept += 1
    return found


def main_keyword(phrases: Sequence[Phrase]) -> str:
    """The keyword exact matches are judged against, as the anchor audit compares anchors:
    the first given keyword, else the h1, else the title (the audit's ``keyword_of``).

    >>> main_keyword(target_phrases("Tents | Shop", "Backpacking tents"))
    'backpacking tents'
    """
    for source in ("keyword", "h1", "title"):
        for phrase in phrases:
            if phrase.source == source:
                return comparable(phrase.text)
    return ""


def _number_forms(word: str) -> list[str]:
    """A word and its simple English plural or singular, longest first (``tent``/``tents``,
    ``box``/``boxes``, ``berry``/``berries``); a word of fewer than 3 letters as it is."""
    lower = word.lower()
    if len(word) < 3 or not word.isalpha():
        return [word]
    forms = {word}
    if lower.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif lower.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.add(word[:-2])
    elif lower.endswith("s") and not lower.endswith("ss"):
        forms.add(word[:-1])
    elif lower.endswith("y") and lower[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return sorted(forms, key=lambda f: (-len(f), f))


def _phrase_pattern(text: str) -> str:
    """A phrase as a regex: any whitespace between its words, either number of its last word,
    a typewriter or typographic apostrophe. Word edges are checked by the caller: a
    lookbehind in front costs the regex engine its literal-prefix scan (a phrase absent
    from a 30,000-character text: 0.01 ms without, 0.5 ms with)."""
    words = text.split()

    def literal(word: str) -> str:
        return "".join("['\u2019]" if c in "'\u2019" else re.escape(c) for c in word)

    last = "|".join(literal(f) for f in _number_forms(words[-1]))
    return r"\s+".join([*(literal(w) for w in words[:-1]), f"(?:{last})"])


@dataclass(frozen=True, slots=True)
class _Patterns:
    """A target's phrases compiled: lower-cased for a lower-cased text (a case-sensitive
    literal scan is 20x faster than an IGNORECASE one), and case-insensitive for a text
    whose lower case changes its length (``"İ"`` lower-cased is two characters)."""

    lowered: tuple[re.Pattern[str], ...]
    folded: tuple[re.Pattern[str], ...]
    word_start: tuple[bool, ...]
    word_end: tuple[bool, ...]


@lru_cache(maxsize=_PATTERNS_KEPT)
def _patterns(texts: tuple[str, ...]) -> _Patterns:
    return _Patterns(
        lowered=tuple(re.compile(_phrase_pattern(t.lower())) for t in texts),
        folded=tuple(re.compile(_phrase_pattern(t), re.IGNORECASE) for t in texts),
        word_start=tuple(_WORD.match(t) is not None for t in texts),
        word_end=tuple(_WORD.match(t[-1]) is not None for t in texts),
    )


@dataclass(frozen=True, slots=True)
class _Source:
    """A source's own text as searched: plain, lower-cased when that keeps its length, and
    where its plain runs (not a link, not a heading) start and end."""

    plain: str
    searched: str
    is_lowered: bool
    run_starts: list[int]
    run_ends: list[int]


# A plan tries one source against many targets: its text is split once for the last few.
_SOURCES_KEPT = 64


@lru_cache(maxsize=_SOURCES_KEPT)
def _searched(marked_text: str) -> tuple[str, str, bool]:
    """The plain text, the text searched, and whether that is the plain text lower-cased."""
    text = plain(marked_text)
    lowered = text.lower()
    same = len(lowered) == len(text)
    return text, lowered if same else text, same


@lru_cache(maxsize=_SOURCES_KEPT)
def _source(marked_text: str) -> _Source:
    text, searched, is_lowered = _searched(marked_text)
    starts: list[int] = []
    ends: list[int] = []
    at = 0
    for segment in segments(marked_text):
        if segment.kind == "text":
            starts.append(at)
            ends.append(at + len(segment.text))
        at += len(segment.text)
    return _Source(text, searched, is_lowered, starts, ends)


# Measured on a 30,000-character text (470 links, 30 headings, a 60-word vocabulary so that
# every phrase occurs often) against the 10 phrases of one target, patterns compiled as for
# every source after a target's first: 1.4 ms a call that finds anchors, 0.8 ms of it in
# pagetext.segments(); 0.2 ms when the same text was split for an earlier target (the last
# 64 texts are kept); 0.3 ms when the text says none of the phrases (it is then not split).
# One alternation of all phrases with IGNORECASE took 6.5 ms.
def find_anchors(
    marked_text: str, phrases: Sequence[Phrase], limit: int = 5
) -> tuple[AnchorMatch, ...]:
    """Where a source's own text already says one of a target's phrases, best phrase first.

    Only plain runs of the text are searched (:func:`linkequity.pagetext.segments`): never
    an existing link's anchor nor a heading, and no match spans the edge of one. Matching
    ignores case, takes any run of whitespace for a space and either number of the last
    word (``tent`` for ``tents``), and holds at Unicode word edges. Each phrase is reported
    once, where it first stands, and not where a better phrase stands already; ``limit``
    matches at most.

    >>> from linkequity.pagetext import mark_heading, mark_link
    >>> text = mark_heading("Tents") + " Our tents: " + mark_link("tent care") + " and tent care."
    >>> [(m.anchor, m.start) for m in find_anchors(text, [Phrase("tent care", "keyword")])]
    [('tent care', 31)]
    """
    kept = [p for p in phrases if p.text.strip()]
    if not kept or limit <= 0:
        return ()
    compiled = _patterns(tuple(" ".join(p.text.split()) for p in kept))
    _, searched, is_lowered = _searched(marked_text)
    patterns = compiled.lowered if is_lowered else compiled.folded
    # Most sources say none of a target's phrases: they are not split into runs at all.
    if not any(pattern.search(searched) for pattern in patterns):
        return ()
    source = _source(marked_text)
    text = source.plain
    keyword = main_keyword(kept)
    taken: set[tuple[int, int]] = set()
    found: list[AnchorMatch] = []
    for index, pattern in enumerate(patterns):
        is_part = kept[index].source in ("title_part", "h1_part")
        span = _first_place(source, pattern, compiled, index, taken, is_part)
        if span is None:
            continue
        taken.add(span)
        start, end = span
        anchor = text[start:end]
        found.append(
            AnchorMatch(
                anchor=anchor,
                start=start,
                end=end,
                snippet=_snippet(text, start, end),
                phrase=kept[index],
                is_exact=bool(keyword) and comparable(anchor) == keyword,
            )
        )
        if len(found) == limit:
            break
    return tuple(found)


def _first_place(
    source: _Source,
    pattern: re.Pattern[str],
    compiled: _Patterns,
    index: int,
    taken: set[tuple[int, int]],
    is_part: bool = False,
) -> tuple[int, int] | None:
    """Where a phrase first stands whole in a plain run, at word edges, on a span no better
    phrase took; a part of a title or h1 not on words a better phrase stands on (a part of
    a name is not offered inside the whole name)."""
    searched, starts, ends = source.searched, source.run_starts, source.run_ends
    pos = 0
    while (m := pattern.search(searched, pos)) is not None:
        start, end = m.span()
        pos = start + 1
        run = bisect_right(starts, start) - 1
        if run < 0 or start >= ends[run]:
            # In a link or a heading: go on from the next plain run.
            if run + 1 == len(starts):
                return None
            pos = starts[run + 1]
            continue
        if end > ends[run]:
            continue  # across the edge of the run
        if compiled.word_start[index] and start > 0 and _WORD.match(searched, start - 1):
            continue
        if compiled.word_end[index] and end < len(searched) and _WORD.match(searched, end):
            continue
        if (start, end) in taken:
            continue
        if is_part and any(s < end and start < e for s, e in taken):
            continue  # a part of a name, where the text says a better phrase: a cut name
        return start, end
    return None


def _snippet(text: str, start: int, end: int) -> str:
    """About :data:`_SNIPPET_CHARS` characters around ``text[start:end]``, cut at words."""
    room = max(_SNIPPET_CHARS - (end - start), 0)
    left_room = min(room // 2, start)
    right_room = min(room - left_room, len(text) - end)
    left_room = min(room - right_room, start)
    left, right = start - left_room, end + right_room
    if left > 0 and not text[left - 1].isspace():
        space = text.find(" ", left, start)
        left = start if space < 0 else space
    if right < len(text) and not text[right].isspace():
        space = text.rfind(" ", end, right)
        right = end if space < 0 else space
    inner = text[left:right].strip()
    return ("…" if left > 0 else "") + inner + ("…" if right < len(text) else "")


def propose_anchor(phrases: Sequence[Phrase]) -> str:
    """The anchor to propose when the source says none of the target's phrases: the best
    one that is not the main keyword (:func:`main_keyword`), as written, else the keyword;
    ``""`` for a target with no phrase. An editor writes a sentence around it: the target's
    name (its title or h1) reads as a sentence would name it, and adds nothing to the
    target's exact-match share. :func:`vary_anchors` proposes the same when it has no
    reason to choose another.

    >>> propose_anchor(target_phrases("Dome tents | Shop", "Our dome tents", ["dome tents"]))
    'Our dome tents'
    >>> propose_anchor([Phrase("dome tents", "keyword")])
    'dome tents'
    """
    keyword = main_keyword(phrases)
    named = [p.text for p in phrases if p.text.strip()]
    return next((t for t in named if comparable(t) != keyword), named[0] if named else "")


def vary_anchors(
    candidates: Mapping[str, Sequence[AnchorMatch]],
    phrases: Sequence[Phrase],
    inbound: InboundAnchors,
    exact_match_share: float,
) -> tuple[AnchorChoice, ...]:
    """One anchor for each new link to one target, in the order of ``candidates``.

    ``candidates`` maps each source to its matches (:func:`find_anchors`), most preferred
    first; ``phrases`` are the target's (:func:`target_phrases`), proposed in that order
    when a source says none of them, or only ones the rules below refuse. The target has
    ``inbound`` links today; after the new ones, at most ``floor(exact_match_share x all
    links)`` may be exact matches. Sources are served in order, each taking the first
    option by, in turn:

    1. it keeps the exact matches within that budget (when no option does, the share cannot
       be kept and the exact one is taken);
    2. it stands in the source's text (a match) rather than being proposed;
    3. it is used by fewer of the sources served before (the same words on every source
       read as a pattern);
    4. it is not an exact match (a partial or title variant is preferred even within the
       budget);
    5. it comes earlier in the source's candidates, then in ``phrases``.

    Ten links after three new ones, seven exact today: one more exact match fits under 0.8.

    >>> phrases = target_phrases("Dome tents for wind | Shop", "Dome tents", ["dome tents"])
    >>> found = {
    ...     "/a": find_anchors("We sell dome tents for wind and rain.", phrases),
    ...     "/b": find_anchors("Our dome tents stand.", phrases),
    ...     "/c": find_anchors("Nothing about them.", phrases),
    ... }
    >>> for c in vary_anchors(found, phrases, InboundAnchors(links=7, exact_links=7), 0.8):
    ...     print(c.source, repr(c.anchor), c.anchor_in_text, c.is_exact)
    /a 'dome tents for wind' True False
    /b 'dome tents' True True
    /c 'tents for wind' False False
    """
    keyword = main_keyword(phrases)
    total = inbound.links + len(candidates)
    # The epsilon keeps 0.8 x 10 from flooring to 7.
    budget = math.floor(exact_match_share * total + 1e-9) - inbound.exact_links
    used: Counter[str] = Counter()
    chosen: list[AnchorChoice] = []
    for source, matches in candidates.items():
        options = [AnchorChoice(source, m.anchor, True, m.is_exact, m) for m in matches] + [
            AnchorChoice(
                source,
                p.text,
                False,
                bool(keyword) and comparable(p.text) == keyword,
                None,
            )
            for p in phrases
            if p.text.strip()
        ]
        if not options:
            continue
        ranks = [
            (
                option.is_exact and budget <= 0,
                not option.anchor_in_text,
                used[comparable(option.anchor)],
                option.is_exact,
                order,
            )
            for order, option in enumerate(options)
        ]
        best = options[ranks.index(min(ranks))]
        used[comparable(best.anchor)] += 1
        budget -= best.is_exact
        chosen.append(best)
    return tuple(chosen)
