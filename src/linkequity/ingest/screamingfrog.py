"""Screaming Frog SEO Spider exports imported as one project snapshot (acquire stage).

Files are recognised by their header row, not their name:

* one links file: "Bulk Export > Links > All Inlinks" or "All Outlinks", any version
  (mapping in :mod:`~linkequity.ingest.sf_links`). All Inlinks and All Outlinks list the same
  links, so two links files in one import would count every link twice and are refused;
* any number of page files: the "Internal" tab exported with the "All" or "HTML" filter, any
  version (mapping in :mod:`~linkequity.ingest.sf_pages`). They may overlap; the first row of a
  URL wins.

One import is one transaction and one new snapshot (rows wait in
:mod:`~linkequity.store.staging` files until then): a ``crawls`` row with status ``imported``
whose ``settings_json`` records the source tool and each file's name, format and row counts.
Its start URL is the page file's Crawl Depth 0 row (Screaming Frog's start URL), else the first
Address, else the home page of the first link source. ``is_internal`` compares registrable
domains with it (:class:`~linkequity.urls.Scope`), so ``blog.example.com`` is internal to
``www.example.com`` even where Screaming Frog called it external. ``ordinal`` numbers a
source's links in file order, which for All Inlinks is not their order on the page.

Which URLs get a ``pages`` row. The equity engine treats a link target without a page row as
never fetched, so every internal URL the export shows Screaming Frog requested gets one, or a
links-only import would leave the site with no live page at all:

1. rows of page files, with every fact the file has;
2. other internal link destinations whose Status Code the links file gives: that status (and
   the redirect target an old export lists), nothing else; a 2xx one has the indexability
   reason ``unknown`` (export Internal: All for the rest);
3. internal link sources with no status anywhere: Screaming Frog extracts links only from
   responses it parsed, which answered 2xx, so they get status 200. None of the sample exports
   needed this (every source is also a destination); it keeps a start page that nothing links
   back to from being taken for a dead end.

Internal URLs that are linked, redirected or canonicalised to but were never requested (an
empty Status Code, or absent from the files) get no page row: they are written to ``frontier``
as discovered but not fetched, as a crawl records them (``level`` is the linking page's Crawl
Depth + 1 where known, else 0). External URLs get neither, as in a crawl. Every 3xx page with a
redirect URL becomes ``redirects`` hops, chains followed through the imported pages as the
crawler does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from linkequity.errors import ConfigError, ImportFormatError
from linkequity.ingest.csvfile import (
    CsvLayout,
    CsvReader,
    ImportProgress,
    rows_with_progress,
    sniff_csv,
)
from linkequity.ingest.formats import BadValue, ColumnMap, Format, detect_format, parse_status
from linkequity.ingest.sf_links import (
    HYPERLINK_TYPES,
    LINKS_FORMAT,
    RelFlags,
    clean_text,
    is_redirect_row,
    link_position,
    rel_flags,
)
from linkequity.ingest.sf_pages import PAGES_FORMAT, PageFields, linked_page, page_row
from linkequity.records import Position
from linkequity.settings import CrawlSettings
from linkequity.store.database import Store
from linkequity.store.rows import FrontierRow, LinkBatch, PageRow, redirect_chains, row_batch
from linkequity.store.staging import BATCH_ROWS, Staging
from linkequity.store.tables import table
from linkequity.urls import Resolver, Scope

__all__ = [
    "FORMATS",
    "SOURCE_TOOL",
    "FileSummary",
    "ImportProgress",
    "ImportSummary",
    "import_screamingfrog",
]

SOURCE_TOOL = "Screaming Frog SEO Spider"
#: Every Screaming Frog format, in the order they are tried.
FORMATS: tuple[Format, ...] = (LINKS_FORMAT, PAGES_FORMAT)


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What one file gave."""

    name: str
    format: str
    title: str | None
    """The file's title line (``All Inlinks``), when it has one."""
    rows: int
    """Data rows read, skipped ones included."""
    pages: int
    links: int
    redirects: int
    """Rows of a links file saying a URL redirects (old exports list redirects as links)."""
    skipped: tuple[tuple[str, int], ...]
    """(type or reason, rows) of rows that became nothing, most first."""
    missing_columns: tuple[str, ...]
    """Optional columns of the format this file lacks (their facts stay NULL or unknown)."""
    other_positions: tuple[tuple[str, int], ...]
    """(Link Position, links) of positions we do not know, stored as ``unknown``."""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import wrote, as one snapshot."""

    crawl_id: int
    start_url: str
    files: tuple[FileSummary, ...]
    pages: int
    """Page rows written: from page files, plus those known only from links."""
    pages_from_links: int
    links: int
    internal_links: int
    redirect_hops: int
    unfetched: int
    """Internal URLs linked or redirected to that no file shows requested (frontier rows)."""
    skipped: tuple[tuple[str, int], ...]
    """(type or reason, rows) over all files, most first."""


def _sorted_counts(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _width_error(layout: CsvLayout, line: int, n: int) -> ImportFormatError:
    header = layout.header
    width = len(header)
    if n < width:
        return ImportFormatError(
            f"has {n} fields where the header has {width}, so this column is missing.",
            layout.path,
            line,
            header[n],
        )
    return ImportFormatError(
        f"has {n} fields where the header has {width}: text follows this, the last column "
        "(a delimiter inside an unquoted value?).",
        layout.path,
        line,
        header[-1],
    )


def _value_error(
    layout: CsvLayout, columns: ColumnMap, line: int, exc: BadValue
) -> ImportFormatError:
    return ImportFormatError(exc.message + ".", layout.path, line, columns.column_name(exc.field))


def _file_summary(
    layout: CsvLayout, columns: ColumnMap, rows: int, skipped: Counter[str]
) -> FileSummary:
    return FileSummary(
        name=layout.path.name,
        format=columns.format.name,
        title=layout.title,
        rows=rows,
        pages=0,
        links=0,
        redirects=0,
        skipped=_sorted_counts(skipped),
        missing_columns=columns.missing,
        other_positions=(),
    )


class _Import:
    """The state of one import: URLs seen, statuses learnt, counters."""

    def __init__(self, staging: Staging, progress: ImportProgress | None) -> None:
        self.staging = staging
        self.progress = progress
        self.resolver = Resolver()
        self.user_agent = CrawlSettings().robots_user_agent
        self.scope: Scope | None = None
        self.page_urls: set[str] = set()
        self.depths: dict[str, int] = {}
        self.start_url: str | None = None
        self.first_url: str | None = None
        # internal destination -> (status code, Status text), from the first row giving one
        self.link_status: dict[str, tuple[int, str]] = {}
        self.sources: dict[str, None] = {}  # internal link sources, in order of appearance
        self.locations: dict[str, str] = {}  # redirecting URL -> target, from the links file
        self.discovered: dict[str, tuple[str, str]] = {}  # url -> (found_from, found_by)
        self.redirecting: dict[str, tuple[int, str | None]] = {}  # 3xx page -> (status, target)
        self.pages_written = 0
        self.links_written = 0
        self.internal_links = 0

    def url(self, text: str, field: str) -> str:
        """A normalised URL, or BadValue naming ``field``."""
        url = self.resolver.normalise(text.strip())
        if url is None:
            raise BadValue(f"{text.strip()!r} is not an absolute http(s) URL", field)
        return url

    def rows(self, reader: CsvReader) -> Iterator[tuple[int, list[str]]]:
        """The file's rows, reporting progress now and then."""
        return rows_with_progress(reader, self.progress)

    # -- page files -------------------------------------------------------------------------
    def read_pages(self, layout: CsvLayout, columns: ColumnMap) -> FileSummary:
        """Insert a page file's rows."""
        skipped: Counter[str] = Counter()
        batch: list[PageRow] = []
        width = len(layout.header)
        row = PageFields(columns)
        read = written = line = 0
        try:
            with CsvReader(layout) as reader:
                for line, fields in self.rows(reader):
                    read += 1
                    if len(fields) != width:
                        raise _width_error(layout, line, len(fields))
                    row.fields = fields
                    address = row.text("url")
                    if not address:
                        skipped["folder row (no Address)"] += 1
                        continue
                    url = self.url(address, "url")
                    if url in self.page_urls:
                        skipped["duplicate Address"] += 1
                        continue
                    page = page_row(url, row, self.resolver.normalise, self.user_agent)
                    batch.append(self.add_page(page))
                    written += 1
                    if len(batch) >= BATCH_ROWS:
                        self.insert_pages(batch)
        except BadValue as exc:
            raise _value_error(layout, columns, line, exc) from exc
        self.insert_pages(batch)
        return replace(_file_summary(layout, columns, read, skipped), pages=written)

    def add_page(self, page: PageRow) -> PageRow:
        """Remember what a page of a page file says about the site."""
        url = page.url
        self.page_urls.add(url)
        if self.first_url is None:
            self.first_url = url
        if page.depth is not None:
            self.depths[url] = page.depth
            if page.depth == 0 and self.start_url is None:
                self.start_url = url
        if page.redirect_url is not None:
            self.discovered.setdefault(page.redirect_url, (url, "redirect"))
            self.redirecting[url] = (page.status_code or 0, page.redirect_url)
        if page.canonical_url is not None and page.canonical_url != url:
            self.discovered.setdefault(page.canonical_url, (url, "canonical"))
        return page

    def insert_pages(self, batch: list[PageRow]) -> None:
        if batch:
            self.staging.add("pages", row_batch("pages", batch, None))
            self.pages_written += len(batch)
            batch.clear()

    # -- the links file -----------------------------------------------------------------------
    def read_links(self, layout: CsvLayout, columns: ColumnMap) -> FileSummary:
        """Insert a links file's hyperlinks; remember statuses, sources and redirects."""
        skipped: Counter[str] = Counter()
        others: Counter[str] = Counter()
        width = len(layout.header)
        i_type, i_src = columns.position("type"), columns.position("src")
        i_dst, i_anchor = columns.position("dst"), columns.position("anchor")
        i_alt, i_code, i_status = (columns.index(f) for f in ("alt", "status_code", "status"))
        i_follow, i_rel, i_pos = (columns.index(f) for f in ("follow", "rel", "position"))
        # few distinct values repeat on every row: parse each once
        codes: dict[str, int | None] = {}
        flags: dict[tuple[str, str], RelFlags] = {}
        positions: dict[str, tuple[Position, bool]] = {}
        ordinals: dict[str, int] = {}
        link_status, page_urls = self.link_status, self.page_urls
        discovered, sources, normalise = self.discovered, self.sources, self.resolver.normalise
        cols = LinkBatch()
        read = written = redirects = line = 0
        try:
            with CsvReader(layout) as reader:
                for line, fields in self.rows(reader):
                    read += 1
                    n = len(fields)
                    if n <= i_type:
                        raise _width_error(layout, line, n)
                    kind = fields[i_type].strip()
                    key = kind.lower()
                    if key not in HYPERLINK_TYPES and "redirect" not in key:
                        # old exports end resource rows (CSS, JS, IMG) a field short: no Follow
                        skipped[kind or "(no type)"] += 1
                        continue
                    if n != width:
                        raise _width_error(layout, line, n)
                    src = self.url(fields[i_src], "src")
                    scope = self.scope or self.site_scope(src)
                    dst_text = fields[i_dst].strip()
                    if not dst_text:
                        raise BadValue("the destination is empty", "dst")
                    dst = normalise(dst_text)
                    code_text = "" if i_code is None else fields[i_code]
                    if code_text in codes:
                        code = codes[code_text]
                    else:
                        try:
                            code = codes[code_text] = parse_status(code_text)
                        except BadValue as exc:
                            exc.field = "status_code"
                            raise
                    anchor_text = fields[i_anchor]
                    alt_text = "" if i_alt is None else fields[i_alt]
                    redirect = is_redirect_row(key, anchor_text, alt_text)
                    internal = dst is not None and scope.is_internal(dst)
                    if dst is not None and internal and dst not in page_urls:
                        if code is not None and dst not in link_status:
                            status_text = "" if i_status is None else fields[i_status].strip()
                            link_status[dst] = (code, status_text)
                        if dst not in discovered:
                            discovered[dst] = (src, "redirect" if redirect else "link")
                    if redirect:
                        if dst is not None:
                            self.locations.setdefault(src, dst)
                        redirects += 1
                        continue
                    if src not in sources and scope.is_internal(src):
                        sources[src] = None
                    ordinal = ordinals[src] = ordinals.get(src, -1) + 1
                    follow_text = "" if i_follow is None else fields[i_follow]
                    rel_text = "" if i_rel is None else fields[i_rel]
                    rel = flags.get((rel_text, follow_text))
                    if rel is None:
                        rel = flags[(rel_text, follow_text)] = rel_flags(rel_text, follow_text)
                    pos_text = "" if i_pos is None else fields[i_pos]
                    position = positions.get(pos_text)
                    if position is None:
                        position = positions[pos_text] = link_position(pos_text)
                    if position[1]:
                        others[pos_text.strip()] += 1
                    alt = clean_text(alt_text) if alt_text else ""
                    anchor = clean_text(anchor_text) if anchor_text else ""
                    tokens, nofollow, sponsored, ugc = rel
                    cols.add(
                        src,
                        dst or dst_text,
                        anchor,
                        alt or None,
                        tokens,
                        nofollow,
                        sponsored,
                        ugc,
                        position[0],
                        internal,
                        ordinal,
                    )
                    written += 1
                    if len(cols) >= BATCH_ROWS:
                        self.insert_links(cols)
        except BadValue as exc:
            raise _value_error(layout, columns, line, exc) from exc
        self.insert_links(cols)
        if written and not sources and self.first_url is not None and self.scope is not None:
            raise ConfigError(
                f"None of the links in {layout.path.name} comes from a page on "
                f"{min(self.scope.domains)}, the site of the Internal export; give files "
                "exported from the same crawl."
            )
        summary = _file_summary(layout, columns, read, skipped)
        return replace(
            summary, links=written, redirects=redirects, other_positions=_sorted_counts(others)
        )

    def site_scope(self, first_source: str) -> Scope:
        """The site: the start URL of page files, else the first link source's site."""
        if self.scope is None:
            self.scope = Scope([self.start_url or self.first_url or first_source])
        return self.scope

    def insert_links(self, cols: LinkBatch) -> None:
        n = len(cols)
        if n:
            self.internal_links += sum(cols.is_internal)
            self.staging.add("links", cols.take(None))
            self.links_written += n

    # -- after every file ---------------------------------------------------------------------
    def pages_from_links(self) -> int:
        """Page rows for internal URLs known only from the links file; returns how many."""
        rows: list[PageRow] = []
        for url, (code, status_text) in self.link_status.items():
            if url not in self.page_urls:
                page = linked_page(url, code, status_text, self.locations.get(url))
                if page.redirect_url is not None:
                    self.redirecting[url] = (code, page.redirect_url)
                rows.append(page)
        for url in self.sources:
            if url not in self.page_urls and url not in self.link_status:
                rows.append(linked_page(url, 200, "", None))
        self.page_urls.update(r.url for r in rows)
        for i in range(0, len(rows), BATCH_ROWS):
            self.insert_pages(rows[i : i + BATCH_ROWS])
        return len(rows)

    def frontier(self, crawl_id: int, start_url: str) -> pa.Table:
        """Frontier rows of the internal URLs discovered but never requested."""
        scope = self.scope or Scope([start_url])
        rows = [
            FrontierRow(url, 1, self.depths[src] + 1 if src in self.depths else 0, src, by)
            for url, (src, by) in self.discovered.items()
            if url not in self.page_urls and scope.is_internal(url)
        ]
        return row_batch("frontier", rows, crawl_id)

    def redirects(self, crawl_id: int) -> pa.Table:
        """Redirect hops of every 3xx page with a target, chains followed as the crawler does."""
        return row_batch("redirects", redirect_chains(self.redirecting), crawl_id)

    def final_start_url(self) -> str | None:
        """Crawl Depth 0, else the first Address, else the first link source's home page."""
        if self.start_url is not None:
            return self.start_url
        if self.first_url is not None:
            return self.first_url
        first = next(iter(self.sources), None)
        if first is None:
            return None
        home = "/".join(first.split("/", 3)[:3]) + "/"
        return home if home in self.page_urls else first


