"""The consent app's part of a download and an erasure (profiles.rights.parts).

Download: every consent with the exact text and version read, its receipts, and the records of
who used the person's details. Erasure: each consent in force ends, and its organisation's
purpose is told so the way the portal tells organisations things: a record in the processing
log under that purpose (reason "erased"), which the organisation sees in its log; its API then
answers for this person as for anyone unknown. The processing log itself stays: it is
pseudonymous and kept for its legal period (RETENTION["processing_log"]).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from consent.choices import Reason
from consent.gate import Decision
from consent.ldv import Trace, processing_records_write, pseudonym_for
from consent.models import Consent, ProcessingRecord
from consent.receipts.build import consent_receipt, receipt_events
from consent.usage.selectors import usage_rows_all
from profiles.models import Profile
from profiles.rights.dates import iso
from profiles.rights.parts import PersonalDataPart


def _consents(profile: Profile) -> list[Consent]:
    return list(
        Consent.objects.filter(profile=profile)
        .select_related("doelbinding__organisation", "version")
        .order_by("-given_at", "-pk")
    )


def consent_export(profile: Profile) -> dict:
    consents = []
    for consent in _consents(profile):
        version = consent.version
        consents.append(
            {
                "organisation": {
                    "name": consent.doelbinding.organisation.name,
                    "oin": consent.doelbinding.organisation.oin,
                },
                "purpose": version.name,
                "version": version.number,
                "text": version.description,
                "legal_basis": version.legal_basis,
                "law": version.law,
                "retention": version.retention,
                "data": sorted(version.fields),
                "given_at": iso(consent.given_at),
                "withdrawn_at": iso(consent.withdrawn_at),
                "receipts": [consent_receipt(consent, event) for event in receipt_events(consent)],
            }
        )
    usage = [
        {
            "at": iso(row.record.started_at),
            "organisation": str(row.organisation_name),
            "oin": row.record.organisation.oin if row.record.organisation else "",
            "purpose": str(row.purpose),
            "data": [str(label) for label in row.data_labels],
            "result": str(row.result),
            "explanation": str(row.explanation),
            "record_id": f"{row.record.trace_id}-{row.record.span_id}",
        }
        for row in usage_rows_all(profile)
    ]
    return {"consents": consents, "data_use": usage}


def consent_erase(profile: Profile) -> None:
    active = [consent for consent in _consents(profile) if consent.active]
    now = timezone.now()
    for consent in active:
        ended = Decision(False, Reason.ERASED, frozenset(), consent.version_id)
        processing_records_write(
            trace=Trace.from_header(""),
            organisation=consent.doelbinding.organisation,
            doelbinding=consent.doelbinding,
            api_client=None,
            entries=[(profile.identity.type, pseudonym_for(profile.identity), ended)],
            started_at=now,
        )
    Consent.objects.filter(profile=profile).delete()


def consent_retain(now: datetime) -> dict[str, int]:
    # The database guard lets only records past the legal minimum go (rights migration 0002).
    cutoff = now - timedelta(days=settings.RETENTION["processing_log"])
    return {"processing_log": ProcessingRecord.objects.filter(started_at__lt=cutoff).delete()[0]}


def consent_size(profile: Profile) -> int:
    return ProcessingRecord.objects.filter(
        subject_pseudonym=pseudonym_for(profile.identity)
    ).count()


CONSENT_PART = PersonalDataPart(
    name="consent",
    export=consent_export,
    erase=consent_erase,
    size=consent_size,
    retain=consent_retain,
)
