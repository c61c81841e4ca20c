"""Puts the apps' URLs together; no app imports another app's views."""

from django.contrib import admin
from django.urls import include, path
from maykin_2fa import monkeypatch_admin
from maykin_2fa.urls import webauthn_urlpatterns

from config import api_docs, health, views
from config.api import api
from profiles.staff import urls as staff_login_urls
from profiles.views import language_switch

# Every admin page, also those of other apps, needs a staff member who passed two factors.
monkeypatch_admin()

urlpatterns = [
    path("", views.home, name="home"),
    path("toegankelijkheid", views.page, {"name": "accessibility"}, name="accessibility"),
    path("privacy", views.page, {"name": "privacy"}, name="privacy"),
    path("hulp", views.page, {"name": "help"}, name="help"),
    path("taal", language_switch, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The staff login (two factors) before the admin's own URLs, which it replaces.
    path("beheer/", include((staff_login_urls.urlpatterns, "maykin_2fa"))),
    path("beheer/", include((webauthn_urlpatterns, "two_factor"))),
    path("beheer/", admin.site.urls),
    path("api/profielen/v1/docs", api_docs.docs, name="api_docs"),
    path("api/profielen/v1/", api.urls),
    path("", include("profiles.urls")),
    path("", include("profiles.rights.urls")),
    path("", include("consent.urls")),
    path("", include("notifications.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
