"""core.form_renderer gives the HTML Django's own widget templates give (issue 17: the widgets
written out in Python), for every field of every form of the portal and of the admin's own
forms, unbound, with initial values, with valid input, with errors and with input that needs
escaping, in both languages; and for widgets the forms do not use yet (optgroups, multiple
choices, attributes of every kind)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from consent.admin.forms import WithdrawForm
from consent.forms import GiveConsentForm
from consent.usage.views import UsageFilterForm
from core.form_renderer import PortalFormRenderer
from notifications.admin.batch_forms import BatchUploadForm
from notifications.admin.forms import NotificationSendForm, sendable_doelbindingen
from notifications.forms import ChannelChoicesForm, InboxFilterForm, SubmittedOrganisationForm
from profiles.address.forms import (
    AddressCheckForm,
    ChooseAddressForm,
    DutchAddressForm,
    ForeignAddressForm,
    WhereForm,
)
from profiles.contact.forms import CodeForm, EmailChangeForm, PhoneChangeForm, VersionForm
from profiles.preference.forms import PreferenceCheckForm, PreferenceForm
from profiles.registers.forms import TerugmeldingForm
from profiles.rights.forms import EraseConfirmForm
from profiles.staff.forms import StaffAuthenticationForm
from tests.factories import make_doelbinding, make_organisation

TRICKY = "<b>\"Tom & Jerry's\"</b> ' &amp;"
DJANGO = DjangoTemplates()
PORTAL = PortalFormRenderer()


class _Organisation:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


ORGANISATIONS = [_Organisation(3, "Gemeente Testdorp"), _Organisation(12, TRICKY)]

# (form class, keyword arguments, valid data)
PORTAL_FORMS = [
    (PreferenceForm, {}, {"preference": "digitaal", "seen_version": "2"}),
    (PreferenceCheckForm, {}, {"preference": "post", "seen_version": "0"}),
    (WhereForm, {}, {"where": "buitenland", "seen_version": "1"}),
    (
        DutchAddressForm,
        {},
        {"postcode": "1234 AB", "huisnummer": "12", "huisletter": "a", "toevoeging": "bis"},
    ),
    (ChooseAddressForm, {"choices": [("a1", "Straat 1"), (TRICKY, TRICKY)]}, {"address": "a1"}),
    (ForeignAddressForm, {}, {"lines": "Rue 1\n75001 Paris", "country": "FR"}),
    (AddressCheckForm, {}, {"seen_version": "4"}),
    (EmailChangeForm, {"current": "a@b.nl"}, {"email": "c@d.nl", "version": "1"}),
    (PhoneChangeForm, {"current": ""}, {"phone": "06 12345678", "version": "1"}),
    (VersionForm, {}, {"version": "3"}),
    (CodeForm, {"hint": TRICKY}, {"code": "123456"}),
    (TerugmeldingForm, {}, {"note": "De straat heet anders.", "seen": "abc"}),
    (EraseConfirmForm, {}, {"confirm": "on"}),
    (GiveConsentForm, {}, {"version": "1"}),
    (InboxFilterForm, {"organisations": ORGANISATIONS, "portal": True}, {"organisatie": "12"}),
    (InboxFilterForm, {"organisations": [], "portal": False}, {"organisatie": "alle"}),
    (SubmittedOrganisationForm, {}, {"organisation": "3"}),
    (ChannelChoicesForm, {"prefix": "org3"}, {"org3-version": "v1"}),
    (UsageFilterForm, {"organisations": ORGANISATIONS}, {"organisatie": "12"}),
    (StaffAuthenticationForm, {}, {"username": "beheer", "password": "geheim"}),
    (WithdrawForm, {}, {"reason": "Niet meer nodig."}),
]


def _states(form_class, kwargs, valid):
    """Keyword arguments for the form in each state to compare."""
    tricky = QueryDict(mutable=True)
    for name, field in form_class(**kwargs).fields.items():
        key = f"{kwargs['prefix']}-{name}" if "prefix" in kwargs else name
        many = isinstance(field, forms.MultipleChoiceField)
        tricky.setlist(key, [TRICKY, "email"] if many else [TRICKY])
    yield "unbound", {}
    yield "initial", {"initial": {name: TRICKY for name in form_class(**kwargs).fields}}
    yield "valid", {"data": valid}
    yield "empty", {"data": {}}
    yield "tricky", {"data": tricky}


def _fields_html(form_class, kwargs, state) -> tuple[list[str], list[str]]:
    """Each field's HTML through the portal's renderer and through Django's, of one form."""
    form = form_class(**kwargs, **state, renderer=PORTAL)
    form.is_valid()  # errors set aria-invalid and aria-describedby on the widgets
    portal = [str(bound_field) for bound_field in form]
    form.renderer = DJANGO
    return portal, [str(bound_field) for bound_field in form]


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "form_class, kwargs, valid",
    PORTAL_FORMS,
    ids=[f"{form.__name__}-{index}" for index, (form, _k, _v) in enumerate(PORTAL_FORMS)],
)
def test_every_field_of_the_portals_forms_is_the_html_of_djangos_templates(
    language, form_class, kwargs, valid
):
    with translation.override(language):
        for state_name, state in _states(form_class, kwargs, valid):
            portal, django = _fields_html(form_class, kwargs, state)
            assert portal == django, state_name
            assert portal  # a form without fields would compare nothing


