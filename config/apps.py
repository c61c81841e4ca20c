from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Holds the cross-cutting pieces (base templates' tags, demo data command)."""

    name = "config"
    label = "portal"
    verbose_name = "Mijn Omgeving Zakelijk"

    def ready(self):
        from config import checks  # noqa: F401 - registers the deployment checks
        from core import lookups

        lookups.register()
