"""Four eyes on purpose texts: staff propose, a reviewer of the portal approves or rejects."""

import html

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation

from consent.choices import DataField, DoelbindingStatus, LegalBasis, Reason, ReviewStatus
from consent.gate import may_process
from consent.models import Doelbinding
from consent.review.law import LAW_URL_NEEDED, LAW_URL_SHAPE, is_law_url
from consent.review.services import (
    NOT_WAITING,
    REVIEW_REASON_NEEDED,
    may_review,
    proposal_approve,
    proposal_reject,
)
from consent.selectors import purposes_by_organisation
from consent.services import (
    NOT_APPROVED_YET,
    doelbinding_activate,
    doelbinding_version_save,
    doelbinding_withdraw,
)
from tests.factories import (
    AWB_2_14,
    approve,
    make_doelbinding,
    make_organisation,
    make_profile,
    make_reviewer,
)
from tests.test_consent_admin import form_data, make_staff, url

pytestmark = pytest.mark.django_db


def said(message, response) -> bool:
    with translation.override("nl"):
        return str(message) in html.unescape(response.content.decode())


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def author(aadorp):
    return make_staff(aadorp, username="schrijver")


@pytest.fixture
def reviewer():
    user = make_reviewer("privacy-toetser")
    user.groups.add(Group.objects.get(name="Toetser doelbinding"))
    return user


def propose(doelbinding, author, *, name="Nieuwe tekst", basis=LegalBasis.CONSENT, **text):
    return doelbinding_version_save(
        doelbinding=doelbinding,
        fields=text.pop("fields", {DataField.EMAIL}),
        author=author,
        name=name,
        description=text.pop("description", "Wij mailen u."),
        legal_basis=basis,
        retention="1 jaar",
        **text,
    )


def test_the_law_link_has_the_shape_of_a_law_on_wetten_overheid_nl():
    assert is_law_url(AWB_2_14)
    assert is_law_url("https://wetten.overheid.nl/jci1.3:c:BWBR0005537&hoofdstuk=2&artikel=2:14")
    assert is_law_url("https://wetten.overheid.nl/BWBR0005537")
    for wrong in (
        "",
        "http://wetten.overheid.nl/BWBR0005537",
        "https://wetten.overheid.nl.example.org/BWBR0005537",
        "https://example.org/BWBR0005537",
        "https://wetten.overheid.nl/BWBR123",
        "https://wetten.overheid.nl/zoeken?q=wet",
    ):
        assert not is_law_url(wrong), wrong


def test_a_legal_task_needs_a_law_link_of_the_right_shape(aadorp, author):
    doelbinding = Doelbinding.objects.create(organisation=aadorp)
    for link, message in (("", LAW_URL_NEEDED), ("https://example.org/wet", LAW_URL_SHAPE)):
        with pytest.raises(ValidationError) as refused:
            propose(doelbinding, author, basis=LegalBasis.LEGAL_TASK, law="Wet", law_url=link)
        assert refused.value.messages == [str(message)]
    assert not doelbinding.versions.exists()


def test_a_proposal_is_used_by_nobody_until_it_is_approved(aadorp, author, reviewer):
    doelbinding = Doelbinding.objects.create(organisation=aadorp)
    proposal = propose(doelbinding, author)
    person = make_profile()

    with pytest.raises(ValidationError) as refused:
        doelbinding_activate(doelbinding=doelbinding)
    assert refused.value.messages == [str(NOT_APPROVED_YET)]
    doelbinding.status = DoelbindingStatus.ACTIVE  # even forced active: no text in force
    doelbinding.save()
    decision = may_process(aadorp, doelbinding, person, {DataField.EMAIL})
    assert (decision.allowed, decision.reason) == (False, Reason.NOT_ACTIVE)
    assert purposes_by_organisation(person) == []

    proposal_approve(version=proposal, reviewer=reviewer, reason="Duidelijk en juist.")

    doelbinding = Doelbinding.objects.get(pk=doelbinding.pk)
    assert doelbinding.current_version == proposal
    assert purposes_by_organisation(person)[0]["purposes"][0].version == proposal


