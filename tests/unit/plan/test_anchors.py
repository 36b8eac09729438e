"""Anchors for new links: found verbatim in the source's own text, never in a link or heading."""

from __future__ import annotations

import random
import re

import pytest

from linkequity.anchortext import comparable
from linkequity.pagetext import mark_heading, mark_link, plain, segments
from linkequity.parse import parse_html
from linkequity.plan.anchors import (
    STOP_WORDS,
    AnchorMatch,
    InboundAnchors,
    Phrase,
    find_anchors,
    main_keyword,
    propose_anchor,
    target_phrases,
    vary_anchors,
)
from linkequity.urls import Resolver, Scope

PAGE = "https://www.example.com/guides/winter/"


def texts(phrases: tuple[Phrase, ...]) -> list[str]:
    return [p.text for p in phrases]


def text_runs(marked: str) -> list[tuple[int, int]]:
    """(start, end) in the plain text of every plain-text segment."""
    runs, at = [], 0
    for segment in segments(marked):
        if segment.kind == "text":
            runs.append((at, at + len(segment.text)))
        at += len(segment.text)
    return runs


def in_one_text_run(marked: str, match: AnchorMatch) -> bool:
    return any(a <= match.start and match.end <= b for a, b in text_runs(marked))


def keyword(text: str) -> tuple[Phrase, ...]:
    return (Phrase(text, "keyword"),)


# target_phrases


@pytest.mark.parametrize(
    "title",
    [
        "Dome tents | Ridgeline Outdoor",
        "Dome tents - Ridgeline Outdoor",
        "Dome tents \u2013 Ridgeline Outdoor",
        "Dome tents \u2014 Ridgeline",
        "Dome tents :: Ridgeline",
    ],
)
def test_the_site_name_suffix_is_stripped_from_the_title(title: str) -> None:
    phrases = target_phrases(title, None)
    assert phrases[0] == Phrase("Dome tents", "title")
    assert not any("Ridgeline" in p.text for p in phrases)


def test_a_site_name_prefix_is_stripped_when_the_h1_shows_which_part_is_the_page() -> None:
    assert target_phrases("Ridgeline | Dome tents", "Dome tents")[0].text == "Dome tents"
    assert target_phrases("Ridgeline: Dome tents", "Dome tents")[0].text == "Dome tents"
    # a colon that introduces a subtitle is the page's own
    assert target_phrases("Tents: a buyer's guide", "Tents: a buyer's guide")[0].text == (
        "Tents: a buyer's guide"
    )
    assert target_phrases("Tents: a buyer's guide", None)[0].text == "Tents: a buyer's guide"


def test_a_given_site_name_is_stripped_wherever_it_stands() -> None:
    assert target_phrases("Ridgeline: Dome tents", None, site_name="Ridgeline")[0].text == (
        "Dome tents"
    )
    assert target_phrases("Dome tents \u00b7 RIDGELINE", None, site_name="Ridgeline")[0].text == (
        "Dome tents"
    )
    assert target_phrases("Shop-in-shop displays", None, site_name="Shop")[0].text == (
        "Shop-in-shop displays"
    )
    # a title that is only the site name keeps it
    assert target_phrases("Ridgeline", None, site_name="Ridgeline")[0].text == "Ridgeline"


def test_phrases_come_best_first_each_once() -> None:
    phrases = target_phrases(
        "Ultralight dome tents for winter camping | Ridgeline",
        "Ultralight dome tents",
        ["dome tents", "Dome  Tents", "winter tents"],
    )
    assert [(p.text, p.source) for p in phrases[:4]] == [
        ("dome tents", "keyword"),
        ("winter tents", "keyword"),
        ("Ultralight dome tents for winter camping", "title"),
        ("Ultralight dome tents", "h1"),
    ]
    keys = [comparable(p.text) for p in phrases]
    assert len(keys) == len(set(keys))
    parts = [p for p in phrases if p.source in ("title_part", "h1_part")]
    assert "dome tents for winter camping" in texts(phrases)
    assert "winter camping" in texts(phrases)
    # longest first, and never starting or ending on a stop word
    assert [len(p.text.split()) for p in parts] == sorted(
        (len(p.text.split()) for p in parts), reverse=True
    )
    for part in parts:
        words = part.text.lower().split()
        assert 2 <= len(words) <= 5
        assert words[0] not in STOP_WORDS and words[-1] not in STOP_WORDS, part


