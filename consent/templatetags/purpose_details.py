"""{% purpose_details purpose show_organisation %}: consent/_purpose_details.html written out in
Python, its fixed sentences translated once per language in each process.

Measured on the consents page (issue 17): as a template the details cost 74-92 µs per purpose
(six on a typical page), even with the sentences translated once per language: most of it went
to resolving {{ purpose.version.x }} and the filters. Here they are a few f-strings with the
same elements, attributes, text and escaping; tests/test_purpose_details.py compares them with
the template as it was, whitespace aside. gettext_noop marks the msgids for makemessages; the
translations are forgotten when a setting changes (tests).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop

from consent.organisation_text import organisation_text
from core.template_text import lines_html, value_html

register = template.Library()

TEXTS = {
    "organisation": gettext_noop("Organisation"),
    "which_details": gettext_noop("Which details"),
    "what_for": gettext_noop("What for"),
    "why_allowed": gettext_noop("Why this is allowed"),
    "by_law": gettext_noop(
        "This organisation may do this by law. You do not have to give consent."
    ),
    "with_consent": gettext_noop("This organisation may only do this if you give consent."),
    "where_in_law": gettext_noop("Where does the law say this?"),
    "gdpr_legal_task": gettext_noop(
        "In the privacy law (GDPR) this is called a legal task. "
        "You find it in article 6, paragraph 1, under e."
    ),
    "law_giving_task": gettext_noop("The law that gives the organisation this task:"),
    "gdpr_consent": gettext_noop(
        "In the privacy law (GDPR) this is called consent. "
        "You find it in article 6, paragraph 1, under a."
    ),
    "how_long": gettext_noop("How long the organisation keeps the details"),
}
_kept: dict[str | None, dict[str, str]] = {}


def _texts() -> dict[str, str]:
    """The fixed sentences, translated and escaped."""
    language = translation.get_language()
    texts = _kept.get(language)
    if texts is None:
        texts = {key: value_html(gettext(msgid)) for key, msgid in TEXTS.items()}
        _kept[language] = texts
    return texts


def _row(key: str, value: str) -> str:
    return (
        f'<div class="summary-list__row">\n<dt class="summary-list__key">{key}</dt>\n'
        f'<dd class="summary-list__value">{value}</dd>\n</div>\n'
    )


@register.simple_tag
def purpose_details(purpose, show_organisation=False) -> SafeString:
    text, version = _texts(), purpose.version
    html = ['<dl class="summary-list">\n']
    if show_organisation:
        html.append(_row(text["organisation"], value_html(purpose.organisation.name)))
    labels = "".join(f"<li>{value_html(label)}</li>" for label in purpose.data_labels)
    html.append(_row(text["which_details"], f"\n<ul>{labels}</ul>\n"))
    html.append(_row(text["what_for"], organisation_text(lines_html(version.description))))
    if purpose.legal_task:
        basis, law_html = text["by_law"], f"<p>{text['gdpr_legal_task']}</p>\n"
        if version.law:
            law = organisation_text(version.law)
            if version.law_url:
                law = f'<a href="{value_html(version.law_url)}">{law}</a>'
            law_html += f"<p>{text['law_giving_task']}\n{law}</p>\n"
    else:
        basis, law_html = text["with_consent"], f"<p>{text['gdpr_consent']}</p>\n"
    name = organisation_text(version.name)
    html.append(
        _row(
            text["why_allowed"],
            f'\n{basis}\n<details class="details">\n<summary class="details__summary">'
            f'{text["where_in_law"]}<span class="visually-hidden"> - {name}</span></summary>\n'
            f'<div class="details__text">\n{law_html}</div>\n</details>\n',
        )
    )
    html.append(_row(text["how_long"], organisation_text(version.retention)))
    html.append("</dl>")
    return SafeString("".join(html))


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _kept.clear()
