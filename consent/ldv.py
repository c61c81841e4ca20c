"""Logboek Dataverwerkingen: a confirmed record of every processing, before the data leaves.

Trace context follows W3C Trace Context: a valid `traceparent` from the caller is continued
(same trace id, its span as parent); otherwise a new trace starts.
"""

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from consent.choices import Outcome
from consent.gate import Decision
from consent.models import ApiClient, Doelbinding, Organisation, ProcessingRecord
from core import sql
from profiles.models import Identity

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


class LogUnavailable(Exception):  # the outcome the API turns into a 503
    """The processing record could not be written, so the data must not be given."""


@dataclass(frozen=True)
class Trace:
    trace_id: str
    parent_span_id: str

    @classmethod
    def from_header(cls, traceparent: str) -> "Trace":
        match = _TRACEPARENT.match((traceparent or "").strip().lower())
        if match and set(match.group(1)) != {"0"} and set(match.group(2)) != {"0"}:
            return cls(match.group(1), match.group(2))
        return cls(secrets.token_hex(16), "")


def subject_pseudonym(identity_type: str, value: str, branch: str = "") -> str:
    """Keyed hash of a person or business: the same for every record, reversible by nobody."""
    message = f"{identity_type}:{value}:{branch}".encode()
    return hmac.new(settings.LDV_SUBJECT_KEY.encode(), message, hashlib.sha256).hexdigest()


def pseudonym_for(identity: Identity) -> str:
    return subject_pseudonym(identity.type, identity.value, identity.branch)


def activity_id_for(doelbinding: Doelbinding | None) -> str:
    """The registered activity: the doelbinding's own URI, or one derived from the portal's.

    Without a doelbinding (an organisation asked under a purpose that is not its own) it is
    the portal's own activity of checking and refusing such requests.
    """
    site = settings.SITE_URL.rstrip("/")
    if doelbinding is None:
        return f"{site}/verwerkingsactiviteiten/verzoek-zonder-eigen-doelbinding"
    derived = f"{site}/verwerkingsactiviteiten/doelbinding/{doelbinding.pk}"
    return doelbinding.activity_uri or derived


def download_activity_id() -> str:
    """The portal's own activity of giving the person everything it keeps about them."""
    return f"{settings.SITE_URL.rstrip('/')}/verwerkingsactiviteiten/gegevens-downloaden"


def staff_activity_id() -> str:
    """The portal's own activity of staff looking at people's data in the admin."""
    return f"{settings.SITE_URL.rstrip('/')}/verwerkingsactiviteiten/beheer-gegevens-inzien"


def processing_record_write(
    *,
    trace: Trace,
    organisation: Organisation,
    doelbinding: Doelbinding,
    api_client: ApiClient | None,
    subject_type: str,
    pseudonym: str,
    decision: Decision,
    started_at,
) -> ProcessingRecord:
    """Write and commit one record; raise LogUnavailable when the database will not take it."""
    return processing_records_write(
        trace=trace,
        organisation=organisation,
        doelbinding=doelbinding,
        api_client=api_client,
        entries=[(subject_type, pseudonym, decision)],
        started_at=started_at,
    )[0]


def processing_records_write(
    *,
    trace: Trace,
    organisation: Organisation | None,
    doelbinding: Doelbinding | None,
    api_client: ApiClient | None,
    entries: list[tuple[str, str, Decision]],
    started_at,
    staff_member: str = "",
    activity_id: str = "",
) -> list[ProcessingRecord]:
    """Several subjects of one request (a bulk read): one record each, all or none committed.

    entries: (subject type, pseudonym, decision) per subject. A staff view has no organisation
    and no purpose; it names the staff member instead.
    """
    ended_at = timezone.now()
    if not activity_id:
        activity_id = staff_activity_id() if staff_member else activity_id_for(doelbinding)
    rows = [
        ProcessingRecord(
            trace_id=trace.trace_id,
            span_id=secrets.token_hex(8),
            parent_span_id=trace.parent_span_id,
            activity_id=activity_id,
            organisation=organisation,
            doelbinding_version_id=decision.version_id,
            api_client=api_client,
            staff_member=staff_member,
            subject_pseudonym=pseudonym,
            subject_type=subject_type,
            fields=",".join(sorted(decision.fields)),
            outcome=Outcome.ALLOWED if decision.allowed else Outcome.REFUSED,
            reason=decision.reason,
            started_at=started_at,
            ended_at=ended_at,
        )
        for subject_type, pseudonym, decision in entries
    ]
    try:
        _insert(rows)
    except DatabaseError as exc:
        raise LogUnavailable(type(exc).__name__) from exc
    return rows


def _insert(rows: list[ProcessingRecord]) -> None:
    """One INSERT statement for all rows: all are stored or none.

    Outside a transaction that statement commits on its own, in one round trip (bulk_create
    would add BEGIN and COMMIT: two more on every API read); on PostgreSQL it runs on the
    prepared connection of core/sql.py and has committed when sql.execute returns. Inside a
    caller's transaction it runs in that transaction (core/sql.py sees to that), so it commits
    or rolls back with it, and a savepoint keeps a refused insert from spoiling the rest of it.
    """
    if not rows:
        return
    fields, statement = _insert_statement(len(rows))
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows for f in fields]
    if connection.in_atomic_block:
        with transaction.atomic():
            sql.execute(statement, params)
    else:
        sql.execute(statement, params)


@functools.cache
def _insert_statement(count: int) -> tuple[list, str]:
    fields = [f for f in ProcessingRecord._meta.concrete_fields if not f.primary_key]
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = ", ".join(sql.quote(f.column) for f in fields)
    values = ", ".join([one] * count)
    return fields, f"INSERT INTO {sql.table(ProcessingRecord)} ({names}) VALUES {values}"