def test_parts_never_span_punctuation_nor_are_only_digits_and_stay_bounded() -> None:
    phrases = target_phrases("Tents, tarps and stoves: 2024 2025 prices", None)
    assert "Tents tarps" not in texts(phrases)
    assert "2024 2025" not in texts(phrases)
    assert "tarps and stoves" in texts(phrases)
    long_h1 = " ".join(f"word{i}" for i in range(40))
    assert len(target_phrases(long_h1, long_h1)) <= 1 + 24


def test_the_main_keyword_is_the_given_one_else_the_h1_else_the_title() -> None:
    assert main_keyword(target_phrases("Tents | Shop", "Dome Tents", ["tent shop"])) == "tent shop"
    assert main_keyword(target_phrases("Tents | Shop", "Dome Tents")) == "dome tents"
    assert main_keyword(target_phrases("Tents | Shop", None)) == "tents"
    assert main_keyword(()) == ""


# find_anchors


def test_a_phrase_is_found_verbatim_whatever_its_case_and_spacing() -> None:
    marked = "Before you go, pick   DOME\n tents that shed the wind."
    (match,) = find_anchors(marked, keyword("dome tents"))
    assert match.anchor == "DOME\n tents"
    assert plain(marked)[match.start : match.end] == match.anchor
    assert match.phrase == Phrase("dome tents", "keyword")
    assert match.is_exact  # "DOME\n tents" compares equal to the keyword


def test_never_inside_an_existing_link_or_a_heading() -> None:
    marked = (
        mark_heading("Dome tents")
        + " We sell "
        + mark_link("dome tents")
        + " and more. Our dome tents stand the wind."
    )
    (match,) = find_anchors(marked, keyword("dome tents"))
    assert plain(marked)[match.start : match.end] == "dome tents"
    assert match.start == plain(marked).index("Our dome tents") + 4
    assert in_one_text_run(marked, match)
    only_marked = mark_heading("Dome tents") + " see " + mark_link("our dome tents") + "."
    assert find_anchors(only_marked, keyword("dome tents")) == ()
    inside = "See " + mark_heading("The best " + mark_link("dome tents") + " of 2024") + "."
    assert find_anchors(inside, keyword("dome tents")) == ()


def test_never_across_the_edge_of_a_link_or_heading() -> None:
    assert (
        find_anchors("Pick a dome " + mark_link("tents guide") + ".", keyword("dome tents")) == ()
    )
    assert find_anchors(mark_heading("Dome") + " tents are light.", keyword("dome tents")) == ()
    # nor on part of a word that goes on into a link
    assert find_anchors("A dome tent" + mark_link("s") + " page.", keyword("dome tent")) == ()


@pytest.mark.parametrize(
    ("phrase", "text", "anchor"),
    [
        ("dome tents", "Buy a dome tent today.", "dome tent"),
        ("dome tent", "All dome tents today.", "dome tents"),
        ("berry", "Wild berries grow here.", "berries"),
        ("gear boxes", "A gear box for the car.", "gear box"),
        ("stove", "Two Stoves, one pot.", "Stoves"),
    ],
)
def test_either_number_of_the_last_word_matches(phrase: str, text: str, anchor: str) -> None:
    (match,) = find_anchors(text, keyword(phrase))
    assert match.anchor == anchor
    assert not match.is_exact  # the audit compares anchors as written: a plural differs


