"""Backlink exports of the example site in four tools' formats, and their truth (example stage).

:func:`write_backlink_exports` writes what Ahrefs (v3, UTF-16 tab-separated), Semrush (CSV),
Majestic (CSV) and Search Console (Latest links, in Spanish) would export for the example
site served at ``origin``, from one seeded model of who links to it:

* 24 ordinary referring sites, several pages each, linking to live pages, a few to URLs that
  answer 4xx and to URLs that redirect (from the site's :class:`~linkequity.example.GroundTruth`);
* three toxic sites: a casino domain under .xyz, a pharmacy domain the tool flags as spam, a
  link directory the tool flags as spam with a thousand outbound links;
* tools overlap as real ones do: Ahrefs sees most links, Semrush and Majestic part of them and
  a few of their own, Search Console lists some linking pages (without their target) and two
  pages no other tool knows;
* one link Ahrefs reports as lost.

:func:`expected_backlinks` derives from the same model, not from the files, what an import of
all of them must show (see :class:`ExpectedBacklinks`).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from linkequity.example.site import ExampleSite
from linkequity.urls import netloc_of, registrable_domain

__all__ = ["ExpectedBacklinks", "expected_backlinks", "write_backlink_exports"]

#: Seed of the model; the same seed writes the same files.
SEED = 11
_DAY = "2024-05-{:02d}"

_GOOD_NAMES = (
    "trailjournal", "summitnews", "campcraft", "peakreview", "wildernesslog", "hikehub",
    "alpineweekly", "backpackerdaily", "outdoorclub", "gearlab", "riverguide", "forestnotes",
)  # fmt: skip
_TLDS = ("com", "org", "net", "co.uk")
_ANCHORS = ("Northwind Outfitters", "great tents", "this guide", "Northwind", "read more", "")


@dataclass(frozen=True)
class _Link:
    referring_url: str
    domain: str
    target_url: str
    anchor: str
    nofollow: bool
    rating: int
    """0-100: Ahrefs DR, Semrush AS and Majestic TF are drawn around it."""
    title: str
    tools: frozenset[str]
    lost: bool = False
    is_spam: bool = False
    external_links: int = 20


@dataclass(frozen=True)
class ExpectedBacklinks:
    """What an import of every export must show."""

    live_backlinks: int
    """Distinct (referring URL, target URL) pairs not lost, plus Search Console's pages that no
    other tool reports (one backlink each, target unknown)."""
    lost_backlinks: int
    referring_domains: tuple[str, ...]
    """Registrable domains of the live backlinks, sorted."""
    toxic_domains: tuple[str, ...]
    """Domains whose toxicity reaches the default disavow threshold (60), sorted."""
    to_broken: int
    """Live backlinks whose target answers 4xx / 5xx."""
    to_redirected: int
    """Live backlinks whose target redirects."""
    rows_by_tool: dict[str, int] = field(default_factory=dict)


def _model(site: ExampleSite, origin: str) -> tuple[list[_Link], list[str]]:
    """The links, and Search Console's linking pages that no other tool reports."""
    truth = site.truth(origin)
    rng = random.Random(SEED)
    live = sorted(
        u for u, p in truth.pages.items() if p.status_code == 200 and p.content_type == "text/html"
    )
    broken = sorted({b.dst_url for b in truth.broken_links})[:2]
    redirected = sorted(
        c.url for c in truth.redirect_chains
        if not c.is_loop and c.final_url is not None and c.final_url.startswith(origin)
    )[:2]  # fmt: skip
    links: list[_Link] = []
    for i in range(24):
        name = _GOOD_NAMES[i % len(_GOOD_NAMES)] + (str(i) if i >= len(_GOOD_NAMES) else "")
        domain = f"{name}.{_TLDS[i % len(_TLDS)]}"
        rating = rng.randint(15, 85)
        for page in range(1 + i % 3):
            if i < len(broken) and page == 0:
                target = broken[i]
            elif len(broken) <= i < len(broken) + len(redirected) and page == 0:
                target = redirected[i - len(broken)]
            else:
                target = live[rng.randrange(len(live))]
            # Ahrefs sees nearly everything; Semrush and Majestic part of it, and a few links
            # only one of them knows
            tools = {"ahrefs"} if i % 7 != 6 else set()
            if i % 2 == 0 or not tools:
                tools.add("semrush")
            if i % 3 == 0 or i % 7 == 6:
                tools.add("majestic")
            if i % 4 == 1:
                tools.add("gsc")
            links.append(
                _Link(
                    referring_url=f"https://www.{domain}/posts/{i}-{page}/",
                    domain=domain,
                    target_url=target,
                    anchor=rng.choice(_ANCHORS),
                    nofollow=rng.random() < 0.2,
                    rating=rating,
                    title=f"Post {page} on {name}",
                    tools=frozenset(tools),
                )
            )
    # one link Ahrefs saw go
    gone = links[5]
    links[5] = _Link(**{**gone.__dict__, "tools": frozenset({"ahrefs"}), "lost": True})
    home = origin.rstrip("/") + "/"
    links += [
        _Link("https://best-casino-bonus.xyz/partners", "best-casino-bonus.xyz", home,
              "buy cheap tents", False, 2, "Casino partners", frozenset({"ahrefs"}),
              external_links=900),
        _Link("https://cheap-pills-pharmacy.top/links", "cheap-pills-pharmacy.top", home,
              "Northwind", False, 5, "Links", frozenset({"ahrefs"}), is_spam=True),
        _Link("https://seo-directory-links.xyz/outdoor/page-3", "seo-directory-links.xyz",
              live[0], "tents", False, 1, "Outdoor directory", frozenset({"ahrefs"}),
              is_spam=True, external_links=1000),
    ]  # fmt: skip
    only_gsc = ["https://forum.alpine-friends.net/t/77", "https://tentfans.org/threads/12"]
    return links, only_gsc


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


