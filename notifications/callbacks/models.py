"""Where an API client wants to hear about its messages, and what was sent there.

Every change of a delivery's status lands as a DeliveryEvent row, written by a database trigger
in the same transaction as the change (migration 0005): whichever code changes a status (the
worker's batches, staff in the admin, the post run), the event cannot be missed or made twice.
The dispatcher (services.py) turns events into one CallbackMessage per endpoint and sends them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from consent.models import ApiClient
from core.fields import EncryptedTextField


class CallbackEndpoint(models.Model):
    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.CASCADE,
        related_name="callback_endpoints",
        verbose_name=_("API client"),
    )
    url = models.URLField(_("address (URL)"), max_length=500)
    # Needed to sign every event, so kept (encrypted); shown once, when it is made.
    secret = EncryptedTextField(_("signing secret"), editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status callback address")
        verbose_name_plural = _("status callback addresses")

    def __str__(self) -> str:
        return self.url


class DeliveryEvent(models.Model):
    """A delivery reached a status (written by the trigger, never by code)."""

    delivery = models.ForeignKey(
        "notifications.Delivery", on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("status"), max_length=12)
    at = models.DateTimeField(_("at"))
    # Set once the dispatcher has made the callback messages for it.
    expanded = models.BooleanField(_("handled"), default=False, db_index=True)

    class Meta:
        verbose_name = _("delivery status change")
        verbose_name_plural = _("delivery status changes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status}"


class CallbackState(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DELIVERED = "delivered", _("received by the organisation")
    FAILED = "failed", _("failed: not received within a day")


class CallbackMessage(models.Model):
    endpoint = models.ForeignKey(
        CallbackEndpoint, on_delete=models.CASCADE, related_name="messages"
    )
    event = models.ForeignKey(DeliveryEvent, on_delete=models.CASCADE, related_name="messages")
    state = models.CharField(
        _("state"), max_length=10, choices=CallbackState.choices, default=CallbackState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    last_result = models.CharField(_("last result"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("status callback")
        verbose_name_plural = _("status callbacks")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="callback_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
