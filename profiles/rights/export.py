"""'Mijn gegevens downloaden': the document of everything kept about one person.

The document's schema is docs/data-export.md (SCHEMA_VERSION). Small ones are made during the
request; large ones by the worker (profiles.rights.tasks.build_data_export). Either way the file
is kept only until its link expires (RIGHTS_DOWNLOAD_LINK_MINUTES).
"""

import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation

from profiles.locks import person_lock
from profiles.models import Profile
from profiles.rights.choices import ExportStatus
from profiles.rights.dates import iso
from profiles.rights.models import DataExport
from profiles.rights.parts import registered_parts
from profiles.rights.signals import personal_data_downloaded
from profiles.rights.tasks import build_data_export, remove_data_export

SCHEMA_VERSION = "1.0"
SCHEMA_DOC = "docs/data-export.md"
# A file that the worker has not made within this time is given up (and cleaned up).
PENDING_FOR = timedelta(days=1)


def export_document(profile: Profile) -> dict:
    """Everything of every part; a constant number of queries per part."""
    document = {
        "schema": {"name": "mijn-omgeving-zakelijk/data-export", "version": SCHEMA_VERSION},
        "made_at": iso(timezone.now()),
        "portal": {"name": "Mijn Omgeving Zakelijk", "url": settings.SITE_URL},
    }
    for part in registered_parts():
        document[part.name] = part.export(profile)
    # Labels come as lazy translations: the file holds them as the text they read now.
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


@transaction.atomic
def data_export_request(*, profile: Profile) -> DataExport:
    """Make the file now when it is small; else leave it to the worker, enqueued with it."""
    person_lock(profile)
    size = sum(part.size(profile) for part in registered_parts())
    export = DataExport.objects.create(profile=profile, expires_at=timezone.now() + PENDING_FOR)
    if size <= settings.RIGHTS_DOWNLOAD_BACKGROUND_ROWS:
        return data_export_build(export=export)
    build_data_export.enqueue(export_id=export.pk)
    return export


def data_export_build(*, export: DataExport) -> DataExport:
    # In the person's language, whether made during the request or by the worker.
    with translation.override(export.profile.language):
        export.document = export_document(export.profile)
    export.status = ExportStatus.READY
    export.ready_at = timezone.now()
    export.expires_at = export.ready_at + timedelta(minutes=settings.RIGHTS_DOWNLOAD_LINK_MINUTES)
    export.save(update_fields=["document", "status", "ready_at", "expires_at"])
    if remove_data_export.get_backend().supports_defer:
        # Where the queue can wait (not the test backend), the file goes when its link ends;
        # the daily retention run removes any that are left.
        remove_data_export.using(run_after=export.expires_at).enqueue(export_id=export.pk)
    return export


def data_export_for(profile: Profile, export_id: int) -> DataExport | None:
    """The person's own file whose link still works (ready or being made), else None."""
    return DataExport.objects.filter(
        pk=export_id, profile=profile, expires_at__gt=timezone.now()
    ).first()


def data_exports_current(profile: Profile) -> list[DataExport]:
    return list(
        DataExport.objects.filter(profile=profile, expires_at__gt=timezone.now())
        .defer("document")
        .order_by("-created_at")[:5]
    )


def data_export_handed_out(*, profile: Profile, export: DataExport, form: str) -> None:
    """The processing log records the download before the file leaves (NotRecorded if not)."""
    personal_data_downloaded.send(
        sender=DataExport, identity=profile.identity, fields=(f"data_export:{form}",)
    )