def _detect(paths: Sequence[Path]) -> list[tuple[CsvLayout, ColumnMap]]:
    files = []
    for path in paths:
        layout = sniff_csv(path)
        files.append((layout, detect_format(layout, FORMATS)))
    links = [layout.path.name for layout, columns in files if columns.format is LINKS_FORMAT]
    if len(links) > 1:
        names = ", ".join(links[:-1]) + " and " + links[-1]
        both = "both" if len(links) == 2 else "all"
        raise ConfigError(
            f"{names} are {both} links exports; import one of them (All Inlinks and All "
            "Outlinks list the same links, so two would count every link twice)."
        )
    return files


def _crawl_row(
    crawl_id: int, start_url: str, started: datetime, files: Sequence[FileSummary]
) -> pa.Table:
    settings = {
        "source_tool": SOURCE_TOOL,
        "files": [
            {
                "name": f.name,
                "format": f.format,
                "title": f.title,
                "rows": f.rows,
                "pages": f.pages,
                "links": f.links,
                "redirects": f.redirects,
                "skipped": dict(f.skipped),
            }
            for f in files
        ],
    }
    return table("crawls").batch(
        {
            "crawl_id": [crawl_id],
            "start_url": [start_url],
            "started_at": [started],
            "finished_at": [datetime.now(UTC)],
            "status": ["imported"],
            "settings_json": [json.dumps(settings)],
        }
    )


