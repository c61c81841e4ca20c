"""The stylesheet: minified from its source, inlined in every page, allowed by its hash only."""

import pytest

from config.css import MINIFIED, SOURCE, inline_hash, minified, minify


def test_the_committed_minified_stylesheet_is_made_from_the_source():
    # After editing static/css/portal.css run `python -m config.css` and commit both.
    assert MINIFIED.read_text(encoding="utf-8") == minify(SOURCE.read_text(encoding="utf-8"))


def test_minifying_drops_comments_and_spaces_but_keeps_strings_and_selectors():
    css = """/* a comment */
    .notice::before {
      content: "\\2713  /* not a comment */";  /* gone */
      margin: 0 calc(1rem - 2px);
    }
    .list :focus , a > b { color : red ; }
    @media (min-width: 40em) { .x { top: 0; } }
    """
    assert minify(css) == (
        '.notice::before{content:"\\2713  /* not a comment */";margin:0 calc(1rem - 2px)}'
        ".list :focus,a>b{color :red}"
        "@media (min-width:40em){.x{top:0}}"
    )


def test_the_first_load_stays_small():
    # Issue 17: first load at most 60 KB; the stylesheet is now in every page.
    assert len(minified().encode()) < len(SOURCE.read_bytes()) * 0.7
    assert len(minified().encode()) < 20_000


@pytest.mark.django_db
def test_every_page_carries_the_stylesheet_the_policy_allows_and_nothing_else_inline(client):
    response = client.get("/")
    html = response.content.decode()

    assert f"<style>{minified()}</style>" in html
    assert html.count("<style") == 1
    policy = response["Content-Security-Policy"]
    assert f"style-src 'self' {inline_hash(minified())}" in policy
    assert "unsafe-inline" not in policy
