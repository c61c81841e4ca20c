"""Forms and list filters of the staff admin. They read input only; consent.services writes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consent.choices import DataField, LegalBasis, ReviewStatus
from consent.clients.services import OTHER_ORGANISATIONS_PURPOSE
from consent.models import ApiClient, Doelbinding, DoelbindingVersion, Organisation
from consent.review.law import validate_law_url
from consent.services import LAW_NEEDED, NO_DATA_CHOSEN
from profiles.validators import validate_oin

PERIOD_REVERSED = _("The end date must be on or after the start date.")
REASON_NEEDED = _("Write down why you withdraw this purpose.")

# The text of a version, as doelbinding_version_save takes it.
VERSION_TEXT = ("name", "description", "legal_basis", "law", "law_url", "retention")
WORKING_COPY = ("organisation", "activity_uri", "valid_from", "valid_until")
_FLAGS = {
    DataField.EMAIL: "uses_email",
    DataField.PHONE: "uses_phone",
    DataField.POSTAL_ADDRESS: "uses_postal_address",
    DataField.CONTACT_PREFERENCE: "uses_contact_preference",
}


def _version_field(name: str) -> forms.Field:
    # Built from the model, so labels, lengths and choices stay the same as what the service
    # validates with full_clean.
    model_field = DoelbindingVersion._meta.get_field(name)
    if name == "law_url":
        return model_field.formfield(assume_scheme="https")
    if name == "description":
        return model_field.formfield(widget=forms.Textarea(attrs={"rows": 5, "cols": 60}))
    return model_field.formfield()


class DoelbindingForm(forms.ModelForm):
    """The working copy plus the text of its current version, edited on one page."""

    name = _version_field("name")
    description = _version_field("description")
    legal_basis = _version_field("legal_basis")
    law = _version_field("law")
    law_url = _version_field("law_url")
    retention = _version_field("retention")
    data = forms.MultipleChoiceField(
        label=_("data this purpose may use"),
        choices=DataField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NO_DATA_CHOSEN},
    )

    class Meta:
        model = Doelbinding
        fields = WORKING_COPY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self._text_to_edit() if self.instance.pk else None
        if version is not None:
            for name in VERSION_TEXT:
                self.initial.setdefault(name, getattr(version, name))
            self.initial.setdefault(
                "data", [str(field) for field, flag in _FLAGS.items() if getattr(version, flag)]
            )

    def _text_to_edit(self):
        """The proposal waiting for review, else the approved text, else the newest (rejected)."""
        versions = list(self.instance.versions.order_by("number"))
        for status in (ReviewStatus.PROPOSED, ReviewStatus.APPROVED):
            found = [v for v in versions if v.review_status == status]
            if found:
                return found[-1]
        return versions[-1] if versions else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("legal_basis") == LegalBasis.LEGAL_TASK:
            if not cleaned.get("law"):
                self.add_error("law", LAW_NEEDED)
            if "law_url" not in self.errors:
                try:
                    validate_law_url(cleaned.get("law_url", ""))
                except ValidationError as invalid:
                    self.add_error("law_url", invalid)
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", PERIOD_REVERSED)
        return cleaned

    def version_text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in VERSION_TEXT}

    def chosen_fields(self) -> set[str]:
        return set(self.cleaned_data["data"])

    def working_copy_changed(self) -> bool:
        return bool(set(self.changed_data) & set(WORKING_COPY))


# How DoelbindingForm is laid out on the admin page; status and version are shown, not edited.
DOELBINDING_FIELDSETS = [
    (None, {"fields": WORKING_COPY}),
    (
        _("Text the ondernemer reads"),
        {
            "description": _(
                "A changed text or data choice is saved as a new version. "
                "Consents keep pointing at the version the person read."
            ),
            "fields": [*VERSION_TEXT, "data"],
        },
    ),
    (_("Status"), {"fields": ["status", "current_version_number", "withdrawn_reason"]}),
]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        help_text=_("Ondernemers and auditors can read this reason later."),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
        error_messages={"required": REASON_NEEDED},
    )


class OrganisationForm(forms.ModelForm):
    # Only the OIN rule speaks: without max_length a 21-digit number gets one clear message,
    # not a second one about its length.
    oin = forms.CharField(
        label=Organisation._meta.get_field("oin").verbose_name,
        validators=[validate_oin],
        help_text=_("20 digits, for example 00000001001234567000."),
    )
    website = forms.URLField(
        label=Organisation._meta.get_field("website").verbose_name,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Organisation
        fields = ["name", "oin", "kind", "email", "phone", "website", "active", "staff"]


class ApiClientAddForm(forms.ModelForm):
    """Only what a new client needs; the token is made by api_client_create. The admin fills
    the purposes' choices (own organisations only) and drops the field without the permission."""

    purposes = forms.ModelMultipleChoiceField(
        label=_("purposes it may use"),
        queryset=Doelbinding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The API refuses every other purpose, also your organisation's own."),
    )

    class Meta:
        model = ApiClient
        fields = ["organisation", "name", "is_test"]

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        for doelbinding in cleaned.get("purposes") or ():
            if organisation is not None and doelbinding.organisation_id != organisation.pk:
                self.add_error("purposes", OTHER_ORGANISATIONS_PURPOSE)
                break
        return cleaned


class LegalBasisFilter(admin.SimpleListFilter):
    title = _("legal basis")
    parameter_name = "legal_basis"

    def lookups(self, request, model_admin):
        return LegalBasis.choices

    def queryset(self, request, queryset):
        if self.value() in LegalBasis.values:
            return queryset.filter(current_legal_basis=self.value())
        return queryset


class ConsentStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("withdrawn", _("withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.active()
        if self.value() == "withdrawn":
            return queryset.withdrawn()
        return queryset
