"""{% load local_dates %}{{ item.created_at|local_date:"j F Y, H:i" }}: Django's `date` filter
(the same local time, the same text), faster for the formats core/dates.py knows; for the lists
of the busy pages (issue 17). Anything but a datetime goes to Django's filter."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date as django_date

from core.dates import date_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def local_date(value, format: str) -> str:
    if isinstance(value, datetime):
        return date_text(value, format)
    return django_date(value, format)
