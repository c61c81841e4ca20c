"""The demo data under four eyes: its purposes approved by a reviewer and in force, so `make run`
works at once; a developer's own proposals still wait for a real review."""

import pytest
from django.core.management import call_command

from consent.choices import DataField, DoelbindingStatus, LegalBasis, ReviewStatus
from consent.models import Doelbinding, DoelbindingVersion
from consent.services import doelbinding_version_save
from tests.test_consent_admin import make_staff


@pytest.fixture
def demo_data(db, settings):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)


def test_every_demo_purpose_has_an_approved_text_and_is_in_force(demo_data):
    purposes = list(Doelbinding.objects.all())

    assert purposes
    for purpose in purposes:
        assert purpose.status == DoelbindingStatus.ACTIVE
        version = purpose.current_version
        assert version is not None and version.reviewed_by is not None
        assert not version.reviewed_by.organisations.exists()  # from the portal's side


def test_loading_again_leaves_a_developers_proposal_waiting(demo_data, settings):
    purpose = Doelbinding.objects.first()
    author = make_staff(purpose.organisation, username="ontwikkelaar")
    proposal = doelbinding_version_save(
        doelbinding=purpose,
        fields={DataField.EMAIL},
        author=author,
        name="Eigen proefje",
        description="Tekst",
        legal_basis=LegalBasis.CONSENT,
        retention="1 jaar",
    )
    before = DoelbindingVersion.objects.count()

    call_command("load_demo_data", verbosity=0)

    proposal.refresh_from_db()
    assert proposal.review_status == ReviewStatus.PROPOSED
    assert DoelbindingVersion.objects.count() == before
