from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from profiles.choices import IdentityType, LoginEventKind, LoginMethod


class Identity(models.Model):
    """Who logs in: a BSN, a KvK number (optionally one branch), an RSIN or an eIDAS pseudonym.

    Keyed on (type, value, branch) so a person or company has one profile, whoever acts for it.
    """

    type = models.CharField(_("type"), max_length=10, choices=IdentityType.choices)
    value = models.CharField(_("number"), max_length=128)
    branch = models.CharField(_("branch number"), max_length=12, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(
                fields=["type", "value", "branch"], name="identity_unique_type_value_branch"
            ),
            models.CheckConstraint(
                condition=models.Q(branch="") | models.Q(type=IdentityType.KVK),
                name="identity_branch_only_for_kvk",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" / {self.branch}" if self.branch else ""
        return f"{self.get_type_display()} {self.value}{suffix}"


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
    display_name = models.CharField(_("name"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.identity)


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
