"""Background work about API clients: telling the operator about an unusual day."""

from django.conf import settings
from django_tasks import task

from consent.models import ApiVolumeDay
from core.email import send_templated_email


@task()
def volume_alert_send(*, volume_day_id: int) -> None:
    """The operator's e-mail about a day flagged as unusual (consent.clients.volume)."""
    row = ApiVolumeDay.objects.select_related("api_client__organisation", "doelbinding").get(
        pk=volume_day_id
    )
    send_templated_email(
        to=settings.API_VOLUME_ALERT_EMAIL,
        template="api_volume_alert",
        context={
            "organisation": row.api_client.organisation.name,
            "client": row.api_client.name,
            "purpose": str(row.doelbinding),
            "day": row.day,
            "volume": row.volume,
            "usual": round(row.usual),
            "site_url": settings.SITE_URL,
        },
        language="nl",
    )
