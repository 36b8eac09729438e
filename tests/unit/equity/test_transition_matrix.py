"""Building the transition matrix from link arrays: shares, duplicates, evaporation, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from linkequity.equity import transition_matrix
from linkequity.errors import ConfigError


def test_unweighted_links_split_equity_evenly_and_duplicates_add_up() -> None:
    # Page 0 links to page 1 twice and to page 2 once; page 2 has no links.
    matrix = transition_matrix(3, [0, 0, 0, 1], [1, 1, 2, 0])
    assert matrix.format == "csr"
    assert matrix.has_canonical_format
    assert matrix.toarray().tolist() == [[0, 2 / 3, 1 / 3], [1, 0, 0], [0, 0, 0]]


def test_total_weight_counts_links_that_pass_nothing() -> None:
    # Page 0: a content link (1.0) and a footer link (0.2) to page 1, plus an evaporating
    # nofollow link and an external link (1.0 each) that count in its total of 3.2.
    matrix = transition_matrix(2, [0, 0, 1], [1, 1, 0], [1.0, 0.2, 1.0], [3.2, 1.0])
    assert matrix.toarray() == pytest.approx(np.array([[0, 1.2 / 3.2], [1, 0]]))


def test_zero_weight_links_and_zero_totals_leave_no_entries() -> None:
    matrix = transition_matrix(3, [0, 1, 2], [1, 2, 0], [1.0, 0.0, 0.0], [1.0, 0.0, 2.0])
    assert matrix.nnz == 1
    assert matrix.toarray().sum(axis=1).tolist() == [1.0, 0.0, 0.0]


def test_large_graphs_get_four_byte_indices() -> None:
    rng = np.random.default_rng(0)
    matrix = transition_matrix(1000, rng.integers(0, 1000, 5000), rng.integers(0, 1000, 5000))
    assert matrix.indices.dtype == np.int32
    assert matrix.sum(axis=1).max() == pytest.approx(1.0)


def test_no_pages() -> None:
    assert transition_matrix(0, [], []).shape == (0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, [], []), "The number of pages must be a whole number >= 0, not -1."),
        ((2.0, [], []), "The number of pages must be a whole number >= 0, not 2.0."),
        ((3, [0, 1, 2], [1, 2]), "src, dst and weight must have the same length, not 3, 2 and 3."),
        (
            (3, [0, 1], [1, 2], [1.0]),
            "src, dst and weight must have the same length, not 2, 2 and 1.",
        ),
        ((3, [0.0, 1.0], [1, 2]), "src must hold integer page ids, not float64 values."),
        ((3, [0, 1], [1, 5]), "Link 1 has dst page 5, outside 0..2."),
        ((3, [0, -1], [1, 2]), "Link 1 has src page -1, outside 0..2."),
        (
            (3, [0, 1], [1, 2], [1.0, -2.0]),
            "Link 1 has weight -2.0; link weights must be finite and >= 0.",
        ),
        (
            (3, [0, 1], [1, 2], [np.nan, 1.0]),
            "Link 0 has weight nan; link weights must be finite and >= 0.",
        ),
        ((3, [0, 1], [1, 2], None, [1.0, 1.0]), "total_weight has 2 entries for 3 pages."),
        (
            (3, [0, 1], [1, 2], None, [1.0, -1.0, 0.0]),
            "Page 1 has total_weight -1.0; it must be finite and >= 0.",
        ),
        (
            (3, [0, 0], [1, 2], None, [1.5, 1.0, 0.0]),
            "Page 0 has links of weight 2.0 in total but a total_weight of 1.5.",
        ),
    ],
)
def test_bad_links_are_refused_with_one_sentence(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        transition_matrix(*args)
    assert str(error.value) == message
