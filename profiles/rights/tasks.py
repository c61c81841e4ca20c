"""Background work of the rights app. Tasks carry row ids only, never a person's values."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.email import send_templated_email
from profiles.rights.models import DataExport, OutgoingEmail

logger = logging.getLogger(__name__)


@task()
def build_data_export(*, export_id: int) -> None:
    # The one import inside a function the conventions allow: a task importing the service it
    # runs (the service enqueues this task; .importlinter names the edge).
    from profiles.rights.export import data_export_build

    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.document is not None:
            return  # erased meanwhile, or made by an earlier run
        data_export_build(export=export)


@task()
def remove_data_export(*, export_id: int) -> None:
    """At the end of its link's life the file goes, not only at the next daily retention run."""
    DataExport.objects.filter(pk=export_id, expires_at__lte=timezone.now()).delete()


@task()
def send_outgoing_email(*, email_id: int) -> None:
    """Send a composed e-mail once and remove it: the address is not kept after sending."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id)
        email = email.first()
        if email is None:
            return  # sent by an earlier run
        send_templated_email(
            to=email.to,
            template=email.template,
            context=email.context
            | {"site_url": settings.SITE_URL, "help_email": settings.HELP_EMAIL},
            language=email.language,
        )
        email.delete()
    logger.info("outgoing e-mail sent", extra={"template": email.template})


@task()
def apply_retention() -> dict[str, int]:
    """The daily run of the retention periods (also `manage.py apply_retention`)."""
    from profiles.rights.retention import retention_apply

    return retention_apply()
