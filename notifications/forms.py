"""Input of the inbox filter and the channel preferences: shape only, the rules are services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.choices import OUTSIDE_PORTAL, Channel
from notifications.preferences.selectors import CHOOSABLE_KINDS
from notifications.selectors import PORTAL

CHANNEL_LABELS = {
    str(Channel.EMAIL): _("E-mail"),
    str(Channel.SMS): _("Text message"),
    str(Channel.POST): _("Post"),
}
PORTAL_NAME = "Mijn Omgeving Zakelijk"
ALL = "alle"


class InboxFilterForm(forms.Form):
    # Dutch field name: it is the query parameter the person sees in the address bar.
    # The same label and button as the filter on 'Wie heeft mijn gegevens gebruikt?'.
    organisatie = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, organisations, portal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(ALL, _("All organisations"))]
        if portal:
            choices.append((PORTAL, PORTAL_NAME))
        choices += [(str(o.pk), o.name) for o in organisations]
        self.fields["organisatie"].choices = choices

    @property
    def sender(self) -> str:
        """An organisation id, PORTAL, or "" for all."""
        chosen = self.cleaned_data["organisatie"] if self.is_valid() else ALL
        return "" if chosen == ALL else chosen


class SubmittedOrganisationForm(forms.Form):
    """Which organisation's table was saved (each table is its own form)."""

    organisation = forms.IntegerField(min_value=1)


class ChannelChoicesForm(forms.Form):
    """One organisation's table: per kind of message the channels besides the inbox.

    Every channel is a valid value here; whether the person can use it is the service's rule.
    Use a prefix per organisation (`org<pk>`) so several tables can share a page.
    """

    version = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CHOOSABLE_KINDS:
            self.fields[kind] = forms.MultipleChoiceField(
                choices=[(c, CHANNEL_LABELS[c]) for c in OUTSIDE_PORTAL],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def choices(self) -> dict[str, set[str]]:
        return {kind: set(self.cleaned_data[kind]) for kind in CHOOSABLE_KINDS}
