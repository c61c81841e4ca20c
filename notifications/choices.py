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


# The sets of channels the rules speak of, each with one name (values as stored, in the order
# pages show them).
# In the portal itself: the message box, which always keeps a copy and uses no contact data.
IN_PORTAL = (str(Channel.INBOX),)
# Outside the portal: what a person can choose per organisation, the preference table's columns.
OUTSIDE_PORTAL = (str(Channel.EMAIL), str(Channel.SMS), str(Channel.POST))
# Sent at once through a gateway (SMTP, SMS) to a confirmed address or number; these can end
# uncertain or failed, after which staff may send again or post takes over. Post waits for
# the daily batch instead.
BY_GATEWAY = (str(Channel.EMAIL), str(Channel.SMS))
# What the general contact preference gives without a choice per organisation.
DIGITAL = (str(Channel.INBOX), str(Channel.EMAIL))
BY_POST = (str(Channel.INBOX), str(Channel.POST))


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    # Handed to the sender, or the worker stopped mid-way: never resent without a person's say.
    SENDING = "sending", _("uncertain: being sent or stopped")
    SENT = "sent", _("sent")
    RETRYING = "retrying", _("will be tried again")
    FAILED = "failed", _("failed")


class Transport(models.TextChoices):
    """What carries the messages of a channel out of the portal; each pauses on its own."""

    SMTP = "smtp", _("e-mail (mail server)")
    SMS = "sms", _("text messages (SMS gateway)")


# The transport of each channel that has one (the inbox needs none, post waits for the batch).
TRANSPORT_OF = {str(Channel.EMAIL): str(Transport.SMTP), str(Channel.SMS): str(Transport.SMS)}


class BatchSource(models.TextChoices):
    API = "api", _("organisation API")
    ADMIN = "admin", _("upload by staff")


class BatchStatus(models.TextChoices):
    # An upload with its preview shown, waiting for staff to confirm it.
    DRAFT = "draft", _("waiting for confirmation")
    QUEUED = "queued", _("waiting to be processed")
    RUNNING = "running", _("being processed")
    DONE = "done", _("processed")
    # The purpose may not be used (any more): nothing (more) was accepted; see refused.
    REFUSED = "refused", _("refused")
