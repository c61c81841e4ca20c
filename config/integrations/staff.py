"""Staff sign-in at /beheer/: two factors (maykin-2fa), lockout, password rules, idle timeout.

Every staff account needs a second factor (an authenticator app, a passkey or a backup code);
there is no switch to turn that off. Only the test settings name a backend that skips it, and
that backend lives in tests/, which the image does not hold (README: "Staff sign-in").
"""

from config.env import env

# maykin-2fa puts its own admin site in place (config/urls.py); django-two-factor-auth's
# older patch of the login page is not needed then.
TWO_FACTOR_PATCH_ADMIN = False
# The name a passkey or security key shows for this site: one per instance.
TWO_FACTOR_WEBAUTHN_RP_NAME = env.str("STAFF_WEBAUTHN_RP_NAME", default="Mijn Omgeving Zakelijk")
# The name an authenticator app shows next to the six digits.
OTP_TOTP_ISSUER = TWO_FACTOR_WEBAUTHN_RP_NAME
# Seconds between the password and the second factor before the login starts again.
TWO_FACTOR_LOGIN_TIMEOUT = 600
MAYKIN_2FA_ALLOW_MFA_BYPASS_BACKENDS: list[str] = []

# Failed staff logins (a wrong password or a wrong code) counted per account and per address,
# in the shared cache (CACHE_URL). Reaching either limit locks logins for that account or from
# that address for STAFF_LOCKOUT_SECONDS, the right password included.
STAFF_LOGIN_MAX_FAILURES = env.int("STAFF_LOGIN_MAX_FAILURES", default=5)
STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS = env.int("STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS", default=20)
STAFF_LOGIN_FAILURE_WINDOW = env.int("STAFF_LOGIN_FAILURE_WINDOW", default=15 * 60)
STAFF_LOCKOUT_SECONDS = env.int("STAFF_LOCKOUT_SECONDS", default=15 * 60)
# Staff sessions end after this much idle time (people's: SESSION_IDLE_TIMEOUT) and after
# SESSION_ABSOLUTE_TIMEOUT in any case.
STAFF_SESSION_IDLE_TIMEOUT = env.int("STAFF_SESSION_IDLE_TIMEOUT", default=15 * 60)

# Staff passwords: Django's validators, 12 characters or more (NCSC), no common password, not
# like the username, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
