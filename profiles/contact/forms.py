"""Input checks for changing the e-mail address and the phone number, and for the code.

The forms only check and tidy what the user typed. Whether a code may be sent, and whether a
code is right, is for profiles.contact.services to decide.
"""

import re

import phonenumbers
from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

# --- messages the pages show (and the tests look for) ----------------------------------------

EMAIL_REQUIRED = _("Fill in an e-mail address, for example name@example.nl.")
EMAIL_INVALID = _(
    "This e-mail address is not correct. Fill in an e-mail address like name@example.nl."
)
EMAIL_TOO_LONG = _("This e-mail address is too long. Use at most 254 characters.")
EMAIL_UNCHANGED = _("This is already your e-mail address. Fill in another e-mail address.")
PHONE_REQUIRED = _("Fill in a mobile phone number, for example 06 12345678.")
PHONE_INVALID = _(
    "This phone number is not correct. Fill in a mobile number, for example 06 12345678. "
    "A number from abroad starts with + and the country code."
)
PHONE_NO_SMS = _(
    "We cannot send a text message to this number. You get the code by text message. "
    "So fill in a mobile number, for example 06 12345678."
)
PHONE_UNCHANGED = _("This is already your phone number. Fill in another phone number.")
CODE_REQUIRED = _("Fill in the code. The code has 6 digits.")
CODE_INVALID = _("The code has 6 digits. Fill in only the 6 digits, for example 123456.")
CODE_WRONG = _("This code is not correct. Check the code and try again. Tries left: %(tries)s.")
CODE_BLOCKED = _(
    "You filled in a wrong code 5 times. That is why this code no longer works. Ask for a new code."
)
CODE_EXPIRED = _("This code has expired. A code is valid for 15 minutes. Ask for a new code.")
CODE_USED = _("This code no longer works. Use the newest code we sent you, or ask for a new code.")

PAGE_OUT_OF_DATE = _("This page was out of date. Start again from My details.")

EMAIL_EXAMPLE_HINT = _("For example name@example.nl.")
PHONE_EXAMPLE_HINT = _(
    "We send a code to this number by text message. So use a mobile number, for example "
    "06 12345678. A number from abroad starts with + and the country code."
)

# Numbers that cannot receive a text message, so they can never get the code.
_NO_SMS_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
}
# What people type in a phone number besides digits; phonenumbers would turn letters into digits.
_PHONE_CHARACTERS = re.compile(r"^[0-9+\-\s().]+$")
# Spaces (also the no-break ones a mail program puts in) and dashes people copy with the code.
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]")
# Only a changed or broken page sends a bad version: the user can do nothing but start again.
_STALE = {key: PAGE_OUT_OF_DATE for key in ("required", "invalid", "min_value")}


class _VersionedForm(forms.Form):
    """Carries the version of the item the user saw, so a change meanwhile is noticed."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, error_messages=_STALE)

    def __init__(self, *args, current: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current


class EmailChangeForm(_VersionedForm):
    field_order = ["email", "version"]

    email = forms.CharField(
        label=_("New e-mail address"),
        help_text=EMAIL_EXAMPLE_HINT,
        max_length=254,
        error_messages={"required": EMAIL_REQUIRED, "max_length": EMAIL_TOO_LONG},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        EmailValidator(message=EMAIL_INVALID)(value)
        local, _at, domain = value.rpartition("@")
        value = f"{local}@{domain.lower()}"
        if value == self.current:
            raise forms.ValidationError(EMAIL_UNCHANGED, code="unchanged")
        return value

    @property
    def new_value(self) -> str:
        return self.cleaned_data["email"]


class PhoneChangeForm(_VersionedForm):
    field_order = ["phone", "version"]

    phone = forms.CharField(
        label=_("New phone number"),
        help_text=PHONE_EXAMPLE_HINT,
        max_length=30,
        error_messages={"required": PHONE_REQUIRED, "max_length": PHONE_INVALID},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not _PHONE_CHARACTERS.match(raw):
            raise forms.ValidationError(PHONE_INVALID, code="invalid")
        try:
            number = phonenumbers.parse(raw, "NL")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(PHONE_INVALID, code="invalid") from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(PHONE_INVALID, code="invalid")
        if phonenumbers.number_type(number) in _NO_SMS_TYPES:
            raise forms.ValidationError(PHONE_NO_SMS, code="no_sms")
        value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if value == self.current:
            raise forms.ValidationError(PHONE_UNCHANGED, code="unchanged")
        return value

    @property
    def new_value(self) -> str:
        return self.cleaned_data["phone"]


CHANGE_FORMS = {"email": EmailChangeForm, "phone": PhoneChangeForm}


class VersionForm(forms.Form):
    """Only the version: for the remove step."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, error_messages=_STALE)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        error_messages={"required": CODE_REQUIRED, "max_length": CODE_INVALID},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "form-input--width-m",
            }
        ),
    )

    def __init__(self, *args, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # The hint says where the code went; as help_text Django links it to the input.
        self.fields["code"].help_text = hint

    def clean_code(self) -> str:
        code = _CODE_SEPARATORS.sub("", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(CODE_INVALID, code="invalid")
        return code