def test_a_new_proposal_leaves_the_approved_text_in_force(aadorp, author, reviewer):
    doelbinding = make_doelbinding(aadorp, fields={DataField.EMAIL})
    approved = doelbinding.current_version
    first = propose(doelbinding, author, fields={DataField.EMAIL, DataField.PHONE})
    second = propose(doelbinding, author, name="Nog een tekst")

    first.refresh_from_db()
    assert first.review_status == ReviewStatus.WITHDRAWN  # replaced by the newer proposal
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version == approved

    proposal_reject(version=second, reviewer=reviewer, reason="De tekst is niet duidelijk.")
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version == approved
    with pytest.raises(ValidationError) as refused:
        proposal_approve(version=second, reviewer=reviewer, reason="Toch wel")
    assert refused.value.messages == [str(NOT_WAITING)]


def test_a_decision_needs_a_reason_and_is_in_the_audit_trail(aadorp, author, reviewer):
    proposal = propose(Doelbinding.objects.create(organisation=aadorp), author)

    with pytest.raises(ValidationError) as refused:
        proposal_approve(version=proposal, reviewer=reviewer, reason="  ")
    assert refused.value.messages == [str(REVIEW_REASON_NEEDED)]

    proposal_reject(version=proposal, reviewer=reviewer, reason="Wet ontbreekt.")

    change = LogEntry.objects.get_for_object(proposal).order_by("timestamp").last()
    assert change.changes["review_status"] == ["proposed", "rejected"]
    assert change.changes["review_reason"][1] == "Wet ontbreekt."


def test_withdrawing_a_purpose_stops_it_at_once_without_review(aadorp, author):
    doelbinding = make_doelbinding(aadorp, legal_basis=LegalBasis.LEGAL_TASK)
    waiting = propose(doelbinding, author)
    person = make_profile()

    doelbinding_withdraw(doelbinding=doelbinding, reason="Gestopt")

    doelbinding = Doelbinding.objects.get(pk=doelbinding.pk)
    decision = may_process(aadorp, doelbinding, person, {DataField.EMAIL})
    assert (decision.allowed, decision.reason) == (False, Reason.NOT_ACTIVE)
    waiting.refresh_from_db()
    assert waiting.review_status == ReviewStatus.WITHDRAWN


# --- the admin -----------------------------------------------------------------------------


def test_the_reviewer_sees_the_text_as_the_person_will_with_data_and_law(
    client, aadorp, author, reviewer
):
    doelbinding = Doelbinding.objects.create(organisation=aadorp)
    proposal = propose(
        doelbinding,
        author,
        name="Vergunning",
        basis=LegalBasis.LEGAL_TASK,
        description="Wij sturen u een brief over uw vergunning.",
        law="Algemene wet bestuursrecht, artikel 2:14",
        law_url=AWB_2_14,
        fields={DataField.POSTAL_ADDRESS},
    )
    client.force_login(reviewer)

    listed = client.get(url("doelbindingproposal")).content.decode()
    page = client.get(url("doelbindingproposal", "change", proposal.pk))

    assert "Vergunning" in listed
    text = html.unescape(page.content.decode())
    assert "Wij sturen u een brief over uw vergunning." in text
    assert "Postadres" in text or "postadres" in text
    assert f'href="{AWB_2_14}"' in text
    assert "Algemene wet bestuursrecht, artikel 2:14" in text
    assert 'name="decision" value="approve"' in text


