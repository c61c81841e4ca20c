"""Schemathesis, stateful: create a message (one or many people), then read it back in every
state its deliveries can be in, along the OpenAPI links of the document.

Generated numbers hardly ever name someone, so before each call the scenario puts a real person
and the caller's own purpose in the body; before each read it moves every delivery on to the
next state (queued, sending, sent, retrying, failed), as the worker and staff would. Every
answer is checked against the document; a 5xx or an answer outside it fails the test.
"""

import itertools
import os
import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from notifications.choices import DeliveryStatus
from notifications.models import Delivery, NotificationBatch
from tests.support.api import UNKNOWN_BSN, bsn, identificatie
from tests.test_api_openapi import api_schema, caller_with_data  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

STATES = [s.value for s in DeliveryStatus]
# As in test_api_openapi; and ignored_auth would send our own token again (it reuses the call's
# headers), where test_api_auth checks that a missing or wrong token gets 401.
EXCLUDED = [positive_data_acceptance, ignored_auth]
READS = {"/meldingen/{melding_id}", "/bulkmeldingen/{bulkmelding_id}"}


def test_messages_are_read_back_in_every_delivery_state(api_schema, caller_with_data):  # noqa: F811
    caller, doelbinding, person = caller_with_data
    states = itertools.cycle(STATES)
    seen: set[str] = set()
    reads = []

    class Scenario(api_schema.as_state_machine()):
        def before_call(self, case):
            path = case.operation.path
            negative = case.meta is not None and case.meta.is_negative_at(ParameterLocation.BODY)
            if case.method == "POST" and isinstance(case.body, dict) and not negative:
                if path == "/meldingen":
                    case.body["ontvanger"] = identificatie(person)
                elif path == "/bulkmeldingen":
                    case.body["ontvangers"] = [identificatie(person), bsn(UNKNOWN_BSN)]
                if path in ("/meldingen", "/bulkmeldingen"):
                    case.body["doelbinding"] = doelbinding.pk
                    case.body["idempotentieSleutel"] = uuid.uuid4().hex
            if case.method == "GET" and path in READS:
                Delivery.objects.update(status=next(states))

        def get_call_kwargs(self, case):
            return {"headers": caller.headers()}

        def after_call(self, response, case):
            if case.method == "GET" and case.operation.path in READS:
                reads.append(response.status_code)
                if response.status_code == 200:
                    for row in response.json()["bezorgingen"]:
                        seen.add(row["status"])

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED, transport_kwargs=kwargs)

    run_state_machine_as_test(
        Scenario,
        settings=settings(
            max_examples=30,
            stateful_step_count=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=os.environ.get("CI", "").lower() == "true",
        ),
    )

    assert NotificationBatch.objects.exists()
    assert 200 in reads
    assert seen == set(STATES), seen