def test_only_whole_words_match_in_any_script() -> None:
    assert find_anchors("The Hauptstraße is long.", keyword("straße")) == ()
    assert find_anchors("Domestic tents.", keyword("dome")) == ()
    (match,) = find_anchors("Une CRÈME  BRÛLÉE, puis un café.", keyword("crème brûlée"))
    assert match.anchor == "CRÈME  BRÛLÉE"
    (match,) = find_anchors(
        "Палатки: купить купольную палатку здесь.", keyword("купольную палатку")
    )
    assert match.anchor == "купольную палатку"


def test_offsets_hold_when_lower_case_changes_the_texts_length() -> None:
    # "İ" lower-cases to two characters: the text is then searched case-insensitively as is
    marked = "İstanbul " + mark_link("tents") + " and İzmir dome TENTS here."
    (match,) = find_anchors(marked, keyword("dome tents"))
    assert plain(marked)[match.start : match.end] == match.anchor == "dome TENTS"


def test_typographic_apostrophes_match_typewriter_ones() -> None:
    (match,) = find_anchors("Read the buyer\u2019s guide first.", keyword("buyer's guide"))
    assert match.anchor == "buyer\u2019s guide"


def test_matches_come_best_phrase_first_then_first_place_and_respect_the_limit() -> None:
    phrases = (
        Phrase("dome tents", "keyword"),
        Phrase("winter camping", "title_part"),
        Phrase("camping stoves", "title_part"),
    )
    marked = "Camping stoves first. Winter camping, then dome tents and more dome tents."
    found = find_anchors(marked, phrases)
    assert [m.anchor for m in found] == ["dome tents", "Winter camping", "Camping stoves"]
    assert found[0].start == plain(marked).index("dome tents")
    assert [m.anchor for m in find_anchors(marked, phrases, limit=1)] == ["dome tents"]


def test_a_span_a_better_phrase_took_is_not_reported_twice() -> None:
    phrases = (Phrase("dome tent", "keyword"), Phrase("dome tents", "h1"))
    found = find_anchors("Dome tents here; a dome tent there.", phrases)
    assert [(m.anchor, m.phrase.source) for m in found] == [
        ("Dome tents", "keyword"),
        ("dome tent", "h1"),
    ]


def test_the_snippet_holds_the_anchor_cut_at_words() -> None:
    before = " ".join(f"alpha{i}" for i in range(60))
    after = " ".join(f"omega{i}" for i in range(60))
    marked = f"{before} the dome tents {after}"
    (match,) = find_anchors(marked, keyword("dome tents"))
    assert "the dome tents omega0" in match.snippet
    assert match.snippet.startswith("…") and match.snippet.endswith("…")
    assert 140 <= len(match.snippet) <= 165
    words = set(plain(marked).split())
    assert set(match.snippet.strip("…").split()) <= words  # no word cut in half
    (short,) = find_anchors("Our dome tents.", keyword("dome tents"))
    assert short.snippet == "Our dome tents."


def test_real_html_links_headings_and_template_are_skipped() -> None:
    html = """<html><head><title>Winter guide | Ridgeline</title></head><body>
    <nav><a href="/">Home</a> Dome tents for all</nav>
    <main><h2>Choosing dome tents</h2>
    <p>Our <a href="/tents/dome/">dome tents</a> page lists them all.</p>
    <p>In deep snow, dome tents shed the load better than tunnels.</p></main>
    <footer>Dome tents shipped free</footer></body></html>"""
    page = parse_html(html, PAGE, Resolver(), Scope([PAGE]))
    phrases = target_phrases("Dome tents | Ridgeline", "Dome tents")
    (match,) = find_anchors(page.content_text, phrases)
    text = plain(page.content_text)
    assert text[match.start : match.end] == match.anchor == "dome tents"
    assert "In deep snow, dome tents shed the load" in match.snippet
    assert match.start == text.index("snow, dome tents") + 6
    assert match.is_exact


# propose_anchor and vary_anchors


