"""Link positions read from semantic HTML, ARIA roles and class names, on realistic templates."""

from __future__ import annotations

import pytest

from linkequity.parse import parse_html
from linkequity.parse.position import region_of_names
from linkequity.records import Position
from linkequity.urls import Resolver, Scope

PAGE = "https://www.example.com/blog/post/"


def positions(html: str) -> dict[str, Position]:
    """Position of each link, by anchor text (anchors are unique in these fixtures)."""
    page = parse_html(html, PAGE, Resolver(), Scope([PAGE]))
    return {link.anchor: link.position for link in page.links}


WORDPRESS = """<!doctype html>
<html><head><title>Post</title></head>
<body class="post-template-default single has-sidebar">
<div id="page" class="site">
  <a class="skip-link screen-reader-text" href="#content">Skip to content</a>
  <header id="masthead" class="site-header">
    <div class="site-branding"><a href="/" rel="home">Example site</a></div>
    <nav id="site-navigation" class="main-navigation">
      <button class="menu-toggle">Menu</button>
      <ul id="primary-menu" class="menu">
        <li id="menu-item-1" class="menu-item"><a href="/about/">About</a></li>
        <li id="menu-item-2" class="menu-item menu-item-has-children"><a href="/shop/">Shop</a>
          <ul class="sub-menu"><li class="menu-item"><a href="/shop/shoes/">Shoes</a></li></ul>
        </li>
      </ul>
    </nav>
  </header>
  <div id="content" class="site-content">
    <main id="main" class="site-main">
      <article id="post-1" class="post-1 post type-post">
        <header class="entry-header"><h1 class="entry-title">
          <a href="/blog/post/" rel="bookmark">Post title</a></h1></header>
        <div class="entry-content"><p>Read the <a href="/guide/">guide</a> first.</p></div>
        <footer class="entry-footer"><a href="/tag/seo/" rel="tag">SEO tag</a></footer>
      </article>
      <nav class="navigation post-navigation"><a href="/blog/older/">Older post</a></nav>
    </main>
    <aside id="secondary" class="widget-area">
      <section id="recent-posts-2" class="widget widget_recent_entries">
        <ul><li><a href="/blog/recent/">Recent post</a></li></ul>
      </section>
    </aside>
  </div>
  <footer id="colophon" class="site-footer">
    <nav class="footer-navigation"><ul class="footer-menu">
      <li><a href="/privacy/">Privacy</a></li></ul></nav>
    <div class="site-info"><a href="https://wordpress.org/">Proudly powered by WordPress</a></div>
  </footer>
</div>
</body></html>"""


def test_wordpress_page() -> None:
    assert positions(WORDPRESS) == {
        "Skip to content": "unknown",
        "Example site": "header",
        "About": "navigation",
        "Shop": "navigation",
        "Shoes": "navigation",
        "Post title": "content",
        "guide": "content",
        "SEO tag": "content",
        "Older post": "navigation",
        "Recent post": "sidebar",
        "Privacy": "navigation",
        "Proudly powered by WordPress": "footer",
    }


SPHINX = """<html><head><title>API</title></head><body>
<div class="related" role="navigation" aria-label="Related">
  <ul><li><a href="genindex.html">index</a></li><li><a href="next.html">next</a></li></ul>
</div>
<div class="document">
  <div class="documentwrapper"><div class="bodywrapper">
    <div class="body" role="main">
      <section id="api"><h1>API</h1><p>See <a href="usage.html">usage</a>.</p></section>
    </div>
  </div></div>
  <div class="sphinxsidebar">
    <div class="sphinxsidebarwrapper"><h3>Contents</h3>
      <ul><li><a href="install.html">Installation</a></li></ul>
    </div>
  </div>
</div>
<div class="footer">&copy; 2025. Built with <a href="https://www.sphinx-doc.org/">Sphinx</a>.</div>
</body></html>"""


def test_sphinx_docs_page() -> None:
    assert positions(SPHINX) == {
        "index": "navigation",
        "next": "navigation",
        "usage": "content",
        "Installation": "sidebar",
        "Sphinx": "footer",
    }


BOOTSTRAP = """<html><body>
<nav class="navbar navbar-expand-lg bg-body-tertiary">
  <div class="container-fluid"><a class="navbar-brand" href="/">Brand</a>
    <div class="collapse navbar-collapse" id="navbarNav"><ul class="navbar-nav">
      <li class="nav-item"><a class="nav-link active" href="/features">Features</a></li>
      <li class="nav-item dropdown"><ul class="dropdown-menu">
        <li><a class="dropdown-item" href="/pricing">Pricing</a></li></ul></li>
    </ul></div></div>
</nav>
<main class="container">
  <div class="card"><div class="card-header"><a href="/featured">Featured</a></div>
    <div class="card-body"><a href="/go" class="btn btn-primary">Go somewhere</a></div></div>
  <div class="tab-content"><a href="/tab">Tab link</a></div>
</main>
<footer class="footer mt-auto py-3"><div class="container">
  <a href="/contact" class="text-body-secondary">Contact</a></div></footer>
</body></html>"""


