from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    RECEIPT = "ontvangstbevestiging", _("confirmation of receipt")
    STATUS = "statuswijziging", _("status update")
    DECISION = "besluit", _("decision")
    ACTION_NEEDED = "actie_nodig", _("action needed")
    SECURITY = "beveiliging", _("security notice")


class Channel(models.TextChoices):
    INBOX = "inbox", _("message box in this portal")
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message (SMS)")
    POST = "post", _("letter by post")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    # Handed to the sender, or the worker stopped mid-way: never resent without a person's say.
    SENDING = "sending", _("uncertain: being sent or stopped")
    SENT = "sent", _("sent")
    RETRYING = "retrying", _("will be tried again")
    FAILED = "failed", _("failed")
