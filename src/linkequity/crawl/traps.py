"""Crawl trap defences: URL limits and the detector of endless URL patterns (acquire stage).

A crawl trap is a site that makes URLs without end: a calendar with a "next month" link, faceted
navigation whose filters combine, a relative link that deepens the path on every page. The
defences hold such URLs back: they keep a ``frontier`` row (so the link to them is known and
reported as a ``crawl_trap`` finding) marked with the rule in ``held_back``, and are never
requested. Session ids are not a trap here: the URL normalisation strips them (urls.py).

Rules on the URL alone, applied when a link is discovered (:func:`url_rule`):

* ``url_length``: longer than ``max_url_length`` characters;
* ``query_params``: more than ``max_query_params`` distinct query parameters;
* ``segment_repeats``: a path segment more than ``max_segment_repeats`` times.

Rules over groups of URLs, applied when a crawl level starts (:class:`TrapDetector`), with
``detect_traps`` on. A URL's group (:func:`trap_group`) is either

* its *facet group*, ``<path>?(more than N parameters)``, when it sets more than
  ``max_facets`` query parameters at once: ``trap_examples`` of a path's combinations are
  crawled, the others held back (``facets``); or
* its *pattern* (:func:`linkequity.urls.url_pattern`: the same template with varying values):
  the first ``trap_examples`` URLs of a new pattern are crawled while its others wait
  (``pending``); when they are in, the pattern is judged on its latest ``trap_examples`` pages.
  It is a trap, and its URLs are held back (``repeating``), when more than half of them repeat
  an earlier one: a page repeats another when it links to no URL outside the pattern that the
  crawl first found through it, and says the same (equal content sketches: the page's own
  text, digits left out; see :func:`linkequity.parse.html._content_sketch`) or nearly the
  same (equal word counts of 80 or more, at most two of the sketch's eight runs differing:
  on a shorter page a few words are what tells pages apart). Otherwise the
  waiting URLs are released, and the pattern is judged again at each level.

A URL whose query has the parameters of a URL already crawled in another order
(``?size=m&color=red`` after ``?color=red&size=m``, as faceted navigation writes them) is
held back too (``reordered``): it is the same page.

Every decision is a function of the store (URLs in URL order, pages of finished levels only),
so a crawl resumed after a kill decides exactly as one that never stopped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from linkequity.settings import CrawlSettings
from linkequity.store.database import Store
from linkequity.urls import query_names, url_pattern

__all__ = [
    "HOLD_RULES",
    "RELEASED",
    "TrapDetector",
    "repeats",
    "trap_group",
    "url_rule",
]

#: What each held_back value means and the setting that lets such URLs through.
HOLD_RULES: dict[str, str] = {
    "url_length": "max_url_length",
    "query_params": "max_query_params",
    "segment_repeats": "max_segment_repeats",
    "facets": "max_facets",
    "repeating": "trap_examples",
    "reordered": "detect_traps",
    "pending": "trap_examples",
}
#: ``held_back`` of a URL that waited for its pattern's verdict and was then crawled.
RELEASED = "released"

_DIGITS = re.compile(r"[0-9]+")
_SKETCH_RUNS = 8
# Runs of two sketches that may differ for the pages to be "nearly the same" (a month's name
# in the heading and once more in the text).
_NEAR_RUNS = 2
# Words a page's own text needs for "nearly the same" to be told: on a shorter page two runs
# are a few words, and pages of one template that differ in them (a post's place, a
# product's name) are different pages.
_NEAR_MIN_WORDS = 80


def _origin_path(url: str) -> tuple[str, str]:
    base = url.partition("?")[0].partition("#")[0]
    slash = base.find("/", base.find("//") + 2)
    return (base, "/") if slash < 0 else (base[:slash], base[slash:])


def _most_repeated_segment(path: str) -> tuple[str, int]:
    counts: dict[str, int] = {}
    for segment in path.split("/"):
        if not segment or segment.isdigit():
            continue
        key = _DIGITS.sub("{n}", segment)
        counts[key] = counts.get(key, 0) + 1
    if not counts:
        return "", 0
    segment = max(counts, key=counts.__getitem__)
    return segment, counts[segment]


def url_rule(url: str, settings: CrawlSettings) -> tuple[str, str] | None:
    """``(rule, pattern)`` when the URL alone is reason to hold it back, else None.

    >>> s = CrawlSettings()
    >>> url_rule("https://example.com/docs/more/more/more/", s)
    ('segment_repeats', 'https://example.com/docs/more/more/more/*')
    >>> url_rule("https://example.com/docs/more/more/", s) is None
    True
    """
    origin, path = _origin_path(url)
    if len(url) > settings.max_url_length:
        limit = settings.max_url_length
        return "url_length", f"{origin}{path[:60]}* (longer than {limit} characters)"
    if "?" in url and len(query_names(url)) > settings.max_query_params:
        limit = settings.max_query_params
        return "query_params", f"{origin}{path}?(more than {limit} parameters)"
    segment, count = _most_repeated_segment(path)
    if count > settings.max_segment_repeats:
        kept: list[str] = []
        seen = 0
        for part in path.split("/"):
            kept.append(part)
            if part and _DIGITS.sub("{n}", part) == segment and not part.isdigit():
                seen += 1
                if seen > settings.max_segment_repeats:
                    break
        return "segment_repeats", origin + "/".join(kept) + "/*"
    return None


def trap_group(url: str, settings: CrawlSettings) -> str | None:
    """The group the detector judges a URL with: its facet group or its pattern (see above).

    >>> s = CrawlSettings()
    >>> trap_group("https://example.com/shop/?size=m&color=red&brand=x", s)
    'https://example.com/shop/?(more than 2 parameters)'
    >>> trap_group("https://example.com/events?month=2031-03", s)
    'https://example.com/events?month=*'
    """
    if "?" in url and len(query_names(url)) > settings.max_facets:
        base = url.partition("?")[0]
        return f"{base}?(more than {settings.max_facets} parameters)"
    return url_pattern(url)


def _query_form(url: str) -> str:
    base, _, query = url.partition("?")
    return base + "?" + "&".join(sorted(query.split("&")))


def _is_facets(group: str) -> bool:
    return group.endswith(" parameters)")


@dataclass(frozen=True, slots=True)
class Example:
    """A crawled page of a group, as the detector judges it."""

    url: str
    sketch: str | None
    adds_new: bool
    """It links to a URL outside its group that the crawl first found at the next level."""


def _runs(sketch: str) -> tuple[str, list[str]]:
    count, _, hexes = sketch.partition(":")
    return count, [hexes[i : i + 8] for i in range(0, len(hexes), 8)]


def repeats(page: Example, earlier: Sequence[Example]) -> bool:
    """True if ``page`` says what one of the ``earlier`` pages says (see the module docstring).

    >>> a = Example("u1", "90:" + "0" * 64, True)
    >>> near = Example("u2", "90:" + "1" * 16 + "0" * 48, False)
    >>> far = Example("u3", "90:" + "1" * 24 + "0" * 40, False)
    >>> repeats(near, [a]), repeats(far, [a]), repeats(Example("u4", a.sketch, True), [a])
    (True, False, False)
    """
    if page.adds_new or page.sketch is None or page.sketch == "0:":
        return False
    count, runs = _runs(page.sketch)
    for other in earlier:
        if other.sketch == page.sketch:
            return True
        if other.sketch is None:
            continue
        other_count, other_runs = _runs(other.sketch)
        if int(count) < _NEAR_MIN_WORDS:
            continue
        if other_count == count and len(runs) == len(other_runs) == _SKETCH_RUNS:
            differing = sum(a != b for a, b in zip(runs, other_runs, strict=True))
            if differing <= _NEAR_RUNS:
                return True
    return False


class TrapDetector:
    """Decides, at the start of each level, which of its URLs are crawled and which wait or
    are held back; and, when a level is done, what becomes of the URLs that waited."""

    def __init__(self, store: Store, crawl_id: int, settings: CrawlSettings) -> None:
        self.store = store
        self.crawl_id = crawl_id
        self.settings = settings
        self.examples = settings.trap_examples
        # The first URL crawled with each query form (see _query_form), from the levels
        # planned so far; rebuilt from the frontier when a resumed crawl plans its first level.
        self.forms: dict[str, str] | None = None

    def _known_forms(self, phase: int, level: int) -> dict[str, str]:
        if self.forms is None:
            self.forms = {}
            for (url,) in self.store.rows(
                "SELECT url FROM frontier WHERE crawl_id = ? AND url LIKE '%?%' "
                "AND (held_back IS NULL OR held_back = ?) "
                "AND (phase < ? OR (phase = ? AND level < ?)) ORDER BY phase, level, url",
                [self.crawl_id, RELEASED, phase, phase, level],
            ):
                self.forms.setdefault(_query_form(url), url)
        return self.forms

    def _examples(self, groups: Sequence[str], before: tuple[int, int]) -> dict[str, list[Example]]:
        """The latest ``trap_examples`` crawled pages of each group at levels before
        ``(phase, level)``, oldest first."""
        if not groups:
            return {}
        phase, level = before
        rows = self.store.rows(
            "WITH ex AS (SELECT f.trap_pattern AS grp, f.url, f.phase, f.level, "
            "p.content_sketch FROM frontier f JOIN pages p "
            "ON p.crawl_id = f.crawl_id AND p.url = f.url "
            "WHERE f.crawl_id = ? AND f.trap_pattern IN (SELECT unnest(?::VARCHAR[])) "
            "AND (f.phase < ? OR (f.phase = ? AND f.level < ?)) "
            "QUALIFY row_number() OVER (PARTITION BY f.trap_pattern "
            "ORDER BY f.phase DESC, f.level DESC, f.url DESC) <= ?) "
            "SELECT ex.grp, ex.url, ex.content_sketch, coalesce(("
            "  SELECT bool_or(true) FROM links l JOIN frontier n "
            "  ON n.crawl_id = l.crawl_id AND n.url = l.dst_url "
            "  WHERE l.crawl_id = ? AND l.src_url = ex.url AND n.phase = ex.phase "
            "  AND n.level = ex.level + 1 AND n.trap_pattern IS DISTINCT FROM ex.grp), false) "
            "FROM ex ORDER BY ex.grp, ex.phase, ex.level, ex.url",
            [self.crawl_id, list(groups), phase, phase, level, self.examples, self.crawl_id],
        )
        found: dict[str, list[Example]] = {}
        for group, url, sketch, adds_new in rows:
            found.setdefault(str(group), []).append(Example(url, sketch, bool(adds_new)))
        return found

    def is_trap(self, examples: Sequence[Example]) -> bool:
        """True if most of a pattern's latest pages repeat an earlier one."""
        if len(examples) < self.examples:
            return False
        repeated = sum(repeats(e, examples[:i]) for i, e in enumerate(examples))
        return repeated * 2 > len(examples)

    def plan(
        self, phase: int, level: int, urls: Sequence[tuple[str, str | None]]
    ) -> dict[str, str]:
        """The URLs of a level to hold back, with their rule (``facets``, ``repeating`` or
        ``pending``).

        ``urls`` are the level's ``(url, trap_pattern)`` not held back, in URL order, those
        already crawled included: judged on the pages of earlier levels only, a level planned
        again after a resume gets the same answer (the crawled URLs took the same slots).
        """
        if not self.settings.detect_traps:
            return {}
        forms = self._known_forms(phase, level)
        held: dict[str, str] = {}
        for url, _ in urls:
            if "?" in url:
                first = forms.setdefault(_query_form(url), url)
                if first != url:
                    held[url] = "reordered"
        urls = [(u, g) for u, g in urls if u not in held]
        groups = sorted({g for _, g in urls if g is not None})
        examples = self._examples(groups, (phase, level))
        left = {
            g: self.examples - len(examples.get(g, ()))
            for g in groups
            if _is_facets(g) or not self.is_trap(examples.get(g, ()))
        }
        for url, group in urls:
            if group is None:
                continue
            free = left.get(group)
            if free is None:
                held[url] = "repeating"
            elif free > 0:
                left[group] = free - 1
            elif _is_facets(group):
                held[url] = "facets"
            elif len(examples.get(group, ())) < self.examples:
                held[url] = "pending"
        return held

    def settle(self, phase: int, level: int, pending: Sequence[tuple[str, str]]) -> dict[str, str]:
        """What becomes of a level's URLs that waited for their pattern's verdict, now that
        the level's other URLs are in: ``repeating`` for a trap, ``released`` otherwise."""
        groups = sorted({g for _, g in pending})
        examples = self._examples(groups, (phase, level + 1))
        verdict = {
            g: "repeating" if self.is_trap(examples.get(g, ())) else RELEASED for g in groups
        }
        return {url: verdict[group] for url, group in pending}
