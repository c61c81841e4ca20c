"""'Wie mag mijn gegevens gebruiken?': purposes, and the person's consent to them."""

from django.http import Http404


def overview(request):
    raise Http404


consent_give_view = consent_withdraw_view = history = overview
