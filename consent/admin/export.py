"""Consent counts per purpose version as CSV for staff: numbers only, never who consented."""

import csv

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.choices import LegalBasis
from consent.models import ConsentQuerySet, DoelbindingVersion

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def consent_count_rows(doelbindingen: QuerySet) -> QuerySet:
    """One row per version of the given purposes, with its counts, in a single query.

    Consents point at the version the person read, so counting per version shows how many
    still rely on an older text.
    """
    in_force = ConsentQuerySet.active_q("consents__")
    return (
        DoelbindingVersion.objects.filter(doelbinding__in=doelbindingen.order_by().values("pk"))
        .values(
            "doelbinding_id",
            "number",
            "name",
            "legal_basis",
            "doelbinding__organisation__name",
        )
        .annotate(
            active=Count("consents", filter=in_force),
            withdrawn=Count("consents", filter=~in_force),
        )
        .order_by("doelbinding__organisation__name", "doelbinding_id", "number")
    )


def consent_counts_csv(doelbindingen: QuerySet) -> HttpResponse:
    filename = f"toestemmingen-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte order mark and the semicolon make Dutch spreadsheet programs open it right.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("organisation"),
            _("purpose"),
            _("version"),
            _("legal basis"),
            _("active consents"),
            _("withdrawn consents"),
        ]
    )
    bases = dict(LegalBasis.choices)
    for row in consent_count_rows(doelbindingen):
        writer.writerow(
            [
                _cell(row["doelbinding__organisation__name"]),
                _cell(row["name"]),
                row["number"],
                bases.get(row["legal_basis"], row["legal_basis"]),
                row["active"],
                row["withdrawn"],
            ]
        )
    return response
