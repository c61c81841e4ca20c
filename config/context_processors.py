from django.conf import settings

from profiles.login.session import seconds_left


def portal(request):
    """What every page's layout needs: help contacts and the session-warning timings."""
    return {
        "HELP_EMAIL": settings.HELP_EMAIL,
        "HELP_PHONE": settings.HELP_PHONE,
        "HELP_PHONE_LINK": "".join(c for c in settings.HELP_PHONE if c.isdigit() or c == "+"),
        "SESSION_WARNING_BEFORE": settings.SESSION_WARNING_BEFORE,
        "SESSION_SECONDS_LEFT": seconds_left(request) if hasattr(request, "user") else 0,
    }
