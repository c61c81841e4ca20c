from django.urls import path

from bench.bare_site.views import BARE_PATH, small_page

urlpatterns = [path(BARE_PATH.lstrip("/"), small_page), path("readyz", small_page)]
