"""URLs reversed once per process instead of on every use: what reverse() gives, kept.

Measured on the pages (issue 17): one reverse() costs 12-25 µs, and the layout has eight of
them for a logged-in person, the inbox one per row, 'Mijn gegevens' four in its selector.
Kept, a URL is one dictionary lookup. Kept are a name with arguments the code itself writes (a
constant slug: never what a request brings in, or the dictionary grows with it), and a name
with one whole number (an <int:...> path converter): for the number the URL is reversed once
with two sample numbers and used only if both come out as "<start><number><end>"; otherwise
it goes through reverse(). The script prefix, the urlconf and the language are in the key (a
URL can depend on each), and all is forgotten when a setting changes (tests).
config/templatetags/cached_urls.py gives the same to templates as {% cached_url %}.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

_kept: dict[tuple, object] = {}
_SAMPLES = (918273, 465)
_NOT_SPLIT = ()


def _key(name: str, args: tuple) -> tuple:
    return (name, args, get_script_prefix(), get_urlconf(), translation.get_language())


def reverse_kept(name: str, *args: str) -> str:
    """reverse(name, args=args), for arguments written in the code."""
    key = _key(name, args)
    url = _kept.get(key)
    if url is None:
        url = _kept[key] = reverse(name, args=args)
    return url


def reverse_with_number(name: str, number: int) -> str:
    """reverse(name, args=[number]) for a name whose one argument is a whole number."""
    key = _key(name, None)
    kept = _kept.get(key)
    if kept is None:
        kept = _kept[key] = _split(name)
    # bool is an int too, and a negative number does not match an <int:...> converter.
    if kept and type(number) is int and number >= 0:
        return f"{kept[0]}{number}{kept[1]}"
    return reverse(name, args=[number])


def _split(name: str) -> tuple[str, str] | tuple[()]:
    """The URL around its one number, if a number is all that changes in it."""
    try:
        first, second = (reverse(name, args=[sample]) for sample in _SAMPLES)
    except NoReverseMatch:  # its argument is no number
        return _NOT_SPLIT
    start, found, end = first.rpartition(str(_SAMPLES[0]))
    if found and second == f"{start}{_SAMPLES[1]}{end}":
        return start, end
    return _NOT_SPLIT


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _kept.clear()
