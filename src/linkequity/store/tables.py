"""Every table of a project file, declared once: columns, types, nullability (store stage).

A :class:`Table` lists its columns in their order in the file, each with the schema version
that added it. Everything else is derived from these declarations: the migrations'
``CREATE TABLE`` and ``ALTER TABLE`` statements (:mod:`linkequity.store.schema`), the Arrow
schemas writers build their batches with (:meth:`Table.arrow_schema`, :meth:`Table.batch`),
and the list of tables a user can export. A test holds the typed row records of
:mod:`linkequity.store.rows` and a freshly migrated file to these declarations.

Adding a column: append it to its table here with ``since`` set to the next schema version
(a column added to an existing table must be nullable; DuckDB appends it at the end).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pyarrow as pa

from linkequity.errors import StoreError

__all__ = [
    "ALL_TABLES",
    "EXPORTABLE",
    "IMPORT_TABLES",
    "SCHEMA_VERSION",
    "Column",
    "Table",
    "table",
]

#: The DuckDB types columns use, and the Arrow type of each.
_ARROW: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "TINYINT": pa.int8(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
    "BLOB": pa.binary(),
    "VARCHAR[]": pa.list_(pa.string()),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a store table."""

    name: str
    type: str
    """Its DuckDB type: one of VARCHAR, BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DOUBLE,
    DATE, TIMESTAMPTZ, BLOB, VARCHAR[]."""
    nullable: bool = True
    note: str = ""
    """What a value means, where the name does not say it all."""
    since: int = 1
    """The schema version that added the column."""
    primary_key: bool = False

    @property
    def arrow_type(self) -> pa.DataType:
        """The Arrow type writers give the column."""
        return _ARROW[self.type]

    def ddl(self) -> str:
        """The column's definition in a CREATE or ALTER TABLE statement."""
        if self.primary_key:
            return f"{self.name} {self.type} PRIMARY KEY"
        return f"{self.name} {self.type}" + ("" if self.nullable else " NOT NULL")


def _col(
    name: str,
    kind: str,
    null: bool = True,
    note: str = "",
    since: int = 1,
    key: bool = False,
) -> Column:
    return Column(name, kind, null and not key, note, since, key)


@dataclass(frozen=True, slots=True)
class Table:
    """A store table: its columns in file order, and whose snapshot its rows belong to."""

    name: str
    columns: tuple[Column, ...]
    snapshot: Literal["crawl_id", "import_id"] | None
    """The column naming the crawl or import a row belongs to; None for ``meta``."""
    since: int = 1
    """The schema version that created the table."""
    about: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in file order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise StoreError(f"Table {self.name} has no column {name!r}.")

    def create(self, version: int) -> str:
        """``CREATE TABLE`` with the columns that exist at schema ``version``."""
        body = ",\n    ".join(c.ddl() for c in self.columns if c.since <= version)
        return f"CREATE TABLE {self.name} (\n    {body}\n)"

    def arrow_schema(self, with_snapshot: bool = True) -> pa.Schema:
        """The Arrow schema of a batch of rows; without the snapshot column for staged rows,
        which get their snapshot id when they are inserted."""
        return pa.schema(
            pa.field(c.name, c.arrow_type, nullable=c.nullable)
            for c in self.columns
            if with_snapshot or c.name != self.snapshot
        )

    def batch(
        self,
        columns: Mapping[str, Sequence[Any] | pa.Array | pa.ChunkedArray],
        snapshot_id: int | None = None,
    ) -> pa.Table:
        """An Arrow batch of rows from columns given by name, typed as declared.

        With ``snapshot_id`` the snapshot column is filled with it; without, the batch has no
        snapshot column (rows staged before their snapshot exists) unless it is given. A
        nullable column not given is all NULL; a NOT NULL one not given, or a name the table
        lacks, is an error.
        """
        unknown = sorted(set(columns) - set(self.names))
        if unknown:
            raise StoreError(f"Table {self.name} has no column {', '.join(unknown)}.")
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise StoreError(f"Columns of a {self.name} batch differ in length: {lengths}.")
        n = lengths.pop() if lengths else 0
        schema = self.arrow_schema(
            with_snapshot=snapshot_id is not None or self.snapshot in columns
        )
        arrays = []
        for field in schema:
            if field.name == self.snapshot and snapshot_id is not None:
                arrays.append(pa.array([snapshot_id] * n, field.type))
            elif field.name in columns:
                values = columns[field.name]
                if isinstance(values, pa.ChunkedArray):
                    values = values.combine_chunks()
                array = values if isinstance(values, pa.Array) else pa.array(values, field.type)
                arrays.append(array if array.type == field.type else array.cast(field.type))
            elif field.nullable:
                arrays.append(pa.nulls(n, field.type))
            else:
                raise StoreError(f"A {self.name} batch lacks its NOT NULL column {field.name}.")
        return pa.Table.from_arrays(arrays, schema=schema)


