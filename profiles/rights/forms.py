"""Input for the erasure's confirmation step: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

CONFIRM_REQUIRED = _("Tick the box to say that you want to delete all your details")


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I want to delete all my details. I know this cannot be undone."),
        error_messages={"required": CONFIRM_REQUIRED},
    )
