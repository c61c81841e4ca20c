from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.fields import BlindIndexField, EncryptedTextField
from profiles.choices import (
    ContactKind,
    ContactPreference,
    IdentityType,
    LoginEventKind,
    LoginMethod,
    Register,
    TerugmeldingStatus,
    VerificationStatus,
)
from profiles.countries import country_name


class IdentityQuerySet(models.QuerySet):
    def lookup(self, *, type: str, value: str, branch: str = ""):
        """The identity with exactly this number, found through its blind index."""
        return self.filter(lookup_key=Identity.lookup_key_for(type, value, branch))

    def with_number(self, number: str):
        """Every identity with this number, whatever its type or branch (staff search)."""
        return self.filter(number_index=Identity.number_index_for(number))


class Identity(models.Model):
    """Who logs in: a BSN, a KvK number (optionally one branch), an RSIN or an eIDAS pseudonym.

    Keyed on (type, value, branch) so a person or company has one profile, whoever acts for it.
    The number and branch are encrypted; `lookup_key` (unique) and `number_index` are keyed
    fingerprints that find them without decrypting (core.crypto).
    """

    type = models.CharField(_("type"), max_length=10, choices=IdentityType.choices)
    value = EncryptedTextField(_("number"), max_length=128)
    branch = EncryptedTextField(_("branch number"), max_length=12, blank=True, default="")
    lookup_key = BlindIndexField(
        _("lookup key"), unique=True, of=lambda i: i.lookup_key_for(i.type, i.value, i.branch)
    )
    number_index = BlindIndexField(
        _("number index"), db_index=True, of=lambda i: i.number_index_for(i.value)
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = IdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(branch="") | models.Q(type=IdentityType.KVK),
                name="identity_branch_only_for_kvk",
            ),
        ]

    def __str__(self) -> str:
        return self.masked

    def save(self, *args, **kwargs):
        # The fingerprints follow the values (their fields compute them on save); a save of
        # some fields only must write them too.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "lookup_key", "number_index"}
        super().save(*args, **kwargs)

    @staticmethod
    def lookup_key_for(type: str, value: str, branch: str = "") -> str:
        return crypto.blind_index(type, value, branch, purpose="identity")

    @staticmethod
    def number_index_for(number: str) -> str:
        return crypto.blind_index(number.strip(), purpose="identity-number")

    @property
    def masked(self) -> str:
        """For places that only need to tell people apart: BSN *****3653."""
        return f"{self.get_type_display()} {'*' * max(0, len(self.value) - 4)}{self.value[-4:]}"


class Profile(models.Model):
    """The contact details and preferences one identity keeps in the portal."""

    identity = models.OneToOneField(
        Identity, on_delete=models.PROTECT, related_name="profile", verbose_name=_("identity")
    )
    # The Django user is only a shell for the session; the identity is what counts.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    display_name = EncryptedTextField(_("name"), max_length=200, blank=True, default="")
    contact_preference = models.CharField(
        _("contact preference"),
        max_length=10,
        choices=ContactPreference.choices,
        blank=True,
        default="",
    )
    contact_preference_changed_at = models.DateTimeField(
        _("contact preference changed at"), null=True, blank=True
    )
    # Raised on every change of the preference: a form from an older page cannot overwrite it.
    contact_preference_version = models.PositiveIntegerField(
        _("contact preference version"), default=0
    )
    # The language the person uses the portal in (see profile_language_set); e-mail and SMS
    # from the portal follow it, as the worker has no request to take a language from.
    language = models.CharField(
        _("language for messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # A documented test person (profiles.test_persons), made for a test API client's messages:
    # never a real person, and left out of everything a live client reads or sends.
    is_test = models.BooleanField(_("test person"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_preference__in=["", *ContactPreference.values]),
                name="profile_contact_preference_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="profile_language_valid",
            ),
        ]

    def __str__(self) -> str:
        # Lands in the audit trail and admin titles: never the full BSN, nor the name (the
        # trail's object name is not encrypted).
        return self.identity.masked


class LoginEvent(models.Model):
    """Audit of logins, failed logins, step-ups and logouts. Written once, never changed."""

    kind = models.CharField(_("kind"), max_length=20, choices=LoginEventKind.choices)
    method = models.CharField(
        _("login method"), max_length=20, choices=LoginMethod.choices, blank=True, default=""
    )
    level = models.CharField(_("level of assurance"), max_length=20, blank=True, default="")
    identity = models.ForeignKey(
        Identity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="login_events",
        verbose_name=_("identity"),
    )
    acting_person = models.CharField(
        _("acting person (pseudonym)"), max_length=64, blank=True, default=""
    )
    success = models.BooleanField(_("successful"), default=True)
    reason = models.CharField(_("reason code"), max_length=50, blank=True, default="")
    request_id = models.CharField(_("request id"), max_length=64, blank=True, default="")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.method} {self.at:%Y-%m-%d %H:%M}"


