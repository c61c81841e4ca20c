"""Status callbacks to organisations (notifications/callbacks): retries, timeouts, identity."""

from config.env import DEBUG, env

__all__ = [
    "CALLBACKS_ALLOW_LOCAL",
    "CALLBACK_POLL_SECONDS",
    "CALLBACK_RETRY_BASE_SECONDS",
    "CALLBACK_RETRY_FOR_SECONDS",
    "CALLBACK_TIMEOUT_SECONDS",
    "PORTAL_OIN",
]

# Retried with exponential backoff from this base, for this long, then marked failed.
CALLBACK_RETRY_BASE_SECONDS = env.int("CALLBACK_RETRY_BASE_SECONDS", default=30)
CALLBACK_RETRY_FOR_SECONDS = env.int("CALLBACK_RETRY_FOR_SECONDS", default=24 * 3600)
# A receiver must answer within this many seconds (connect and read each).
CALLBACK_TIMEOUT_SECONDS = env.float("CALLBACK_TIMEOUT_SECONDS", default=5.0)
# While callbacks wait, the dispatcher looks again after this many seconds.
CALLBACK_POLL_SECONDS = env.float("CALLBACK_POLL_SECONDS", default=2.0)
# A receiver on this machine or a private network, over plain HTTP: development only. Outside
# DEBUG the setting is ignored, so it cannot open the door to the internal network.
CALLBACKS_ALLOW_LOCAL = DEBUG and env.bool("CALLBACKS_ALLOW_LOCAL", default=False)
# The portal's OIN: the `source` of its CloudEvents (urn:nld:oin:<OIN>:systeem:...).
PORTAL_OIN = env.str("PORTAL_OIN", default="00000000000000000000")
if not (len(PORTAL_OIN) == 20 and PORTAL_OIN.isdigit()):
    env.note("PORTAL_OIN", f"is {PORTAL_OIN!r}", "set the portal's OIN: 20 digits.")
