"""Disavow files: Google's format and limits, merging, whitelists and diffs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkequity.errors import ConfigError, ImportFormatError
from linkequity.plan.disavow import (
    MAX_LINES,
    Candidate,
    DisavowEntry,
    DisavowFile,
    diff,
    merge,
    proposals,
    read_disavow,
    read_whitelist,
    render,
)


def test_read_an_existing_file(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    old.write_text(
        "\ufeff# removed in March\ndomain:Spam.Example.\n\nhttps://blog.example/p?id=1\n"
        "domain:spam.example\n",
        encoding="utf-8",
    )
    read = read_disavow(old)
    assert read.domains == {"spam.example"}
    assert read.urls == {"https://blog.example/p?id=1"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("domain:not a domain\n", "row 1: 'not a domain' is not a domain name."),
        ("# ok\nftp://x.example/\n",
         "row 2: 'ftp://x.example/' is neither a URL nor a domain: entry."),
        ("https://x.example/" + "a" * 2100 + "\n",
         "row 1: the URL is 2,118 characters long; the limit is 2,048."),
    ],
)  # fmt: skip
def test_bad_lines_name_the_row(tmp_path: Path, text: str, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError) as err:
        read_disavow(bad)
    assert str(err.value) == f"{bad}, {message}"


def test_a_non_utf8_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes("domain:caf\xe9.example\n".encode("latin-1"))
    with pytest.raises(ImportFormatError, match="must be UTF-8 or ASCII text"):
        read_disavow(bad)


def test_merge_keeps_old_entries_adds_new_and_respects_the_whitelist(tmp_path: Path) -> None:
    whitelist = tmp_path / "keep.txt"
    whitelist.write_text("# partners\nwww.partner.example\ndomain:news.example\n")
    existing = DisavowFile((DisavowEntry("domain", "spam.example"),
                            DisavowEntry("url", "https://news.example/old-link")))  # fmt: skip
    proposed = [
        DisavowEntry("domain", "casino.example", "toxicity 85: gambling words", date(2026, 11, 1)),
        DisavowEntry("url", "https://sub.spam.example/x", "covered by its domain"),
        DisavowEntry("domain", "cdn.partner.example", "sitewide footer link"),
    ]
    merged, dropped = merge(existing, proposed, read_whitelist(whitelist))
    assert [e.line for e in merged.entries] == ["domain:spam.example", "domain:casino.example"]
    assert [e.line for e in dropped] == [
        "https://news.example/old-link",
        "domain:cdn.partner.example",
    ]
    text = render(merged, date(2026, 11, 23), "https://shop.example/")
    assert text.splitlines() == [
        "# Disavow file for https://shop.example/, written by linkequity on 2026-11-23.",
        "# 2 domains, 0 URLs.",
        "domain:spam.example",
        "# toxicity 85: gambling words (2026-11-01)",
        "domain:casino.example",
    ]
    assert diff(existing, merged) == [
        "-https://news.example/old-link",
        "+domain:casino.example",
    ]


def test_render_refuses_a_file_over_the_limits() -> None:
    many = DisavowFile(tuple(DisavowEntry("url", f"https://s.example/{i}")
                             for i in range(MAX_LINES)))  # fmt: skip
    with pytest.raises(ConfigError) as err:
        render(many, date(2026, 11, 23))
    assert str(err.value) == (
        "The disavow file would have 100,002 lines; Search Console accepts at most 100,000. "
        "Disavow whole domains instead of URLs."
    )


def test_proposals_name_the_score_and_the_signals_of_domains_at_the_threshold() -> None:
    day = date(2026, 3, 1)
    found = proposals(
        [
            Candidate("ok.example", 20.0, ()),
            Candidate("b-spam.example", 80.0, ("spam_tld", "spam_vocabulary")),
            Candidate("a-spam.example", 80.0, ("sitewide",)),
            Candidate("edge.example", 60.0, ()),
        ],
        60.0,
        day,
    )
    assert [(e.value, e.reason) for e in found] == [
        ("a-spam.example", "toxicity 80: sitewide"),
        ("b-spam.example", "toxicity 80: spam_tld, spam_vocabulary"),
        ("edge.example", "toxicity 60: "),
    ]
    assert {e.added for e in found} == {day}
