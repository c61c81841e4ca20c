from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Holds the cross-cutting pieces (base templates' tags, demo data command)."""

    name = "config"
    label = "portal"
    verbose_name = "Mijn Omgeving Zakelijk"
