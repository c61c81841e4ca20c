"""The consent form only carries which text the person read; consent_give decides the rest."""

from django import forms


class GiveConsentForm(forms.Form):
    # The version shown on the page: consent counts only for the exact text the person read.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
