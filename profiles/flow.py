"""What the change flows (contact details, address, preference) share."""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse


def overview_url() -> str:
    """Where a finished or abandoned change lands: Mijn gegevens, without a fragment, so the
    confirmation at the top of the page is what the person meets first (WCAG 4.1.3)."""
    return reverse("profiles:overview")


def overview_redirect():
    return redirect(overview_url())


def form_data(request):
    """The submitted data on a POST; None on a GET, so the form starts unbound."""
    return request.POST if request.method == "POST" else None


def seen_version_field() -> forms.IntegerField:
    """The version of the item the user saw, sent back so a change meanwhile is noticed."""
    return forms.IntegerField(min_value=0, widget=forms.HiddenInput)
