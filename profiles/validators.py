"""Dutch identifiers, checked the way their standards define them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def passes_elfproef(number: str) -> bool:
    """BSN and RSIN: 9 digits, 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11, not all zero."""
    # isascii: str.isdigit also accepts digits like "²" that int() cannot read.
    if len(number) != 9 or not _digits(number) or number == "000000000":
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


def _digits(number: str) -> bool:
    return number.isascii() and number.isdigit()


def is_kvk_number(number: str) -> bool:
    return len(number) == 8 and _digits(number)


def is_vestigingsnummer(number: str) -> bool:
    return len(number) == 12 and _digits(number)


def is_oin(number: str) -> bool:
    return len(number) == 20 and _digits(number)


def validate_bsn(value: str) -> None:
    if not passes_elfproef(value):
        raise ValidationError(_("A BSN has 9 digits and must be a valid number."), code="bsn")


def validate_rsin(value: str) -> None:
    if not passes_elfproef(value):
        raise ValidationError(_("An RSIN has 9 digits and must be a valid number."), code="rsin")


def validate_kvk_number(value: str) -> None:
    if not is_kvk_number(value):
        raise ValidationError(_("A KvK number has exactly 8 digits."), code="kvk")


def validate_vestigingsnummer(value: str) -> None:
    if not is_vestigingsnummer(value):
        raise ValidationError(_("A branch number has exactly 12 digits."), code="vestigingsnummer")


def validate_oin(value: str) -> None:
    if not is_oin(value):
        raise ValidationError(
            _("An OIN has exactly 20 digits, for example 00000001001234567000."), code="oin"
        )
