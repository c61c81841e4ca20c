"""Input for the general contact preference pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.choices import ContactPreference
from profiles.flow import seen_version_field

PREFERENCE_REQUIRED = _("Choose how you want to receive messages")
EMAIL_NEEDED = _(
    "You do not have a confirmed e-mail address yet. "
    "Add an e-mail address first, or choose by post."
)

PREFERENCE_LABELS = {
    ContactPreference.DIGITAL.value: _("Digital"),
    ContactPreference.POST.value: _("By post"),
}


class PreferenceForm(forms.Form):
    preference = forms.ChoiceField(
        label=_("How do you want to receive messages from the government?"),
        help_text=_(
            "Digital: you get messages by e-mail and in the message box on this website. "
            "By post: you get letters on paper at your postal address."
        ),
        choices=list(PREFERENCE_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": PREFERENCE_REQUIRED, "invalid_choice": PREFERENCE_REQUIRED},
    )
    seen_version = seen_version_field()


class PreferenceCheckForm(PreferenceForm):
    """The check step sends the choice back as well: each tab saves what it showed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preference"].widget = forms.HiddenInput()
