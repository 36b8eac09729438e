"""Sitemap parsing: urlsets, indexes, gzip, text files, and hostile input."""

from __future__ import annotations

import gzip

import pytest

from linkequity.crawl.sitemaps import MAX_SITEMAP_BYTES, parse_sitemap

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def test_urlset_with_lastmod_and_whitespace() -> None:
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>'
        "<url><loc>\n  https://ex.com/a  \n</loc><lastmod>2024-05-01T10:00:00+00:00</lastmod>"
        "</url><url><loc>https://ex.com/b</loc></url><url><lastmod>2024</lastmod></url></urlset>"
    )
    assert parse_sitemap(xml.encode()) == (
        "urlset",
        [("https://ex.com/a", "2024-05-01T10:00:00+00:00"), ("https://ex.com/b", None)],
    )


def test_index_and_gzip() -> None:
    xml = (
        f"<sitemapindex {NS}><sitemap><loc>https://ex.com/s1.xml.gz</loc></sitemap></sitemapindex>"
    )
    assert parse_sitemap(gzip.compress(xml.encode())) == (
        "sitemapindex",
        [("https://ex.com/s1.xml.gz", None)],
    )


def test_text_sitemap() -> None:
    text = b"\xef\xbb\xbfhttps://ex.com/a\n\nhttps://ex.com/b\r\nnot a url\n"
    assert parse_sitemap(text) == ("text", [("https://ex.com/a", None), ("https://ex.com/b", None)])


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<urlset><url><loc>&lol2;</loc></url></urlset>"
    )
    with pytest.raises(ValueError, match="invalid XML"):
        parse_sitemap(bomb)


def test_external_entities_are_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&e;</loc></url></urlset>"
    )
    with pytest.raises(ValueError, match="invalid XML"):
        parse_sitemap(xxe)


def test_gzip_bomb_stops_at_the_protocol_limit() -> None:
    bomb = gzip.compress(b"<" + b" " * (MAX_SITEMAP_BYTES + 10))
    assert len(bomb) < 100_000
    with pytest.raises(ValueError, match="larger than 50 MB uncompressed"):
        parse_sitemap(bomb)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>hi</body></html>", "root element <html> is not <urlset>"),
        (b"<urlset><url><loc>x</loc>", "invalid XML"),
        (b"hello", "neither XML nor a text list of URLs"),
    ],
)
def test_unreadable_files(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sitemap(data)
