from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("municipality")
    PROVINCIE = "provincie", _("province")
    WATERSCHAP = "waterschap", _("water authority")
    RIJKSOVERHEID = "rijksoverheid", _("central government")
    OTHER = "other", _("other")
