"""Countries a foreign postal address can be in: ISO 3166-1 alpha-2 codes with translated names.

Django ships no country list, and a full one is a dependency for one select. This is the short
list people who use the portal write from: the EU and EEA, the neighbours, the Kingdom's
Caribbean parts and the countries with many Dutch residents or trade. The Netherlands itself is
left out on purpose: a Dutch address goes through the BAG lookup instead.
"""

import unicodedata

from django.utils.translation import gettext_lazy as _

COUNTRIES = {
    # EU
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
    # EEA and the rest of Europe
    "IS": _("Iceland"),
    "LI": _("Liechtenstein"),
    "NO": _("Norway"),
    "CH": _("Switzerland"),
    "GB": _("United Kingdom"),
    "AL": _("Albania"),
    "BA": _("Bosnia and Herzegovina"),
    "ME": _("Montenegro"),
    "MK": _("North Macedonia"),
    "RS": _("Serbia"),
    "TR": _("Turkey"),
    "UA": _("Ukraine"),
    # The Kingdom of the Netherlands outside the Netherlands, and Suriname
    "AW": _("Aruba"),
    "CW": _("Curaçao"),
    "SX": _("Sint Maarten"),
    "BQ": _("Bonaire, Sint Eustatius and Saba"),
    "SR": _("Suriname"),
    # Africa and the Middle East
    "MA": _("Morocco"),
    "DZ": _("Algeria"),
    "TN": _("Tunisia"),
    "EG": _("Egypt"),
    "GH": _("Ghana"),
    "NG": _("Nigeria"),
    "KE": _("Kenya"),
    "ZA": _("South Africa"),
    "IL": _("Israel"),
    "AE": _("United Arab Emirates"),
    "SA": _("Saudi Arabia"),
    # The Americas
    "US": _("United States"),
    "CA": _("Canada"),
    "MX": _("Mexico"),
    "BR": _("Brazil"),
    "AR": _("Argentina"),
    # Asia and Oceania
    "CN": _("China"),
    "HK": _("Hong Kong"),
    "IN": _("India"),
    "ID": _("Indonesia"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "MY": _("Malaysia"),
    "PH": _("Philippines"),
    "SG": _("Singapore"),
    "TH": _("Thailand"),
    "VN": _("Vietnam"),
    "AU": _("Australia"),
    "NZ": _("New Zealand"),
}


def country_choices() -> list[tuple[str, str]]:
    """(code, name) sorted by the name in the active language, so users find it where they look."""
    return sorted(((code, str(name)) for code, name in COUNTRIES.items()), key=_sort_key)


def country_name(code: str) -> str:
    name = COUNTRIES.get(code)
    return str(name) if name else code


def _sort_key(choice: tuple[str, str]) -> str:
    # Without locale-aware collation, fold accents so "Curaçao" sorts among the C's.
    decomposed = unicodedata.normalize("NFKD", choice[1])
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
