from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("Profiles")

    def ready(self):
        from profiles.audit import register_audited_models
        from profiles.staff import session  # noqa: F401 - connects the staff login receivers

        register_audited_models()
