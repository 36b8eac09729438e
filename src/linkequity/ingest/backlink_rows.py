"""Rows of backlink exports turned into store rows, column by column (acquire stage).

:class:`RowReader` streams one file bound to its :class:`BacklinkFormat` and stages Arrow
batches of the store table the report belongs to (``backlinks``, ``referring_domains``,
``linked_pages`` or ``backlink_anchors``). Every column the format does not read is kept as
text and becomes ``extra_json`` at insert time, in DuckDB (``json_object``), which is several
times faster than ``json.dumps`` per row in Python.

How a backlink row's fields are made:

* ``referring_url`` and ``target_url`` are normalised (:func:`~linkequity.urls.normalise_url`);
  ``referring_domain`` is the referring host's registrable domain. A row without a referring
  URL, or whose referring URL is not http(s) (``android-app://``), is skipped and counted; text
  that is no URL at all is an error.
* ``is_nofollow`` / ``is_sponsored`` / ``is_ugc`` come from the tool's own columns (Nofollow,
  UGC, Sponsored, FlagNoFollow, Followable = No) and from the words of its link type or rel
  column (``nofollow``, ``ugc``, ...); ``is_image`` and ``is_redirect`` likewise (Type = image /
  redirect, FlagImages, FlagRedirect).
* ``lost_on`` is the tool's lost date; a row the tool marks lost without a date (Semrush's Lost
  link, Majestic's FlagDeleted, Ahrefs' Lost status) gets its last-seen date, else the export's
  date, else the import's.
* Majestic rows flagged as a mention (a URL written in the text, no hyperlink) are skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from operator import itemgetter
from typing import Any

import pyarrow as pa

from linkequity.errors import ImportFormatError
from linkequity.ingest.backlink_formats import ENGLISH_HEADERS, BacklinkFormat
from linkequity.ingest.backlink_values import (
    LinkKind,
    link_kind,
    parse_date,
    parse_flag,
    parse_spam_score,
)
from linkequity.ingest.csvfile import CsvLayout, CsvReader, ImportProgress, rows_with_progress
from linkequity.ingest.formats import BadValue, ColumnMap, header_key, parse_float, parse_int
from linkequity.store.staging import BATCH_ROWS, Staging
from linkequity.store.tables import table
from linkequity.urls import netloc_of, normalise_url, registrable_domain, special_scheme

__all__ = ["STAGED_SCHEMAS", "FileCounts", "ImportProgress", "RowReader"]


_STR = pa.string()

#: Columns staged per store table: its own columns but ``import_id`` and ``extra_json``.
STAGED_SCHEMAS: dict[str, pa.Schema] = {
    name: pa.schema(
        [pa.field(c.name, c.arrow_type) for c in table(name).columns[1:] if c.name != "extra_json"]
    )
    for name in ("backlinks", "referring_domains", "linked_pages", "backlink_anchors")
}

# How each field a format reads is parsed.
_FLOATS = frozenset(
    {"domain_rating", "url_rating", "authority_score", "trust_flow", "citation_flow",
     "domain_authority", "page_authority", "authority"}
)  # fmt: skip
_INTS = frozenset(
    {"external_links", "backlinks", "dofollow_backlinks", "linked_pages", "referring_domains"}
)
_DATES = frozenset({"first_seen", "last_seen", "lost_on"})
_FLAGS = frozenset(
    {"nofollow", "ugc", "sponsored", "is_image", "is_redirect", "is_spam", "deleted", "mention",
     "lost_flag", "followable"}
)  # fmt: skip
_TEXTS = frozenset({"page_title", "page_language"})
# Ahrefs' Lost status / Backlink Status values of a link that is still there.
_LIVE = frozenset({"", "live", "new", "active", "found", "ok"})
_MISSING: Any = object()
# Fields read apart from the others (URLs normalised, anchors kept as they are).
_SPECIAL = frozenset({"referring_url", "target_url", "anchor", "domain"})
_NO_KIND: LinkKind = (False, False, False, False, False)
# The tools' own metrics, stored as given.
_METRICS = (
    "domain_rating", "url_rating", "authority_score", "trust_flow", "citation_flow",
    "domain_authority", "page_authority", "spam_score",
)  # fmt: skip


class FileCounts:
    """What one file gave, counted while it is read."""

    def __init__(self) -> None:
        self.rows = 0
        self.written = 0
        self.domains: set[str] = set()
        self.skipped: Counter[str] = Counter()


def _picker(positions: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The fields at ``positions`` of a row, as a tuple (itemgetter, whatever their count)."""
    if not positions:
        return lambda fields: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda fields: (fields[only],)
    getter: Callable[[list[str]], tuple[str, ...]] = itemgetter(*positions)
    return getter


