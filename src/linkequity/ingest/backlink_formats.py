"""The export formats of the backlink tools, recognised by their header row (acquire stage).

Each :class:`BacklinkFormat` is a tool, a report and the columns it reads, written from the
column names each tool and version documents or publishes in its exports. Formats are tried in
:data:`FORMATS` order and the first whose required columns are all present wins, so a format
whose required columns are a subset of another's comes after it (Semrush's old backlinks after
Moz's, which also have "Source URL" and "Target URL").

======================= ===================================================================
tool and report          columns that identify it
======================= ===================================================================
Ahrefs backlinks v3      Referring page URL, Target URL (Site Explorer since 2023: Domain
                         rating, UR, Nofollow / UGC / Sponsored, Lost, Is spam, ...)
Ahrefs backlinks (old)   Referring Page URL, Link URL (2017-2022: Domain Rating, URL Rating,
                         Link Anchor, Type, First Seen, Last Check, Day Lost)
Ahrefs referring domains Domain, Domain rating (or DR)
Ahrefs anchors           Anchor, Referring domains
Majestic backlinks       SourceURL, TargetURL, FlagNoFollow (also with spaces: Source URL,
                         Flag NoFollow), Source Trust / Citation Flow, Flag* columns
Moz inbound links        Source URL (or URL), Target URL, Domain Authority; the legacy Open
                         Site Explorer export is the same with preamble lines before it
Moz linking domains      Root Domain, Domain Authority
Semrush backlinks        Source url, Target url, Page ascore (current: Sponsored, Ugc, ...)
Semrush backlinks (old)  Source url, Target url (Page score, Trust score, no Sponsored / Ugc)
Semrush referring doms   Domain, Domain ascore (or Domain score)
Search Console links     Linking page [, Last crawled] ("Latest links", "More sample links")
Search Console sites     Site, Linking pages [, Target pages] ("Top linking sites")
Search Console pages     Target page, Incoming links [, Linking sites] ("Top linked pages")
Search Console text      Linking text ("Top linking text")
======================= ===================================================================

Search Console writes its headers in the account's language; the aliases cover English,
Spanish, German, French, Italian, Portuguese and Dutch, and the 2018 Search Console's English
columns (Domains / Your pages / Links / First discovered).

Authority (0-100). Each tool's headline metric is already on a 0-100 scale, so ``authority`` is
that value as given, taken from the first of these the file has:

* Ahrefs: Domain Rating, else URL Rating;
* Semrush: Authority Score of the page (Page ascore; Page score in old exports), of the domain
  for referring domains;
* Majestic: Trust Flow of the source page (Citation Flow is kept beside it, not used: it counts
  links, not trust);
* Moz: Domain Authority, else Page Authority;
* Search Console: none (the ``default_authority`` setting applies);
* generic: the column mapped to ``authority``, else the first of the metrics above mapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkequity.ingest.formats import Column, Format

__all__ = [
    "AUTHORITY_FIELDS",
    "BACKLINK_FIELDS",
    "FORMATS",
    "TOOLS",
    "BacklinkFormat",
    "generic_format",
]

#: Tools whose exports are known, as ``--tool`` takes them.
TOOLS: tuple[str, ...] = ("ahrefs", "semrush", "majestic", "moz", "gsc", "generic")


@dataclass(frozen=True, slots=True)
class BacklinkFormat:
    """One tool's report in one layout."""

    key: str
    """Stored as ``imports.format``: ``ahrefs-v3``, ``gsc-links``, ..."""
    tool: str
    report: str
    """``backlinks``, ``sample_links``, ``referring_domains``, ``linking_sites``,
    ``linked_pages`` or ``anchors``."""
    table: str
    """The store table its rows go to."""
    format: Format
    authority: tuple[str, ...] = ()
    """Fields whose first non-empty value is the 0-100 ``authority``."""
    preamble_key: str | None = None
    """The key when the file has preamble lines (Moz's legacy export)."""


