"""The test suite's way in for staff tests that are not about the login itself.

`client.force_login(user)` takes the first backend in AUTHENTICATION_BACKENDS; the test
settings put this one there and name it, alone, in MAYKIN_2FA_ALLOW_MFA_BYPASS_BACKENDS, so a
forced login counts as having passed the second factor. It never checks a password
(authenticate() answers None), so the login page still goes through the password and the
second factor. It lives in tests/, which the image does not hold, and config.checks refuses
a bypass that names anything else.
"""

from django.contrib.auth.backends import ModelBackend

FORCED_LOGIN_BACKEND = "tests.support.staff_login.ForcedLoginBackend"


class ForcedLoginBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None