def test_the_reviewer_approves_and_the_organisation_sees_the_decision(
    client, aadorp, author, reviewer
):
    doelbinding = Doelbinding.objects.create(organisation=aadorp)
    proposal = propose(doelbinding, author)
    client.force_login(reviewer)
    review = url("doelbindingproposal", "change", proposal.pk)

    no_reason = client.post(review, {"decision": "approve", "reason": ""})
    assert said(REVIEW_REASON_NEEDED, no_reason)
    done = client.post(review, {"decision": "approve", "reason": "Helder, past bij de wet."})

    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.review_status, proposal.reviewed_by) == (ReviewStatus.APPROVED, reviewer)
    entry = LogEntry.objects.get_for_object(proposal).filter(actor=reviewer).get()
    assert entry.changes["review_status"] == ["proposed", "approved"]
    client.force_login(author)
    own_page = client.get(url("doelbinding", "change", doelbinding.pk)).content.decode()
    assert "Helder, past bij de wet." in own_page
    assert "goedgekeurd" in own_page


def test_staff_of_organisations_do_not_reach_the_review_pages(client, aadorp, author):
    proposal = propose(Doelbinding.objects.create(organisation=aadorp), author)
    client.force_login(author)

    assert client.get(url("doelbindingproposal")).status_code == 403
    assert client.get(url("doelbindingproposal", "change", proposal.pk)).status_code == 403


def test_changing_the_text_in_the_admin_makes_a_proposal_and_keeps_the_text_in_force(
    client, aadorp, author
):
    doelbinding = make_doelbinding(aadorp)
    approved = doelbinding.current_version
    client.force_login(author)
    change = url("doelbinding", "change", doelbinding.pk)
    data = form_data(client.get(change))
    data["description"] = ["Een nieuwe tekst"]

    response = client.post(change, data, follow=True)

    proposal = doelbinding.versions.order_by("number").last()
    assert (proposal.review_status, proposal.proposed_by) == (ReviewStatus.PROPOSED, author)
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version == approved
    assert "toets" in response.content.decode()
    # The form shows the waiting proposal, so a second save changes nothing.
    assert form_data(client.get(change))["description"] == ["Een nieuwe tekst"]
    client.post(change, form_data(client.get(change)))
    assert doelbinding.versions.count() == 2


def test_approve_in_factories_is_a_real_review(aadorp):
    doelbinding = make_doelbinding(aadorp, approved=False)
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version is None
    approve(doelbinding.versions.get())
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version is not None


def test_going_back_to_an_older_approved_text_is_a_new_proposal(aadorp, author, reviewer):
    doelbinding = Doelbinding.objects.create(organisation=aadorp)
    first = propose(doelbinding, author, name="Eerste tekst")
    proposal_approve(version=first, reviewer=reviewer, reason="Goed.")
    second = propose(doelbinding, author, name="Tweede tekst")
    proposal_approve(version=second, reviewer=reviewer, reason="Goed.")
    assert propose(doelbinding, author, name="Tweede tekst") == second  # in force: nothing new

    back = propose(doelbinding, author, name="Eerste tekst")

    assert (back.number, back.review_status) == (3, ReviewStatus.PROPOSED)
    assert Doelbinding.objects.get(pk=doelbinding.pk).current_version == second


def test_the_list_names_a_purpose_by_its_first_proposal_until_one_is_approved(
    client, aadorp, author
):
    propose(Doelbinding.objects.create(organisation=aadorp), author, name="Nog niet getoetst")
    client.force_login(author)

    assert "Nog niet getoetst" in client.get(url("doelbinding")).content.decode()


def test_the_reviewer_group_alone_gives_the_right_to_review(aadorp, author):
    member = get_user_model().objects.create_user("alleen-groep", is_staff=True)
    member.groups.add(Group.objects.get(name="Toetser doelbinding"))
    proposal = propose(Doelbinding.objects.create(organisation=aadorp), author)

    assert may_review(get_user_model().objects.get(pk=member.pk), proposal)
    staff_rights = set(
        Group.objects.get(name="Medewerker gemeente").permissions.values_list("codename", flat=True)
    )
    assert {"add_apiclientpurpose", "confirm_apiclient", "show_token_apiclient"} <= staff_rights
    assert "review_doelbindingproposal" not in staff_rights