class ContactDetailQuerySet(models.QuerySet):
    def confirmed(self):
        """The one rule for "confirmed": its code was entered. Only these may be used."""
        return self.filter(verified_at__isnull=False)

    def with_value(self, kind: str, value: str):
        """Details with exactly this value (staff search), found through the blind index."""
        return self.filter(value_index=ContactDetail.value_index_for(kind, value))


class ContactDetail(models.Model):
    """The profile's e-mail address or phone number. Only a confirmed value is ever stored here."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="contact_details", verbose_name=_("profile")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    # E-mail as entered (domain lower-cased); phone in E.164, e.g. +31612345678. Encrypted;
    # value_index finds an exact value (e-mail compared without case) without decrypting.
    value = EncryptedTextField(_("value"), max_length=254)
    value_index = BlindIndexField(
        _("value index"), db_index=True, of=lambda d: d.value_index_for(d.kind, d.value)
    )
    verified_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = ContactDetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact detail")
        verbose_name_plural = _("contact details")
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind"], name="contact_detail_one_per_kind"),
        ]

    def __str__(self) -> str:
        # Lands in the audit trail's object name and admin titles: never the value itself.
        return str(self.get_kind_display())

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "value_index"}
        super().save(*args, **kwargs)

    @staticmethod
    def value_index_for(kind: str, value: str) -> str:
        return crypto.blind_index(kind, value.strip().lower(), purpose="contact-value")


class Verification(models.Model):
    """A code sent to a new e-mail address or phone number, to prove it belongs to the user."""

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("profile")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    new_value = EncryptedTextField(_("new value"), max_length=254)
    # The version of the contact detail the user saw; a change meanwhile is a conflict.
    base_version = models.PositiveIntegerField(_("version seen"), default=0)
    # Empty until the worker has made and sent the code: the code itself is never stored.
    code_hash = models.CharField(_("code (hashed)"), max_length=128, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["profile", "created_at"], name="verification_profile_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_status_display()}"


class PostalAddress(models.Model):
    """Where post goes: a Dutch address completed from BAG, or a foreign address in lines."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="postal_address", verbose_name=_("profile")
    )
    country = models.CharField(_("country"), max_length=2, default="NL")
    street = EncryptedTextField(_("street"), max_length=200, blank=True, default="")
    house_number = EncryptedTextField(_("house number"), max_length=10, blank=True, default="")
    house_letter = EncryptedTextField(_("house letter"), max_length=1, blank=True, default="")
    addition = EncryptedTextField(_("addition"), max_length=10, blank=True, default="")
    postcode = EncryptedTextField(_("postcode"), max_length=10, blank=True, default="")
    city = EncryptedTextField(_("town or city"), max_length=200, blank=True, default="")
    # A foreign address as the user writes it, one line per line, without the country.
    foreign_lines = EncryptedTextField(_("address lines"), blank=True, default="")
    bag_id = EncryptedTextField(_("BAG id"), max_length=16, blank=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("postal address")
        verbose_name_plural = _("postal addresses")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(country="NL") & ~models.Q(postcode="") & ~models.Q(house_number="")
                )
                | (~models.Q(country="NL") & ~models.Q(foreign_lines="")),
                name="postal_address_complete",
            )
        ]

    def __str__(self) -> str:
        # Lands in the audit trail's object name: never the address itself.
        return str(_("postal address"))

    @property
    def lines(self) -> list[str]:
        if self.country != "NL":
            return [*self.foreign_lines.splitlines(), str(country_name(self.country))]
        number = f"{self.house_number}{self.house_letter}"
        if self.addition:
            number = f"{number}-{self.addition}"
        postcode = f"{self.postcode[:4]} {self.postcode[4:]}".strip()
        return [f"{self.street} {number}".strip(), f"{postcode} {self.city}".strip()]


class Terugmelding(models.Model):
    """A report from the user that a source register's data about them is wrong."""

    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="terugmeldingen", verbose_name=_("profile")
    )
    register = models.CharField(_("register"), max_length=10, choices=Register.choices)
    item = models.CharField(_("item"), max_length=100)
    shown_value = EncryptedTextField(_("value shown"), blank=True, default="")
    note = EncryptedTextField(_("what is wrong, in the user's words"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TerugmeldingStatus.choices,
        default=TerugmeldingStatus.NEW,
    )
    staff_note = EncryptedTextField(_("staff note"), blank=True, default="")
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("report of wrong register data")
        verbose_name_plural = _("reports of wrong register data")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_register_display()}: {self.item}"
