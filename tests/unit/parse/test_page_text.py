"""The page's own text the crawl keeps: the content region only, links and headings marked."""

from __future__ import annotations

from linkequity.pagetext import MARKS, plain, segments
from linkequity.parse import parse_html
from linkequity.records import ParsedHtml
from linkequity.urls import Resolver, Scope
from tests.unit.parse.test_position import WORDPRESS

PAGE = "https://www.example.com/blog/post/"


def parse(html: str, text_limit: int = 30_000) -> ParsedHtml:
    return parse_html(html, PAGE, Resolver(), Scope([PAGE]), text_limit=text_limit)


def runs(html: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text.strip()) for s in segments(parse(html).content_text)]


def test_a_wordpress_post_keeps_its_article_and_leaves_the_template_out() -> None:
    page = parse(WORDPRESS)
    text = plain(page.content_text)
    # the article and the post navigation inside <main>... but not the nav: it is template
    assert "Read the guide first." in text
    assert "Post title" in text
    assert "SEO tag" in text  # the article's own footer, not the page's
    for template in ("Example site", "About", "Shoes", "Recent post", "Privacy", "WordPress"):
        assert template not in text, template
    assert "Older post" not in text
    assert page.headings == ("Post title",)
    assert ("link", "guide") in runs(WORDPRESS)


def test_without_main_the_body_is_read_and_class_named_regions_are_left_out() -> None:
    html = """<html><body>
    <div id="header"><a href="/">Home</a> <a href="/shop/">Shop</a></div>
    <div class="menu"><a href="/a/">Alpha menu</a><a href="/b/">Beta menu</a></div>
    <div class="content"><h2>Dome tents</h2>
      <p>A <a href="/tents/dome/">dome tent</a> stands in the wind, unlike a tunnel tent.</p>
    </div>
    <div class="sidebar"><a href="/x/">Popular</a> posts</div>
    <div id="footer">Copyright <a href="/legal/">Legal</a></div>
    </body></html>"""
    assert runs(html) == [
        ("heading", "Dome tents"),
        ("text", "A"),
        ("link", "dome tent"),
        ("text", "stands in the wind, unlike a tunnel tent."),
    ]
    assert parse(html).headings == ("Dome tents",)


def test_a_sidebar_wrapper_around_the_content_is_not_template() -> None:
    html = """<html><body>
    <div class="sidebar-left"><nav><a href="/n/">Nav link</a></nav>
      <main><p>Our <a href="/guide/">guide</a> to stoves.</p></main></div>
    </body></html>"""
    assert plain(parse(html).content_text) == "Our guide to stoves."


def test_punctuation_after_a_link_and_heading_inside_a_link_stay_tidy() -> None:
    html = """<html><body><main><h3><a href="/a/">Linked heading</a></h3>
    <p>See <a href="/b/">the map</a>, then <b>pack</b>.</p></main></body></html>"""
    page = parse(html)
    assert plain(page.content_text) == "Linked heading See the map, then pack."
    assert [(s.kind, s.text) for s in segments(page.content_text)] == [
        ("link", "Linked heading"),
        ("text", " See "),
        ("link", "the map"),
        ("text", ", then pack."),
    ]


def test_the_text_is_cut_at_a_word_and_not_kept_with_limit_zero() -> None:
    words = " ".join(f"word{i}" for i in range(200))
    html = f"<html><body><main><h1>Title</h1><p>{words}</p></main></body></html>"
    cut = parse(html, text_limit=60).content_text
    assert len(cut) <= 60
    assert plain(cut).split()[-1].startswith("word")
    assert plain(parse(html).content_text) == f"Title {words}"
    assert plain(cut) == plain(parse(html).content_text)[: len(plain(cut))]
    off = parse(html, text_limit=0)
    assert off.content_text == "" and off.headings == ()
    assert off.content_sketch == parse(html).content_sketch  # still fingerprinted


def test_mark_characters_a_page_carries_never_reach_the_stored_text() -> None:
    html = (
        "<html><body><main><p>Evil &#xfdd0;fake link&#xfdd1; and \ufdd2raw\ufdd3 text "
        '<a href="/real/">real</a></p></main></body></html>'
    )
    page = parse(html)
    assert plain(page.content_text) == "Evil fake link and raw text real"
    assert [(s.kind, s.text.strip()) for s in segments(page.content_text)] == [
        ("text", "Evil fake link and raw text"),
        ("link", "real"),
    ]
    assert page.links[0].anchor == "real"
    assert not any(mark in (page.title or "") for mark in MARKS)
