"""The 'Klopt dit niet?' form: what the user says is wrong about a register item."""

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 1000
NOTE_REQUIRED = _("Write what is wrong. For example: the street name has changed.")
NOTE_TOO_LONG = _("Use at most %(limit_value)d characters. You now use %(show_value)d.")
TOO_MANY_REPORTS = _(
    "You already sent %(limit)s reports today. That is the most we take in one day. "
    "Send this report tomorrow, or contact us."
)


class TerugmeldingForm(forms.Form):
    note = forms.CharField(
        label=_("What is wrong?"),
        help_text=_("Write what is wrong and what it should be. Use at most 1000 characters."),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": NOTE_REQUIRED, "max_length": NOTE_TOO_LONG},
    )
    # The version of the item the user saw: a fingerprint of the register value on the page.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server says when the text is too long; a browser limit would cut pasted text off
        # without a word.
        self.fields["note"].widget.attrs.pop("maxlength", None)
