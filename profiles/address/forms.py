"""Input for the postal address pages: validation only, no lookups."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from profiles.countries import country_choices
from profiles.flow import seen_version_field
from profiles.registers import normalise_postcode

IN_NL = "nederland"
ABROAD = "buitenland"

MAX_LINES = 6
MAX_LINE_LENGTH = 60

WHERE_REQUIRED = _("Choose where you want to receive post")
POSTCODE_REQUIRED = _("Enter your postcode, for example 1234 AB")
POSTCODE_INVALID = _("Enter a postcode with 4 digits and 2 letters, for example 1234 AB")
HOUSE_NUMBER_REQUIRED = _("Enter your house number, for example 12")
HOUSE_NUMBER_INVALID = _("Enter the house number in digits only, for example 12")
HOUSE_NUMBER_RANGE = _("Enter a house number from 1 to 99999")
HOUSE_LETTER_INVALID = _("Enter 1 letter as house letter, for example A")
ADDITION_INVALID = _("Enter at most 4 letters or digits as addition, for example 2 or bis")
NOT_FOUND = _(
    "We found no address with this postcode and house number. "
    "Check the postcode and the house number."
)
NOT_FOUND_WITH_EXTRA = _(
    "We found no address with this postcode, house number and letter or addition. "
    "Check what you filled in."
)
BAG_DOWN = _("We cannot look up the address right now. Please try again later.")
ADDRESS_CHOICE_REQUIRED = _("Choose your address from the list")
LINES_REQUIRED = _("Enter your address")
LINES_TOO_FEW = _(
    "Write the address on at least 2 lines. "
    "For example, street and number on line 1 and postcode and town on line 2."
)
LINES_TOO_MANY = _("Write the address on at most 6 lines.")
LINE_TOO_LONG = _("Line %(number)s is too long. Use at most 60 characters on each line.")
COUNTRY_REQUIRED = _("Choose the country")
COUNTRY_INVALID = _(
    "Choose a country from the list. Is the address in the Netherlands? "
    "Then go back and choose In the Netherlands."
)
_HOUSE_LETTER = re.compile(r"^[A-Za-z]$")
_ADDITION = re.compile(r"^[A-Za-z0-9]{1,4}$")


class WhereForm(forms.Form):
    where = forms.ChoiceField(
        label=_("Where do you want to receive post?"),
        choices=[(IN_NL, _("In the Netherlands")), (ABROAD, _("Abroad"))],
        widget=forms.RadioSelect,
        error_messages={"required": WHERE_REQUIRED, "invalid_choice": WHERE_REQUIRED},
    )
    seen_version = seen_version_field()


class DutchAddressForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("For example 1234 AB"),
        error_messages={"required": POSTCODE_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )
    huisnummer = forms.CharField(
        label=_("House number"),
        help_text=_("Only the number, for example 12"),
        error_messages={"required": HOUSE_NUMBER_REQUIRED},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    huisletter = forms.CharField(
        label=_("House letter"),
        help_text=_("For example the A in 12A"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-input--width-s"}),
    )
    toevoeging = forms.CharField(
        label=_("Addition"),
        help_text=_("For example the 2 in 12-2, or bis"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-input--width-s"}),
    )

    def clean_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError(POSTCODE_INVALID, code="invalid")
        return postcode

    def clean_huisnummer(self) -> int:
        value = self.cleaned_data["huisnummer"]
        if not value.isascii() or not value.isdigit():
            raise forms.ValidationError(HOUSE_NUMBER_INVALID, code="invalid")
        number = int(value)
        if not 1 <= number <= 99999:
            raise forms.ValidationError(HOUSE_NUMBER_RANGE, code="range")
        return number

    def clean_huisletter(self) -> str:
        value = self.cleaned_data["huisletter"]
        if value and not _HOUSE_LETTER.match(value):
            raise forms.ValidationError(HOUSE_LETTER_INVALID, code="invalid")
        return value.upper()

    def clean_toevoeging(self) -> str:
        value = self.cleaned_data["toevoeging"]
        if value and not _ADDITION.match(value):
            raise forms.ValidationError(ADDITION_INVALID, code="invalid")
        return value


class ChooseAddressForm(forms.Form):
    address = forms.ChoiceField(
        label=_("Which address is it?"),
        help_text=_("We found more than 1 address at this postcode and house number."),
        widget=forms.RadioSelect,
        error_messages={
            "required": ADDRESS_CHOICE_REQUIRED,
            "invalid_choice": ADDRESS_CHOICE_REQUIRED,
        },
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = choices


class ForeignAddressForm(forms.Form):
    lines = forms.CharField(
        label=_("Address"),
        help_text=_(
            "Write the address as it goes on an envelope. Put each part on a new line. "
            "You choose the country below."
        ),
        error_messages={"required": LINES_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        error_messages={"required": COUNTRY_REQUIRED, "invalid_choice": COUNTRY_INVALID},
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so the names follow the language of this request.
        self.fields["country"].choices = [("", _("Choose a country")), *country_choices()]

    def clean_lines(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["lines"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) < 2:
            raise forms.ValidationError(LINES_TOO_FEW, code="too_few")
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(LINES_TOO_MANY, code="too_many")
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise forms.ValidationError(
                    LINE_TOO_LONG, code="too_long", params={"number": number}
                )
        return "\n".join(lines)


class AddressCheckForm(forms.Form):
    seen_version = seen_version_field()