def test_without_a_match_the_targets_name_is_proposed_and_marked_not_in_text() -> None:
    phrases = target_phrases("Dome tents | Ridgeline", "Dome tents for wind", ["dome tents"])
    assert texts(phrases)[:2] == ["dome tents", "Dome tents for wind"]
    assert propose_anchor(phrases) == "Dome tents for wind"  # not the exact keyword
    assert propose_anchor(target_phrases("Dome tents | Ridgeline", None)) == "Dome tents"
    assert propose_anchor(keyword("dome tents")) == "dome tents"
    assert propose_anchor(()) == ""
    found = find_anchors("Stoves and pots only.", phrases)
    assert found == ()
    (choice,) = vary_anchors({"/stoves/": found}, phrases, InboundAnchors(10, 0), 0.8)
    assert (choice.anchor, choice.anchor_in_text, choice.match) == (
        propose_anchor(phrases),
        False,
        None,
    )
    assert not choice.is_exact


def exact_share(choices: tuple[object, ...], inbound: InboundAnchors) -> float:
    exact = inbound.exact_links + sum(getattr(c, "is_exact") for c in choices)  # noqa: B009
    return exact / (inbound.links + len(choices))


def test_vary_anchors_keeps_the_exact_share_under_the_limit_and_varies_the_words() -> None:
    phrases = target_phrases(
        "Ultralight dome tents for winter | Ridgeline", "Ultralight dome tents", ["dome tents"]
    )
    sources = {
        f"/post-{i}/": find_anchors(
            f"Post {i}: ultralight dome tents for winter trips, and dome tents for summer.",
            phrases,
        )
        for i in range(6)
    }
    # every source says the keyword, the title and the h1; the title's parts stand only
    # inside the whole title, so they are not offered (a cut name)
    assert all(m[0].is_exact and len(m) == 3 for m in sources.values())
    assert [m.phrase.source for m in sources["/post-0/"]] == ["keyword", "title", "h1"]
    inbound = InboundAnchors(links=14, exact_links=13)
    choices = vary_anchors(sources, phrases, inbound, 0.8)
    assert [c.source for c in choices] == list(sources)
    # 20 links after: at most 16 exact, 13 are already
    assert sum(c.is_exact for c in choices) <= 3
    assert exact_share(choices, inbound) <= 0.8
    assert all(c.anchor_in_text for c in choices)
    assert len({comparable(c.anchor) for c in choices}) == 3  # three variants, in turn
    for choice in choices:
        assert choice.match is not None and choice.anchor == choice.match.anchor


def test_vary_anchors_proposes_a_variant_rather_than_exceed_the_share() -> None:
    phrases = target_phrases("Dome tents for wind | Ridgeline", None, ["dome tents"])
    sources = {"/a/": find_anchors("Buy dome tents here.", phrases)}
    (kept,) = vary_anchors(sources, phrases, InboundAnchors(links=2, exact_links=0), 0.8)
    assert (kept.anchor, kept.anchor_in_text, kept.is_exact) == ("dome tents", True, True)
    (varied,) = vary_anchors(sources, phrases, InboundAnchors(links=9, exact_links=8), 0.8)
    assert (varied.anchor, varied.anchor_in_text, varied.is_exact) == (
        "Dome tents for wind",
        False,
        False,
    )
    # with nothing but the keyword to offer, the share cannot be kept: the keyword it is
    only = keyword("dome tents")
    (forced,) = vary_anchors(
        {"/a/": find_anchors("Buy dome tents.", only)}, only, InboundAnchors(9, 9), 0.8
    )
    assert forced.is_exact and forced.anchor_in_text


# a randomised check of the invariants

VOCABULARY = (
    "dome", "tent", "tents", "winter", "camping", "stove", "stoves", "the", "a", "of", "for",
    "and", "snow", "wind", "Dome", "TENTS", "ultralight", "pitch", "café", "crème", "brûlée",
    "straße",
)  # fmt: skip
PHRASES = ("dome tents", "winter camping", "ultralight dome", "crème brûlée", "tent")


