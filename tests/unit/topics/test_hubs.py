"""Pillars and hub health, hand-computed on a tiny graph."""

from __future__ import annotations

import numpy as np
import pytest

from linkequity.topics.hubs import BROADEST, EQUITY, INLINKS, PRIORITY, SiteLinks, hubs, pick_pillar


def site(src: list[int], dst: list[int], content: list[bool], passed: list[float]) -> SiteLinks:
    n = 6
    s, d = np.array(src), np.array(dst)
    p = np.array(passed)
    c = np.array(content)
    out = np.bincount(s[c], weights=p[c], minlength=n)
    return SiteLinks(np.full(n, 10.0), np.full(n, 2.0), s, d, c, p, out, 0.85, 1.0)


def test_hub_metrics_of_two_clusters() -> None:
    # cluster 0: pages 0 (pillar) 1 2 3; cluster 1: pages 4 5
    labels = np.array([0, 0, 0, 0, 1, 1])
    links = site(
        [1, 2, 0, 1, 3, 4, 4],
        [0, 0, 1, 2, 4, 5, 0],
        [True, True, True, True, True, True, False],
        [1.0, 1.0, 2.0, 1.0, 3.0, 1.0, 5.0],
    )
    got = hubs(labels, links, np.zeros(6))
    first = got[0]
    assert (first.pillar, first.pillar_reason) == (0, INLINKS)  # two in-cluster inlinks
    assert first.spokes_to_pillar == pytest.approx(2 / 3)  # 1 and 2, not 3
    assert first.missing_to_pillar.tolist() == [3]
    assert first.pillar_to_spokes == pytest.approx(1 / 3)  # 0 links to 1 only
    assert first.spoke_density == pytest.approx(1 / 6)  # 1 -> 2 of 3 x 2
    # content equity of cluster 0: 1 + 1 + 2 + 1 + 3 = 8, of which 3 (3 -> 4) leaves
    assert first.leaked == pytest.approx(3.0) and first.leaked_share == pytest.approx(3 / 8)
    # cluster 1's navigation link to 0 is not content: no leak; 4 links to 5
    assert got[1].leaked_share == pytest.approx(0.0)
    assert links.new_link_equity(3) == pytest.approx(0.85 * 10.0 * 1.0 / 3.0)


def test_the_pillar_rules_in_order() -> None:
    members = np.array([0, 1, 2])
    inlinks = np.array([1, 1, 0])
    share = np.array([1.0, 3.0, 9.0])
    centrality = np.array([0.2, 0.9, 0.5])
    assert pick_pillar(members, inlinks, share, centrality, {2}) == (2, PRIORITY)
    assert pick_pillar(members, inlinks, share, centrality) == (1, EQUITY)
    assert pick_pillar(members, np.zeros(3), np.zeros(3), centrality) == (1, BROADEST)
