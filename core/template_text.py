"""What {{ value }} and {{ value|linebreaksbr }} give in a template (autoescape on), for the
components written out in Python (config/templatetags/summary_list.py,
consent/templatetags/purpose_details.py; issue 17).

A plain string goes straight to html.escape, which is all django.utils.html.escape does with it
besides its lazy-text wrapper; anything else is localised and made a string as a template does.
"""

import re
from html import escape

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime

_NEWLINES = re.compile(r"\r\n|\r")


def value_html(value) -> str:
    """{{ value }}"""
    if type(value) is str:
        return escape(value)
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def lines_html(value) -> SafeString:
    """{{ value|linebreaksbr }}: a string filter, so made a string but not localised."""
    text = str(value)
    lines = _NEWLINES.sub("\n", text)
    if not isinstance(text, SafeData):
        lines = escape(lines)
    return SafeString(lines.replace("\n", "<br>"))