def _c(field: str, *aliases: str, required: bool = False) -> Column:
    return Column(field, aliases, required)


def _req(field: str, *aliases: str) -> Column:
    return Column(field, aliases, True)


_AHREFS_V3 = Format(
    "Ahrefs backlinks (v3)",
    (
        _req("referring_url", "Referring page URL"),
        _req("target_url", "Target URL"),
        _c("page_title", "Referring page title"),
        _c("page_language", "Language"),
        _c("domain_rating", "Domain rating", "DR"),
        _c("url_rating", "UR", "URL rating"),
        _c("external_links", "External links"),
        _c("anchor", "Anchor"),
        _c("link_type", "Type"),
        _c("nofollow", "Nofollow"),
        _c("ugc", "UGC"),
        _c("sponsored", "Sponsored"),
        _c("is_spam", "Is spam"),
        _c("lost_status", "Lost status"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
        _c("lost_on", "Lost"),
    ),
)

_AHREFS_OLD = Format(
    "Ahrefs backlinks (old)",
    (
        _req("referring_url", "Referring Page URL"),
        _req("target_url", "Link URL"),
        _c("page_title", "Referring Page Title"),
        _c("domain_rating", "Domain Rating", "DR"),
        _c("url_rating", "URL Rating (desc)", "URL Rating", "UR"),
        _c("external_links", "External Links Count", "External Links"),
        _c("anchor", "Link Anchor", "Anchor"),
        _c("link_type", "Type"),
        _c("nofollow", "Nofollow"),
        _c("is_spam", "Is Spam"),
        _c("lost_status", "Backlink Status"),
        _c("page_language", "Language"),
        _c("first_seen", "First Seen"),
        _c("last_seen", "Last Check", "Last Seen"),
        _c("lost_on", "Day Lost", "Lost"),
    ),
)

_AHREFS_DOMAINS = Format(
    "Ahrefs referring domains",
    (
        _req("domain", "Domain", "Referring domain"),
        _req("domain_rating", "Domain rating", "DR"),
        _c("backlinks", "Links to target", "Backlinks", "Total backlinks"),
        _c("dofollow_backlinks", "Dofollow links", "Dofollow backlinks", "Dofollow"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
        _c("lost_on", "Lost"),
    ),
)

_AHREFS_ANCHORS = Format(
    "Ahrefs anchors",
    (
        _req("anchor", "Anchor"),
        _req("referring_domains", "Referring domains"),
        _c("backlinks", "Links to target", "Backlinks", "Total backlinks"),
        _c("dofollow_backlinks", "Dofollow links", "Dofollow backlinks", "Dofollow"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
    ),
)

_MAJESTIC = Format(
    "Majestic backlinks",
    (
        _req("referring_url", "SourceURL", "Source URL"),
        _req("target_url", "TargetURL", "Target URL"),
        _req("nofollow", "FlagNoFollow", "Flag NoFollow", "Flag No Follow"),
        _c("anchor", "AnchorText", "Anchor Text"),
        _c("trust_flow", "SourceTrustFlow", "Source Trust Flow"),
        _c("citation_flow", "SourceCitationFlow", "Source Citation Flow"),
        _c("is_redirect", "FlagRedirect", "Flag Redirect"),
        _c("is_image", "FlagImages", "Flag Images"),
        _c("deleted", "FlagDeleted", "Flag Deleted"),
        _c("mention", "FlagMention", "Flag Mention"),
        _c("page_title", "SourceTitle", "Source Title"),
        _c("first_seen", "FirstIndexedDate", "First Indexed Date"),
        _c("last_seen", "LastSeenDate", "Last Seen Date"),
        _c("lost_on", "DateLost", "Date Lost"),
    ),
)

_MOZ_LINKS = Format(
    "Moz inbound links",
    (
        _req("referring_url", "Source URL", "URL", "Link Source URL"),
        _req("target_url", "Target URL", "Link Target URL"),
        _req("domain_authority", "Domain Authority", "Source Domain Authority", "DA"),
        _c("page_authority", "Page Authority", "Source Page Authority", "PA"),
        _c("spam_score", "Spam Score"),
        _c("page_title", "Title", "Source Title"),
        _c("anchor", "Anchor Text"),
        _c("link_type", "Link Type"),
        _c("followable", "Followable"),
        _c("first_seen", "Date First Seen", "First Seen"),
        _c("last_seen", "Date Last Seen", "Last Seen"),
        _c("lost_on", "Date Lost", "Lost"),
    ),
)

_MOZ_DOMAINS = Format(
    "Moz linking domains",
    (
        _req("domain", "Root Domain", "Linking Domain"),
        _req("domain_authority", "Domain Authority", "DA"),
        _c("backlinks", "Links to Target", "Linking Pages", "Links"),
        _c("first_seen", "Date First Seen", "First Seen"),
        _c("last_seen", "Date Last Seen", "Last Seen"),
        _c("lost_on", "Date Lost", "Lost"),
    ),
)

_SEMRUSH = Format(
    "Semrush backlinks",
    (
        _req("referring_url", "Source url"),
        _req("target_url", "Target url"),
        _req("authority_score", "Page ascore"),
        _c("page_title", "Source title"),
        _c("anchor", "Anchor"),
        _c("external_links", "External links"),
        _c("nofollow", "Nofollow"),
        _c("sponsored", "Sponsored"),
        _c("ugc", "Ugc"),
        _c("is_image", "Image"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
        _c("lost_flag", "Lost link"),
    ),
)

_SEMRUSH_OLD = Format(
    "Semrush backlinks (old)",
    (
        _req("referring_url", "Source url"),
        _req("target_url", "Target url"),
        _c("authority_score", "Page score", "Page ascore"),
        _c("page_title", "Source title"),
        _c("anchor", "Anchor"),
        _c("external_links", "External links"),
        _c("nofollow", "Nofollow"),
        _c("is_image", "Image"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
        _c("lost_flag", "Lost link"),
    ),
)

_SEMRUSH_DOMAINS = Format(
    "Semrush referring domains",
    (
        _req("domain", "Domain"),
        _req("authority_score", "Domain ascore", "Domain score"),
        _c("backlinks", "Backlinks"),
        _c("first_seen", "First seen"),
        _c("last_seen", "Last seen"),
    ),
)

#: Search Console's column names in English, Spanish, German, French, Italian, Portuguese,
#: Dutch; English first (error messages name it).
_GSC_LINKING_PAGE = (
    "Linking page", "Página de enlace", "Página que enlaza", "Página enlazante",
    "Página de origen del enlace", "Verweisende Seite", "Verlinkende Seite",
    "Page de provenance du lien", "Page d'origine du lien", "Page avec lien",
    "Pagina di collegamento", "Pagina che rimanda", "Página com link", "Página de link",
    "Linkende pagina", "Verwijzende pagina",
)  # fmt: skip
_GSC_LAST_CRAWLED = (
    "Last crawled", "Último rastreo", "Fecha del último rastreo", "Zuletzt gecrawlt",
    "Letzter Crawl", "Dernière exploration", "Date de la dernière exploration",
    "Ultima scansione", "Último rastreamento", "Laatst gecrawld",
)  # fmt: skip
_GSC_SITE = ("Site", "Sitio", "Sitio web", "Website", "Site web", "Sito", "Domains")
_GSC_LINKING_PAGES = (
    "Linking pages", "Páginas de enlace", "Páginas que enlazan", "Páginas enlazantes",
    "Verweisende Seiten", "Verlinkende Seiten", "Pages de provenance du lien",
    "Pages d'origine du lien", "Pages avec lien", "Pagine di collegamento",
    "Pagine che rimandano", "Páginas com link", "Páginas de link", "Linkende pagina's",
    "Verwijzende pagina's", "Links",
)  # fmt: skip
_GSC_TARGET_PAGES = (
    "Target pages", "Páginas de destino", "Zielseiten", "Pages cibles", "Pagine di destinazione",
    "Doelpagina's", "Linked pages",
)  # fmt: skip
_GSC_TARGET_PAGE = (
    "Target page", "Página de destino", "Zielseite", "Page cible", "Pagina di destinazione",
    "Doelpagina", "Your pages",
)  # fmt: skip
_GSC_INCOMING = (
    "Incoming links", "Enlaces entrantes", "Eingehende Links", "Liens entrants",
    "Link in entrata", "Links de entrada", "Inkomende links", "Links",
)  # fmt: skip
_GSC_LINKING_SITES = (
    "Linking sites", "Sitios que enlazan", "Sitios de enlace", "Verweisende Websites",
    "Verlinkende Websites", "Sites de provenance du lien", "Sites avec lien",
    "Siti di collegamento", "Siti che rimandano", "Sites com link", "Sites de link",
    "Linkende sites", "Verwijzende sites", "Source domains",
)  # fmt: skip
_GSC_LINKING_TEXT = (
    "Linking text", "Texto del enlace", "Texto de enlace", "Linktext", "Texte du lien",
    "Texte d'ancrage", "Testo del link", "Texto do link", "Linktekst",
)  # fmt: skip

#: Header names (compared lower case) of Search Console exports in English, whose numeric
#: dates are month first (7/15/20).
ENGLISH_HEADERS = frozenset(
    a.lower()
    for a in (
        "Linking page", "Last crawled", "First discovered", "Links", "Site", "Linking pages",
        "Target page", "Incoming links", "Domains", "Your pages",
    )
)  # fmt: skip

_GSC_LINKS = Format(
    "Search Console links (Latest links, More sample links)",
    (
        _req("referring_url", *_GSC_LINKING_PAGE),
        _c("last_seen", *_GSC_LAST_CRAWLED),
    ),
)

_GSC_LINKS_2018 = Format(
    "Search Console sample links (2018)",
    (
        _req("referring_url", "Links"),
        _req("first_seen", "First discovered"),
    ),
)

_GSC_SITES = Format(
    "Search Console top linking sites",
    (
        _req("domain", *_GSC_SITE),
        _req("backlinks", *_GSC_LINKING_PAGES),
        _c("linked_pages", *_GSC_TARGET_PAGES),
    ),
)

_GSC_PAGES = Format(
    "Search Console top linked pages",
    (
        _req("target_url", *_GSC_TARGET_PAGE),
        _req("backlinks", *_GSC_INCOMING),
        _c("referring_domains", *_GSC_LINKING_SITES),
    ),
)

_GSC_TEXT = Format(
    "Search Console top linking text",
    (
        _req("anchor", *_GSC_LINKING_TEXT),
        _c("backlinks", *_GSC_LINKING_PAGES),
    ),
)

_AHREFS_AUTHORITY = ("domain_rating", "url_rating")
_MOZ_AUTHORITY = ("domain_authority", "page_authority")

#: Every format, in the order they are tried.
FORMATS: tuple[BacklinkFormat, ...] = (
    BacklinkFormat("ahrefs-v3", "ahrefs", "backlinks", "backlinks", _AHREFS_V3, _AHREFS_AUTHORITY),
    BacklinkFormat(
        "ahrefs-old", "ahrefs", "backlinks", "backlinks", _AHREFS_OLD, _AHREFS_AUTHORITY
    ),
    BacklinkFormat(
        "majestic", "majestic", "backlinks", "backlinks", _MAJESTIC, ("trust_flow",)
    ),
    BacklinkFormat(
        "moz-link-explorer", "moz", "backlinks", "backlinks", _MOZ_LINKS, _MOZ_AUTHORITY,
        preamble_key="moz-open-site-explorer",
    ),
    BacklinkFormat(
        "semrush", "semrush", "backlinks", "backlinks", _SEMRUSH, ("authority_score",)
    ),
    BacklinkFormat(
        "semrush-old", "semrush", "backlinks", "backlinks", _SEMRUSH_OLD, ("authority_score",)
    ),
    BacklinkFormat("gsc-links", "gsc", "sample_links", "backlinks", _GSC_LINKS),
    BacklinkFormat("gsc-links-2018", "gsc", "sample_links", "backlinks", _GSC_LINKS_2018),
    BacklinkFormat(
        "ahrefs-referring-domains", "ahrefs", "referring_domains", "referring_domains",
        _AHREFS_DOMAINS, ("domain_rating",),
    ),
    BacklinkFormat(
        "semrush-referring-domains", "semrush", "referring_domains", "referring_domains",
        _SEMRUSH_DOMAINS, ("authority_score",),
    ),
    BacklinkFormat(
        "moz-linking-domains", "moz", "referring_domains", "referring_domains", _MOZ_DOMAINS,
        ("domain_authority",),
    ),
    BacklinkFormat(
        "gsc-linking-sites", "gsc", "linking_sites", "referring_domains", _GSC_SITES
    ),
    BacklinkFormat("gsc-linked-pages", "gsc", "linked_pages", "linked_pages", _GSC_PAGES),
    BacklinkFormat("ahrefs-anchors", "ahrefs", "anchors", "backlink_anchors", _AHREFS_ANCHORS),
    BacklinkFormat("gsc-linking-text", "gsc", "anchors", "backlink_anchors", _GSC_TEXT),
)  # fmt: skip

#: Fields a generic mapping can fill (``--map field=column``), with what each holds.
BACKLINK_FIELDS: dict[str, str] = {
    "referring_url": "the page that links (required)",
    "target_url": "the page linked to",
    "anchor": "anchor text",
    "rel": "rel attribute or link type (nofollow, sponsored, ugc, image, redirect)",
    "nofollow": "true when the link is nofollow",
    "sponsored": "true when the link is sponsored",
    "ugc": "true when the link is ugc",
    "is_image": "true for an image link",
    "is_redirect": "true when the link reaches the target through a redirect",
    "authority": "authority 0-100",
    "domain_rating": "Ahrefs Domain Rating",
    "url_rating": "Ahrefs URL Rating",
    "authority_score": "Semrush Authority Score",
    "trust_flow": "Majestic Trust Flow",
    "citation_flow": "Majestic Citation Flow",
    "domain_authority": "Moz Domain Authority",
    "page_authority": "Moz Page Authority",
    "spam_score": "Moz spam score (percent, or n/17)",
    "is_spam": "true when the tool flags the link as spam",
    "external_links": "outbound links on the referring page",
    "page_language": "language of the referring page",
    "page_title": "title of the referring page",
    "first_seen": "date first seen",
    "last_seen": "date last seen",
    "lost_on": "date the link was lost",
}

#: Fields tried for ``authority`` in a generic mapping, in order.
AUTHORITY_FIELDS: tuple[str, ...] = (
    "authority", "domain_rating", "authority_score", "trust_flow", "domain_authority",
    "url_rating", "page_authority",
)  # fmt: skip


def generic_format(mapping: dict[str, str], tool: str = "generic") -> BacklinkFormat:
    """The format a ``field -> column`` mapping describes (fields checked by the caller)."""
    columns = tuple(
        Column(field, (column,), required=field == "referring_url")
        for field, column in mapping.items()
    )
    name = "Generic CSV (" + ", ".join(f"{f}={c}" for f, c in mapping.items()) + ")"
    return BacklinkFormat(
        "generic", tool, "backlinks", "backlinks", Format(name, columns), AUTHORITY_FIELDS
    )
