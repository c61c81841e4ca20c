"""API clients: an organisation's system, the purposes it may use, and how much it read a day.

They refer to the rest of the app by name ("consent.Organisation"), so consent.models can
import them without a cycle; callers import them from consent.models.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """An organisation's system that calls the API. Its token is shown once, stored as a hash."""

    organisation = models.ForeignKey(
        "consent.Organisation",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    # The start of the token, to find the row; the rest is only known by its SHA-256 hash.
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A test client (token "test_..."): works at once, reaches only the documented test persons
    # (profiles.test_persons), and writes no processing record. See consent.clients.services.
    is_test = models.BooleanField(
        _("test client"),
        default=False,
        help_text=_("Reads and sends only to test persons. Needs no second person to confirm."),
    )
    # Four eyes (consent.clients.services): usable only once a second person confirmed it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    token_shown_at = models.DateTimeField(_("token shown at"), null=True, blank=True)
    purposes = models.ManyToManyField(
        "consent.Doelbinding",
        through="ApiClientPurpose",
        related_name="api_clients",
        blank=True,
        verbose_name=_("purposes it may use"),
    )

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["organisation__name", "name"]
        permissions = [
            ("confirm_apiclient", _("Can confirm an API client someone else made")),
            ("show_token_apiclient", _("Can see the token of a new API client, once")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | models.Q(created_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("created_by")),
                name="api_client_confirmed_by_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


class ApiClientPurpose(models.Model):
    """One purpose one client may use, once confirmed by someone other than who added it. The
    API refuses every other purpose, also the organisation's own (consent.clients.services)."""

    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        related_name="purpose_links",
        verbose_name=_("API client"),
    )
    doelbinding = models.ForeignKey(
        "consent.Doelbinding",
        on_delete=models.PROTECT,
        related_name="client_links",
        verbose_name=_("purpose"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # Four eyes here too: a purpose added to a client counts once someone else confirmed it.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purpose of an API client")
        verbose_name_plural = _("purposes of API clients")
        ordering = ["api_client", "doelbinding"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "doelbinding"], name="api_client_purpose_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | models.Q(added_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("added_by")),
                name="api_client_purpose_confirmed_by_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.api_client.name}: {self.doelbinding}"


class ApiVolumeDay(models.Model):
    """How many people one client asked about for one purpose on one day: one counter row,
    raised in one statement per request (consent.clients.volume)."""

    api_client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="+", verbose_name=_("API client")
    )
    doelbinding = models.ForeignKey(
        "consent.Doelbinding", on_delete=models.PROTECT, related_name="+", verbose_name=_("purpose")
    )
    day = models.DateField(_("day"))
    volume = models.PositiveIntegerField(_("people asked about"), default=0)
    # The average of the earlier days with reads (up to four weeks), fixed at the day's first read.
    usual = models.FloatField(_("usual per day"), default=0)
    flagged_at = models.DateTimeField(_("flagged as unusual at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API volume per day")
        verbose_name_plural = _("API volumes per day")
        ordering = ["-day", "api_client", "doelbinding"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "doelbinding", "day"], name="api_volume_one_row_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.volume}"
