from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consent.choices import (
    ConsentChannel,
    DataField,
    DoelbindingStatus,
    LegalBasis,
    OrganisationKind,
    Outcome,
    ReviewStatus,
)
from consent.models.clients import ApiClient, ApiClientPurpose, ApiVolumeDay
from profiles.models import Profile
from profiles.validators import validate_oin

# The sub-packages' models, so Django finds them with the app's own and callers import them here.
__all__ = [
    "ApiClient",
    "ApiClientPurpose",
    "ApiVolumeDay",
    "Consent",
    "Doelbinding",
    "DoelbindingProposal",
    "DoelbindingVersion",
    "Organisation",
    "ProcessingRecord",
]


class Organisation(models.Model):
    """A government body (dienstverlener), known by its OIN."""

    name = models.CharField(_("name"), max_length=200)
    oin = models.CharField(_("OIN"), max_length=20, unique=True, validators=[validate_oin])
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    email = models.EmailField(_("contact e-mail address"), blank=True, default="")
    phone = models.CharField(_("contact phone number"), max_length=30, blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    active = models.BooleanField(_("active"), default=True)
    # Staff of this organisation: they manage its doelbindingen in the admin, and nothing else.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organisations",
        blank=True,
        verbose_name=_("staff"),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(oin__regex=r"^[0-9]{20}$"), name="organisation_oin_20_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Doelbinding(models.Model):
    """A registered purpose: what an organisation may use, why, and on which legal basis.

    This row is the working copy staff edit. What the ondernemer reads and consents to is a
    DoelbindingVersion, which never changes once made. Staff of the organisation only propose
    versions; a reviewer of the portal approves them (consent.review), and only the newest
    approved version is ever used.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="doelbindingen",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DoelbindingStatus.choices,
        default=DoelbindingStatus.CONCEPT,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, default="")
    # The activity id in processing records (Logboek Dataverwerkingen): a URI, stable forever.
    activity_uri = models.CharField(_("processing activity URI"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purpose (doelbinding)")
        verbose_name_plural = _("purposes (doelbindingen)")
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="doelbinding_valid_period",
            ),
        ]

    def __str__(self) -> str:
        # The text in force; before any is approved, the newest proposed one.
        current = self.current_version or (list(self.versions.all()) or [None])[-1]
        return current.name if current else f"#{self.pk}"

    @property
    def current_version(self) -> "DoelbindingVersion | None":
        """The newest approved version: the one text the gate, the consent pages and intake use.
        A proposal waiting for review never replaces it."""
        if "_current_version" in self.__dict__:
            return self._current_version
        # Prefetch `versions` ordered by number to make this free in lists.
        approved = [v for v in self.versions.all() if v.review_status == ReviewStatus.APPROVED]
        return approved[-1] if approved else None

    def current_version_known(self, version: "DoelbindingVersion | None") -> None:
        """For a selector that read the current version in the same query as this row."""
        self._current_version = version


class DoelbindingVersion(models.Model):
    """One text of a doelbinding as the ondernemer reads it. Never edited after it is made."""

    doelbinding = models.ForeignKey(
        Doelbinding, on_delete=models.PROTECT, related_name="versions", verbose_name=_("purpose")
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description (B1, for the ondernemer)"))
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    law = models.CharField(_("law and article"), max_length=300, blank=True, default="")
    law_url = models.URLField(_("link to the law"), blank=True, default="")
    retention = models.CharField(_("retention period"), max_length=200)
    uses_email = models.BooleanField(_("uses the e-mail address"), default=False)
    uses_phone = models.BooleanField(_("uses the phone number"), default=False)
    uses_postal_address = models.BooleanField(_("uses the postal address"), default=False)
    uses_contact_preference = models.BooleanField(_("uses the contact preference"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The four-eyes review (consent.review.services): the text above never changes, only the
    # decision about it, once.
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    review_reason = models.TextField(_("reason for the decision"), blank=True, default="")

    class Meta:
        verbose_name = _("purpose version")
        verbose_name_plural = _("purpose versions")
        ordering = ["doelbinding", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["doelbinding", "number"], name="doelbinding_version_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(uses_email=True)
                | models.Q(uses_phone=True)
                | models.Q(uses_postal_address=True)
                | models.Q(uses_contact_preference=True),
                name="doelbinding_version_uses_some_data",
            ),
            models.CheckConstraint(
                condition=~models.Q(legal_basis=LegalBasis.LEGAL_TASK) | ~models.Q(law=""),
                name="doelbinding_version_legal_task_names_law",
            ),
            # Four eyes: whoever wrote a text never approves or rejects it.
            models.CheckConstraint(
                condition=models.Q(reviewed_by__isnull=True)
                | models.Q(proposed_by__isnull=True)
                | ~models.Q(reviewed_by=models.F("proposed_by")),
                name="doelbinding_version_reviewer_is_not_author",
            ),
            models.CheckConstraint(
                condition=models.Q(review_status=ReviewStatus.PROPOSED)
                | models.Q(decided_at__isnull=False),
                name="doelbinding_version_decision_has_time",
            ),
            # One proposal waits at a time: a newer one replaces it (consent.review.services).
            models.UniqueConstraint(
                fields=["doelbinding"],
                condition=models.Q(review_status=ReviewStatus.PROPOSED),
                name="doelbinding_one_proposal_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def fields(self) -> frozenset[str]:
        flags = {
            DataField.EMAIL: self.uses_email,
            DataField.PHONE: self.uses_phone,
            DataField.POSTAL_ADDRESS: self.uses_postal_address,
            DataField.CONTACT_PREFERENCE: self.uses_contact_preference,
        }
        return frozenset(str(field) for field, used in flags.items() if used)


class DoelbindingProposal(DoelbindingVersion):
    """A purpose version as the reviewer sees it (consent.review.admin): its own admin page and
    permissions, the same rows."""

    class Meta:
        proxy = True
        verbose_name = _("purpose text to review")
        verbose_name_plural = _("purpose texts to review")
        permissions = [("review_doelbindingproposal", _("Can approve or reject purpose texts"))]


class ConsentQuerySet(models.QuerySet):
    @staticmethod
    def active_q(path: str = "") -> models.Q:
        """The one rule for a consent in force: not withdrawn. `path` reaches the consent from
        another model ("consents__"), for a condition inside an annotation or a constraint."""
        return models.Q(**{f"{path}withdrawn_at__isnull": True})

    def active(self):
        """The consents in force: only these let an organisation use data on consent."""
        return self.filter(self.active_q())

    def withdrawn(self):
        return self.exclude(self.active_q())


class Consent(models.Model):
    """Toestemming: given and withdrawn by the ondernemer only, for the version they read."""

    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="consents", verbose_name=_("profile")
    )
    doelbinding = models.ForeignKey(
        Doelbinding, on_delete=models.PROTECT, related_name="consents", verbose_name=_("purpose")
    )
    version = models.ForeignKey(
        DoelbindingVersion,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("version read"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=ConsentChannel.choices, default=ConsentChannel.PORTAL
    )
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "doelbinding"],
                condition=ConsentQuerySet.active_q(),
                name="consent_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=ConsentQuerySet.active_q()
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        # No person in here: this text lands in the audit trail and on admin pages.
        return f"{self.version} ({self.given_at:%Y-%m-%d})"

    @property
    def active(self) -> bool:
        # ConsentQuerySet.active() for a row already in memory.
        return self.withdrawn_at is None


class ProcessingRecord(models.Model):
    """One processing of personal data for an organisation (Logboek Dataverwerkingen).

    Append-only: written before the data leaves, never changed or deleted (a database trigger
    refuses both). The person is only here as a keyed hash, so the log itself reveals nobody.
    """

    trace_id = models.CharField(_("trace id"), max_length=32, db_index=True)
    span_id = models.CharField(_("span id"), max_length=16)
    parent_span_id = models.CharField(_("parent span id"), max_length=16, blank=True, default="")
    activity_id = models.CharField(_("processing activity id"), max_length=300)
    # None: the portal's own administrators looked (a staff view in the admin).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    doelbinding_version = models.ForeignKey(
        DoelbindingVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("purpose version"),
    )
    api_client = models.ForeignKey(
        ApiClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("API client"),
    )
    # The user name, not a key: the record must outlive the account it names.
    staff_member = models.CharField(_("staff member"), max_length=150, blank=True, default="")
    subject_pseudonym = models.CharField(_("data subject (pseudonym)"), max_length=64)
    subject_type = models.CharField(_("data subject type"), max_length=10)
    fields = models.CharField(_("data"), max_length=200, blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("reason code"), max_length=40)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))

    class Meta:
        verbose_name = _("processing record")
        verbose_name_plural = _("processing records")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["subject_pseudonym", "started_at"], name="processing_subject_time")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.outcome} {self.started_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("processing records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("processing records are append-only")
