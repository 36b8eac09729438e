"""DuckDB schema of a project file and its migrations (store stage).

A project is one DuckDB file. ``MIGRATIONS[i]`` takes a file from schema version ``i`` to
``i + 1``; a file records its version in ``meta``. Opening a file runs the missing migrations in
one transaction, so a file is never left half-migrated.

Tables carry their snapshot id (``crawl_id``). There are no PRIMARY KEY constraints on the big
tables: DuckDB keeps such indexes in memory and cannot update rows of indexed tables cheaply;
uniqueness of (crawl_id, url) is the writer's job and is tested.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "TABLES"]

_V1 = [
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
    """CREATE TABLE crawls (
        crawl_id INTEGER PRIMARY KEY,
        start_url VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,            -- running | finished
        settings_json VARCHAR NOT NULL
    )""",
    """CREATE TABLE pages (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        status_code SMALLINT,               -- NULL: never answered (blocked, connection error)
        content_type VARCHAR,
        depth INTEGER,                      -- clicks from the start URL; NULL: unreachable by links
        redirect_url VARCHAR,               -- Location of a 3xx, resolved and normalised
        canonical_url VARCHAR,
        meta_robots VARCHAR,
        x_robots_tag VARCHAR,
        indexable BOOLEAN NOT NULL,
        indexability_reason VARCHAR,
        title VARCHAR,
        h1 VARCHAR,
        meta_description VARCHAR,
        word_count INTEGER,
        text_sha1 VARCHAR,
        size_bytes BIGINT,
        elapsed_ms DOUBLE,
        in_sitemap BOOLEAN NOT NULL,
        fetched_at TIMESTAMPTZ,
        error VARCHAR,
        encoding VARCHAR
    )""",
    """CREATE TABLE links (
        crawl_id INTEGER NOT NULL,
        src_url VARCHAR NOT NULL,
        dst_url VARCHAR NOT NULL,
        anchor VARCHAR NOT NULL,
        alt VARCHAR,
        rel VARCHAR,
        is_nofollow BOOLEAN NOT NULL,
        is_sponsored BOOLEAN NOT NULL,
        is_ugc BOOLEAN NOT NULL,
        position VARCHAR NOT NULL,
        is_internal BOOLEAN NOT NULL,
        is_image BOOLEAN NOT NULL,
        ordinal INTEGER NOT NULL
    )""",
    """CREATE TABLE redirects (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,               -- the URL first requested
        hop INTEGER NOT NULL,               -- 0 for the first response
        status_code SMALLINT,
        location VARCHAR,
        is_loop BOOLEAN NOT NULL            -- location was already visited in this chain
    )""",
    """CREATE TABLE sitemap_urls (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        sitemap VARCHAR NOT NULL,
        lastmod VARCHAR
    )""",
    """CREATE TABLE sitemaps (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        status_code SMALLINT,
        kind VARCHAR,                       -- urlset | sitemapindex | NULL when unreadable
        url_count INTEGER NOT NULL,
        error VARCHAR
    )""",
    """CREATE TABLE robots_txt (
        crawl_id INTEGER NOT NULL,
        host VARCHAR NOT NULL,
        status_code SMALLINT,
        body VARCHAR,
        error VARCHAR
    )""",
    # The crawl frontier: every URL the crawl decided to visit, written in the same transaction
    # as the page that discovered it. Pending work = frontier minus pages (see crawl/frontier).
    """CREATE TABLE frontier (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        phase TINYINT NOT NULL,             -- 1: from the start URL; 2: from sitemap URLs
        level INTEGER NOT NULL,             -- breadth-first level within the phase
        found_from VARCHAR,                 -- the page that linked, redirected or canonicalised
        found_by VARCHAR NOT NULL           -- start | link | redirect | canonical | sitemap
    )""",
]

#: One list of statements per schema version step.
MIGRATIONS: list[list[str]] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)

#: Tables a user can export, in the order they are documented.
TABLES: tuple[str, ...] = (
    "crawls",
    "pages",
    "links",
    "redirects",
    "sitemap_urls",
    "sitemaps",
    "robots_txt",
    "frontier",
)
