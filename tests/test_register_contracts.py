"""The contract the local registers are held to bites: what the registers' official documents
forbid is refused, so a fake cannot drift from the real BRP and BAG unnoticed."""

import copy

import pytest
import requests

from tests.support.fake_registers import API_KEY, FakeBag, FakeBrp, bag_address, serving
from tests.support.register_contracts import BAG_SPEC, BRP_SPEC, Contract, brp_fields
from tests.support.register_data import BRP_PERSONS, BURGER_BSN, bag_addresses

BRP_JSON = "application/json; charset=utf-8"
QUERY = {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [BURGER_BSN]}


@pytest.fixture(scope="module")
def brp():
    return Contract(BRP_SPEC)


@pytest.fixture(scope="module")
def bag():
    return Contract(BAG_SPEC)


def brp_answer(brp, *persons) -> list[str]:
    body = {"type": "RaadpleegMetBurgerservicenummer", "personen": list(persons)}
    return brp.answer_errors("POST", "/personen", status=200, content_type=BRP_JSON, body=body)


def bag_answer(bag, *addresses) -> list[str]:
    body = {"_embedded": {"adressen": list(addresses)}, "_links": {"self": {"href": "/adressen"}}}
    return bag.answer_errors(
        "GET", "/adressen", status=200, content_type="application/hal+json", body=body
    )


def test_the_test_persons_and_addresses_are_what_the_registers_could_send(brp, bag):
    assert brp_answer(brp, *BRP_PERSONS.values()) == []
    assert bag_answer(bag, *bag_addresses(30)) == []


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (lambda p: p["naam"].update(titel="jonkheer"), "'titel' was unexpected"),
        (lambda p: p["verblijfplaats"].update(type="Woonwagen"), '"Woonwagen" is not one of'),
        # The parts of an Adres under the type of a location: not what the BRP sends.
        (lambda p: p["verblijfplaats"].update(type="Locatie"), "'huisnummer'"),
        (lambda p: p["verblijfplaats"]["verblijfadres"].update(huisnummer="1"), "not of type"),
        (
            lambda p: p["verblijfplaats"]["verblijfadres"].update(postcode="6922 K"),
            "does not match",
        ),
        (lambda p: p["verblijfplaats"].pop("type"), '"type" is a required property'),
    ],
)
def test_a_brp_person_the_brp_could_not_send_is_refused(brp, change, fault):
    person = copy.deepcopy(BRP_PERSONS[BURGER_BSN])
    change(person)

    assert any(fault in error for error in brp_answer(brp, person)), brp_answer(brp, person)


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        (QUERY | {"fields": []}, "less than 1 item"),
        (QUERY | {"fields": ["naam"], "burgerservicenummer": ["99999365"]}, "does not match"),
        ({"burgerservicenummer": [BURGER_BSN], "fields": ["naam"]}, '"type" is a required'),
        (QUERY | {"fields": ["naam"], "inclusiefOverleden": True}, "was unexpected"),
    ],
)
def test_a_brp_question_the_brp_would_refuse_is_refused(brp, body, fault):
    headers = {"content-type": "application/json", "accept": "application/json"}

    errors = brp.request_errors("POST", "/personen", query={}, headers=headers, body=body)

    assert any(fault in error for error in errors), errors


def test_a_brp_question_for_a_field_the_brp_does_not_have_gets_its_400_and_fails_the_test():
    assert {"naam.volledigeNaam", "verblijfplaats"} <= brp_fields()
    with pytest.raises(AssertionError, match=r"naam\.titel"), serving(FakeBrp(BRP_PERSONS)) as fake:
        response = requests.post(
            f"{fake.url}/personen",
            json=QUERY | {"fields": ["naam.titel"]},
            headers={"X-API-KEY": API_KEY, "Accept": "application/json"},
            timeout=2,
        )
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "paramsRequired"


@pytest.mark.parametrize(
    ("query", "headers", "fault"),
    [
        ({"pageSize": ["200"]}, {}, "greater than the maximum of 100"),
        ({"pageSize": ["5"]}, {}, "less than the minimum of 10"),
        ({"postcode": ["6922 KZ"]}, {}, "does not match"),
        ({"huisnummertoevoeging": ["1-2"]}, {}, "does not match"),
        ({"straat": ["Laan"]}, {}, "'straat' is not defined"),
        ({}, {"x-api-key": None}, "security requirements"),
        ({}, {"accept": "application/json"}, "the API answers 406"),
    ],
)
def test_a_bag_question_the_bag_would_refuse_is_refused(bag, query, headers, fault):
    query = {"postcode": ["6922KZ"], "huisnummer": ["1"]} | query
    headers = {"x-api-key": API_KEY, "accept": "application/hal+json"} | headers
    headers = {k: v for k, v in headers.items() if v is not None}

    errors = bag.request_errors("GET", "/adressen", query=query, headers=headers)

    assert any(fault in error for error in errors), errors


@pytest.mark.parametrize(
    ("changes", "fault"),
    [
        ({"openbareRuimteNaam": None}, '"openbareRuimteNaam" is a required property'),
        ({"straat": "Laan"}, "'straat' was unexpected"),
        ({"postcode": "6922kz"}, "does not match"),
        ({"huisnummer": 0}, "less than the minimum of 1"),
    ],
)
def test_a_bag_address_the_bag_could_not_send_is_refused(bag, changes, fault):
    errors = bag_answer(bag, bag_address(**changes))

    assert any(fault in error for error in errors), errors


def test_an_answer_the_bag_could_not_send_fails_the_test_that_made_the_fake_send_it():
    broken = bag_address(openbareRuimteNaam=None)
    with (
        pytest.raises(AssertionError, match="openbareRuimteNaam"),
        serving(FakeBag([broken])) as fake,
    ):
        requests.get(
            f"{fake.url}/adressen",
            params={"postcode": "6922KZ", "huisnummer": 1},
            headers={"X-Api-Key": API_KEY, "Accept": "application/hal+json"},
            timeout=2,
        )
