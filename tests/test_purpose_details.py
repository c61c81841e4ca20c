"""{% purpose_details %} (consent/templatetags/purpose_details.py) gives the HTML that
consent/_purpose_details.html gave as a template (issue 17: written out in Python), whitespace
aside: with and without the organisation, by law (with and without the law and its link) and
with consent, for texts that need escaping and descriptions with line breaks, in both languages;
and for the real Purpose of the consents page."""

# ruff: noqa: E501 - the template as it was, its lines as long as they were

from types import SimpleNamespace

import pytest
from django.template import engines
from django.test.html import parse_html
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from consent.choices import DataField, LegalBasis
from consent.selectors import purposes_by_organisation
from consent.templatetags.purpose_details import TEXTS
from tests.factories import make_doelbinding, make_organisation, make_profile

# consent/_purpose_details.html as it was a template, its sentences given as `text`.
TEMPLATE = """{% load organisation_text %}<dl class="summary-list">
  {% if show_organisation %}
    <div class="summary-list__row">
      <dt class="summary-list__key">{{ text.organisation }}</dt>
      <dd class="summary-list__value">{{ purpose.organisation.name }}</dd>
    </div>
  {% endif %}
  <div class="summary-list__row">
    <dt class="summary-list__key">{{ text.which_details }}</dt>
    <dd class="summary-list__value">
      <ul>{% for label in purpose.data_labels %}<li>{{ label }}</li>{% endfor %}</ul>
    </dd>
  </div>
  <div class="summary-list__row">
    <dt class="summary-list__key">{{ text.what_for }}</dt>
    <dd class="summary-list__value">{{ purpose.version.description|linebreaksbr|organisation_text }}</dd>
  </div>
  <div class="summary-list__row">
    <dt class="summary-list__key">{{ text.why_allowed }}</dt>
    <dd class="summary-list__value">
      {% if purpose.legal_task %}
        {{ text.by_law }}
      {% else %}
        {{ text.with_consent }}
      {% endif %}
      <details class="details">
        <summary class="details__summary">{{ text.where_in_law }}<span class="visually-hidden"> - {{ purpose.version.name|organisation_text }}</span></summary>
        <div class="details__text">
          {% if purpose.legal_task %}
            <p>{{ text.gdpr_legal_task }}</p>
            {% if purpose.version.law %}
              <p>{{ text.law_giving_task }}
                {% if purpose.version.law_url %}<a href="{{ purpose.version.law_url }}">{{ purpose.version.law|organisation_text }}</a>{% else %}{{ purpose.version.law|organisation_text }}{% endif %}</p>
            {% endif %}
          {% else %}
            <p>{{ text.gdpr_consent }}</p>
          {% endif %}
        </div>
      </details>
    </dd>
  </div>
  <div class="summary-list__row">
    <dt class="summary-list__key">{{ text.how_long }}</dt>
    <dd class="summary-list__value">{{ purpose.version.retention|organisation_text }}</dd>
  </div>
</dl>"""
TRICKY = "<b>\"Tom & Jerry's\"</b> ' &amp;"


def _purpose(legal_task=True, law="Awb", law_url="", text="Berichten"):
    version = SimpleNamespace(
        name=text,
        description=f"{text}\r\nregel twee\rregel drie\nvier",
        law=law,
        law_url=law_url,
        retention=text,
    )
    return SimpleNamespace(
        organisation=SimpleNamespace(name=text),
        data_labels=[gettext_lazy("Change"), text],
        version=version,
        legal_task=legal_task,
    )


PURPOSES = {
    "by law": _purpose(),
    "by law, with link": _purpose(law_url="https://wetten.overheid.nl/x?a=1&b=2"),
    "by law, no law": _purpose(law=""),
    "with consent": _purpose(legal_task=False),
    "tricky by law": _purpose(law=TRICKY, law_url=TRICKY, text=TRICKY),
    "tricky with consent": _purpose(legal_task=False, text=TRICKY),
}


def both(context: dict) -> tuple[str, str]:
    django = engines["django"]
    text = {key: gettext(msgid) for key, msgid in TEXTS.items()}
    old = django.from_string(TEMPLATE).render({**context, "text": text})
    new = django.from_string(
        '{% include "consent/_purpose_details.html" with purpose=purpose %}'
        if "show_organisation" not in context
        else '{% include "consent/_purpose_details.html" with purpose=purpose show_organisation=show_organisation %}'
    ).render(context)
    return old, new


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("show", [None, True, False])
@pytest.mark.parametrize("name", list(PURPOSES))
def test_the_details_are_what_the_template_gave(name, show, language):
    context = {"purpose": PURPOSES[name]}
    if show is not None:
        context["show_organisation"] = show
    with translation.override(language):
        old, new = both(context)
    assert parse_html(new) == parse_html(old)
    assert new.count('visually-hidden"> - ') == old.count('visually-hidden"> - ') == 1


@pytest.mark.django_db
def test_a_purpose_of_the_consents_page_is_what_the_template_gave():
    organisation = make_organisation()
    make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={*DataField})
    make_doelbinding(organisation, name=TRICKY)
    groups = purposes_by_organisation(make_profile())
    assert len(groups[0]["purposes"]) == 2
    for purpose in groups[0]["purposes"]:
        for show in (True, False):
            old, new = both({"purpose": purpose, "show_organisation": show})
            assert parse_html(new) == parse_html(old)
