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


LOGIN_URL = "/beheer/login/"
PREFIX = "admin_login_view"  # maykin-2fa's wizard storage prefix


def password_step(client, username: str, password: str, next_url: str = "/beheer/"):
    """The first step of the staff login page, as a browser posts it."""
    return client.post(
        f"{LOGIN_URL}?next={next_url}",
        {
            f"{PREFIX}-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
    )


def code_step(client, code: str, next_url: str = "/beheer/"):
    """The second step: the code of the authenticator app."""
    return client.post(
        f"{LOGIN_URL}?next={next_url}",
        {f"{PREFIX}-current_step": "token", "token-otp_token": code},
    )
