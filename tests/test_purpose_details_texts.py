"""consent/_purpose_details.html takes its fixed sentences from {% purpose_details %},
translated once per language (issue 17): each language shows its own translations, also after
the other language was kept."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from consent.templatetags.purpose_details import TEXTS


def _purpose(legal_task: bool):
    version = SimpleNamespace(
        name="Berichten",
        description="Wij sturen u een e-mail.",
        law="Awb" if legal_task else "",
        law_url="",
        retention="1 jaar",
    )
    return SimpleNamespace(
        organisation=SimpleNamespace(name="Gemeente Testdorp"),
        data_labels=["E-mailadres"],
        version=version,
        legal_task=legal_task,
    )


@pytest.mark.parametrize("legal_task", [True, False])
def test_the_details_show_the_sentences_in_the_pages_language(legal_task):
    shown = {}
    for language in ("nl", "en", "nl"):
        with translation.override(language):
            html = render_to_string(
                "consent/_purpose_details.html",
                {"purpose": _purpose(legal_task), "show_organisation": True},
            )
            shown[language] = html
            for key in ("organisation", "which_details", "how_long", "where_in_law"):
                assert translation.gettext(TEXTS[key]) in html
            sentence = TEXTS["by_law" if legal_task else "with_consent"]
            assert translation.gettext(sentence) in html
    assert "Welke gegevens" in shown["nl"]
    assert "Which details" in shown["en"]
