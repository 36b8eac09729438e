"""Values of backlink exports: dates in any locale, flags, link types, spam scores (acquire stage).

Backlink tools write the same fact in many ways, and Search Console writes it in the user's
language. The parsers here accept them all and raise :class:`~linkequity.ingest.formats.BadValue`
for a value they cannot read, which the importer turns into an error naming file, row and
column.

Dates (:func:`parse_date`) may carry a time, which is dropped:

* ISO ``2020-07-15``, ``2020-07-15 6:20``, ``2020-07-15T06:20:00Z``, ``2020/07/15``;
* with a month name in English, Spanish, German, French, Italian, Portuguese or Dutch, full or
  abbreviated: ``Jul 15, 2020``, ``15 July 2020``, ``15 jul. 2020``, ``15. Juli 2020``,
  ``15 juil. 2020``, ``15 de julio de 2020``;
* numeric, day first: ``15.07.2020`` (dots are always day first), ``15/07/2020``, ``15-07-2020``;
* numeric, month first: ``7/15/2020``, ``7/15/20`` (Search Console in US English).

A slash or dash date whose two first numbers could both be a month (``03/04/2020``) is read in
the order of the export's language: month first for English headers, day first otherwise; a
value whose first number is over 12 is day first whatever the language. Two-digit years are
2000 to 2099.
"""

from __future__ import annotations

import re
from datetime import date

from linkequity.ingest.formats import BadValue, parse_bool

__all__ = [
    "LinkKind",
    "date_in_name",
    "date_in_text",
    "link_kind",
    "parse_date",
    "parse_flag",
    "parse_spam_score",
]

#: Month names and abbreviations (lower case, without a trailing dot) of the languages Search
#: Console and the link tools export in.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan enero ene januar jän janvier janv gennaio gen janeiro januari",
        "february feb febrero februar février févr fevrier fevr febbraio fevereiro fev februari",
        "march mar marzo märz maerz mars março marco maart mrt",
        "april apr abril avril avr aprile",
        "may mayo mai mai maggio mag maio mei",
        "june jun junio juni juin giugno giu junho",
        "july jul julio juli juillet juil luglio lug julho",
        "august aug agosto ago august août aout agosto augustus",
        "september sep sept septiembre septembre settembre set setembro",
        "october oct octubre okt oktober octobre ottobre ott outubro out",
        "november nov noviembre novembre novembro",
        "december dec diciembre dic dezember dez décembre déc decembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", re.ASCII)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:,?\s+.*)?", re.ASCII)
_NUMERIC = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?:,?\s+.*)?", re.ASCII)
_MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+.*)?")
_DAY_FIRST = re.compile(
    r"(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?,?\s+(?:de\s+)?(\d{4})(?:,?\s+.*)?"
)
_SERIAL = re.compile(r"\d{8}", re.ASCII)


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue(f"{text!r} is not a date") from None


def _month(name: str, text: str) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise BadValue(f"{text!r} is not a date (unknown month {name!r})")
    return month


