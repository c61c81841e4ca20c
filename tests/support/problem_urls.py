"""The portal's URLs plus one that shows the login error page for any reason code."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from profiles.login.views import login_problem


def show_problem(request, reason):
    return login_problem(request, reason, method="digid")


urlpatterns = [path("login-problem/<str:reason>", show_problem), *portal_urlpatterns]
