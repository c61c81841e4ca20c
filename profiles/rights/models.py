"""What the rights app keeps: prepared downloads, the erasure register and e-mails to send.

Personal values are only ever in model fields (never written by raw SQL), so encryption at
rest can be added to these fields without changing the services.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedJSONField, EncryptedTextField
from profiles.rights.choices import ExportStatus
from profiles.rights.db import TransactionNow


class DataExport(models.Model):
    """One 'Mijn gegevens downloaden': the document, made at once or in the background.

    The document is the JSON of docs/data-export.md; the HTML page is rendered from it, so both
    always say the same. Its link works for its owner only, and only until expires_at.
    """

    profile = models.ForeignKey(
        "profiles.Profile",
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("profile"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    # Everything the portal keeps about the person: encrypted like the values it copies.
    document = EncryptedJSONField(_("document"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), db_index=True)

    class Meta:
        verbose_name = _("data download")
        verbose_name_plural = _("data downloads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """The register of erasures: who (as a keyed hash) was erased when. Nothing else.

    It lets 'Wie gebruikte mijn gegevens' of a person who comes back start empty, and the
    database guard of the audit trail let the erasing transaction remove that person's entries
    (migration 0002): a row made in the same transaction is the permission. The guard knows it
    by `transaction_began_at`, the database's own transaction time (now()); xmin would not do,
    as a row inserted under a savepoint carries the savepoint's id.
    """

    subject_key = models.CharField(_("person (keyed hash)"), max_length=64, db_index=True)
    erased_at = models.DateTimeField(_("erased at"))
    transaction_began_at = models.DateTimeField(
        _("transaction began at"), db_default=TransactionNow(), editable=False
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.subject_key[:8]}… {self.erased_at:%Y-%m-%d %H:%M}"


class OutgoingEmail(models.Model):
    """An e-mail composed before the data it needs is gone (after an erasure, before removing
    an unused profile). The task that sends it carries only this row's id, and removes the row."""

    to = EncryptedTextField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=50)
    # Values for the template that say nothing about the person (a date), never an address.
    context = models.JSONField(_("template values"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail to send")
        verbose_name_plural = _("e-mails to send")

    def __str__(self) -> str:
        return f"{self.template} {self.created_at:%Y-%m-%d %H:%M}"


class RetentionNotice(models.Model):
    """A profile unused for long was told it will be removed; removal waits until notice ends."""

    profile = models.OneToOneField(
        "profiles.Profile",
        on_delete=models.CASCADE,
        related_name="retention_notice",
        verbose_name=_("profile"),
    )
    sent_at = models.DateTimeField(_("notice sent at"))
    remove_after = models.DateTimeField(_("remove after"))

    class Meta:
        verbose_name = _("notice of removal")
        verbose_name_plural = _("notices of removal")

    def __str__(self) -> str:
        return f"{self.remove_after:%Y-%m-%d}"
