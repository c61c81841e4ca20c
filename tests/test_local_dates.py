"""The local_date filter and core.dates.date_text write what Django's date filter and date_format
write (issue 17: the inbox writes two dates per row), in Dutch and English, in the local time
of Europe/Amsterdam, summer and winter time and the nights they change."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.dates import date_text

FORMATS = ["c", "j F Y", "j F Y, H:i", "H:i", "D j M Y"]  # the last one: not a fast format

MOMENTS = [
    # every month (the month names), at midnight and just before it, local time
    *(datetime(2025, month, 1, 23, 0, tzinfo=UTC) for month in range(1, 13)),
    *(datetime(2025, month, 28, 22, 59, 59, 999999, tzinfo=UTC) for month in range(1, 13)),
    # summer time starts 2025-03-30 01:00 UTC and ends 2025-10-26 01:00 UTC
    datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),
    datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    # New Year in the Netherlands is still the old year in UTC
    datetime(2025, 12, 31, 23, 30, 5, 123456, tzinfo=UTC),
    datetime(999, 6, 1, 12, 0, tzinfo=UTC),
]


def render(source: str, value, format: str) -> str:
    return engines["django"].from_string(source).render({"value": value, "format": format})


def django_date(value, format: str) -> str:
    return render("{{ value|date:format }}", value, format)


def local_date(value, format: str) -> str:
    return render("{% load local_dates %}{{ value|local_date:format }}", value, format)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("format", FORMATS)
def test_the_filter_writes_what_djangos_date_filter_writes(language, format):
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        for moment in MOMENTS:
            assert local_date(moment, format) == django_date(moment, format), moment


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_month_is_in_the_pages_language(language):
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        text = local_date(datetime(2025, 10, 26, 1, 30, tzinfo=UTC), "j F Y, H:i")
    assert text == {"nl": "26 oktober 2025, 02:30", "en": "26 October 2025, 02:30"}[language]


@pytest.mark.parametrize(
    ("value", "formats"),
    [
        (None, FORMATS),
        ("", FORMATS),
        (date(2025, 5, 17), ["c", "j F Y", "D j M Y"]),  # a time format on a date: Django raises
        (datetime(2025, 5, 17, 9, 5), FORMATS),  # naive: not converted
    ],
)
def test_what_is_no_aware_datetime_is_written_as_django_writes_it(value, formats):
    with translation.override("nl"):
        for format in formats:
            assert local_date(value, format) == django_date(value, format)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_date_text_is_date_format(language):
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        for moment in MOMENTS:
            local = timezone.localtime(moment)
            for format in FORMATS:
                assert date_text(local, format) == date_format(local, format)


def test_a_language_switch_in_one_process_switches_the_month_names():
    moment = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    with translation.override("en"):
        english = date_text(moment, "j F Y")
    with translation.override("nl"):
        dutch = date_text(moment, "j F Y")
    assert (english, dutch) == ("3 March 2025", "3 maart 2025")
