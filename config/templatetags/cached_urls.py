"""{% cached_url 'notifications:inbox' %} and {% cached_url 'notifications:message' item.pk %}:
what {% url %} gives, reversed once per process instead of on every use (core/kept_urls.py says
when a URL is kept and how). {% cached_static 'js/x.js' %} does the same for {% static %}.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix

from core.kept_urls import reverse_kept, reverse_with_number

register = template.Library()
_static: dict[tuple, str] = {}


@register.simple_tag
def cached_url(name: str, number: int | None = None) -> str:
    if number is None:
        return reverse_kept(name)
    return reverse_with_number(name, number)


@register.simple_tag
def cached_static(path: str) -> str:
    """{% static path %}, looked up once: the manifest's hashed name, quoted and joined to
    STATIC_URL, cost 15-20 µs per script tag of the layout. Not kept in DEBUG (files change)."""
    key = (path, get_script_prefix())
    url = _static.get(key)
    if url is None:
        url = static(path)
        if not settings.DEBUG:
            _static[key] = url
    return url


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _static.clear()
