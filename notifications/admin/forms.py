"""The admin's form to send one message.

It reads input only; notifications.intake.services accepts it.
"""

import uuid

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from consent.choices import DoelbindingStatus
from consent.models import Doelbinding, DoelbindingVersion
from notifications.choices import MessageKind
from notifications.models import Notification
from profiles.choices import IdentityType
from profiles.validators import validate_bsn, validate_kvk_number

NO_PROFILE = _(
    "Nobody with this number uses Mijn Omgeving Zakelijk. Send this message another way."
)
BAD_KEY = _("This form is not complete. Open a new form.")
_VALIDATORS = {IdentityType.BSN: validate_bsn, IdentityType.KVK: validate_kvk_number}


def _model_field(name: str, **kwargs) -> forms.Field:
    # Built from the model, so lengths and labels are what intake validates with full_clean.
    return Notification._meta.get_field(name).formfield(**kwargs)


def sendable_doelbindingen(organisation_ids):
    """The active purposes staff may send under: their own organisations' (all for None)."""
    doelbindingen = Doelbinding.objects.filter(status=DoelbindingStatus.ACTIVE)
    if organisation_ids is not None:
        doelbindingen = doelbindingen.filter(organisation_id__in=organisation_ids)
    return doelbindingen.select_related("organisation").prefetch_related(
        Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
    )


class DoelbindingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation}: {obj}"


class NotificationSendForm(forms.Form):
    FIELDS = [
        "identity_type",
        "number",
        "doelbinding",
        "kind",
        "subject",
        "body",
        "link",
        "case_reference",
    ]

    identity_type = forms.ChoiceField(
        label=_("The person or business is known by"),
        choices=[(IdentityType.BSN, _("BSN")), (IdentityType.KVK, _("KvK number"))],
        widget=forms.RadioSelect,
        initial=IdentityType.BSN,
    )
    number = forms.CharField(
        label=_("Number"),
        max_length=12,
        help_text=_("A BSN has 9 digits, a KvK number 8."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    doelbinding = DoelbindingChoice(label=_("Purpose (doelbinding)"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind of message"),
        choices=[(k.value, k.label) for k in MessageKind if k != MessageKind.SECURITY],
    )
    subject = _model_field("subject")
    body = _model_field("body", widget=forms.Textarea(attrs={"rows": 8, "cols": 60}))
    link = _model_field("link", assume_scheme="https")
    case_reference = _model_field("case_reference")
    # Made when the form is shown: sending the same form twice gives one message.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, doelbindingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doelbinding"].queryset = doelbindingen
        if not self.is_bound:
            self.initial["idempotency_key"] = f"admin-{uuid.uuid4()}"
        self.fields["idempotency_key"].error_messages["required"] = BAD_KEY

    def clean_number(self):
        return "".join(self.cleaned_data["number"].split())

    def clean(self):
        cleaned = super().clean()
        kind, number = cleaned.get("identity_type"), cleaned.get("number")
        if kind in _VALIDATORS and number:
            try:
                _VALIDATORS[kind](number)
            except forms.ValidationError as error:
                self.add_error("number", error)
        key = cleaned.get("idempotency_key", "")
        if key and not key.startswith("admin-"):
            self.add_error(None, BAD_KEY)
        return cleaned
