"""Reads about API clients on the API's hot path, one SQL statement each (core/sql.py says why)."""

from consent.models import ApiClient, Organisation
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
