"""Backlinks into the equity model: the teleport vector they seed (analyze stage).

Each live backlink (not lost) lands on a crawled URL, which the equity graph resolves to a page
through redirects and canonicals. Its *strength* is

    authority / 100  x  (1, or ``nofollow_weight`` for nofollow / sponsored / ugc)
                     x  (1 - toxicity / 100)

with ``default_authority`` when the export gives none. A referring domain counts once per
landing page, with its strongest link: fifty footer links from one site are one vote, as link
indexes count referring domains rather than links. The seed of a page is the sum over referring
domains; backlinks to URLs the crawl did not fetch cannot be placed and are counted apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.backlinks.toxicity import Signal, link_toxicity, score
from linkequity.settings import BacklinkSettings
from linkequity.store import Store
from linkequity.urls import registrable_domain

__all__ = ["Seeding", "brand_terms_of", "seed_vector", "strength"]


@dataclass(frozen=True, slots=True)
class Seeding:
    """The teleport seed from backlinks and what could not be placed."""

    seed: npt.NDArray[np.float64]
    """Per node of the graph, the strength of the backlinks landing on it (not normalised)."""
    backlinks: int
    """Live backlinks considered."""
    placed: int
    """Of those, the ones landing on a page of the crawl."""
    unplaced_strength: float
    """Strength of the backlinks landing on URLs the crawl did not fetch or cannot hold equity."""
    links: pa.Table
    """The live backlinks with their toxicity and strength, for the backlink reports."""
    signals: list[list[Signal]]


def strength(
    authority: float | None, follow: bool, toxicity: float, settings: BacklinkSettings
) -> float:
    """What one backlink brings: authority x follow x (1 - toxicity), each in 0-1."""
    known = settings.default_authority if authority is None else authority
    return (
        max(0.0, min(known, 100.0)) / 100.0
        * (1.0 if follow else settings.nofollow_weight)
        * (1.0 - toxicity / 100.0)
    )  # fmt: skip


def brand_terms_of(store: Store, crawl_id: int, settings: BacklinkSettings) -> tuple[str, ...]:
    """The configured brand terms, else the site's name from its home page title and domain."""
    if settings.brand_terms:
        return settings.brand_terms
    row = store.one(
        "SELECT c.start_url, p.title FROM crawls c LEFT JOIN pages p "
        "ON p.crawl_id = c.crawl_id AND p.url = c.start_url WHERE c.crawl_id = ?",
        [crawl_id],
    )
    if row is None:
        return ()
    start, title = row
    host = str(start).split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    terms = {registrable_domain(host).split(".", 1)[0]}
    if title:
        # "Tents | Northwind Outfitters": the site's name is the last part of the title.
        parts = re.split(r"\s+[|\u2013\u2014\u00b7-]\s+", str(title))
        terms.add(parts[-1].strip().lower())
    return tuple(sorted(t for t in terms if len(t) >= 3 and not t.replace(".", "").isdigit()))


def seed_vector(
    store: Store,
    crawl_id: int,
    backlinks: pa.Table,
    settings: BacklinkSettings,
    landing: Mapping[str, int],
    nodes: int,
) -> Seeding:
    """The seed of each of ``nodes`` nodes from the live rows of ``backlinks``.

    ``landing`` maps each crawled URL whose inlinks reach a node to that node's id (the equity
    graph's redirects and canonicals resolved; the caller builds it). See the module docstring.
    """
    live = backlinks.filter(pa.compute.invert(backlinks.column("lost")))
    signals = link_toxicity(live, settings, brand_terms_of(store, crawl_id, settings))
    best: dict[tuple[str, int], float] = defaultdict(float)
    strengths: list[float] = []
    placed = 0
    unplaced = 0.0
    rows = live.select(
        ["referring_domain", "target_url", "authority", "is_nofollow", "is_sponsored", "is_ugc"]
    ).to_pylist()
    for row, fired in zip(rows, signals, strict=True):
        follow = not (row["is_nofollow"] or row["is_sponsored"] or row["is_ugc"])
        value = strength(row["authority"], follow, score(fired), settings)
        strengths.append(value)
        node = landing.get(row["target_url"])
        if node is None:
            unplaced += value
            continue
        placed += 1
        key = (row["referring_domain"], node)
        best[key] = max(best[key], value)
    seed = np.zeros(nodes)
    for (_domain, node), value in best.items():
        seed[node] += value
    links = live.append_column("toxicity", pa.array([score(s) for s in signals], pa.float64()))
    links = links.append_column("strength", pa.array(strengths, pa.float64()))
    return Seeding(seed, live.num_rows, placed, unplaced, links, signals)
