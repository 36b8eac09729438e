"""Explainable backlink toxicity: named signals with configurable weights (analyze stage).

A link's toxicity is the sum of the weights of the signals that fire for it, capped at 100; a
referring domain's is the highest of its links'. Every signal has a name, a weight (a setting)
and a sentence saying why it fired, so ``linkequity backlinks toxic --explain`` shows exactly
how each score was made. No signal is a black box:

======================== ================================================================
signal                   fires when
======================== ================================================================
tool_spam_flag           the export's tool flags the link (Ahrefs "Is spam") or the page's
                         spam score is 60% or more (Moz)
spam_vocabulary          a spam-niche word is in the referring domain, URL, title or anchor
low_authority_many_links the referring page has authority under 10 and over 100 outlinks
commercial_anchor        the anchor has a commercial word and no brand term
sitewide                 the referring domain links from 50 or more of its pages
unrelated_language       the referring page's language is not the site's
redirect                 the link reaches the site through a redirect
spam_tld                 the referring domain is under a TLD most abused by spam
======================== ================================================================
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import pyarrow as pa

from linkequity.settings import BacklinkSettings

__all__ = ["SIGNALS", "Signal", "domain_toxicity", "link_toxicity"]

SIGNALS = (
    "tool_spam_flag",
    "spam_vocabulary",
    "low_authority_many_links",
    "commercial_anchor",
    "sitewide",
    "unrelated_language",
    "redirect",
    "spam_tld",
)
#: Moz reports spam score as a percentage; it calls 61% and above "high".
_MOZ_HIGH_SPAM = 60.0
_LOW_AUTHORITY = 10.0
_MANY_OUTLINKS = 100
_SITEWIDE_PAGES = 50


@dataclass(frozen=True, slots=True)
class Signal:
    """One reason a link looks toxic."""

    name: str
    weight: float
    why: str


def _words(patterns: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p.lower()) for p in sorted(patterns, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def _weights(settings: BacklinkSettings) -> dict[str, float]:
    return {
        "tool_spam_flag": settings.weight_tool_spam_flag,
        "spam_vocabulary": settings.weight_spam_vocabulary,
        "low_authority_many_links": settings.weight_low_authority_many_outlinks,
        "commercial_anchor": settings.weight_commercial_anchor,
        "sitewide": settings.weight_sitewide,
        "unrelated_language": settings.weight_unrelated_language,
        "redirect": settings.weight_redirect,
        "spam_tld": settings.weight_spam_tld,
    }


def link_toxicity(
    backlinks: pa.Table, settings: BacklinkSettings, brand_terms: tuple[str, ...]
) -> list[list[Signal]]:
    """The signals that fire for each row of a current-backlinks table (see ``current``)."""
    weights = _weights(settings)
    spam = _words(settings.spam_vocabulary)
    commercial = _words(settings.commercial_words)
    brand = _words(brand_terms) if brand_terms else None
    tlds = {t.lower().lstrip(".") for t in settings.spam_tlds}
    rows = backlinks.select(
        ["referring_url", "referring_domain", "anchor", "page_title", "is_spam", "spam_score",
         "authority", "external_links", "page_language", "is_redirect"]
    ).to_pylist()  # fmt: skip
    pages_per_domain = Counter(r["referring_domain"] for r in rows)
    language = (settings.site_language or "").lower()[:2]
    found: list[list[Signal]] = []
    for r in rows:
        reasons: list[tuple[str, str]] = []
        if r["is_spam"]:
            reasons.append(("tool_spam_flag", "the export's tool flags it as spam"))
        elif r["spam_score"] is not None and r["spam_score"] >= _MOZ_HIGH_SPAM:
            why = f"spam score {r['spam_score']:g}% (60% or more is high)"
            reasons.append(("tool_spam_flag", why))
        domain = r["referring_domain"].lower()
        text = " ".join(
            str(v).lower()
            for v in (domain.replace(".", " "), r["referring_url"], r["page_title"], r["anchor"])
            if v
        )
        hit = spam.search(text.replace("-", " ").replace("_", " ")) or spam.search(text)
        if hit:
            reasons.append(("spam_vocabulary", f"spam-niche word '{hit.group(0)}'"))
        authority, outlinks = r["authority"], r["external_links"]
        if (
            authority is not None
            and authority < _LOW_AUTHORITY
            and outlinks is not None
            and outlinks > _MANY_OUTLINKS
        ):
            why = f"authority {authority:g} with {outlinks:,} outbound links"
            reasons.append(("low_authority_many_links", why))
        anchor = (r["anchor"] or "").lower()
        if commercial.search(anchor) and not (brand and brand.search(anchor)):
            reasons.append(("commercial_anchor", f"commercial anchor '{r['anchor']}'"))
        pages = pages_per_domain[r["referring_domain"]]
        if pages >= _SITEWIDE_PAGES:
            reasons.append(("sitewide", f"{pages:,} linking pages on one domain"))
        page_language = (r["page_language"] or "").lower()[:2]
        if language and page_language and page_language != language:
            why = f"page in '{page_language}', site in '{language}'"
            reasons.append(("unrelated_language", why))
        if r["is_redirect"]:
            reasons.append(("redirect", "reaches the site through a redirect"))
        tld = domain.rsplit(".", 1)[-1]
        if tld in tlds:
            reasons.append(("spam_tld", f"under .{tld}, a TLD most abused by spam"))
        found.append([Signal(n, weights[n], why) for n, why in reasons if weights[n] > 0])
    return found


def score(signals: list[Signal]) -> float:
    """Toxicity 0-100: the sum of the signals' weights, capped."""
    return min(100.0, sum(s.weight for s in signals))


def domain_toxicity(
    domains: list[str], signals: list[list[Signal]]
) -> dict[str, tuple[float, list[Signal]]]:
    """Per referring domain: the highest link toxicity and the signals of that link."""
    worst: dict[str, tuple[float, list[Signal]]] = defaultdict(lambda: (-1.0, []))
    for domain, fired in zip(domains, signals, strict=True):
        value = score(fired)
        if value > worst[domain][0]:
            worst[domain] = (value, fired)
    return dict(worst)
