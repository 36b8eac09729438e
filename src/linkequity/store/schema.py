"""DuckDB schema of a project file and its migrations (store stage).

A project is one DuckDB file. ``MIGRATIONS[i]`` takes a file from schema version ``i`` to
``i + 1``; a file records its version in ``meta``. Opening a file runs the missing migrations in
one transaction, so a file is never left half-migrated.

Tables carry their snapshot id (``crawl_id``). There are no PRIMARY KEY constraints on the big
tables: DuckDB keeps such indexes in memory and cannot update rows of indexed tables cheaply;
uniqueness of (crawl_id, url) is the writer's job and is tested.
"""

from __future__ import annotations

__all__ = ["IMPORT_TABLES", "MIGRATIONS", "SCHEMA_VERSION", "TABLES"]

_V1 = [
    """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
    """CREATE TABLE crawls (
        crawl_id INTEGER PRIMARY KEY,
        start_url VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,            -- running | finished | imported
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

# The analyze stage's tables (issue: equity engine). One analysis per crawl: analysing again
# replaces the crawl's rows in all four tables in one transaction.
_V2 = [
    """CREATE TABLE analyses (
        crawl_id INTEGER PRIMARY KEY,
        analysed_at TIMESTAMPTZ NOT NULL,
        settings_json VARCHAR NOT NULL,
        pages INTEGER NOT NULL,             -- URLs of the crawl
        nodes INTEGER NOT NULL,             -- pages that hold equity
        edges BIGINT NOT NULL,              -- links that pass equity between them
        iterations INTEGER NOT NULL,
        residual DOUBLE NOT NULL,
        method VARCHAR NOT NULL,
        -- shares of all the equity that links pass on (sum to 1 with passed_internal)
        passed_internal DOUBLE NOT NULL,
        wasted_broken DOUBLE NOT NULL,      -- links to 4xx / 5xx / unreachable / looping URLs
        wasted_blocked DOUBLE NOT NULL,     -- links to URLs robots.txt blocks
        evaporated_nofollow DOUBLE NOT NULL,
        evaporated_sponsored DOUBLE NOT NULL,
        evaporated_ugc DOUBLE NOT NULL,
        leaked_external DOUBLE NOT NULL,
        dangling DOUBLE NOT NULL,           -- share of all equity held by pages without links
        gini DOUBLE NOT NULL,
        top1_share DOUBLE NOT NULL,
        top10_share DOUBLE NOT NULL
    )""",
    """CREATE TABLE page_scores (
        crawl_id INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        role VARCHAR NOT NULL,              -- page | redirect | canonicalised | broken | ...
        equity_url VARCHAR,                 -- the page its inlinks' equity goes to
        link_outcome VARCHAR NOT NULL,      -- what a link to it does: node | broken | blocked
                                            -- | external | excluded
        score DOUBLE,                       -- raw PageRank, sums to 1 over pages
        link_score DOUBLE,                  -- 0-100, log scale
        share DOUBLE,                       -- share of site equity, as a percentage
        rank INTEGER,
        received_content DOUBLE,
        received_navigation DOUBLE,
        received_header DOUBLE,
        received_footer DOUBLE,
        received_sidebar DOUBLE,
        received_unknown DOUBLE,
        received_teleport DOUBLE,
        equity_per_weight DOUBLE,           -- what one unit of link weight passes from here
        crawl_depth INTEGER,
        inlinks INTEGER NOT NULL,
        unique_inlinks INTEGER NOT NULL,
        content_inlinks INTEGER NOT NULL,
        followed_inlinks INTEGER NOT NULL,
        outlinks INTEGER NOT NULL,
        unique_outlinks INTEGER NOT NULL,
        external_outlinks INTEGER NOT NULL,
        status_code SMALLINT,
        indexable BOOLEAN NOT NULL,
        indexability_reason VARCHAR,
        title VARCHAR
    )""",
    """CREATE TABLE findings (
        crawl_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,          -- error | warning | notice
        url VARCHAR NOT NULL,
        summary VARCHAR NOT NULL,
        detail_json VARCHAR NOT NULL
    )""",
    """CREATE TABLE anchors (
        crawl_id INTEGER NOT NULL,
        target_url VARCHAR NOT NULL,        -- the page the links' equity reaches
        anchor VARCHAR NOT NULL,            -- whitespace-normalised; image links: alt text
        links INTEGER NOT NULL,
        source_pages INTEGER NOT NULL,
        is_generic BOOLEAN NOT NULL,
        is_empty BOOLEAN NOT NULL,
        is_exact_match BOOLEAN NOT NULL     -- equals the target's keyword
    )""",
]

# Backlinks (issue: backlinks). Every imported export is a snapshot (one ``imports`` row); its
# rows keep the tool's own metrics beside an authority normalised to 0-100. Deduplication
# across tools and snapshots happens on read (same referring URL and target), so nothing an
# export said is lost and new / lost links show between snapshots.
_V3 = [
    """CREATE TABLE imports (
        import_id INTEGER PRIMARY KEY,
        tool VARCHAR NOT NULL,              -- ahrefs | semrush | majestic | moz | gsc | generic
        report VARCHAR NOT NULL,            -- backlinks | referring_domains | anchors
                                            -- | linking_sites | linked_pages
                                            -- | sample_links: a sample (Search Console), so
                                            --   a later one without a link does not lose it
        format VARCHAR NOT NULL,            -- the detected format's name, e.g. ahrefs-v3
        path VARCHAR NOT NULL,
        imported_at TIMESTAMPTZ NOT NULL,
        exported_on DATE,                   -- when the tool made the export, if known
        rows INTEGER NOT NULL
    )""",
    """CREATE TABLE backlinks (
        import_id INTEGER NOT NULL,
        source_tool VARCHAR NOT NULL,
        referring_url VARCHAR NOT NULL,
        referring_domain VARCHAR NOT NULL,  -- registrable domain of the referring page
        target_url VARCHAR,                 -- normalised; NULL: the export does not say
                                            -- (Search Console's link samples)
        anchor VARCHAR,
        is_nofollow BOOLEAN NOT NULL,
        is_sponsored BOOLEAN NOT NULL,
        is_ugc BOOLEAN NOT NULL,
        is_image BOOLEAN,
        is_redirect BOOLEAN,                -- the tool saw the link through a redirect
        authority DOUBLE,                   -- 0-100, normalised from the tool's metric
        domain_rating DOUBLE,               -- Ahrefs DR
        url_rating DOUBLE,                  -- Ahrefs UR
        authority_score DOUBLE,             -- Semrush AS (page or domain)
        trust_flow DOUBLE,                  -- Majestic TF
        citation_flow DOUBLE,               -- Majestic CF
        domain_authority DOUBLE,            -- Moz DA
        page_authority DOUBLE,              -- Moz PA
        spam_score DOUBLE,                  -- Moz spam score, as given
        is_spam BOOLEAN,                    -- the tool's own spam flag
        external_links INTEGER,             -- outbound links on the referring page
        page_language VARCHAR,
        page_title VARCHAR,
        first_seen DATE,
        last_seen DATE,
        lost_on DATE,                       -- the tool says the link is gone
        extra_json VARCHAR                  -- every other column of the row, as given
    )""",
    """CREATE TABLE referring_domains (
        import_id INTEGER NOT NULL,
        source_tool VARCHAR NOT NULL,
        domain VARCHAR NOT NULL,
        authority DOUBLE,
        backlinks INTEGER,
        dofollow_backlinks INTEGER,
        linked_pages INTEGER,
        first_seen DATE,
        last_seen DATE,
        lost_on DATE,
        extra_json VARCHAR
    )""",
    # scores with backlinks beside the internal-only ones
    "ALTER TABLE page_scores ADD COLUMN internal_score DOUBLE",
    "ALTER TABLE page_scores ADD COLUMN internal_link_score DOUBLE",
    "ALTER TABLE page_scores ADD COLUMN backlink_seed DOUBLE",  # share of the seed landing here
    "ALTER TABLE page_scores ADD COLUMN from_backlinks DOUBLE",  # share of the score they bring
    "ALTER TABLE analyses ADD COLUMN external_weight DOUBLE",
    "ALTER TABLE analyses ADD COLUMN backlinks INTEGER",
    "ALTER TABLE analyses ADD COLUMN backlinks_placed INTEGER",
    """CREATE TABLE linked_pages (
        import_id INTEGER NOT NULL,
        source_tool VARCHAR NOT NULL,
        target_url VARCHAR NOT NULL,
        backlinks INTEGER,
        referring_domains INTEGER,
        extra_json VARCHAR
    )""",
    # anchors reports (Ahrefs "Anchors", Search Console "Top linking text"): counts per text
    """CREATE TABLE backlink_anchors (
        import_id INTEGER NOT NULL,
        source_tool VARCHAR NOT NULL,
        anchor VARCHAR NOT NULL,
        backlinks INTEGER,
        referring_domains INTEGER,
        dofollow_backlinks INTEGER,
        first_seen DATE,
        last_seen DATE,
        extra_json VARCHAR
    )""",
]

#: One list of statements per schema version step.
MIGRATIONS: list[list[str]] = [_V1, _V2, _V3]
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
    "analyses",
    "page_scores",
    "findings",
    "anchors",
    "imports",
    "backlinks",
    "referring_domains",
    "linked_pages",
    "backlink_anchors",
)

#: Tables whose rows belong to imports (``import_id``), not to a crawl: exported whole.
IMPORT_TABLES: frozenset[str] = frozenset(
    {"imports", "backlinks", "referring_domains", "linked_pages", "backlink_anchors"}
)
