"""organisation_text gives what format_html gave for every kind of value (issue 17: a plain
string skips format_html's wrappers), escaped, in a span that says it is Dutch."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from consent.organisation_text import organisation_text

TRICKY = "<b>\"Tom & Jerry's\"</b> ' &amp;"


@pytest.mark.parametrize(
    "value",
    [TRICKY, "Gewoon een naam", "", mark_safe("<i>al veilig</i>"), gettext_lazy("Change"), 5, None],
)
def test_it_is_what_format_html_gave(value):
    html = organisation_text(value)
    assert html == format_html('<span lang="{}">{}</span>', "nl", value)
    assert isinstance(html, SafeString)


def test_a_plain_string_is_escaped():
    assert organisation_text("a & <b>") == '<span lang="nl">a &amp; &lt;b&gt;</span>'
