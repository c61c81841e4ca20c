"""Reading contact details through the organisation API: the gate's answers over HTTP."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from consent.choices import DataField, LegalBasis, Reason
from consent.models import ProcessingRecord
from consent.services import (
    consent_give,
    consent_withdraw,
    doelbinding_withdraw,
)
from profiles.choices import IdentityType
from profiles.models import ContactDetail
from profiles.services import profile_get_or_create
from tests.factories import approved_version_save, make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    CONFIRMED_AT,
    UNKNOWN_BSN,
    ApiCaller,
    assert_problem,
    bsn,
    complete_profile,
    confirmed,
    identificatie,
)
from tests.support.prepared import prepared_path, statements_counted, writes

pytestmark = prepared_path

EMAIL, PHONE = "ondernemer@voorbeeld.nl", "+31612345678"


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    cache.clear()


@pytest.fixture
def organisation():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def caller(client, organisation):
    return ApiCaller.for_organisation(client, organisation)


@pytest.fixture
def person():
    return complete_profile(make_profile())


def give(person, doelbinding):
    consent_give(profile=person, doelbinding=doelbinding, version_id=doelbinding.current_version.pk)


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _ended(person, doelbinding):
    doelbinding_withdraw(doelbinding=doelbinding, reason="De wet is vervallen.")


def _withdrawn(person, doelbinding):
    give(person, doelbinding)
    consent_withdraw(profile=person, doelbinding=doelbinding)


def _older(person, doelbinding):
    # The person consented to a text about e-mail; the text in force also asks for the phone.
    give(person, doelbinding)
    approved_version_save(
        doelbinding=doelbinding,
        fields={DataField.EMAIL, DataField.PHONE},
        name="Nieuw",
        description="Nu ook uw telefoonnummer.",
        legal_basis=LegalBasis.CONSENT,
        retention="1 jaar",
    )


TASK, CONSENT = LegalBasis.LEGAL_TASK, LegalBasis.CONSENT
# case: basis, status, valid from/until (days from today), what happens first, answer, reason
TRUTH_TABLE = {
    "legal task": (TASK, "actief", None, None, None, 200, Reason.ALLOWED),
    "consent given": (CONSENT, "actief", None, None, give, 200, Reason.ALLOWED),
    "no consent": (CONSENT, "actief", None, None, None, 403, Reason.NO_CONSENT),
    "consent withdrawn": (CONSENT, "actief", None, None, _withdrawn, 403, Reason.NO_CONSENT),
    "consent to an older text": (CONSENT, "actief", None, None, _older, 403, Reason.NO_CONSENT),
    "purpose in draft": (TASK, "concept", None, None, None, 403, Reason.NOT_ACTIVE),
    "purpose withdrawn": (TASK, "actief", None, None, _ended, 403, Reason.NOT_ACTIVE),
    "purpose expired": (TASK, "actief", None, -1, None, 403, Reason.EXPIRED),
    "purpose not valid yet": (CONSENT, "actief", 1, None, give, 403, Reason.NOT_YET_VALID),
    "purpose in its period": (TASK, "actief", -1, 1, None, 200, Reason.ALLOWED),
}


@pytest.mark.parametrize("case", TRUTH_TABLE)
def test_the_gate_decides_every_read(caller, organisation, person, case):
    basis, status, start, end, before, want_status, reason = TRUTH_TABLE[case]
    doelbinding = make_doelbinding(
        organisation,
        legal_basis=basis,
        fields={DataField.EMAIL},
        status=status,
        valid_from=days(start) if start is not None else None,
        valid_until=days(end) if end is not None else None,
    )
    if before:
        before(person, doelbinding)

    response = caller.zoek(identificatie(person), doelbinding)

    if want_status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["emailadres"]["waarde"] == EMAIL
    else:
        assert_problem(response, want_status, code=reason)
        assert EMAIL not in response.content.decode()
    assert list(ProcessingRecord.objects.values_list("reason", flat=True)) == [reason]


def test_only_the_data_the_purpose_names_leave(caller, organisation, person):
    doelbinding = make_doelbinding(
        organisation,
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
    )

    response = caller.zoek(identificatie(person), doelbinding)

    body = response.json()
    assert body["emailadres"]["waarde"] == EMAIL
    assert body["postadres"]["regels"] == ["Dorpsstraat 12", "1234 AB Testdorp"]
    assert (body["postadres"]["postcode"], body["postadres"]["huisnummer"]) == ("1234AB", "12")
    assert body.get("telefoonnummer") is None
    assert body.get("contactvoorkeur") is None
    assert PHONE not in response.content.decode()
    assert (body["doelbinding"], body["doelbindingVersie"]) == (doelbinding.pk, 1)
    assert ProcessingRecord.objects.get().fields == "email,postal_address"


def test_confirmed_details_come_with_the_date_they_were_confirmed(caller, organisation, person):
    doelbinding = make_doelbinding(
        organisation,
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.PHONE, DataField.CONTACT_PREFERENCE},
    )

    body = caller.zoek(identificatie(person), doelbinding).json()

    assert body["telefoonnummer"]["waarde"] == PHONE
    for item in (body["emailadres"], body["telefoonnummer"]):
        assert datetime.fromisoformat(item["geverifieerdOp"]) == CONFIRMED_AT
    assert body["contactvoorkeur"] == "digitaal"


def test_an_unconfirmed_detail_never_leaves(caller, organisation):
    person = make_profile()
    ContactDetail.objects.create(profile=person, kind="email", value="niet@bevestigd.nl")
    confirmed(person, "phone", PHONE)
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL, DataField.PHONE}
    )

    response = caller.zoek(identificatie(person), doelbinding)

    assert response.status_code == 200
    assert response.json().get("emailadres") is None
    assert response.json()["telefoonnummer"]["waarde"] == PHONE
    assert "niet@bevestigd.nl" not in response.content.decode()


def test_a_business_is_found_with_and_without_its_branch_number(caller, organisation):
    business = profile_get_or_create(identity_type=IdentityType.KVK, value="12345678")
    branch = profile_get_or_create(
        identity_type=IdentityType.KVK, value="12345678", branch="000012345678"
    )
    confirmed(business, "email", "hoofdkantoor@bedrijf.nl")
    confirmed(branch, "email", "vestiging@bedrijf.nl")
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    whole = caller.zoek({"type": "kvk", "nummer": "12345678"}, doelbinding).json()
    one = caller.zoek(
        {"type": "kvk", "nummer": "12345678", "vestigingsnummer": "000012345678"}, doelbinding
    ).json()

    assert whole["emailadres"]["waarde"] == "hoofdkantoor@bedrijf.nl"
    assert one["emailadres"]["waarde"] == "vestiging@bedrijf.nl"
    assert one["identificatie"]["vestigingsnummer"] == "000012345678"


# Not the shape the document gives: refused as input. The right shape but not a real number
# of that type: refused per number (in a bulk read the others still get their answer).
NOT_NUMBERS = {
    "bsn too short": ({"type": "bsn", "nummer": "12345"}, "identificatie.nummer"),
    "digits that are not 0-9": ({"type": "bsn", "nummer": "²" * 9}, "identificatie.nummer"),
    "arabic-indic digits": ({"type": "kvk", "nummer": "١٢٣٤٥٦٧٨"}, "identificatie.nummer"),
    "branch of 8 digits": (
        {"type": "kvk", "nummer": "12345678", "vestigingsnummer": "12345678"},
        "identificatie.vestigingsnummer",
    ),
}
WRONG_NUMBERS = {
    "bsn failing the elfproef": {"type": "bsn", "nummer": "123456789"},
    "rsin of 8 digits": {"type": "rsin", "nummer": "12345678"},
    "kvk of 9 digits": {"type": "kvk", "nummer": "123456789"},
    "bsn with a branch": {"type": "bsn", "nummer": UNKNOWN_BSN, "vestigingsnummer": "0" * 12},
}


@pytest.mark.parametrize("case", NOT_NUMBERS)
def test_something_that_is_not_a_number_is_refused_as_input(caller, organisation, case):
    asked, field = NOT_NUMBERS[case]
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    response = caller.zoek(asked, doelbinding)

    problem = assert_problem(response, 400, code="invalid")
    assert [p["name"] for p in problem["invalidParams"]] == [field]
    assert not ProcessingRecord.objects.exists()


@pytest.mark.parametrize("case", WRONG_NUMBERS)
def test_a_number_that_cannot_exist_is_a_clear_400_and_reads_nothing(caller, organisation, case):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    response = caller.zoek(WRONG_NUMBERS[case], doelbinding)

    problem = assert_problem(response, 400, code="invalid_identifier")
    assert problem["invalidParams"][0]["name"] == "identificatie"
    assert problem["invalidParams"][0]["reason"]
    assert not ProcessingRecord.objects.exists()


def test_an_unknown_person_is_not_found_under_a_legal_task(caller, organisation):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    response = caller.zoek(bsn(UNKNOWN_BSN), doelbinding)

    assert_problem(response, 404, code="not_found")
    assert ProcessingRecord.objects.get().reason == "not_found"


def test_under_consent_an_unknown_person_looks_like_one_without_consent(
    caller, organisation, person
):
    """Whether someone uses the portal at all is personal data: only consent may reveal it."""
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)

    unknown = caller.zoek(bsn(UNKNOWN_BSN), doelbinding)
    known = caller.zoek(identificatie(person), doelbinding)

    assert_problem(unknown, 403, code="no_consent")
    assert unknown.json() == known.json()
    assert unknown.headers.keys() == known.headers.keys()


def test_a_purpose_out_of_its_period_does_not_say_whether_someone_exists(caller, organisation):
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, valid_until=days(-1)
    )

    response = caller.zoek(bsn(UNKNOWN_BSN), doelbinding)

    assert_problem(response, 403, code=Reason.EXPIRED)


# --- bulk ------------------------------------------------------------------------------------


def test_a_bulk_read_answers_per_person_and_says_it_is_incomplete(caller, organisation, person):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)
    give(person, doelbinding)
    without_consent = complete_profile(make_profile())
    asked = [identificatie(person), identificatie(without_consent), bsn(UNKNOWN_BSN)]

    response = caller.bulk(asked, doelbinding)

    assert response.status_code == 200
    body = response.json()
    assert body["volledig"] is False
    results = [(r["identificatie"]["nummer"], r["status"], r["code"]) for r in body["resultaten"]]
    assert results == [
        (asked[0]["nummer"], 200, None),
        (asked[1]["nummer"], 403, "no_consent"),
        (UNKNOWN_BSN, 403, "no_consent"),
    ]
    assert body["resultaten"][0]["gegevens"]["emailadres"]["waarde"] == EMAIL
    assert body["resultaten"][1]["gegevens"] is None
    assert ProcessingRecord.objects.count() == 3
    assert len(set(ProcessingRecord.objects.values_list("subject_pseudonym", flat=True))) == 3


def test_a_bulk_under_a_legal_task_names_the_unknown_and_the_invalid(caller, organisation, person):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)
    asked = [identificatie(person), bsn(UNKNOWN_BSN), bsn("123456789")]

    body = caller.bulk(asked, doelbinding).json()

    assert [(r["status"], r["code"]) for r in body["resultaten"]] == [
        (200, None),
        (404, "not_found"),
        (400, "invalid_identifier"),
    ]
    assert body["volledig"] is False
    # The invalid number names nobody: two people were processed, two records.
    assert ProcessingRecord.objects.count() == 2


def test_a_bulk_with_everyone_found_is_complete(caller, organisation, person):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    body = caller.bulk([identificatie(person)], doelbinding).json()

    assert body["volledig"] is True


@pytest.mark.parametrize(("count", "status"), [(0, 400), (100, 200), (101, 400)])
def test_a_bulk_takes_one_to_a_hundred_numbers(caller, organisation, count, status):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)

    response = caller.bulk([bsn(UNKNOWN_BSN)] * count, doelbinding)

    assert response.status_code == status
    if status == 400:
        problem = assert_problem(response, 400)
        assert [p["name"] for p in problem["invalidParams"]] == ["identificaties"]
        assert not ProcessingRecord.objects.exists()


# --- a read costs the same however many people there are --------------------------------


def _consenting(organisation, how_many: int):
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.CONSENT, fields={DataField.EMAIL, DataField.PHONE}
    )
    people = [complete_profile(make_profile()) for _ in range(how_many)]
    for person in people:
        give(person, doelbinding)
    return doelbinding, [identificatie(p) for p in people]


# Token and organisation; purpose, its current text and whether the client may use it; the
# day's volume counter (one UPSERT: the daily limit per purpose, issue 13); each identity with
# its profile and confirmed details; consents. Then all records in one INSERT, which commits by
# itself (on PostgreSQL on the prepared connection); inside a test's transaction (SQLite) a
# savepoint surrounds it: SAVEPOINT, INSERT, RELEASE.
READS = 5


@pytest.mark.parametrize("in_the_database", [1, 50])
def test_one_read_takes_a_fixed_number_of_queries(
    caller, organisation, in_the_database, django_assert_max_num_queries
):
    doelbinding, asked = _consenting(organisation, in_the_database)

    with statements_counted(django_assert_max_num_queries, READS + writes()):
        response = caller.zoek(asked[0], doelbinding)

    assert response.json()["telefoonnummer"]["waarde"] == PHONE


def test_a_bulk_read_takes_as_many_queries_for_twenty_as_for_one(
    caller, organisation, django_assert_max_num_queries
):
    doelbinding, asked = _consenting(organisation, 20)
    counted = {}
    for size in (1, 20):
        with statements_counted(django_assert_max_num_queries, READS + writes()) as queries:
            response = caller.bulk(asked[:size], doelbinding)
        assert response.json()["volledig"] is True
        counted[size] = [q["sql"] for q in queries.captured_queries]

    inserts = [s for s in counted[20] if s.startswith('INSERT INTO "consent_processingrecord"')]
    assert len(inserts) == 1
    assert ProcessingRecord.objects.count() == 1 + 20
