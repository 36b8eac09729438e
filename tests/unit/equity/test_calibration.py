"""The anchor findings on the markup real site generators write: quiet on navigation, loud on
content (a crawl over HTTP of pages shaped like Sphinx, Read the Docs, MkDocs, WordPress and a
shop with filters)."""

from __future__ import annotations

import json

import pytest

from linkequity import Project
from tests.servers import Answer, ScriptedServer

DOCS = ("intro", "usage", "api", "glossary")


def _sphinx(name: str) -> str:
    """A Sphinx page (basic theme): related bar and sidebar with next / previous, headerlinks,
    terms linking to their glossary entry and API names to their definition."""
    i = DOCS.index(name)
    before, after = DOCS[i - 1], DOCS[(i + 1) % len(DOCS)]
    return (
        f"<html><head><title>{name.title()} — Docs</title></head><body>"
        '<div class="related" role="navigation" aria-label="related navigation"><ul>'
        '<li class="right"><a href="genindex.html">index</a></li>'
        f'<li class="right"><a href="{after}.html" title="{after}">next</a> |</li>'
        f'<li class="right"><a href="{before}.html" title="{before}">previous</a> |</li>'
        '<li class="nav-item"><a href="index.html">Docs</a></li></ul></div>'
        '<div class="document"><div class="body" role="main">'
        f'<section id="{name}"><h1>{name.title()}<a class="headerlink" href="#{name}">¶</a></h1>'
        f"<p>The {name} page explains how a "
        '<a class="reference internal" href="glossary.html#term-widget">'
        '<span class="xref std std-term">widget</span></a> works, and what '
        '<a class="reference internal" href="api.html#widget"><code>widget</code></a> returns. '
        'For the older behaviour see <a href="usage.html#widget">widget</a>.</p>'
        '<div class="rst-footer-buttons" role="navigation">'
        f'<a href="{before}.html" class="btn" rel="prev">Previous</a>'
        f'<a href="{after}.html" class="btn" rel="next">Next</a></div>'
        "</section></div></div>"
        '<div class="sphinxsidebar" role="navigation"><h4>Previous topic</h4>'
        f'<p class="topless"><a href="{before}.html">{before.title()}</a></p>'
        f'<h4>Next topic</h4><p class="topless"><a href="{after}.html">{after.title()}</a></p>'
        "</div></body></html>"
    )


def _mkdocs(name: str) -> str:
    """An MkDocs Material page: its footer's previous / next links."""
    i = DOCS.index(name)
    before, after = DOCS[i - 1], DOCS[(i + 1) % len(DOCS)]
    return (
        f"<html><head><title>{name}</title></head><body><main><h1>{name}</h1>"
        f"<p>All about {name}, in the docs of the kit.</p></main>"
        '<footer class="md-footer"><nav class="md-footer__inner" aria-label="Footer">'
        f'<a href="../{before}/" class="md-footer__link--prev" rel="prev">'
        '<span class="md-footer__direction">Previous</span></a>'
        f'<a href="../{after}/" class="md-footer__link--next" rel="next">'
        '<span class="md-footer__direction">Next</span></a></nav></footer></body></html>'
    )


def _wordpress(page: int) -> str:
    """A WordPress blog archive page: breadcrumbs, excerpts with 'Continue reading' after
    the title link, the pager."""
    posts = "".join(
        f'<article><h2 class="entry-title"><a href="/blog/post-{k}/">Pitching a tent {k}</a>'
        f'</h2><div class="entry-summary"><p>How to pitch tent {k} in the rain. '
        f'<a class="more-link" href="/blog/post-{k}/">Continue reading</a></p></div></article>'
        for k in range(page * 3 - 3, page * 3)
    )
    pager = '<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
    if page > 1:
        pager += f'<a class="prev page-numbers" href="/blog/page/{page - 1}/">« Previous</a>'
    pager += "".join(f'<a class="page-numbers" href="/blog/page/{n}/">{n}</a>' for n in (1, 2, 3))
    if page < 3:
        pager += f'<a class="next page-numbers" href="/blog/page/{page + 1}/">Next »</a>'
    return (
        f"<html><head><title>Blog page {page}</title></head><body>"
        '<nav class="breadcrumbs"><a href="/">Home</a> » <a href="/blog/">Blog</a></nav>'
        f'<main class="site-main">{posts}{pager}</nav></main></body></html>'
    )


_PLACES = ("beach", "forest", "hill", "lake", "moor", "dune", "glen", "field", "cliff", "marsh")


def _post(k: int) -> str:
    place = _PLACES[k % len(_PLACES)]
    return (
        f"<html><head><title>Post {k}</title></head><body><main><h1>A tent on the {place}</h1>"
        f'<p>Bring pegs to the {place}. <a href="/shop/tents/">Our tents</a>, our '
        '<a href="/guide/">tent guide</a>.</p>'
        '<nav class="navigation post-navigation"><div class="nav-links">'
        f'<a href="/blog/post-{k - 1}/" rel="prev">Previous post</a> '
        f'<a href="/blog/post-{k + 1}/" rel="next">Next post</a></div></nav>'
        "</main></body></html>"
    )


