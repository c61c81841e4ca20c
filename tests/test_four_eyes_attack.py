"""Issue 13's attack, replayed by one ordinary staff account: each step that used to work alone
now fails. The staff member writes a purpose on a made-up law, activates it, makes an API
client, takes its token and bulk-reads everyone; a reviewer approves their own text."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from consent.choices import DataField, DoelbindingStatus, LegalBasis, Reason, ReviewStatus
from consent.clients.services import CONFIRM_OWN, api_client_confirm
from consent.models import ApiClient, Doelbinding, DoelbindingVersion
from consent.review.law import LAW_URL_NEEDED, LAW_URL_SHAPE
from consent.review.services import NOT_A_REVIEWER, OWN_PROPOSAL, proposal_approve
from consent.services import NOT_APPROVED_YET, doelbinding_version_save
from core.api_problems import ProblemCode
from profiles.validators import passes_elfproef
from tests.factories import approve, make_confirmer, make_organisation, make_reviewer
from tests.support.api import ApiCaller, assert_problem, bsn
from tests.test_consent_admin import form_data, make_staff, url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"moz_[0-9a-f]{12}_[A-Za-z0-9_-]+")
MADE_UP_LAW = "Wet willekeur art. 1"
EVERYONE = [f"{n:09d}" for n in range(100000000, 100004000) if passes_elfproef(f"{n:09d}")]


def said(message, response) -> bool:
    """Whether the page shows this message, in Dutch as the staff member reads it."""
    with translation.override("nl"):
        return str(message) in html.unescape(response.content.decode())


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def attacker(client, aadorp):
    user = make_staff(aadorp, username="medewerker-alleen")
    client.force_login(user)
    return user


def _purpose_form(client, **changes):
    data = form_data(client.get(url("doelbinding", "add")))
    data.update(
        name=["Iedereen mailen"],
        description=["Wij gebruiken uw e-mailadres."],
        retention=["Altijd"],
        legal_basis=[LegalBasis.LEGAL_TASK],
        law=[MADE_UP_LAW],
        data=[DataField.EMAIL],
        **changes,
    )
    return data


def test_one_staff_member_alone_gets_no_data(client, attacker, aadorp, settings):
    settings.API_DAILY_VOLUME_PER_PURPOSE = 150

    # 1. A legal task on a made-up law with no link to wetten.overheid.nl: refused, kept.
    refused = client.post(
        url("doelbinding", "add"), _purpose_form(client, organisation=[aadorp.pk])
    )
    assert refused.status_code == 200
    assert said(LAW_URL_NEEDED, refused)
    assert not Doelbinding.objects.exists()
    fake_link = ["https://example.org/wet-willekeur"]
    refused = client.post(
        url("doelbinding", "add"),
        _purpose_form(client, organisation=[aadorp.pk], law_url=fake_link),
    )
    assert refused.status_code == 200
    assert said(LAW_URL_SHAPE, refused)
    assert not Doelbinding.objects.exists()

    # With a link of the right shape it is saved, but only as a proposal.
    link = ["https://wetten.overheid.nl/BWBR0005537/2024-01-01"]
    made = client.post(
        url("doelbinding", "add"), _purpose_form(client, organisation=[aadorp.pk], law_url=link)
    )
    assert made.status_code == 302
    purpose = Doelbinding.objects.get()
    proposal = purpose.versions.get()
    assert (proposal.review_status, proposal.proposed_by) == (ReviewStatus.PROPOSED, attacker)

    # 2. Activating it alone fails: nobody approved the text.
    response = client.post(
        url("doelbinding"), {"action": "activate", "_selected_action": [purpose.pk]}, follow=True
    )
    assert said(NOT_APPROVED_YET, response)
    purpose.refresh_from_db()
    assert purpose.status == DoelbindingStatus.CONCEPT

    # 3. Approving it alone fails: the review page is not theirs, and the rule holds in the
    # service and in the database whatever page is used.
    review = url("doelbindingproposal", "change", proposal.pk)
    assert client.post(review, {"decision": "approve", "reason": "Prima"}).status_code == 403
    with pytest.raises(ValidationError) as refusal:
        proposal_approve(version=proposal, reviewer=attacker, reason="Prima")
    assert refusal.value.messages == [str(OWN_PROPOSAL)]
    colleague = make_staff(aadorp, username="collega-met-toetsrecht")
    colleague.user_permissions.add(*make_reviewer().user_permissions.all())
    with pytest.raises(ValidationError) as refusal:
        proposal_approve(version=proposal, reviewer=colleague, reason="Prima")
    assert refusal.value.messages == [str(NOT_A_REVIEWER)]
    with pytest.raises(IntegrityError), transaction.atomic():
        DoelbindingVersion.objects.filter(pk=proposal.pk).update(
            review_status=ReviewStatus.APPROVED,
            reviewed_by=attacker,
            decided_at=proposal.created_at,
        )
    proposal.refresh_from_db()
    assert proposal.review_status == ReviewStatus.PROPOSED

    # 4. A client with the token shown: the token does not work until someone else confirms.
    response = client.post(
        url("apiclient", "add"),
        {"organisation": aadorp.pk, "name": "Stil", "purposes": [purpose.pk]},
    )
    token = TOKEN.search(response.content.decode()).group()
    api_client = ApiClient.objects.get()
    caller = ApiCaller(client, api_client, token)
    body = assert_problem(
        caller.bulk([bsn(n) for n in EVERYONE[:100]], purpose),
        403,
        code=ProblemCode.CLIENT_NOT_CONFIRMED,
    )
    assert "confirm" in body["detail"]

    # 5. Confirming their own client fails.
    response = client.post(
        url("apiclient"), {"action": "confirm", "_selected_action": [api_client.pk]}, follow=True
    )
    assert said(CONFIRM_OWN, response)
    api_client.refresh_from_db()
    assert api_client.confirmed_at is None

    # Even once a reviewer approved a real text and a colleague confirmed the client ...
    approve(proposal)
    client.post(url("doelbinding"), {"action": "activate", "_selected_action": [purpose.pk]})
    purpose.refresh_from_db()
    assert purpose.status == DoelbindingStatus.ACTIVE
    api_client_confirm(client=api_client, actor=make_confirmer())

    # 6. ... the daily volume stops the bulk read of everyone.
    first = caller.bulk([bsn(n) for n in EVERYONE[:100]], purpose)
    assert first.status_code == 200
    over = caller.bulk([bsn(n) for n in EVERYONE[100:200]], purpose)
    assert_problem(over, 429, code=Reason.DAILY_VOLUME_EXCEEDED)
    assert int(over["Retry-After"]) > 0


def test_a_reviewer_cannot_approve_their_own_proposal(client, aadorp):
    reviewer = make_reviewer("toetser-schrijft-zelf")
    purpose = Doelbinding.objects.create(organisation=aadorp)
    proposal = doelbinding_version_save(
        doelbinding=purpose,
        fields={DataField.EMAIL},
        author=reviewer,
        name="Eigen tekst",
        description="Tekst",
        legal_basis=LegalBasis.CONSENT,
        retention="1 jaar",
    )
    client.force_login(reviewer)

    response = client.post(
        url("doelbindingproposal", "change", proposal.pk), {"decision": "approve", "reason": "Ok"}
    )

    assert response.status_code == 200
    assert said(OWN_PROPOSAL, response)
    proposal.refresh_from_db()
    assert proposal.review_status == ReviewStatus.PROPOSED
    assert purpose.current_version is None
