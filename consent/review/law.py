"""The law behind a legal task: a link to its article on wetten.overheid.nl, checked for shape.

Every Dutch law there has a BWB id (BWBR followed by seven digits). A link names it directly
(https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2) or as a JCI reference
(https://wetten.overheid.nl/jci1.3:c:BWBR0005537&hoofdstuk=2&artikel=2:14).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WETTEN = "https://wetten.overheid.nl/"
EXAMPLE = "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2_Artikel2:14"
_SHAPE = re.compile(r"^https://wetten\.overheid\.nl/(jci1\.[0-9]+:c:)?BWBR[0-9]{7}([/&#?][^\s]*)?$")

LAW_URL_NEEDED = _(
    "Add a link to the article of the law on wetten.overheid.nl. "
    "For example: https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2_Artikel2:14"
)
LAW_URL_SHAPE = _(
    "This link does not lead to a law on wetten.overheid.nl. It starts with "
    "https://wetten.overheid.nl/BWBR and then 7 digits, for example "
    "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2_Artikel2:14"
)


def is_law_url(url: str) -> bool:
    return bool(_SHAPE.match(url or ""))


def validate_law_url(url: str) -> None:
    """For a legal task: the link is there and has the shape of a law on wetten.overheid.nl."""
    if not url:
        raise ValidationError(LAW_URL_NEEDED, code="law_url_needed")
    if not is_law_url(url):
        raise ValidationError(LAW_URL_SHAPE, code="law_url_shape")
