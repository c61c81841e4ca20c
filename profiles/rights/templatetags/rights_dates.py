"""{% load rights_dates %}: a time from the download's JSON (ISO 8601) as people read it.

{{ detail.confirmed_at|when }} gives "6 december 2026, 16:04" in Dutch time; empty stays empty.
"""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

register = template.Library()
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@register.filter
def when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment, AMSTERDAM), "j F Y, H:i")
