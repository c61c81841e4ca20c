"""The organisation API's lookups, one SQL statement each (core/sql.py says why).

Each returns model instances with the related rows the read needs already attached, so the
gate (consent.gate.may_process) works on them without asking the database again.
"""

from consent.models import ApiClient, Consent, Doelbinding, DoelbindingVersion, Organisation
from core import sql


def api_client_with_organisation(token_prefix: str) -> ApiClient | None:
    """The client that is not revoked with this token prefix, with its organisation."""
    rows = sql.fetch(
        f"SELECT {sql.columns(ApiClient, 'c')}, {sql.columns(Organisation, 'o')} "
        f"FROM {sql.table(ApiClient)} c "
        f"JOIN {sql.table(Organisation)} o ON o.id = c.organisation_id "
        "WHERE c.token_prefix = %s AND c.revoked_at IS NULL",
        [token_prefix],
    )
    if not rows:
        return None
    client = sql.instance(ApiClient, rows[0])
    client.organisation = sql.instance(Organisation, rows[0], sql.width(ApiClient))
    return client


def doelbinding_with_current_version(doelbinding_id: int) -> Doelbinding | None:
    """The purpose and its newest text (None when it has no text yet)."""
    rows = sql.fetch(
        f"SELECT {sql.columns(Doelbinding, 'd')}, {sql.columns(DoelbindingVersion, 'v')} "
        f"FROM {sql.table(Doelbinding)} d "
        f"LEFT JOIN {sql.table(DoelbindingVersion)} v ON v.doelbinding_id = d.id "
        f"AND v.number = (SELECT MAX(w.number) FROM {sql.table(DoelbindingVersion)} w "
        "WHERE w.doelbinding_id = d.id) "
        "WHERE d.id = %s",
        [doelbinding_id],
    )
    if not rows:
        return None
    doelbinding = sql.instance(Doelbinding, rows[0])
    doelbinding.current_version_known(
        sql.instance(DoelbindingVersion, rows[0], sql.width(Doelbinding))
    )
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
