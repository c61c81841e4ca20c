from django.db import models
from django.utils.translation import gettext_lazy as _

from consent.choices import OrganisationKind
from profiles.validators import validate_oin


class Organisation(models.Model):
    """A government body (dienstverlener), known by its OIN."""

    name = models.CharField(_("name"), max_length=200)
    oin = models.CharField(_("OIN"), max_length=20, unique=True, validators=[validate_oin])
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    email = models.EmailField(_("contact e-mail address"), blank=True, default="")
    phone = models.CharField(_("contact phone number"), max_length=30, blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    active = models.BooleanField(_("active"), default=True)

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
