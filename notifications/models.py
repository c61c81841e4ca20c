from django.db import models
from django.utils.translation import gettext_lazy as _

from consent.models import ApiClient, Doelbinding, Organisation
from core.fields import EncryptedTextField
from notifications.choices import (
    IN_PORTAL,
    OUTSIDE_PORTAL,
    BatchSource,
    BatchStatus,
    Channel,
    DeliveryStatus,
    MessageKind,
    Transport,
)
from profiles.models import Profile


class ChannelPreference(models.Model):
    """How a person wants to hear from one organisation about one kind of message.

    The portal inbox always keeps a copy, so it is not a choice here. Without a row the general
    contact preference (digitaal / per post) decides.
    """

    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        related_name="channel_preferences",
        verbose_name=_("profile"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind of message"), max_length=30, choices=MessageKind.choices)
    email = models.BooleanField(_("e-mail"), default=False)
    sms = models.BooleanField(_("text message"), default=False)
    post = models.BooleanField(_("post"), default=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "organisation", "kind"], name="channel_preference_unique"
            ),
            # "Actie nodig" must reach the person outside the portal too.
            models.CheckConstraint(
                condition=~models.Q(kind=MessageKind.ACTION_NEEDED)
                | models.Q(email=True)
                | models.Q(sms=True)
                | models.Q(post=True),
                name="channel_preference_action_needed_outside_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.get_kind_display()}"

    @property
    def channels(self) -> list[str]:
        # The flags are named after the channels outside the portal: email, sms, post.
        return [*IN_PORTAL, *(channel for channel in OUTSIDE_PORTAL if getattr(self, channel))]


class NotificationBatch(models.Model):
    """One message to many people: through the API (bulkmeldingen) or a staff upload of numbers.

    Each person gets a Notification of their own (key "<batch key>/<profile id>", see
    notifications.intake.bulk), linked here; accepted, duplicate and delivered are counted from
    those rows, what was refused before any row existed is kept in `refused`.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    doelbinding = models.ForeignKey(
        Doelbinding, on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose")
    )
    source = models.CharField(_("sent through"), max_length=10, choices=BatchSource.choices)
    # Through the API: the client whose status callbacks hear of every delivery.
    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API client"),
    )
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    kind = models.CharField(_("kind of message"), max_length=30, choices=MessageKind.choices)
    # Encrypted, as the messages it becomes are.
    subject = EncryptedTextField(_("subject"), max_length=200)
    body = EncryptedTextField(_("message"))
    link = models.URLField(_("link"), blank=True, default="")
    case_reference = models.CharField(_("case reference"), max_length=100, blank=True, default="")
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    # An upload's numbers, one "type:number" a line, kept (encrypted) until the batch has run.
    numbers = EncryptedTextField(_("numbers"), blank=True, default="")
    recipient_count = models.PositiveIntegerField(_("recipients asked for"), default=0)
    processed_count = models.PositiveIntegerField(_("recipients processed"), default=0)
    # Refused before a notification existed, per reason: {"not_found": 3, "no_consent": 1}.
    refused = models.JSONField(_("refused"), default=dict, blank=True)
    # An upload's counts before confirmation (notifications.intake.preview), made in the
    # background for a big file.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to many people")
        verbose_name_plural = _("messages to many people")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="notification_batch_idempotency"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    """One message an organisation sent to one person, accepted once per idempotency key."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("organisation"),
    )
    recipient = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("recipient")
    )
    doelbinding = models.ForeignKey(
        Doelbinding,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("purpose"),
    )
    # The API client that sent it: its status callbacks hear of it (empty: sent by staff).
    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API client"),
    )
    kind = models.CharField(_("kind of message"), max_length=30, choices=MessageKind.choices)
    # Encrypted: a message to one person may name them, their case or their address.
    subject = EncryptedTextField(_("subject"), max_length=200)
    body = EncryptedTextField(_("message"))
    link = models.URLField(_("link"), blank=True, default="")
    case_reference = models.CharField(_("case reference"), max_length=100, blank=True, default="")
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    # A second system sending the same case and kind: recorded, nothing delivered again.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    batch = models.ForeignKey(
        NotificationBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("message to many people"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="notification_idempotency"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "case_reference", "kind", "created_at"],
                name="notification_case_window",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One channel of one notification. At most one per channel: never delivered twice."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True, default="")
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Set when this delivery replaces a failed one (the fallback to post).
    fallback_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback for"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification} / {self.get_channel_display()}"


class InboxMessage(models.Model):
    """A message in the person's 'Berichten' in the portal."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("profile")
    )
    notification = models.OneToOneField(
        Notification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbox_message",
        verbose_name=_("notification"),
    )
    # Empty for the portal's own messages (security notices).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of message"), max_length=30, choices=MessageKind.choices)
    # Encrypted: a message to one person may name them, their case or their address.
    subject = EncryptedTextField(_("subject"), max_length=200)
    body = EncryptedTextField(_("message"))
    link = models.URLField(_("link"), blank=True, default="")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["profile", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return self.subject


class WorkerHeartbeat(models.Model):
    """A task worker that is running, or was: one row per worker, renewed every few seconds.

    Other workers read it to find tasks whose worker stopped (notifications.worker.recovery);
    `manage.py worker_health` reads it for a health probe; staff see it in the admin.
    """

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last sign of life"), db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return self.worker_id


class TransportPause(models.Model):
    """The circuit breaker of one transport (mail server, SMS gateway), shared by all workers.

    Sending: `paused_since` is empty. Paused: the transport failed (not a recipient), nothing
    goes out on it until `retry_at`, when one worker tries one message (notifications.delivery
    .breaker). A row per transport, made the first time it fails.
    """

    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, unique=True
    )
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    retry_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    # Failed tries in a row, the one that paused it included: the pause doubles with each.
    failures = models.PositiveIntegerField(_("failed tries in a row"), default=0)
    reason = models.CharField(_("last error"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("sending pause")
        verbose_name_plural = _("sending pauses")

    def __str__(self) -> str:
        return self.get_transport_display()


# The callback models live with their code; Django finds them through this module.
from notifications.callbacks.models import (  # noqa: E402, F401
    CallbackEndpoint,
    CallbackMessage,
    DeliveryEvent,
)
