"""Text an organisation wrote (names and descriptions of purposes, retention, the law, messages).

It is Dutch whatever language the page is in: the models have no language field, and Dutch
government organisations write in Dutch. Marked with its language, a screen reader reads it with
a Dutch voice on an English page (WCAG 3.1.2). Templates use the `organisation_text` filter
(consent/templatetags/organisation_text.py); a view that puts such text in a sentence of its own
uses `sentence_with`.
"""

from html import escape

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

LANGUAGE = "nl"


def organisation_text(text) -> SafeString:
    """The text, escaped, in a span that says it is Dutch."""
    if type(text) is str:
        # What format_html gives for a plain string, without its lazy-text wrappers: it cost
        # 6-7 µs a call, and the consents page has 30 (issue 17). Anything else goes through it.
        return SafeString(f'<span lang="{LANGUAGE}">{escape(text)}</span>')
    return format_html('<span lang="{}">{}</span>', LANGUAGE, text)


def sentence_with(message, **values) -> SafeString:
    """`message % values` as HTML: the portal's sentence and plain values are escaped, values
    made with organisation_text keep their mark. For django.contrib.messages, which keeps a
    message's safe-ness across the redirect."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(message) % escaped)  # noqa: S308 - every part escaped
