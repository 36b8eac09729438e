"""What parse_html reads from a page: metadata, text, and every link with its attributes."""

from __future__ import annotations

from hashlib import sha1

from linkequity import parse as parse_stage
from linkequity.parse import parse_html
from linkequity.records import Link, ParsedHtml
from linkequity.urls import Resolver, Scope

PAGE = "https://www.example.com/blog/post/"


def parse(html: str, url: str = PAGE) -> ParsedHtml:
    return parse_html(html, url, Resolver(), Scope(["https://www.example.com/"]))


def link(html: str) -> Link:
    """The only link of a one-link page."""
    (only,) = parse(html).links
    return only


def test_head_metadata() -> None:
    page = parse(
        """<html><head>
        <title>
          Link equity,   explained | Example
        </title>
        <meta name="Description" content="  How links   pass value. ">
        <meta name="robots" content="NOINDEX, Follow">
        <meta name="googlebot" content="nosnippet">
        <meta name="bingbot" content="noarchive">
        <link rel="canonical" href="/blog/post/?utm_source=feed">
        </head><body><h1>  Link <em>equity</em>
        explained </h1><h1>Second heading</h1></body></html>"""
    )
    assert page.title == "Link equity, explained | Example"
    assert page.meta_description == "How links pass value."
    assert page.meta_robots == "noindex, follow, nosnippet"
    assert page.canonical_url == "https://www.example.com/blog/post/"
    assert page.h1 == "Link equity explained"


def test_missing_metadata_is_none() -> None:
    page = parse("<p>Just text</p>")
    assert (page.title, page.h1, page.meta_description, page.meta_robots) == (
        None,
        None,
        None,
        None,
    )
    assert page.canonical_url is None
    assert page.base_url == PAGE


def test_svg_title_is_not_the_page_title() -> None:
    page = parse('<body><svg><title>Search icon</title></svg><a href="/">Home</a></body>')
    assert page.title is None


def test_canonical_is_read_from_head_only() -> None:
    in_body = parse('<head><title>T</title></head><body><link rel="canonical" href="/x"></body>')
    assert in_body.canonical_url is None
    tokens = parse('<head><link rel="Alternate CANONICAL" href="https://www.example.com/c"></head>')
    assert tokens.canonical_url == "https://www.example.com/c"
    not_http = parse('<head><link rel="canonical" href="ftp://example.com/c"></head>')
    assert not_http.canonical_url is None
    empty = parse('<head><base href="/"><link rel="canonical" href=" "></head>')
    assert empty.canonical_url is None


def test_tracking_pixel_in_head_does_not_hide_the_canonical() -> None:
    # The Facebook pixel's <noscript><img></noscript> would end <head> early for a parser that
    # runs without scripting; Googlebot's Chrome runs with it.
    page = parse(
        '<html><head><noscript><img height="1" src="https://www.facebook.com/tr?id=1"></noscript>'
        '<link rel="canonical" href="https://www.example.com/canonical/"></head><body></body></html>'
    )
    assert page.canonical_url == "https://www.example.com/canonical/"


def test_base_href_is_the_base_of_every_relative_href() -> None:
    page = parse(
        '<head><base href="/docs/v2/"><link rel="canonical" href="intro"></head>'
        '<body><a href="guide/">Guide</a><a href="../v1/">Old</a><a href="/abs">Abs</a></body>'
    )
    assert page.base_url == "https://www.example.com/docs/v2/"
    assert page.canonical_url == "https://www.example.com/docs/v2/intro"
    assert [lk.dst_url for lk in page.links] == [
        "https://www.example.com/docs/v2/guide/",
        "https://www.example.com/docs/v1/",
        "https://www.example.com/abs",
    ]


def test_unusable_base_href_is_ignored() -> None:
    page = parse('<head><base href="javascript:void(0)"></head><a href="x">X</a>')
    assert page.base_url == PAGE
    assert page.links[0].dst_url == "https://www.example.com/blog/post/x"


def test_hrefs_resolve_against_the_page() -> None:
    page = parse(
        """<a href="next/">Next</a><a href="../about">About</a><a href="?page=2">Page 2</a>
        <a href="#comments">Comments</a><a href="">Self</a><a href>Bare</a>
        <a href="//cdn.example.org/file.pdf">CDN</a>
        <a href=" HTTPS://WWW.Example.com:443/a/./b/../c?utm_campaign=x&id=1#top ">Messy</a>""",
        url="https://www.example.com/blog/post/?page=1",
    )
    assert [(lk.anchor, lk.dst_url) for lk in page.links] == [
        ("Next", "https://www.example.com/blog/post/next/"),
        ("About", "https://www.example.com/blog/about"),
        ("Page 2", "https://www.example.com/blog/post/?page=2"),
        ("Comments", "https://www.example.com/blog/post/?page=1"),
        ("Self", "https://www.example.com/blog/post/?page=1"),
        ("Bare", "https://www.example.com/blog/post/?page=1"),
        ("CDN", "https://cdn.example.org/file.pdf"),
        ("Messy", "https://www.example.com/a/c?id=1"),
    ]
    assert [lk.ordinal for lk in page.links] == list(range(8))
    assert all(lk.is_followable for lk in page.links)


