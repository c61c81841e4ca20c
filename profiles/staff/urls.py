"""The staff login's URLs: maykin-2fa's, with the login and recovery views of the portal."""

from django.urls import path
from maykin_2fa.urls import urlpatterns as maykin_2fa_urlpatterns

from profiles.staff.views import StaffLoginView, StaffRecoveryView

# Matched first: the same paths and names as maykin-2fa's own, which stay for the other steps.
urlpatterns = [
    path("login/", StaffLoginView.as_view(), name="login"),
    path("mfa/recovery/", StaffRecoveryView.as_view(), name="recovery"),
    *maykin_2fa_urlpatterns,
]