def import_screamingfrog(
    store: Store, paths: Sequence[Path], progress: ImportProgress | None = None
) -> ImportSummary:
    """Import Screaming Frog exports into ``store`` as one new snapshot, in one transaction.

    ``paths`` are an All Inlinks or All Outlinks export (one at most) and any number of
    Internal: All / Internal: HTML exports, in any order. Raises
    :class:`~linkequity.errors.ImportFormatError` naming file, row and column for a file that
    is not one of these or has a malformed row, and :class:`~linkequity.errors.ConfigError`
    for files that do not belong together; nothing is written then.
    """
    if not paths:
        raise ConfigError("Give at least one Screaming Frog export to import.")
    files = _detect([Path(p) for p in paths])
    started = datetime.now(UTC)
    summaries: dict[Path, FileSummary] = {}
    with Staging(store.path.resolve().parent) as staging:
        job = _Import(staging, progress)
        # page files first: they decide the site (their Crawl Depth 0 row) and which URLs have
        # full page facts before the links file is read
        for layout, columns in files:
            if columns.format is PAGES_FORMAT:
                summaries[layout.path] = job.read_pages(layout, columns)
        for layout, columns in files:
            if columns.format is LINKS_FORMAT:
                summaries[layout.path] = job.read_links(layout, columns)
        from_links = job.pages_from_links()
        start_url = job.final_start_url()
        if start_url is None:
            names = ", ".join(layout.path.name for layout, _ in files)
            raise ConfigError(f"{names}: no page or link rows, so there is nothing to import.")
        ordered = tuple(summaries[layout.path] for layout, _ in files)
        with store.transaction():
            row = store.one("SELECT coalesce(max(crawl_id), 0) + 1 FROM crawls")
            crawl_id = int(row[0]) if row else 1
            staging.write(store, "crawl_id", crawl_id)
            frontier = job.frontier(crawl_id, start_url)
            store.insert("frontier", frontier)
            redirects = job.redirects(crawl_id)
            store.insert("redirects", redirects)
            store.insert("crawls", _crawl_row(crawl_id, start_url, started, ordered))
    total: Counter[str] = Counter()
    for f in ordered:
        total.update(dict(f.skipped))
    return ImportSummary(
        crawl_id=crawl_id,
        start_url=start_url,
        files=ordered,
        pages=job.pages_written,
        pages_from_links=from_links,
        links=job.links_written,
        internal_links=job.internal_links,
        redirect_hops=redirects.num_rows,
        unfetched=frontier.num_rows,
        skipped=_sorted_counts(total),
    )
