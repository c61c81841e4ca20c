"""The portal's URLs plus the bare project's view, here behind the portal's full middleware."""

from django.urls import path

from bench.bare_site.views import BARE_PATH, small_page
from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as portal

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [path(BARE_PATH.lstrip("/"), small_page), *portal]