def random_text(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(5, 60)):
        words = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(1, 4)))
        kind = rng.random()
        if kind < 0.2:
            pieces.append(mark_link(words))
        elif kind < 0.3:
            pieces.append(mark_heading(words))
        else:
            pieces.append(words)
        pieces.append(rng.choice([" ", "  ", "\n", ", ", ". "]))
    return "".join(pieces)


def reference_first(marked: str, phrase: str) -> int | None:
    """The first place a phrase (as written, any case and spacing) stands in a plain-text
    segment, each segment searched on its own."""
    pattern = re.compile(
        r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE
    )
    at = 0
    for segment in segments(marked):
        if segment.kind == "text" and (m := pattern.search(segment.text)):
            return at + m.start()
        at += len(segment.text)
    return None


def test_random_texts_anchors_are_verbatim_and_outside_links_and_headings() -> None:
    rng = random.Random(20240611)
    found = 0
    for _ in range(300):
        marked = random_text(rng)
        text = plain(marked)
        for phrase in PHRASES:
            matches = find_anchors(marked, keyword(phrase))
            for match in matches:
                found += 1
                assert text[match.start : match.end] == match.anchor
                assert in_one_text_run(marked, match), (marked, match)
                assert match.anchor in match.snippet
                words = match.anchor.lower().split()
                assert words[:-1] == phrase.split()[:-1]
                assert words[-1].rstrip("s") == phrase.split()[-1].rstrip("s")
            # the exact wording, where the text has it, is found no later than it stands
            first = reference_first(marked, phrase)
            if first is not None:
                assert matches and matches[0].start <= first
        all_found = find_anchors(marked, tuple(Phrase(p, "h1_part") for p in PHRASES))
        assert len({(m.start, m.end) for m in all_found}) == len(all_found)
    assert found > 300  # the texts do hold the phrases often


def test_a_headings_permalink_mark_is_no_part_of_a_phrase() -> None:
    """Sphinx ends every h1 with a pilcrow link; the h1 is then the title's words."""
    phrases = target_phrases("Low-level API Index — Python 3.11 documentation",
                             "Low-level API Index\u00b6")  # fmt: skip
    assert [(p.text, p.source) for p in phrases] == [
        ("Low-level API Index", "title"),
        ("Low-level API", "title_part"),
        ("API Index", "title_part"),
    ]


def test_a_title_part_many_titles_share_is_no_anchor_for_one_page() -> None:
    from linkequity.plan.anchors import distinct_phrases

    phrases = target_phrases("Sierra Loft Expedition Pro Tent | Shop", None)
    others = [f"Sierra Loft {name} | Shop" for name in ("Arrow Bag", "Ridge Tent", "Boot")]
    own = "Sierra Loft Expedition Pro Tent | Shop"
    kept = [p.text for p in distinct_phrases(phrases, [*others, own], own)]
    assert "Sierra Loft" not in kept
    assert kept[0] == "Sierra Loft Expedition Pro Tent"
    assert "Expedition Pro Tent" in kept and "Pro Tent" in kept
    # two other titles sharing it are not too many
    assert "Sierra Loft" in [p.text for p in distinct_phrases(phrases, others[:2])]


def test_a_part_of_a_name_is_offered_alone_not_inside_the_whole_name() -> None:
    phrases = target_phrases("Sierra Loft Expedition Pro Tent | Shop", None)
    text = "We want to try the Sierra Loft Expedition Pro Tent. Our Expedition Pro Tent stood."
    found = [(m.anchor, m.phrase.source) for m in find_anchors(text, phrases, limit=10)]
    assert found[0] == ("Sierra Loft Expedition Pro Tent", "title")
    assert ("Expedition Pro Tent", "title_part") in found
    starts = {m.anchor: m.start for m in find_anchors(text, phrases, limit=10)}
    assert starts["Expedition Pro Tent"] == text.index("Our Expedition") + 4
    assert "Loft Expedition Pro Tent" not in starts and "Sierra Loft" not in starts
