"""may_process: the full truth table of the one gate for sharing."""

import itertools
from datetime import date, timedelta

import pytest

from consent.choices import DataField, DoelbindingStatus, LegalBasis, Reason
from consent.gate import may_process
from consent.services import consent_give, consent_withdraw
from tests.factories import approved_version_save, make_doelbinding, make_organisation, make_profile

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
PERIODS = {
    "open": (None, None),
    "current": (TODAY - timedelta(days=1), TODAY + timedelta(days=1)),
    "future": (TODAY + timedelta(days=1), None),
    "past": (None, TODAY - timedelta(days=1)),
}
ASKED = {
    "covered": {DataField.EMAIL},
    "partly": {DataField.EMAIL, DataField.PHONE},
    "nothing": set(),
}
CONSENT_STATES = ["none", "given", "withdrawn", "for_older_text"]


def expected(*, own, org_active, status, period, asked, basis, consent) -> str:
    """The rules as the issue states them, in order, written out once more by hand."""
    if not own:
        return Reason.WRONG_ORGANISATION
    if not org_active:
        return Reason.ORGANISATION_INACTIVE
    if status != DoelbindingStatus.ACTIVE:
        return Reason.NOT_ACTIVE
    if period == "future":
        return Reason.NOT_YET_VALID
    if period == "past":
        return Reason.EXPIRED
    # The text in force uses the e-mail address; after "for_older_text" also the phone number.
    in_force = (
        {DataField.EMAIL, DataField.PHONE} if consent == "for_older_text" else {DataField.EMAIL}
    )
    if not ASKED[asked] or not ASKED[asked] <= in_force:
        return Reason.FIELDS_NOT_COVERED
    if basis == LegalBasis.CONSENT and consent != "given":
        return Reason.NO_CONSENT
    return Reason.ALLOWED


def set_consent(profile, doelbinding, state):
    version = doelbinding.current_version
    if state in ("given", "withdrawn"):
        consent_give(profile=profile, doelbinding=doelbinding, version_id=version.pk)
    if state == "withdrawn":
        consent_withdraw(profile=profile, doelbinding=doelbinding)
    if state == "for_older_text":
        # Consent to a text that used only the phone number; the new text asks for e-mail.
        approved_version_save(
            doelbinding=doelbinding,
            fields={DataField.PHONE},
            name="Oud",
            description="Oud",
            legal_basis=LegalBasis.CONSENT,
            retention="1 jaar",
        )
        consent_give(
            profile=profile, doelbinding=doelbinding, version_id=doelbinding.current_version.pk
        )
        approved_version_save(
            doelbinding=doelbinding,
            fields={DataField.EMAIL, DataField.PHONE},
            name="Nieuw",
            description="Nieuw",
            legal_basis=LegalBasis.CONSENT,
            retention="1 jaar",
        )


def test_the_full_truth_table():
    asking = make_organisation("Gemeente Vraagdorp")
    inactive = make_organisation("Opgeheven Schap", active=False)
    checked = 0
    for org_active, status, period, basis, consent in itertools.product(
        [True, False], DoelbindingStatus.values, PERIODS, LegalBasis.values, CONSENT_STATES
    ):
        if basis == LegalBasis.LEGAL_TASK and consent != "none":
            continue  # consent cannot be given for a legal task
        owner = asking if org_active else inactive
        valid_from, valid_until = PERIODS[period]
        doelbinding = make_doelbinding(
            owner,
            legal_basis=basis,
            status=DoelbindingStatus.ACTIVE,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        profile = make_profile()
        set_consent(profile, doelbinding, consent)
        doelbinding.status = status
        doelbinding.save()
        for own, asked in itertools.product([True, False], ASKED):
            requester = owner if own else make_organisation("Een ander")
            decision = may_process(requester, doelbinding, profile, ASKED[asked], today=TODAY)
            want = expected(
                own=own,
                org_active=org_active,
                status=status,
                period=period,
                asked=asked,
                basis=basis,
                consent=consent,
            )
            case = (own, org_active, status, period, asked, basis, consent)
            assert decision.reason == want, case
            assert decision.allowed == (want == Reason.ALLOWED), case
            assert decision.fields == (frozenset(ASKED[asked]) if decision.allowed else frozenset())
            checked += 1
    assert checked == 2 * 3 * 4 * (1 + 4) * 2 * 3


def test_withdrawing_consent_blocks_at_once():
    organisation = make_organisation()
    doelbinding = make_doelbinding(organisation)
    profile = make_profile()
    consent_give(
        profile=profile, doelbinding=doelbinding, version_id=doelbinding.current_version.pk
    )
    assert may_process(organisation, doelbinding, profile, {DataField.EMAIL}).allowed

    consent_withdraw(profile=profile, doelbinding=doelbinding)

    decision = may_process(organisation, doelbinding, profile, {DataField.EMAIL})
    assert (decision.allowed, decision.reason) == (False, Reason.NO_CONSENT)
