"""Reads for the profile pages."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profiles.choices import AssuranceLevel, IdentityType, LoginMethod
from profiles.models import Profile

_NUMBER_LABELS = {
    IdentityType.BSN: gettext_lazy("BSN (citizen service number)"),
    IdentityType.KVK: gettext_lazy("KvK number"),
    IdentityType.RSIN: gettext_lazy("RSIN"),
    IdentityType.EIDAS: gettext_lazy("eIDAS identifier"),
}


def login_summary(profile: Profile, login: dict) -> list[dict]:
    """Rows for 'How you are logged in': method, level and the number it is for."""
    identity = profile.identity
    rows = [
        {"key": _("Logged in with"), "value": LoginMethod(login["method"]).label},
        {"key": _("Level of assurance"), "value": AssuranceLevel(login["level"]).label},
        {"key": str(_NUMBER_LABELS[identity.type]), "value": identity.value},
    ]
    if identity.branch:
        rows.append({"key": _("Branch number"), "value": identity.branch})
    return rows
