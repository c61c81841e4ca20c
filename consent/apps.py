from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "consent"
    verbose_name = _("Purposes and consent")

    def ready(self):
        from consent import receivers  # noqa: F401 - connects the staff-view receiver
        from consent.audit import register_audited_models

        register_audited_models()

        # Its part of a download and an erasure (profiles.rights.parts).
        from consent.personal_data import CONSENT_PART
        from profiles.rights.parts import part_register

        part_register(CONSENT_PART)
