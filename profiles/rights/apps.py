from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "profiles.rights"
    label = "rights"
    verbose_name = _("Rights of the person")

    def ready(self):
        # The profile's own part comes first: erasing runs the parts in reverse, so the
        # profile (which the other apps' rows point at) is removed last.
        from profiles.rights.parts import part_register
        from profiles.rights.profile_part import PROFILE_PART

        part_register(PROFILE_PART)
