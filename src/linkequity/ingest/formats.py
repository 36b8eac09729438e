"""Export formats recognised by their header row, and the shared value parsers (acquire stage).

A :class:`Format` is a name and its columns; each :class:`Column` names the field an importer
reads and the header spellings it accepts (tools rename columns between versions: Screaming
Frog's "Content" became "Content Type"). :func:`detect_format` binds a file's header to the
first format whose required columns are all present and returns a :class:`ColumnMap` from
field to position; a file no format fits gets an error naming the columns seen and the formats
known.

Header names match case-insensitively with runs of whitespace collapsed. The parsers raise
:class:`BadValue`, which an importer turns into an
:class:`~linkequity.errors.ImportFormatError` naming file, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from linkequity.errors import ImportFormatError
from linkequity.ingest.csvfile import CsvLayout

__all__ = [
    "BadValue",
    "Column",
    "ColumnMap",
    "Format",
    "detect_format",
    "header_key",
    "parse_bool",
    "parse_float",
    "parse_int",
    "parse_status",
]

#: Columns of an unknown file listed in its error message; a Screaming Frog "Internal: All" has
#: 74, and a sentence naming all of them is no longer read.
SHOWN_COLUMNS = 12


def header_key(name: str) -> str:
    """How a header name is compared: lower case, whitespace collapsed."""
    return " ".join(name.split()).lower()


@dataclass(frozen=True, slots=True)
class Column:
    """One field an importer reads, and the header names it goes by."""

    field: str
    aliases: tuple[str, ...]
    """Header spellings, the current one first (it is the one error messages name)."""
    required: bool = False


@dataclass(frozen=True, slots=True)
class Format:
    """A named export layout: which columns it has and which of them identify it."""

    name: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a header must have to be this format."""
        return tuple(c for c in self.columns if c.required)

    def bind(self, header: Sequence[str]) -> ColumnMap | None:
        """The map from field to position in ``header``; None if a required column is missing."""
        where: dict[str, int] = {}
        for i, name in enumerate(header):
            where.setdefault(header_key(name), i)
        positions: dict[str, int] = {}
        for column in self.columns:
            found = next((where[k] for k in map(header_key, column.aliases) if k in where), None)
            if found is not None:
                positions[column.field] = found
            elif column.required:
                return None
        return ColumnMap(self, tuple(header), positions)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """A format bound to one file's header."""

    format: Format
    header: tuple[str, ...]
    positions: Mapping[str, int] = field(default_factory=dict)

    def index(self, name: str) -> int | None:
        """Position of field ``name`` in a row, None when the file lacks that column."""
        return self.positions.get(name)

    def position(self, name: str) -> int:
        """Position of a required field (a bound format always has it)."""
        return self.positions[name]

    def column_name(self, name: str) -> str:
        """The header's own spelling of field ``name`` (the format's first alias if absent)."""
        i = self.positions.get(name)
        if i is not None:
            return self.header[i]
        return next(c.aliases[0] for c in self.format.columns if c.field == name)

    @property
    def missing(self) -> tuple[str, ...]:
        """Optional columns of the format that this file does not have."""
        return tuple(c.aliases[0] for c in self.format.columns if c.field not in self.positions)


def detect_format(layout: CsvLayout, formats: Sequence[Format]) -> ColumnMap:
    """Bind the file's header to the first of ``formats`` it fits.

    Raises :class:`~linkequity.errors.ImportFormatError` naming the columns seen and the
    formats known (with the columns each requires) when none fits.
    """
    for fmt in formats:
        bound = fmt.bind(layout.header)
        if bound is not None:
            return bound
    seen = ", ".join(f'"{h}"' for h in layout.header[:SHOWN_COLUMNS])
    if len(layout.header) > SHOWN_COLUMNS:
        seen += f" and {len(layout.header) - SHOWN_COLUMNS} more"
    known = "; ".join(
        f"{fmt.name} (needs {', '.join(c.aliases[0] for c in fmt.required)})" for fmt in formats
    )
    hint = ""
    if any(_DATA_LIKE.fullmatch(h.strip()) for h in layout.header):
        hint = (
            " Its first line looks like data, not column names: export the file again with "
            "its header row."
        )
    raise ImportFormatError(
        f"is not an export linkequity knows: its columns are {seen}; known formats: {known}.{hint}",
        layout.path,
        layout.header_row,
    )


# A header cell that is a number, a date, a URL or a domain name is a data value: the file
# was exported without its header row.
_DATA_LIKE = re.compile(
    r"[+-]?[\d.,]+|\d{4}-\d{2}-\d{2}[ T\d:.]*|https?://\S+|(?:[a-z0-9-]+\.)+[a-z]{2,}",
    re.IGNORECASE,
)


class BadValue(ValueError):
    """A value a parser cannot read; ``field`` says which column (set by the importer)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


_PLAIN = re.compile(r"[+-]?\d+", re.ASCII)
# Thousands grouped by a comma, a dot, a space or a (narrow) no-break space, as spreadsheet
# locales write them: 1,240 / 1.240 / 1 240.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,. \u00a0\u202f])\d{3})(?:\1\d{3})*", re.ASCII)


def parse_int(text: str) -> int | None:
    """A whole number; None for an empty value. Thousands separators are accepted.

    >>> parse_int("1,240"), parse_int(" 7 "), parse_int("")
    (1240, 7, None)
    """
    text = text.strip()
    if not text:
        return None
    if _PLAIN.fullmatch(text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[^\d+-]", "", text))
    raise BadValue(f"{text!r} is not a whole number")


def parse_float(text: str) -> float | None:
    """A decimal number; None for an empty value. A lone decimal comma is accepted (``0,25``).

    >>> parse_float("1.5"), parse_float("0,25"), parse_float("")
    (1.5, 0.25, None)
    """
    text = text.strip()
    if not text:
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadValue(f"{text!r} is not a number")
    return value


_STATUS = re.compile(r"\d{1,3}", re.ASCII)


def parse_status(text: str) -> int | None:
    """An HTTP status code (0 to 999; tools write 0 for no response); None for an empty value.

    >>> parse_status("301"), parse_status("")
    (301, None)
    """
    text = text.strip()
    if not text:
        return None
    if _STATUS.fullmatch(text) is None:
        raise BadValue(f"{text!r} is not an HTTP status code")
    return int(text)


_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def parse_bool(
    text: str, true: frozenset[str] = _TRUE, false: frozenset[str] = _FALSE
) -> bool | None:
    """``true`` / ``false`` (also yes/no, 1/0, any case); None for an empty value.

    ``true`` and ``false`` are the lower-case spellings accepted for each.
    """
    key = text.strip().lower()
    if not key:
        return None
    if key in true:
        return True
    if key in false:
        return False
    raise BadValue(f"{text.strip()!r} is not true or false")
