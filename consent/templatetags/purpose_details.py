"""{% purpose_details_texts as text %}: the fixed sentences of consent/_purpose_details.html,
translated once per language in each process.

Measured on the consents page (issue 17): it includes the details once per purpose (six on a
typical page), each with seven to nine {% translate %} of about 6 µs; a lookup in this
dictionary costs about 2 µs. The msgids stay the template's own (gettext_noop marks them for
makemessages); all is forgotten when a setting changes (tests).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

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


@register.simple_tag
def purpose_details_texts() -> dict[str, str]:
    language = translation.get_language()
    texts = _kept.get(language)
    if texts is None:
        texts = _kept[language] = {key: gettext(msgid) for key, msgid in TEXTS.items()}
    return texts


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _kept.clear()
