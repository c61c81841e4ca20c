"""Registering callback addresses, and sending the status changes to them (in the worker).

Sending is at least once: a message is claimed (its attempt counted, its next try planned) and
committed before it leaves, so a worker that dies mid-send tries again later rather than never.
A receiver recognises a repeat by the event id (the webhook-id header), as Standard Webhooks
expect of every receiver.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.callbacks import addresses, events
from notifications.callbacks.models import (
    CallbackEndpoint,
    CallbackMessage,
    CallbackState,
    DeliveryEvent,
)

logger = logging.getLogger(__name__)

BATCH = 200
MAX_ENDPOINTS_PER_CLIENT = 5


class EndpointRefused(Exception):
    pass


def endpoint_register(*, api_client, url: str) -> tuple[CallbackEndpoint, str]:
    """A new address for this client, with its signing secret (shown to the caller once)."""
    try:
        addresses.check_address(url)
    except addresses.AddressRefused as refused:
        raise EndpointRefused(str(refused)) from refused
    if api_client.callback_endpoints.filter(active=True).count() >= MAX_ENDPOINTS_PER_CLIENT:
        raise EndpointRefused(
            f"A client has at most {MAX_ENDPOINTS_PER_CLIENT} callback addresses. Remove one first."
        )
    secret = events.new_secret()
    endpoint = CallbackEndpoint.objects.create(api_client=api_client, url=url, secret=secret)
    return endpoint, secret


def endpoint_remove(*, endpoint: CallbackEndpoint) -> None:
    """No more events to it; waiting ones are dropped, the record of sent ones stays."""
    with transaction.atomic():
        endpoint.active = False
        endpoint.save(update_fields=["active"])
        endpoint.messages.filter(state=CallbackState.PENDING).update(
            state=CallbackState.FAILED, last_result="address removed"
        )


def callbacks_dispatch() -> int:
    """Turn new status changes into callback messages and send what is due.

    Returns how many were sent (successfully or not); the worker calls it again and again.
    """
    events_expand()
    return messages_send_due()


def events_expand() -> None:
    with transaction.atomic():
        batch = list(
            DeliveryEvent.objects.select_for_update(skip_locked=True)
            .filter(expanded=False)
            .select_related("delivery__notification")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return
        client_ids = {e.delivery.notification.api_client_id for e in batch}
        endpoints: dict[int, list[int]] = {}
        for pk, client_id in CallbackEndpoint.objects.filter(
            api_client_id__in=client_ids, active=True
        ).values_list("pk", "api_client_id"):
            endpoints.setdefault(client_id, []).append(pk)
        now = timezone.now()
        CallbackMessage.objects.bulk_create(
            [
                CallbackMessage(endpoint_id=endpoint_id, event=event, next_attempt_at=now)
                for event in batch
                for endpoint_id in endpoints.get(event.delivery.notification.api_client_id, [])
            ],
            ignore_conflicts=True,
        )
        DeliveryEvent.objects.filter(pk__in=[e.pk for e in batch]).update(expanded=True)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=settings.CALLBACK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1))


def messages_send_due() -> int:
    now = timezone.now()
    with transaction.atomic():
        due = list(
            CallbackMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=CallbackState.PENDING, next_attempt_at__lte=now)
            .select_related("endpoint", "event__delivery")
            .order_by("next_attempt_at")[:BATCH]
        )
        for message in due:
            message.attempts += 1
            message.next_attempt_at = now + _backoff(message.attempts)
        CallbackMessage.objects.bulk_update(due, ["attempts", "next_attempt_at"])
    for message in due:
        _send(message)
    return len(due)


def _send(message: CallbackMessage) -> None:
    event = message.event
    payload = events.cloud_event(
        event_id=f"{event.pk}-{message.endpoint_id}",
        notification_id=event.delivery.notification_id,
        channel=event.delivery.channel,
        status=event.status,
        at=event.at,
    )
    body, headers = events.signed(payload, message.endpoint.secret)
    try:
        target = addresses.check_address(message.endpoint.url)
        status = addresses.post(target, body, headers, settings.CALLBACK_TIMEOUT_SECONDS)
    except addresses.AddressRefused as refused:
        _result(message, ok=False, result=f"refused: {refused}")
        return
    except OSError as error:  # refused, reset, timed out, TLS: the receiver is not there
        _result(message, ok=False, result=f"no answer: {type(error).__name__}")
        return
    _result(message, ok=200 <= status < 300, result=f"HTTP {status}")


def _result(message: CallbackMessage, *, ok: bool, result: str) -> None:
    now = timezone.now()
    fields = {"last_result": result[:200]}
    if ok:
        fields |= {"state": CallbackState.DELIVERED, "delivered_at": now}
    elif now - message.created_at >= timedelta(seconds=settings.CALLBACK_RETRY_FOR_SECONDS):
        fields |= {"state": CallbackState.FAILED}
        logger.warning(
            "status callback failed for good",
            extra={"callback": message.pk, "endpoint": message.endpoint_id},
        )
    CallbackMessage.objects.filter(pk=message.pk, state=CallbackState.PENDING).update(**fields)


def pending_count() -> int:
    return CallbackMessage.objects.filter(state=CallbackState.PENDING).count()
