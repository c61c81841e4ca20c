"""Purposes and API clients for the benchmarks, made as the portal makes them: under four eyes.

A purpose's text is approved by a reviewer and a client is confirmed by the operator, through
the same services staff use (consent.review, consent.clients), so the benchmarks measure the
portal as it runs, not a short cut around its rules.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from config.demo_review import AWB_2_14, REVIEWER_GROUP
from consent.choices import LegalBasis
from consent.clients.services import api_client_confirm, api_client_create
from consent.models import Doelbinding
from consent.review.services import proposal_approve
from consent.services import doelbinding_activate, doelbinding_version_save


def _user(username: str, **flags):
    user, _created = get_user_model().objects.get_or_create(username=username, defaults=flags)
    return user


def purpose_in_force(organisation, **text) -> Doelbinding:
    """An active purpose whose text a reviewer approved; a legal task names its law's link."""
    doelbinding = Doelbinding.objects.create(organisation=organisation)
    if text.get("legal_basis") == LegalBasis.LEGAL_TASK:
        text.setdefault("law_url", AWB_2_14)
    version = doelbinding_version_save(doelbinding=doelbinding, **text)
    reviewer = _user("bench-toetser")
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    proposal_approve(version=version, reviewer=reviewer, reason="Benchmark.")
    return doelbinding_activate(doelbinding=Doelbinding.objects.get(pk=doelbinding.pk))


def client_confirmed(organisation, purposes, name: str = "benchmark") -> str:
    """The token of a client tied to `purposes`, confirmed by the operator."""
    client, token = api_client_create(organisation=organisation, name=name, purposes=purposes)
    api_client_confirm(client=client, actor=_user("bench-operator", is_superuser=True))
    return token
