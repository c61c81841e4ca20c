from django.conf import settings


def portal(request):
    """What every page's layout needs: the portal name and the session-warning timings."""
    return {
        "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT,
        "SESSION_WARNING_BEFORE": settings.SESSION_WARNING_BEFORE,
    }
