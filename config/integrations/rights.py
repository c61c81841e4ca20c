"""The person's rights: download, erasure, and how long each kind of record is kept.

The periods are in days (README: "Retention"). The processing log and the audit trail have a
legal minimum the database itself enforces (rights migration 0002: LOG_FLOOR_DAYS); a shorter
setting is a problem at start-up, not a silent no-op.
"""

from config.env import env

__all__ = [
    "LOA_ERASE",
    "RETENTION",
    "RETENTION_NOTICE_DAYS",
    "RIGHTS_DOWNLOAD_BACKGROUND_ROWS",
    "RIGHTS_DOWNLOAD_LINK_MINUTES",
]

# Erasing everything is at least as weighty as changing contact details.
LOA_ERASE = env.str("LOA_ERASE", default="substantieel")
# A download link works this long after the file is ready; then the file is removed.
RIGHTS_DOWNLOAD_LINK_MINUTES = env.int("RIGHTS_DOWNLOAD_LINK_MINUTES", default=15)
# Above this many rows (messages, processing records, logins) the file is made in the background.
RIGHTS_DOWNLOAD_BACKGROUND_ROWS = env.int("RIGHTS_DOWNLOAD_BACKGROUND_ROWS", default=500)

# Keep in step with profiles/rights/migrations/0002_log_guards_allow_retention.py.
LOG_FLOOR_DAYS = 365

RETENTION = {
    # Codes to confirm an e-mail address or phone number, used or not.
    "verifications": env.int("RETENTION_VERIFICATION_DAYS", default=30),
    # Logins, failed logins, step-ups and logouts (security audit).
    "login_events": env.int("RETENTION_LOGIN_EVENTS_DAYS", default=365),
    # Messages in 'Berichten' and the notifications behind them.
    "messages": env.int("RETENTION_MESSAGES_DAYS", default=730),
    # The processing log (Logboek Dataverwerkingen) and the audit trail.
    "processing_log": env.int("RETENTION_PROCESSING_LOG_DAYS", default=2555),
    "audit_trail": env.int("RETENTION_AUDIT_TRAIL_DAYS", default=2555),
    # A profile nobody logged in to for this long is removed, after a notice.
    "unused_profiles": env.int("RETENTION_UNUSED_PROFILE_DAYS", default=3 * 365),
}
# How long before removing an unused profile the person gets an e-mail about it.
RETENTION_NOTICE_DAYS = env.int("RETENTION_NOTICE_DAYS", default=30)

for _name, _kind in (
    ("RETENTION_PROCESSING_LOG_DAYS", "processing_log"),
    ("RETENTION_AUDIT_TRAIL_DAYS", "audit_trail"),
):
    if (RETENTION[_kind] or 0) < LOG_FLOOR_DAYS:
        env.note(_name, f"is {RETENTION[_kind]}", f"set at least {LOG_FLOOR_DAYS} (days).")