def test_bootstrap_page() -> None:
    assert positions(BOOTSTRAP) == {
        "Brand": "navigation",
        "Features": "navigation",
        "Pricing": "navigation",
        "Featured": "content",
        "Go somewhere": "content",
        "Tab link": "content",
        "Contact": "footer",
    }


def test_innermost_landmark_wins() -> None:
    html = """<header><a href="/">Logo</a><nav><a href="/a">In nav</a></nav></header>
    <main><nav aria-label="Breadcrumb"><a href="/">Home crumb</a></nav>
      <div class="breadcrumbs"><a href="/b">Div crumb</a></div>
      <p><a href="/c">Body link</a></p>
      <aside><a href="/related">Related box</a></aside></main>
    <footer><div class="footer-links"><a href="/d">Footer link</a></div>
      <ul class="menu"><li><a href="/e">Footer menu</a></li></ul></footer>"""
    assert positions(html) == {
        "Logo": "header",
        "In nav": "navigation",
        "Home crumb": "navigation",
        "Div crumb": "navigation",
        "Body link": "content",
        "Related box": "sidebar",
        "Footer link": "footer",
        "Footer menu": "navigation",
    }


def test_header_and_footer_inside_sectioning_content_are_not_page_landmarks() -> None:
    html = """<main><article>
        <header><a href="/author">Author</a></header>
        <footer><a href="/tag">Tag</a></footer></article></main>
    <section><header><a href="/section-head">Section heading link</a></header></section>
    <aside><footer><a href="/aside-foot">Aside footer</a></footer></aside>
    <div class="wrapper"><header><a href="/page-head">Page header</a></header></div>"""
    assert positions(html) == {
        "Author": "content",
        "Tag": "content",
        "Section heading link": "unknown",
        "Aside footer": "sidebar",
        "Page header": "header",
    }


def test_aria_roles_beat_tags_and_names() -> None:
    html = """<div role="banner"><a href="/1">Banner</a></div>
    <div class="sidebar" role="navigation"><a href="/2">Role nav</a></div>
    <div role="complementary"><a href="/3">Complementary</a></div>
    <div role="main"><a href="/4">Main role</a></div>
    <section><div role="contentinfo"><a href="/5">Content info</a></div></section>"""
    assert positions(html) == {
        "Banner": "header",
        "Role nav": "navigation",
        "Complementary": "sidebar",
        "Main role": "content",
        "Content info": "footer",
    }


def test_class_names_match_whole_pieces_not_substrings() -> None:
    html = """<div class="canvas"><a href="/1">Canvas</a></div>
    <div class="unavailable"><a href="/2">Unavailable</a></div>
    <div class="navy-blue"><a href="/3">Navy</a></div>
    <div id="topNav"><a href="/4">Top nav</a></div>
    <div class="has-sidebar no-footer"><a href="/5">Layout wrapper</a></div>
    <body><a class="nav-link" href="/6">Link named nav</a></body>"""
    assert positions(html) == {
        "Canvas": "unknown",
        "Unavailable": "unknown",
        "Navy": "unknown",
        "Top nav": "navigation",
        "Layout wrapper": "unknown",
        "Link named nav": "unknown",
    }


@pytest.mark.parametrize(
    ("names", "region"),
    [
        ("nav", "navigation"),
        ("main-navigation", "navigation"),
        ("navbar navbar-expand-lg", "navigation"),
        ("topnav", "navigation"),
        ("megamenu", "navigation"),
        ("breadcrumbs", "navigation"),
        ("pagination", "navigation"),
        ("pager", "navigation"),
        ("footer-nav", "navigation"),
        ("site-header", "header"),
        ("masthead", "header"),
        ("siteHeader", "header"),
        ("site-footer", "footer"),
        ("colophon", "footer"),
        ("footer-widgets", "footer"),
        ("sidebar", "sidebar"),
        ("sphinxsidebar", "sidebar"),
        ("widget-area", "sidebar"),
        ("widgets", "sidebar"),
        ("content", "content"),
        ("site-content", "content"),
        ("entry-content", "content"),
        ("post-content", "content"),
        ("article-body", "content"),
        ("main", "content"),
        ("canvas", None),
        ("unavailable", None),
        ("navy", None),
        ("card-header", None),
        ("modal-footer", None),
        ("entry-header", None),
        ("entry-footer", None),
        ("dropdown-content", None),
        ("tab-content", None),
        ("has-sidebar", None),
        ("no-sidebar", None),
        ("", None),
    ],
)
def test_region_of_names(names: str, region: Position | None) -> None:
    assert region_of_names(names) == region


def test_many_links_in_one_list_share_the_landmark() -> None:
    items = "".join(f'<li><a href="/p{i}">Item {i}</a></li>' for i in range(300))
    html = f'<div id="sidebar"><ul>{items}</ul></div><p><a href="/x">Loose</a></p>'
    found = positions(html)
    assert found.pop("Loose") == "unknown"
    assert set(found.values()) == {"sidebar"}
    assert len(found) == 300