_AHREFS = (
    "Referring page title", "Referring page URL", "Language", "Platform",
    "Referring page HTTP code", "Domain rating", "UR", "Domain traffic", "Referring domains",
    "Linked domains", "External links", "Page traffic", "Keywords", "Target URL",
    "Left context", "Anchor", "Right context", "Type", "Content", "Nofollow", "UGC",
    "Sponsored", "Rendered", "Raw", "Is spam", "Lost status", "Drop reason",
    "Discovered status", "First seen", "Last seen", "Lost", "Links in group",
)  # fmt: skip


def _bool(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def write_backlink_exports(site: ExampleSite, origin: str, directory: Path) -> list[Path]:
    """Write the four tools' exports for ``site`` served at ``origin``; returns their paths."""
    links, only_gsc = _model(site, origin)
    directory.mkdir(parents=True, exist_ok=True)
    ahrefs: list[list[str]] = [list(_AHREFS)]
    semrush: list[list[str]] = [[
        "Page ascore", "Source title", "Source url", "Target url", "Anchor", "External links",
        "Internal links", "Nofollow", "Sponsored", "Ugc", "Text", "Frame", "Form", "Image",
        "Sitewide", "First seen", "Last seen", "New link", "Lost link",
    ]]  # fmt: skip
    majestic: list[list[str]] = [[
        "SourceURL", "AnchorText", "SourceTrustFlow", "SourceCitationFlow", "Domain",
        "FirstIndexedDate", "LinkType", "TargetURL", "FlagRedirect", "FlagFrame",
        "FlagNoFollow", "FlagImages", "FlagDeleted", "FlagAltText", "LastSeenDate",
        "FlagMention", "DateLost",
    ]]  # fmt: skip
    gsc: list[list[str]] = [["Página de enlace", "Último rastreo"]]
    for n, link in enumerate(links):
        day = 1 + n % 28
        if "ahrefs" in link.tools:
            ahrefs.append([
                link.title, link.referring_url, "en", "wordpress", "200", str(link.rating),
                f"{link.rating / 5:.1f}", "1200", "3", "10", str(link.external_links), "5", "7",
                link.target_url, "see", link.anchor, "for more", "text", "TRUE",
                _bool(link.nofollow), "FALSE", "FALSE", "TRUE", "TRUE", _bool(link.is_spam),
                "linkremoved" if link.lost else "", "", "linkfound", f"2023-03-{day:02d} 6:20",
                _DAY.format(day) + " 17:42", _DAY.format(day + 1) + " 9:00" if link.lost else "",
                "1",
            ])  # fmt: skip
        if "semrush" in link.tools:
            semrush.append([
                str(max(0, link.rating - 20)), link.title, link.referring_url, link.target_url,
                link.anchor, str(link.external_links), "40", _bool(link.nofollow).lower(),
                "false", "false", "true", "false", "false", "false", "false",
                f"2023-04-{day:02d}", _DAY.format(day), "false", "false",
            ])  # fmt: skip
        if "majestic" in link.tools:
            majestic.append([
                link.referring_url, link.anchor, str(link.rating // 2), str(link.rating // 2 + 5),
                link.domain, f"2023-05-{day:02d}", "TextLink", link.target_url, "False", "False",
                str(link.nofollow), "False", "False", "False", _DAY.format(day), "False", "",
            ])  # fmt: skip
        if "gsc" in link.tools:
            gsc.append([link.referring_url, f"{day:02d}/05/2024"])
    gsc += [[url, "15/05/2024"] for url in only_gsc]
    paths = [
        directory / "ahrefs_backlinks_2024-05-30.tsv",
        directory / "semrush_backlinks.csv",
        directory / "majestic_backlinks.csv",
        directory / "gsc_enlaces_recientes.csv",
    ]
    # Ahrefs' "For Excel" export: UTF-16 with a byte order mark, tab-separated
    paths[0].write_bytes(b"\xff\xfe" + _csv(ahrefs, "\t").encode("utf-16-le"))
    paths[1].write_text(_csv(semrush), encoding="utf-8")
    paths[2].write_text(_csv(majestic), encoding="utf-8")
    paths[3].write_bytes(b"\xef\xbb\xbf" + _csv(gsc).encode("utf-8"))
    return paths


def expected_backlinks(site: ExampleSite, origin: str) -> ExpectedBacklinks:
    """What importing :func:`write_backlink_exports`' files must give, from the model."""
    links, only_gsc = _model(site, origin)
    truth = site.truth(origin)
    broken = {u for u, p in truth.pages.items() if p.status_code and p.status_code >= 400}
    redirects = {c.url for c in truth.redirect_chains}
    # links only Search Console reports name no target; those of other tools merge with them
    targeted = [link for link in links if link.tools - {"gsc"}]
    live = [link for link in targeted if not link.lost]
    domains = {link.domain for link in live} | {registrable_domain(netloc_of(u)) for u in only_gsc}
    # toxic by construction (default weights): casino 35 + .xyz 10 + commercial anchor 15 + low
    # authority with many outbound links 20; pharmacy 35 + spam flag 40 + .top 10; directory
    # spam flag 40 + .xyz 10 + low authority with many outbound links 20
    toxic = ("best-casino-bonus.xyz", "cheap-pills-pharmacy.top", "seo-directory-links.xyz")
    rows = {
        tool: sum(tool in link.tools for link in links)
        for tool in ("ahrefs", "semrush", "majestic")
    }
    rows["gsc"] = sum("gsc" in link.tools for link in links) + len(only_gsc)
    return ExpectedBacklinks(
        live_backlinks=len({(link.referring_url, link.target_url) for link in live})
        + len(only_gsc),
        lost_backlinks=sum(link.lost for link in targeted),
        referring_domains=tuple(sorted(domains)),
        toxic_domains=toxic,
        to_broken=sum(link.target_url in broken for link in live),
        to_redirected=sum(link.target_url in redirects for link in live),
        rows_by_tool=rows,
    )
