"""The organisation API's lookups, one SQL statement each (core/sql.py says why).

Each returns model instances with the related rows the read needs already attached, so the
gate (consent.gate.may_process) works on them without asking the database again.
"""

from consent.choices import ReviewStatus
from consent.models import (
    ApiClientPurpose,
    Consent,
    Doelbinding,
    DoelbindingVersion,
)
from core import sql


def doelbinding_with_current_version(
    doelbinding_id: int, api_client_id: int | None = None
) -> Doelbinding | None:
    """The purpose and its newest approved text (None when none is approved yet).

    With api_client_id, `for_client` on the answer says whether that client may use this
    purpose (a confirmed ApiClientPurpose), read in the same statement.
    """
    approved = ReviewStatus.APPROVED.value
    rows = sql.fetch(
        f"SELECT {sql.columns(Doelbinding, 'd')}, {sql.columns(DoelbindingVersion, 'v')}, p.id "
        f"FROM {sql.table(Doelbinding)} d "
        f"LEFT JOIN {sql.table(DoelbindingVersion)} v ON v.doelbinding_id = d.id "
        f"AND v.number = (SELECT MAX(w.number) FROM {sql.table(DoelbindingVersion)} w "
        "WHERE w.doelbinding_id = d.id AND w.review_status = %s) "
        f"LEFT JOIN {sql.table(ApiClientPurpose)} p ON p.doelbinding_id = d.id "
        "AND p.api_client_id = %s AND p.confirmed_at IS NOT NULL "
        "WHERE d.id = %s",
        [approved, api_client_id, doelbinding_id],
    )
    if not rows:
        return None
    doelbinding = sql.instance(Doelbinding, rows[0])
    doelbinding.current_version_known(
        sql.instance(DoelbindingVersion, rows[0], sql.width(Doelbinding))
    )
    doelbinding.for_client = rows[0][-1] is not None
    return doelbinding


def active_consents(doelbinding_id: int, profile_ids: list[int]) -> dict[int, Consent]:
    """Per profile, its consent in force for this purpose, with the version it was given for."""
    if not profile_ids:
        return {}
    marks = ", ".join(["%s"] * len(profile_ids))
    # Consent.objects.active() in SQL: a consent that is not withdrawn.
    rows = sql.fetch(
        f"SELECT {sql.columns(Consent, 'c')}, {sql.columns(DoelbindingVersion, 'v')} "
        f"FROM {sql.table(Consent)} c "
        f"JOIN {sql.table(DoelbindingVersion)} v ON v.id = c.version_id "
        f"WHERE c.doelbinding_id = %s AND c.withdrawn_at IS NULL AND c.profile_id IN ({marks})",
        [doelbinding_id, *profile_ids],
    )
    found = {}
    for row in rows:
        consent = sql.instance(Consent, row)
        consent.version = sql.instance(DoelbindingVersion, row, sql.width(Consent))
        found[consent.profile_id] = consent
    return found
