"""Upgrading a database that has purposes and API clients: nothing that worked stops working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consent.choices import ReviewStatus
from consent.models import ApiClient, Doelbinding

BEFORE = [("consent", "0008_log_guards_hold_against_sessions")]
AFTER = [("consent", "0011_one_proposal_at_a_time")]


@pytest.mark.django_db(transaction=True)
def test_existing_versions_are_approved_and_clients_confirmed_with_all_purposes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("consent", "Organisation").objects.create(
        name="Gemeente Oud", oin="00000001001234567000", kind="gemeente"
    )
    Doelbinding_ = old.get_model("consent", "Doelbinding")
    Version = old.get_model("consent", "DoelbindingVersion")
    purposes = [
        Doelbinding_.objects.create(organisation=organisation, status="actief") for _ in "ab"
    ]
    for purpose in purposes:
        for number in (1, 2):
            Version.objects.create(
                doelbinding=purpose,
                number=number,
                name=f"Tekst {number}",
                description="Wij mailen u.",
                legal_basis="toestemming",
                retention="1 jaar",
                uses_email=True,
            )
    old.get_model("consent", "ApiClient").objects.create(
        organisation=organisation,
        name="Zaaksysteem",
        token_prefix="abcdef123456",
        token_hash="0" * 64,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    for purpose in Doelbinding.objects.all():
        assert {v.review_status for v in purpose.versions.all()} == {ReviewStatus.APPROVED}
        assert purpose.current_version.number == 2
    client = ApiClient.objects.get()
    assert client.confirmed_at is not None and client.token_shown_at is not None
    assert set(client.purposes.all()) == set(Doelbinding.objects.all())
    assert all(link.confirmed_at is not None for link in client.purpose_links.all())