_CRAWL = _col("crawl_id", "INTEGER", False)
_EXTRA = "every other column of the row, as given"

#: Every table, in the order a user's exports list them (``meta`` last: it is not exported).
ALL_TABLES: tuple[Table, ...] = (
    Table(
        "crawls",
        (
            _col("crawl_id", "INTEGER", key=True),
            _col("start_url", "VARCHAR", False),
            _col("started_at", "TIMESTAMPTZ", False),
            _col("finished_at", "TIMESTAMPTZ"),
            _col("status", "VARCHAR", False, "running | finished | imported"),
            _col("settings_json", "VARCHAR", False),
        ),
        "crawl_id",
    ),
    Table(
        "pages",
        (
            _CRAWL,
            _col("url", "VARCHAR", False),
            _col(
                "status_code", "SMALLINT", note="NULL: never answered (blocked, connection error)"
            ),
            _col("content_type", "VARCHAR"),
            _col("depth", "INTEGER", note="clicks from the start URL; NULL: unreachable by links"),
            _col("redirect_url", "VARCHAR", note="Location of a 3xx, resolved and normalised"),
            _col("canonical_url", "VARCHAR"),
            _col("meta_robots", "VARCHAR"),
            _col("x_robots_tag", "VARCHAR"),
            _col("indexable", "BOOLEAN", False),
            _col("indexability_reason", "VARCHAR", note="records.IndexabilityReason"),
            _col("title", "VARCHAR"),
            _col("h1", "VARCHAR"),
            _col("meta_description", "VARCHAR"),
            _col("word_count", "INTEGER"),
            _col("text_sha1", "VARCHAR"),
            _col("size_bytes", "BIGINT"),
            _col("elapsed_ms", "DOUBLE"),
            _col("in_sitemap", "BOOLEAN", False),
            _col("fetched_at", "TIMESTAMPTZ"),
            _col("error", "VARCHAR"),
            _col("encoding", "VARCHAR"),
            _col(
                "content_sketch",
                "VARCHAR",
                note="fingerprint of the page's own text, digits left out (parse/html.py)",
                since=4,
            ),
        ),
        "crawl_id",
        about="One row per URL of a crawl (uniqueness of (crawl_id, url) is the writer's job).",
    ),
    Table(
        "links",
        (
            _CRAWL,
            _col("src_url", "VARCHAR", False),
            _col("dst_url", "VARCHAR", False),
            _col("anchor", "VARCHAR", False),
            _col("alt", "VARCHAR"),
            _col("rel", "VARCHAR"),
            _col("is_nofollow", "BOOLEAN", False),
            _col("is_sponsored", "BOOLEAN", False),
            _col("is_ugc", "BOOLEAN", False),
            _col("position", "VARCHAR", False, "records.Position"),
            _col("is_internal", "BOOLEAN", False),
            _col("is_image", "BOOLEAN", False),
            _col("ordinal", "INTEGER", False),
            _col(
                "fragment",
                "VARCHAR",
                note="the href's #fragment without '#'; NULL when it has none",
                since=4,
            ),
        ),
        "crawl_id",
        about="One row per <a href> occurrence.",
    ),
    Table(
        "page_texts",
        (
            _col("crawl_id", "INTEGER", False, since=5),
            _col("url", "VARCHAR", False, since=5),
            _col("headings", "VARCHAR", note="the h1-h6 of the content, one per line", since=5),
            _col(
                "text",
                "BLOB",
                False,
                "the content region's text, zlib-compressed, links and headings marked "
                "(pagetext.py); exported as plain text",
                since=5,
            ),
        ),
        "crawl_id",
        since=5,
        about="One row per HTML page whose own text the crawl kept (the store_text setting).",
    ),
    Table(
        "redirects",
        (
            _CRAWL,
            _col("url", "VARCHAR", False, "the URL first requested"),
            _col("hop", "INTEGER", False, "0 for the first response"),
            _col("status_code", "SMALLINT"),
            _col("location", "VARCHAR"),
            _col("is_loop", "BOOLEAN", False, "location was already visited in this chain"),
        ),
        "crawl_id",
    ),
    Table(
        "sitemap_urls",
        (
            _CRAWL,
            _col("url", "VARCHAR", False),
            _col("sitemap", "VARCHAR", False),
            _col("lastmod", "VARCHAR"),
        ),
        "crawl_id",
    ),
    Table(
        "sitemaps",
        (
            _CRAWL,
            _col("url", "VARCHAR", False),
            _col("status_code", "SMALLINT"),
            _col("kind", "VARCHAR", note="urlset | sitemapindex | NULL when unreadable"),
            _col("url_count", "INTEGER", False),
            _col("error", "VARCHAR"),
        ),
        "crawl_id",
    ),
    Table(
        "robots_txt",
        (
            _CRAWL,
            _col("host", "VARCHAR", False),
            _col("status_code", "SMALLINT"),
            _col("body", "VARCHAR"),
            _col("error", "VARCHAR"),
        ),
        "crawl_id",
    ),
    Table(
        "frontier",
        (
            _CRAWL,
            _col("url", "VARCHAR", False),
            _col("phase", "TINYINT", False, "1: from the start URL; 2: from sitemap URLs"),
            _col("level", "INTEGER", False, "breadth-first level within the phase"),
            _col("found_from", "VARCHAR", note="the page that linked, redirected or canonicalised"),
            _col("found_by", "VARCHAR", False, "start | link | redirect | canonical | sitemap"),
            _col(
                "held_back",
                "VARCHAR",
                note="why the URL is not crawled (crawl/traps.py HOLD_RULES); NULL: crawled",
                since=4,
            ),
            _col(
                "trap_pattern",
                "VARCHAR",
                note="the URL pattern the trap defences judge it with, or held it back by",
                since=4,
            ),
        ),
        "crawl_id",
        about="Every URL the crawl decided to visit, written in the same transaction as the "
        "page that discovered it. Pending work = frontier minus pages minus held-back URLs "
        "(crawl/engine.py).",
    ),
    Table(
        "analyses",
        (
            _col("crawl_id", "INTEGER", key=True, since=2),
            _col("analysed_at", "TIMESTAMPTZ", False, since=2),
            _col("settings_json", "VARCHAR", False, since=2),
            _col("pages", "INTEGER", False, "URLs of the crawl", since=2),
            _col("nodes", "INTEGER", False, "pages that hold equity", since=2),
            _col("edges", "BIGINT", False, "links that pass equity between them", since=2),
            _col("iterations", "INTEGER", False, since=2),
            _col("residual", "DOUBLE", False, since=2),
            _col("method", "VARCHAR", False, since=2),
            # shares of all the equity that links pass on (sum to 1 with passed_internal)
            _col("passed_internal", "DOUBLE", False, since=2),
            _col(
                "wasted_broken",
                "DOUBLE",
                False,
                "links to 4xx / 5xx / unreachable / looping URLs",
                since=2,
            ),
            _col("wasted_blocked", "DOUBLE", False, "links to URLs robots.txt blocks", since=2),
            _col("evaporated_nofollow", "DOUBLE", False, since=2),
            _col("evaporated_sponsored", "DOUBLE", False, since=2),
            _col("evaporated_ugc", "DOUBLE", False, since=2),
            _col("leaked_external", "DOUBLE", False, since=2),
            _col(
                "dangling",
                "DOUBLE",
                False,
                "share of all equity held by pages without links",
                since=2,
            ),
            _col("gini", "DOUBLE", False, since=2),
            _col("top1_share", "DOUBLE", False, since=2),
            _col("top10_share", "DOUBLE", False, since=2),
            _col("external_weight", "DOUBLE", since=3),
            _col("backlinks", "INTEGER", since=3),
            _col("backlinks_placed", "INTEGER", since=3),
        ),
        "crawl_id",
        since=2,
        about="One analysis per crawl: analysing again replaces the crawl's rows in analyses, "
        "page_scores, findings and anchors in one transaction.",
    ),
    Table(
        "page_scores",
        (
            _col("crawl_id", "INTEGER", False, since=2),
            _col("url", "VARCHAR", False, since=2),
            _col("role", "VARCHAR", False, "records.PageRole", since=2),
            _col("equity_url", "VARCHAR", note="the page its inlinks' equity goes to", since=2),
            _col("link_outcome", "VARCHAR", False, "records.LinkOutcome", since=2),
            _col("score", "DOUBLE", note="raw PageRank, sums to 1 over pages", since=2),
            _col("link_score", "DOUBLE", note="0-100, log scale", since=2),
            _col("share", "DOUBLE", note="share of site equity, as a percentage", since=2),
            _col("rank", "INTEGER", since=2),
            _col("received_content", "DOUBLE", since=2),
            _col("received_navigation", "DOUBLE", since=2),
            _col("received_header", "DOUBLE", since=2),
            _col("received_footer", "DOUBLE", since=2),
            _col("received_sidebar", "DOUBLE", since=2),
            _col("received_unknown", "DOUBLE", since=2),
            _col("received_teleport", "DOUBLE", since=2),
            _col(
                "equity_per_weight", "DOUBLE", note="what one unit of link weight passes", since=2
            ),
            _col("crawl_depth", "INTEGER", since=2),
            _col("inlinks", "INTEGER", False, since=2),
            _col("unique_inlinks", "INTEGER", False, since=2),
            _col("content_inlinks", "INTEGER", False, since=2),
            _col("followed_inlinks", "INTEGER", False, since=2),
            _col("outlinks", "INTEGER", False, since=2),
            _col("unique_outlinks", "INTEGER", False, since=2),
            _col("external_outlinks", "INTEGER", False, since=2),
            _col("status_code", "SMALLINT", since=2),
            _col("indexable", "BOOLEAN", False, since=2),
            _col("indexability_reason", "VARCHAR", since=2),
            _col("title", "VARCHAR", since=2),
            _col("internal_score", "DOUBLE", since=3),
            _col("internal_link_score", "DOUBLE", since=3),
            _col("backlink_seed", "DOUBLE", note="share of the seed landing here", since=3),
            _col("from_backlinks", "DOUBLE", note="share of the score they bring", since=3),
            _col(
                "score_without_relevance",
                "DOUBLE",
                note="the score with relevance_weight 0; null when it is 0",
                since=8,
            ),
            _col("link_score_without_relevance", "DOUBLE", since=8),
            _col(
                "click_depth",
                "INTEGER",
                note="clicks from the start URL along followed links (equity/paths.py); "
                "null: no such path",
                since=9,
            ),
            _col(
                "click_parent",
                "VARCHAR",
                note="the page one click nearer the start URL that leads here (the crawl path)",
                since=9,
            ),
        ),
        "crawl_id",
        since=2,
    ),
    Table(
        "findings",
        (
            _col("crawl_id", "INTEGER", False, since=2),
            _col("kind", "VARCHAR", False, "findings.FindingKind", since=2),
            _col("severity", "VARCHAR", False, "error | warning | notice", since=2),
            _col("url", "VARCHAR", False, since=2),
            _col("summary", "VARCHAR", False, since=2),
            _col(
                "detail_json",
                "VARCHAR",
                False,
                "the kind's detail fields (findings.KINDS)",
                since=2,
            ),
            _col(
                "impact",
                "DOUBLE",
                note="share of site equity at stake, as a percentage (equity/impact.py)",
                since=4,
            ),
            _col("fix", "VARCHAR", note="what to change, for this finding", since=4),
        ),
        "crawl_id",
        since=2,
    ),
    Table(
        "anchors",
        (
            _col("crawl_id", "INTEGER", False, since=2),
            _col("target_url", "VARCHAR", False, "the page the links' equity reaches", since=2),
            _col(
                "anchor", "VARCHAR", False, "whitespace-normalised; image links: alt text", since=2
            ),
            _col("links", "INTEGER", False, since=2),
            _col("source_pages", "INTEGER", False, since=2),
            _col("is_generic", "BOOLEAN", False, since=2),
            _col("is_empty", "BOOLEAN", False, since=2),
            _col("is_exact_match", "BOOLEAN", False, "equals the target's keyword", since=2),
            _col(
                "equity",
                "DOUBLE",
                note="what these links take from their sources, % of site equity",
                since=4,
            ),
        ),
        "crawl_id",
        since=2,
    ),
    Table(
        "clusters",
        (
            _col("crawl_id", "INTEGER", False, since=6),
            _col("cluster", "INTEGER", False, "0 the largest", since=6),
            _col("label", "VARCHAR", False, "its three heaviest words", since=6),
            _col(
                "top_terms", "VARCHAR[]", False, "its ten heaviest words, heaviest first", since=6
            ),
            _col("pages", "INTEGER", False, since=6),
            _col("pillar_url", "VARCHAR", False, since=6),
            _col(
                "pillar_reason",
                "VARCHAR",
                False,
                "the rule that chose it (topics/hubs.py)",
                since=6,
            ),
            _col(
                "spokes_to_pillar",
                "DOUBLE",
                False,
                "share of spokes linking to the pillar",
                since=6,
            ),
            _col(
                "pillar_to_spokes", "DOUBLE", False, "share of spokes the pillar links to", since=6
            ),
            _col("spoke_density", "DOUBLE", False, "links between spokes / s (s - 1)", since=6),
            _col(
                "leaked_share",
                "DOUBLE",
                False,
                "share of its content links' equity reaching other pages",
                since=6,
            ),
            _col("equity", "DOUBLE", False, "its pages' share of site equity, %", since=6),
            _col(
                "cohesion", "DOUBLE", False, "mean similarity of its pages to its centroid", since=6
            ),
        ),
        "crawl_id",
        since=6,
        about="Topic clusters of an analysed crawl, their pillar and hub-and-spoke health "
        "(topics/): written with the other analysis tables.",
    ),
    Table(
        "page_topics",
        (
            _col("crawl_id", "INTEGER", False, since=6),
            _col("url", "VARCHAR", False, since=6),
            _col("cluster", "INTEGER", False, since=6),
            _col("is_pillar", "BOOLEAN", False, since=6),
            _col("similarity", "DOUBLE", False, "cosine with its cluster's centroid", since=6),
            _col(
                "text_source",
                "VARCHAR",
                False,
                "content | title, h1 and inbound anchors (no text kept)",
                since=6,
            ),
        ),
        "crawl_id",
        since=6,
        about="The cluster of every live, indexable HTML page of an analysed crawl.",
    ),
    Table(
        "page_terms",
        (
            _col("crawl_id", "INTEGER", False, since=7),
            _col("url", "VARCHAR", False, since=7),
            _col("term", "VARCHAR", False, since=7),
            _col(
                "weight", "DOUBLE", False, "TF-IDF weight; a page's weights have L2 norm 1", since=7
            ),
        ),
        "crawl_id",
        since=7,
        about="The text model of an analysed crawl: every page's TF-IDF weight of each word.",
    ),
    Table(
        "recommendations",
        (
            _col("crawl_id", "INTEGER", False, since=9),
            _col("rank", "INTEGER", False, "the order the greedy choice took the link", since=9),
            _col("source_url", "VARCHAR", False, since=9),
            _col("target_url", "VARCHAR", False, since=9),
            _col("anchor", "VARCHAR", False, since=9),
            _col("anchor_in_text", "BOOLEAN", False, "found in the source's own text", since=9),
            _col("is_exact_match", "BOOLEAN", False, since=9),
            _col("snippet", "VARCHAR", note="the source's text around the anchor", since=9),
            _col("position", "VARCHAR", False, "records.LinkPosition", since=9),
            _col("relevance", "DOUBLE", False, "TF-IDF cosine of source and target", since=9),
            _col("source_equity_per_link", "DOUBLE", False, since=9),
            _col("predicted_gain", "DOUBLE", False, "the target's score change", since=9),
            _col("predicted_priority_gain", "DOUBLE", False, since=9),
            _col("cumulative_priority_gain", "DOUBLE", False, since=9),
            _col("single_priority_gain", "DOUBLE", False, since=9),
            _col("recommended_at", "TIMESTAMPTZ", False, since=9),
        ),
        "crawl_id",
        since=9,
        about="The new internal links `linkequity recommend` last proposed for a crawl, with "
        "their predicted gains (shares of the site's equity, 0-1).",
    ),
    Table(
        "imports",
        (
            _col("import_id", "INTEGER", key=True, since=3),
            _col(
                "tool",
                "VARCHAR",
                False,
                "ahrefs | semrush | majestic | moz | gsc | generic",
                since=3,
            ),
            _col(
                "report",
                "VARCHAR",
                False,
                "backlinks | referring_domains | anchors | "
                "linking_sites | linked_pages | sample_links: a sample (Search Console), so a "
                "later one without a link does not lose it",
                since=3,
            ),
            _col("format", "VARCHAR", False, "the detected format's name, e.g. ahrefs-v3", since=3),
            _col("path", "VARCHAR", False, since=3),
            _col("imported_at", "TIMESTAMPTZ", False, since=3),
            _col("exported_on", "DATE", note="when the tool made the export, if known", since=3),
            _col("rows", "INTEGER", False, since=3),
        ),
        "import_id",
        since=3,
        about="Every imported backlink export is a snapshot; deduplication across tools and "
        "snapshots happens on read (backlinks/current.py), so nothing an export said is lost.",
    ),
    Table(
        "backlinks",
        (
            _col("import_id", "INTEGER", False, since=3),
            _col("source_tool", "VARCHAR", False, since=3),
            _col("referring_url", "VARCHAR", False, since=3),
            _col(
                "referring_domain",
                "VARCHAR",
                False,
                "registrable domain of the referring page",
                since=3,
            ),
            _col(
                "target_url",
                "VARCHAR",
                note="normalised; NULL: the export does not say (Search Console's link samples)",
                since=3,
            ),
            _col("anchor", "VARCHAR", since=3),
            _col("is_nofollow", "BOOLEAN", False, since=3),
            _col("is_sponsored", "BOOLEAN", False, since=3),
            _col("is_ugc", "BOOLEAN", False, since=3),
            _col("is_image", "BOOLEAN", since=3),
            _col(
                "is_redirect", "BOOLEAN", note="the tool saw the link through a redirect", since=3
            ),
            _col("authority", "DOUBLE", note="0-100, normalised from the tool's metric", since=3),
            _col("domain_rating", "DOUBLE", note="Ahrefs DR", since=3),
            _col("url_rating", "DOUBLE", note="Ahrefs UR", since=3),
            _col("authority_score", "DOUBLE", note="Semrush AS (page or domain)", since=3),
            _col("trust_flow", "DOUBLE", note="Majestic TF", since=3),
            _col("citation_flow", "DOUBLE", note="Majestic CF", since=3),
            _col("domain_authority", "DOUBLE", note="Moz DA", since=3),
            _col("page_authority", "DOUBLE", note="Moz PA", since=3),
            _col("spam_score", "DOUBLE", note="Moz spam score, as given", since=3),
            _col("is_spam", "BOOLEAN", note="the tool's own spam flag", since=3),
            _col("external_links", "INTEGER", note="outbound links on the referring page", since=3),
            _col("page_language", "VARCHAR", since=3),
            _col("page_title", "VARCHAR", since=3),
            _col("first_seen", "DATE", since=3),
            _col("last_seen", "DATE", since=3),
            _col("lost_on", "DATE", note="the tool says the link is gone", since=3),
            _col("extra_json", "VARCHAR", note=_EXTRA, since=3),
        ),
        "import_id",
        since=3,
    ),
    Table(
        "referring_domains",
        (
            _col("import_id", "INTEGER", False, since=3),
            _col("source_tool", "VARCHAR", False, since=3),
            _col("domain", "VARCHAR", False, since=3),
            _col("authority", "DOUBLE", since=3),
            _col("backlinks", "INTEGER", since=3),
            _col("dofollow_backlinks", "INTEGER", since=3),
            _col("linked_pages", "INTEGER", since=3),
            _col("first_seen", "DATE", since=3),
            _col("last_seen", "DATE", since=3),
            _col("lost_on", "DATE", since=3),
            _col("extra_json", "VARCHAR", note=_EXTRA, since=3),
        ),
        "import_id",
        since=3,
    ),
    Table(
        "linked_pages",
        (
            _col("import_id", "INTEGER", False, since=3),
            _col("source_tool", "VARCHAR", False, since=3),
            _col("target_url", "VARCHAR", False, since=3),
            _col("backlinks", "INTEGER", since=3),
            _col("referring_domains", "INTEGER", since=3),
            _col("extra_json", "VARCHAR", note=_EXTRA, since=3),
        ),
        "import_id",
        since=3,
    ),
    Table(
        "backlink_anchors",
        (
            _col("import_id", "INTEGER", False, since=3),
            _col("source_tool", "VARCHAR", False, since=3),
            _col("anchor", "VARCHAR", False, since=3),
            _col("backlinks", "INTEGER", since=3),
            _col("referring_domains", "INTEGER", since=3),
            _col("dofollow_backlinks", "INTEGER", since=3),
            _col("first_seen", "DATE", since=3),
            _col("last_seen", "DATE", since=3),
            _col("extra_json", "VARCHAR", note=_EXTRA, since=3),
        ),
        "import_id",
        since=3,
        about="Anchors reports (Ahrefs Anchors, Search Console Top linking text): counts per text.",
    ),
    Table(
        "meta",
        (_col("key", "VARCHAR", key=True), _col("value", "VARCHAR", False)),
        None,
        about="The file's schema version.",
    ),
)

_BY_NAME = {t.name: t for t in ALL_TABLES}

#: The schema version a new file gets: the highest version any declaration names.
SCHEMA_VERSION = max(max(c.since for c in t.columns) for t in ALL_TABLES)
#: Tables a user can export, in the order they are documented.
EXPORTABLE: tuple[str, ...] = tuple(t.name for t in ALL_TABLES if t.snapshot is not None)
#: Tables whose rows belong to imports (``import_id``), not to a crawl: exported whole.
IMPORT_TABLES: frozenset[str] = frozenset(t.name for t in ALL_TABLES if t.snapshot == "import_id")


def table(name: str) -> Table:
    """The declaration of the table called ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise StoreError(f"Unknown table {name!r}; tables: {', '.join(EXPORTABLE)}.") from None