def _category(name: str, query: str) -> str:
    """A shop category with a filter sidebar; the 'Red' of every category links its own view."""
    filters = "".join(
        f'<li><a href="/shop/{name}/?color={c}">{c.title()}</a></li>'
        for c in ("red", "blue", "green")
    )
    return (
        f"<html><head><title>{name}{query}</title></head><body>"
        f'<aside class="sidebar"><ul class="filters">{filters}</ul></aside>'
        f"<main><h1>{name.title()}</h1><p>Every one of our {name}.</p></main></body></html>"
    )


def _routes() -> dict[str, Answer]:
    home = (
        "<html><head><title>Kit</title></head><body><nav><a href='/docs/intro.html'>Docs</a>"
        "<a href='/kit/intro/'>Kit docs</a><a href='/blog/'>Blog</a>"
        "<a href='/shop/tents/'>Tents</a><a href='/shop/boots/'>Boots</a></nav><main>"
        "<p>To choose a tent, <a href='/guide/'>click here</a>. Our "
        "<a href='/shop/tents/'>tent guide</a> and the "
        "<a href='/guide/'>tent guide</a> both help.</p></main></body></html>"
    )
    routes = {"/": Answer(body=home)}
    for name in DOCS:
        routes[f"/docs/{name}.html"] = Answer(body=_sphinx(name))
        routes[f"/kit/{name}/"] = Answer(body=_mkdocs(name))
    for extra in ("index", "genindex"):
        routes[f"/docs/{extra}.html"] = Answer(body=_sphinx("intro"))
    routes["/blog/"] = Answer(body=_wordpress(1))
    for page in (1, 2, 3):
        routes[f"/blog/page/{page}/"] = Answer(body=_wordpress(page))
    for k in range(0, 10):
        routes[f"/blog/post-{k}/"] = Answer(body=_post(k))
    for name in ("tents", "boots"):
        routes[f"/shop/{name}/"] = Answer(body=_category(name, ""))
        for c in ("red", "blue", "green"):
            routes[f"/shop/{name}/?color={c}"] = Answer(body=_category(name, c))
    guide = "<html><body><main><p>A <a href='/shop/tents/'>tent guide</a>.</p></main></body>"
    routes["/guide/"] = Answer(body=guide + "</html>")
    return routes


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    with ScriptedServer(_routes()) as server:
        project = Project(tmp_path_factory.mktemp("generators") / "p.duckdb")
        project.crawl(server.origin + "/", workers=0)
        project.analyze()
        return project, server.origin


def _found(project: Project, origin: str, kind: str) -> dict[str, dict[str, object]]:
    return {
        str(r["url"]).removeprefix(origin): {**json.loads(r["detail_json"]), "impact": r["impact"]}
        for r in project.findings(kind=kind).to_pylist()
    }


def test_navigation_and_pagination_anchors_are_no_anchor_problem(
    generated: tuple[Project, str],
) -> None:
    project, origin = generated
    generic = _found(project, origin, "generic_anchor")
    # next / previous in Sphinx, Read the Docs, MkDocs and WordPress pagers, "index" in
    # Sphinx's related bar, "Home" in breadcrumbs, "Continue reading" after the post's title
    # link: none of it is reported; the one "click here" in the home page's content is
    assert list(generic) == ["/guide/"]
    assert generic["/guide/"]["anchors"] == {"click here": 1}
    assert generic["/guide/"]["impact"] > 0


def test_definitions_and_filters_are_no_cannibalisation(generated: tuple[Project, str]) -> None:
    project, origin = generated
    found = {
        str(r["anchor"]): {k.removeprefix(origin): v for k, v in dict(r["targets"]).items()}
        for r in project.finding_details("anchor_cannibalisation").to_pylist()
    }
    # "widget" links to its glossary term and two API entries, "Red" to each category's own
    # filtered view: places and views, not pages competing for the word. "tent guide" names
    # two pages, each from two pages or more: that is cannibalisation
    assert found == {"tent guide": {"/guide/": 11, "/shop/tents/": 2}}
    (row,) = project.findings(kind="anchor_cannibalisation").to_pylist()
    assert row["url"] == origin + "/guide/" and row["impact"] > 0
    assert row["fix"] == (
        f"Keep 'tent guide' for {origin}/guide/ and reword the links to the 1 other page(s)."
    )


def test_the_links_through_pagers_and_menus_still_count_in_the_anchors_table(
    generated: tuple[Project, str],
) -> None:
    project, _ = generated
    anchors = project.anchors().to_pylist()
    nexts = [a for a in anchors if a["anchor"].lower() in ("next", "next »")]
    assert nexts and all(a["is_generic"] for a in nexts)  # recorded, only not reported
    assert all(a["equity"] >= 0 for a in anchors)