@pytest.mark.django_db
def test_the_admins_send_forms_are_the_html_of_djangos_templates():
    organisation = make_organisation(TRICKY)
    make_doelbinding(organisation, name=TRICKY)
    make_doelbinding(make_organisation(), name="Berichten")
    kwargs = {"doelbindingen": sendable_doelbindingen(None)}
    valid = {"identity_type": "bsn", "number": "111222333", "kind": "message"}
    for form_class in (NotificationSendForm, BatchUploadForm):
        for state_name, state in _states(form_class, kwargs, valid):
            state.pop("initial", None)  # a FileField takes no text as initial value
            portal, django = _fields_html(form_class, kwargs, state)
            assert portal == django, state_name


def _widget_html(widget, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render("field", value, attrs=attrs, renderer=PORTAL),
        widget.render("field", value, attrs=attrs, renderer=DJANGO),
    )


GROUPED = [
    ("", "Choose"),
    (TRICKY, [("a", "A"), (TRICKY, TRICKY)]),
    (gettext_lazy("Other"), [(1, 1000), (2.5, datetime.date(2024, 5, 1))]),
    ("b", mark_safe("<em>safe</em>")),
]


@pytest.mark.parametrize(
    "widget",
    [
        forms.Select(choices=GROUPED),
        forms.SelectMultiple(choices=GROUPED),
        forms.RadioSelect(choices=GROUPED, attrs={"class": "choices"}),
        forms.CheckboxSelectMultiple(choices=GROUPED),
        forms.NullBooleanSelect(),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize("value", [None, "", "a", TRICKY, ["a", TRICKY, "2.5"], 1])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_choices_in_groups_and_of_any_type_are_the_html_of_djangos_templates(
    widget, value, language
):
    if isinstance(widget, forms.NullBooleanSelect) and isinstance(value, list):
        return  # one value only, and a list is no key of its choices
    with translation.override(language):
        for attrs in (None, {"id": "id_field"}, {"id": TRICKY, "aria-invalid": "true"}):
            portal, django = _widget_html(widget, value, attrs)
            assert portal == django


ATTRS = {
    "class": TRICKY,
    "required": True,
    "disabled": False,
    "rows": 4,
    "maxlength": 0,
    "data-none": None,
    "data-safe": mark_safe("<i>"),
    "data-lazy": gettext_lazy("Other"),
    "data-tuple": (1, 2),
    "data-float": 1234.5,
}

VALUES = [None, "", "x", TRICKY, mark_safe("<b>safe</b>"), 1234, True, datetime.date(2024, 5, 1)]


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs=ATTRS),
        forms.EmailInput(),
        forms.NumberInput(attrs=ATTRS),
        forms.HiddenInput(attrs=ATTRS),
        forms.PasswordInput(render_value=True),
        forms.DateInput(),
        forms.CheckboxInput(attrs=ATTRS),
        forms.Textarea(attrs=ATTRS),
    ],
    ids=lambda widget: type(widget).__name__,
)
@pytest.mark.parametrize("value", VALUES)
def test_inputs_and_attributes_of_any_type_are_the_html_of_djangos_templates(widget, value):
    for language in ("nl", "en"):
        with translation.override(language):
            portal, django = _widget_html(widget, value, {"id": "id_field"})
            assert portal == django


def test_what_a_template_would_treat_its_own_way_goes_through_the_template():
    """A callable is called by a template, and {% for %} over attrs.items would take a key
    named "items" (and fail on it): both are left to Django's templates."""
    portal, django = _widget_html(forms.TextInput(attrs={"data-x": lambda: "called"}), "v")
    assert portal == django
    assert 'data-x="called"' in portal
    for renderer in (PORTAL, DJANGO):
        with pytest.raises(ValueError, match="unpack"):
            forms.TextInput(attrs={"items": "x"}).render("field", "v", renderer=renderer)
    custom = forms.RadioSelect(choices=[("a", "A")])
    custom.option_template_name = "django/forms/widgets/select_option.html"
    assert _widget_html(custom, "a")[0] == _widget_html(custom, "a")[1]