def _text(value: str) -> str | None:
    text = " ".join(value.split())
    return text or None


class RowReader:
    """Reads one file of one format and stages its rows under ``staging_key``."""

    def __init__(
        self,
        layout: CsvLayout,
        columns: ColumnMap,
        fmt: BacklinkFormat,
        tool: str,
        exported_on: date | None,
        today: date,
    ) -> None:
        self.layout = layout
        self.columns = columns
        self.fmt = fmt
        self.tool = tool
        self.lost_fallback = exported_on or today
        self.table = fmt.table
        self.schema = STAGED_SCHEMAS[fmt.table]
        used = set(columns.positions.values())
        #: (header name, position) of every column stored in extra_json, in file order
        self.extras = tuple((h, i) for i, h in enumerate(layout.header) if i not in used and h)
        self.month_first = self._month_first()
        self.counts = FileCounts()
        self.written = 0
        self._caches: dict[str, dict[str, Any]] = {}
        #: (field, position) of every parsed field the file has
        self._plan = tuple((f, i) for f, i in columns.positions.items() if f not in _SPECIAL)
        for field, _ in self._plan:
            self._caches[field] = {}
        self._plan_fields = tuple(f for f, _ in self._plan)
        self._plan_caches = tuple(self._caches[f] for f in self._plan_fields)
        self._pick_plan = _picker([i for _, i in self._plan])
        # rows in staged-schema order and their extra columns, transposed into columns at flush
        # (a tuple per row and one zip per batch beat an append per column and row)
        self._rows: list[tuple[Any, ...]] = []
        self._extra_rows: list[tuple[str, ...]] = []
        self._pick_extras = _picker([i for _, i in self.extras])

    def _month_first(self) -> bool:
        if self.fmt.tool != "gsc":
            return True  # American tools; their numeric dates are month first when not ISO
        return all(header_key(h) in ENGLISH_HEADERS for h in self.columns.header if h.strip())

    # -- parsing with a cache per column: values repeat (DR 45, dates, TRUE / FALSE) -----------
    def _parse(self, field: str, raw: str) -> Any:
        cache = self._caches.setdefault(field, {})
        value = cache.get(raw, _MISSING)
        if value is _MISSING:
            try:
                value = self._parse_new(field, raw)
            except BadValue as exc:
                exc.field = field
                raise
            if len(cache) < 100_000:
                cache[raw] = value
        return value

    def _parse_new(self, field: str, raw: str) -> Any:
        if field in _FLOATS:
            value = parse_float(raw)
            if value is not None and not 0.0 <= value <= 100.0:
                raise BadValue(f"{raw.strip()!r} is not a score between 0 and 100")
            return value
        if field in _INTS:
            return parse_int(raw)
        if field in _DATES:
            return parse_date(raw, self.month_first)
        if field in _FLAGS:
            return parse_flag(raw)
        if field == "spam_score":
            return parse_spam_score(raw)
        if field in ("link_type", "rel"):
            return link_kind(raw)
        if field == "lost_status":
            return raw.strip().lower() not in _LIVE
        return _text(raw)

    def _url(self, raw: str, field: str) -> str | None:
        """A normalised http(s) URL; None for a URL of another scheme; BadValue for no URL."""
        text = raw.strip()
        url = normalise_url(text)
        if url is None:
            if special_scheme(text) is not None:
                return None
            if "://" not in text and "." in text.split("/", 1)[0] and " " not in text:
                url = normalise_url("http://" + text)  # Search Console omits the scheme
            if url is None:
                raise BadValue(f"{text!r} is not a URL", field)
        return url

    # -- reading --------------------------------------------------------------------------------
    def rows(self, progress: ImportProgress | None) -> Iterator[tuple[int, list[str]]]:
        with CsvReader(self.layout) as reader:
            yield from rows_with_progress(reader, progress)

    def read(self, staging: Staging, key: str, progress: ImportProgress | None) -> FileCounts:
        """Stage every row of the file; raises ImportFormatError naming row and column."""
        width = len(self.layout.header)
        line = 0
        add = getattr(self, f"_add_{self.table}")
        pick = self._pick_extras
        try:
            for line, fields in self.rows(progress):
                self.counts.rows += 1
                if len(fields) != width:
                    if len(fields) < width and not any(f.strip() for f in fields):
                        continue  # a blank line of delimiters ("\t\t\t")
                    raise self._width_error(line, len(fields))
                row = add(fields)
                if row is not None:
                    self._rows.append(row)
                    self._extra_rows.append(pick(fields))
                    if len(self._rows) >= BATCH_ROWS:
                        self._flush(staging, key)
        except BadValue as exc:
            column = self.columns.column_name(exc.field) if exc.field else None
            raise ImportFormatError(exc.message + ".", self.layout.path, line, column) from exc
        self._flush(staging, key)
        self.counts.written = self.written
        return self.counts

    def _width_error(self, line: int, n: int) -> ImportFormatError:
        header = self.layout.header
        if n < len(header):
            return ImportFormatError(
                f"has {n} fields where the header has {len(header)}, so this column is missing.",
                self.layout.path,
                line,
                header[n],
            )
        return ImportFormatError(
            f"has {n} fields where the header has {len(header)}: text follows this, the last "
            "column (a delimiter inside an unquoted value?).",
            self.layout.path,
            line,
            header[-1],
        )

    def _flush(self, staging: Staging, key: str) -> None:
        n = len(self._rows)
        if not n:
            return
        names = list(self.schema.names)
        rows, extra = self._rows, self._extra_rows
        arrays = [
            pa.array(list(map(itemgetter(i), rows)), self.schema.field(i).type)
            for i in range(len(names))
        ]
        for i in range(len(self.extras)):
            arrays.append(pa.array(list(map(itemgetter(i), extra)), _STR))
            names.append(f"x{i}")
        staging.add(key, pa.Table.from_arrays(arrays, names=names))
        self.written += n
        self._rows.clear()
        self._extra_rows.clear()

    def _values(self, fields: list[str]) -> dict[str, Any]:
        """Every field the file has (but the URLs and the anchor), parsed."""
        raws = self._pick_plan(fields)
        values = [c.get(r, _MISSING) for c, r in zip(self._plan_caches, raws, strict=True)]
        if _MISSING in values:
            values = [
                self._parse(f, r) if v is _MISSING else v
                for f, r, v in zip(self._plan_fields, raws, values, strict=True)
            ]
        return dict(zip(self._plan_fields, values, strict=True))

    # -- one row per table; each returns whether the row was kept ------------------------------
    def _add_backlinks(self, fields: list[str]) -> tuple[Any, ...] | None:
        positions = self.columns.positions
        raw_ref = fields[positions["referring_url"]]
        if not raw_ref.strip():
            self.counts.skipped["no referring URL"] += 1
            return None
        v = self._values(fields)
        get = v.get
        if get("mention"):
            self.counts.skipped["mention without a link"] += 1
            return None
        referring = self._url(raw_ref, "referring_url")
        if referring is None:
            self.counts.skipped["referring URL not http(s)"] += 1
            return None
        target: str | None = None
        i_target = positions.get("target_url")
        if i_target is not None:
            raw_target = fields[i_target]
            if not raw_target.strip():
                self.counts.skipped["no target URL"] += 1
                return None
            target = self._parse_target(raw_target)
            if target is None:
                self.counts.skipped["target URL not http(s)"] += 1
                return None
        domain = registrable_domain(netloc_of(referring))
        self.counts.domains.add(domain)
        i_anchor = positions.get("anchor")
        kind = v.get("link_type", _NO_KIND)
        rel = v.get("rel")
        if rel is not None:
            kind = tuple(a or b for a, b in zip(kind, rel, strict=True))
        authority = None
        for name in self.fmt.authority:
            authority = get(name)
            if authority is not None:
                break
        last_seen = get("last_seen")
        lost_on = get("lost_on")
        if lost_on is None and (get("lost_flag") or get("deleted") or get("lost_status")):
            lost_on = last_seen or self.lost_fallback
        return (
            self.tool,
            referring,
            domain,
            target,
            None if i_anchor is None else _text(fields[i_anchor]),
            kind[0] or bool(get("nofollow")) or get("followable") is False,
            kind[1] or bool(get("sponsored")),
            kind[2] or bool(get("ugc")),
            kind[3] or bool(get("is_image")),
            kind[4] or bool(get("is_redirect")),
            authority,
            get("domain_rating"),
            get("url_rating"),
            get("authority_score"),
            get("trust_flow"),
            get("citation_flow"),
            get("domain_authority"),
            get("page_authority"),
            get("spam_score"),
            get("is_spam"),
            get("external_links"),
            get("page_language"),
            get("page_title"),
            get("first_seen"),
            last_seen,
            lost_on,
        )

    def _parse_target(self, raw: str) -> str | None:
        cache = self._caches.setdefault("target_url", {})
        value = cache.get(raw, _MISSING)
        if value is _MISSING:
            value = self._url(raw, "target_url")
            if len(cache) < 100_000:
                cache[raw] = value
        return value  # type: ignore[no-any-return]

    def _add_referring_domains(self, fields: list[str]) -> tuple[Any, ...] | None:
        raw = fields[self.columns.positions["domain"]].strip().lower()
        if not raw:
            self.counts.skipped["no domain"] += 1
            return None
        host = raw.split("://", 1)[-1].split("/", 1)[0]
        domain = registrable_domain(host) if "." in host else host
        self.counts.domains.add(domain)
        get = self._values(fields).get
        authority = None
        for name in self.fmt.authority:
            authority = get(name)
            if authority is not None:
                break
        return (
            self.tool, domain, authority, get("backlinks"), get("dofollow_backlinks"),
            get("linked_pages"), get("first_seen"), get("last_seen"), get("lost_on"),
        )  # fmt: skip

    def _add_linked_pages(self, fields: list[str]) -> tuple[Any, ...] | None:
        raw = fields[self.columns.positions["target_url"]]
        if not raw.strip():
            self.counts.skipped["no target URL"] += 1
            return None
        target = self._url(raw, "target_url")
        if target is None:
            self.counts.skipped["target URL not http(s)"] += 1
            return None
        get = self._values(fields).get
        return (self.tool, target, get("backlinks"), get("referring_domains"))

    def _add_backlink_anchors(self, fields: list[str]) -> tuple[Any, ...] | None:
        anchor = " ".join(fields[self.columns.positions["anchor"]].split())
        get = self._values(fields).get
        return (
            self.tool, anchor, get("backlinks"), get("referring_domains"),
            get("dofollow_backlinks"), get("first_seen"), get("last_seen"),
        )  # fmt: skip
