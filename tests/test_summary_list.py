"""{% summary_list %} (config/templatetags/summary_list.py) gives the HTML the summary list's
template gave (issue 17: written out in Python), whitespace aside: for the rows of the pages
that use it, with missing keys, empty and None values, lazy and safe strings, numbers, line
breaks of every kind and text that needs escaping, in both languages."""

# ruff: noqa: E501 - the template as it was, its lines as long as they were

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

# components/summary_list.html as it was a template, before it was written out.
TEMPLATE = """{% load i18n %}<dl class="summary-list">
  {% for row in rows %}
    <div class="summary-list__row">
      <dt class="summary-list__key">{{ row.key }}</dt>
      <dd class="summary-list__value">
        {% if row.value %}{{ row.value|linebreaksbr }}{% else %}<span class="summary-list__empty">{% translate "Not filled in" %}</span>{% endif %}
        {% if row.explanation %}<span class="summary-list__hint">{{ row.explanation }}</span>{% endif %}
        {% if row.hint %}<span class="summary-list__hint">{{ row.hint }}</span>{% endif %}
      </dd>
      {% if row.action_url %}
        <dd class="summary-list__actions">
          <a href="{{ row.action_url }}">{{ row.action_label|default:_("Change") }}<span class="visually-hidden"> {{ row.key }}</span></a>
        </dd>
      {% endif %}
    </div>
  {% endfor %}
</dl>"""
TRICKY = "<b>\"Tom & Jerry's\"</b> ' &amp;"

ROWS = [
    {"key": "E-mail address", "value": "a@example.nl", "hint": "Confirmed", "action_url": "/x"},
    {"key": gettext_lazy("Phone number"), "value": "", "action_url": "/y?a=1&b=2"},
    {"key": "Postal address", "value": "Street 1\nPlace\r\nCountry\rEnd", "hint": ""},
    {"key": TRICKY, "value": TRICKY, "explanation": TRICKY, "hint": TRICKY, "action_url": TRICKY},
    {"key": "Safe", "value": mark_safe("<em>a</em>\r\nb"), "explanation": mark_safe("<i>x</i>")},
    {"key": "Lazy", "value": gettext_lazy("Change"), "explanation": gettext_lazy("Phone number")},
    {"key": "Label", "value": "v", "action_url": "/z", "action_label": TRICKY},
    {"key": "Empty label", "value": "v", "action_url": "/z", "action_label": ""},
    {"key": "None", "value": None, "hint": None, "explanation": None, "action_url": None},
    {"key": 12345, "value": 67890, "hint": 1.5},
    {"value": "no key"},
    {"key": None, "value": 0},
    {"key": "Zero as text", "value": "0"},
]


def both(rows) -> tuple[str, str]:
    django = engines["django"]
    old = django.from_string(TEMPLATE).render({"rows": rows})
    new = django.from_string('{% include "components/summary_list.html" with rows=rows %}').render(
        {"rows": rows}
    )
    return old, new


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("row", ROWS, ids=lambda row: str(row.get("key")))
def test_a_row_is_what_the_template_gave(row, language):
    with translation.override(language):
        old, new = both([row])
    assert parse_html(new) == parse_html(old)
    # parse_html collapses whitespace; the link's hidden suffix must keep its leading space.
    assert new.count('<span class="visually-hidden"> ') == old.count(
        '<span class="visually-hidden"> '
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_all_rows_together_and_none_are_what_the_template_gave(language):
    with translation.override(language):
        for rows in (ROWS, [], None):
            old, new = both(rows)
            assert parse_html(new) == parse_html(old)