def test_non_http_links_are_recorded_but_not_followable() -> None:
    page = parse(
        """<a href="mailto:ann@example.com">Mail</a><a href=" tel:+44 20 7946 0000 ">Call</a>
        <a href="javascript:void(0)">Menu</a><a href="http://">No host</a>
        <a href="ftp://files.example.com/a.zip">FTP</a>"""
    )
    assert [(lk.dst_url, lk.is_followable, lk.is_internal) for lk in page.links] == [
        ("mailto:ann@example.com", False, False),
        ("tel:+44 20 7946 0000", False, False),
        ("javascript:void(0)", False, False),
        ("http://", False, False),
        ("ftp://files.example.com/a.zip", False, False),
    ]


def test_internal_means_same_registrable_domain() -> None:
    page = parse(
        '<a href="/a">Same host</a><a href="https://blog.example.com/">Subdomain</a>'
        '<a href="https://example.org/">Other site</a>'
    )
    assert [lk.is_internal for lk in page.links] == [True, True, False]


def test_rel_tokens() -> None:
    assert link('<a href="/a" rel=" NoFollow   UGC ">x</a>')[3:7] == (
        "nofollow ugc",
        True,
        False,
        True,
    )
    assert link('<a href="/a" rel="Sponsored">x</a>')[3:7] == ("sponsored", False, True, False)
    assert link('<a href="/a" rel="noopener noreferrer">x</a>')[3:7] == (
        "noopener noreferrer",
        False,
        False,
        False,
    )
    assert link('<a href="/a">x</a>')[3:7] == (None, False, False, False)


def test_page_level_nofollow_is_not_copied_to_links() -> None:
    page = parse('<head><meta name="robots" content="nofollow"></head><a href="/a">A</a>')
    assert page.meta_robots == "nofollow"
    assert page.links[0].is_nofollow is False
    assert page.links[0].rel is None


def test_anchor_text_is_whitespace_collapsed() -> None:
    found = link('<a href="/a">\n   Read  <strong>the\tfull</strong>\n guide  </a>')
    assert found.anchor == "Read the full guide"
    assert found.alt is None
    assert found.is_image is False


def test_image_links() -> None:
    page = parse(
        """<a href="/a"><img src="a.png" alt=" Our   logo "><img src="b.png" alt="second"></a>
        <a href="/b"><picture><img src="b.png"></picture> Shop now</a>
        <a href="/c"><img src="c.png" alt></a>"""
    )
    assert [(lk.anchor, lk.alt, lk.is_image) for lk in page.links] == [
        ("", "Our logo", True),
        ("Shop now", "", True),
        ("", "", True),
    ]


def test_malformed_html_still_yields_every_link() -> None:
    page = parse(
        """<html><body><div class="x"><p>Unclosed paragraph <a href="/one">One</a>
        </div></div></div></span><table><tr><td><a href="/two">Two</a>
        <li><a href='/three'>Three</a></ul></ul><p><a href=/four>Four</a></b></i>
        <div><a href="/five">Five, never closed"""
    )
    assert [lk.dst_url.rsplit("/", 1)[1] for lk in page.links] == [
        "one",
        "two",
        "three",
        "four",
        "five",
    ]


def test_links_in_templates_are_not_links() -> None:
    page = parse('<template><a href="/t">T</a></template><a href="/real">Real</a>')
    assert [lk.anchor for lk in page.links] == ["Real"]


def test_visible_text_skips_scripts_styles_and_noscript() -> None:
    page = parse(
        """<head><title>Title words are not body words</title><style>p{}</style></head>
        <body><p>One two   three.</p><script>var hidden = "four five";</script>
        <style>.six{}</style><noscript><img src="seven.gif"> eight</noscript>
        <ul><li>Four</li><li>Five</li></ul></body>"""
    )
    assert page.word_count == 5
    assert page.text_sha1 == sha1(b"One two three. Four Five").hexdigest()


def test_text_hash_ignores_markup_whitespace() -> None:
    compact = parse("<div><p>Same words here</p></div>")
    pretty = parse("<div>\n  <p>\n    Same   words\n    here\n  </p>\n</div>\n")
    assert compact.text_sha1 == pretty.text_sha1
    assert parse("<p>Other words here</p>").text_sha1 != compact.text_sha1


def test_empty_document() -> None:
    page = parse("")
    assert page.links == []
    assert page.word_count == 0
    assert page.text_sha1 == sha1(b"").hexdigest()


def test_unencodable_text_does_not_raise() -> None:
    page = parse('\ud800<a href="/x">X</a>')
    assert page.links[0].dst_url == "https://www.example.com/x"


def test_public_surface() -> None:
    assert parse_stage.__all__ == sorted(parse_stage.__all__)
    assert set(parse_stage.__all__) == {
        "canonical_from_link_header",
        "decode_html",
        "indexability",
        "parse_html",
        "robots_directives",
    }
    assert all(callable(getattr(parse_stage, name)) for name in parse_stage.__all__)