def parse_date(text: str, month_first: bool = False) -> date | None:
    """A date from any of the spellings in the module docstring; None for an empty value.

    ``month_first`` decides ambiguous numeric dates (``03/04/2020``).

    >>> parse_date("2020-07-15 6:20"), parse_date("Jul 15, 2020"), parse_date("15.07.2020")
    (datetime.date(2020, 7, 15), datetime.date(2020, 7, 15), datetime.date(2020, 7, 15))
    >>> parse_date("15/07/2020"), parse_date("7/15/20"), parse_date("03/04/2020", True)
    (datetime.date(2020, 7, 15), datetime.date(2020, 7, 15), datetime.date(2020, 3, 4))
    """
    text = text.strip()
    if not text or text == "-":
        return None
    m = _ISO.fullmatch(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _DOTTED.fullmatch(text)
    if m:
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    m = _NUMERIC.fullmatch(text)
    if m:
        first, second, year = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if first > 12 or (not month_first and second <= 12):
            return _make(year, second, first, text)
        return _make(year, first, second, text)
    m = _MONTH_FIRST.fullmatch(text)
    if m and m.group(1).lower() in _MONTHS:
        return _make(int(m.group(3)), _month(m.group(1), text), int(m.group(2)), text)
    m = _DAY_FIRST.fullmatch(text)
    if m:
        return _make(int(m.group(3)), _month(m.group(2), text), int(m.group(1)), text)
    if _SERIAL.fullmatch(text):  # 20200715, as some API-made exports write it
        return _make(int(text[:4]), int(text[4:6]), int(text[6:]), text)
    raise BadValue(f"{text!r} is not a date")


# A date in a file name: "..._2020-07-15.csv", "export-20200715-1200.csv".
_NAME_DATE = re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(name: str) -> date | None:
    """The export date a file name carries, if any.

    >>> date_in_name("example.com-backlinks_2023-05-15_12-30-01.csv")
    datetime.date(2023, 5, 15)
    """
    for m in _NAME_DATE.finditer(name):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def date_in_text(text: str) -> date | None:
    """The date of a preamble line such as ``Created on: Jul 15, 2020 10:12`` (None if none)."""
    _, _, value = text.partition(":")
    for candidate in (value, text):
        try:
            found = parse_date(candidate.strip().strip('"'))
        except BadValue:
            continue
        if found is not None:
            return found
    return None


_TRUE: frozenset[str] = frozenset(
    {"true", "yes", "y", "1", "+", "x", "t", "si", "sí", "ja", "oui", "vrai", "wahr"}
)
_FALSE: frozenset[str] = frozenset(
    {"false", "no", "n", "0", "-", "f", "nein", "non", "faux", "falsch"}
)


def parse_flag(text: str) -> bool | None:
    """A yes/no value in any of the ways exports write it (TRUE, 1, yes, +, ...); None if empty.

    >>> parse_flag("TRUE"), parse_flag("0"), parse_flag("")
    (True, False, None)
    """
    return parse_bool(text, _TRUE, _FALSE)


#: ``(is_nofollow, is_sponsored, is_ugc, is_image, is_redirect)`` of one link.
LinkKind = tuple[bool, bool, bool, bool, bool]

_TOKENS = re.compile(r"[a-z0-9]+")


def link_kind(text: str) -> LinkKind:
    """The flags a link-type or rel value names (``dofollow``, ``nofollow, ugc``, ``image``,
    ``redirect (301)``, ``Follow``); an unknown word sets nothing.

    >>> link_kind("ugc,nofollow"), link_kind("Redirect 301")
    ((True, False, True, False, False), (False, False, False, False, True))
    """
    tokens = set(_TOKENS.findall(text.lower()))
    redirect = bool(tokens & {"redirect", "301", "302", "307", "308", "meta", "refresh"})
    return (
        "nofollow" in tokens,
        "sponsored" in tokens,
        "ugc" in tokens,
        bool(tokens & {"image", "img", "images"}),
        redirect,
    )


_OUT_OF_17 = re.compile(r"(\d{1,2})\s*/\s*17")


def parse_spam_score(text: str) -> float | None:
    """Moz's spam score as a percentage (0-100); None if empty.

    Link Explorer writes a percentage (``4%`` or ``4``); Open Site Explorer wrote how many of 17
    spam flags fired (``3/17``), which becomes the same share of 100 (3/17 -> 17.6).

    >>> parse_spam_score("4%"), parse_spam_score("3/17"), parse_spam_score("")
    (4.0, 17.6, None)
    """
    text = text.strip()
    if not text or text in ("-", "N/A", "n/a"):
        return None
    m = _OUT_OF_17.fullmatch(text)
    if m:
        return round(int(m.group(1)) / 17 * 100, 1)
    try:
        value = float(text.rstrip("%").strip().replace(",", "."))
    except ValueError:
        raise BadValue(f"{text!r} is not a spam score") from None
    if not 0.0 <= value <= 100.0:
        raise BadValue(f"{text!r} is not a spam score between 0 and 100")
    return value
