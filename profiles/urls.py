from django.urls import path, re_path

from profiles import login_views, views

app_name = "profiles"

urlpatterns = [
    path("inloggen", views.login_choice, name="login"),
    re_path(
        r"^inloggen/(?P<method>digid|eherkenning|eidas)$",
        login_views.login_start,
        name="login_start",
    ),
    path("oidc/callback", login_views.callback, name="callback"),
    path("uitloggen", login_views.logout, name="logout"),
    path("uitgelogd", login_views.logged_out, name="logged_out"),
    path("sessie-verlopen", login_views.session_expired, name="session_expired"),
    path("sessie-verlengen", login_views.session_extend, name="session_extend"),
    path("mijn-gegevens", views.overview, name="overview"),
]
