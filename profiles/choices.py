from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityType(models.TextChoices):
    BSN = "bsn", _("BSN")
    KVK = "kvk", _("KvK number")
    RSIN = "rsin", _("RSIN")
    EIDAS = "eidas", _("eIDAS pseudonym")


class LoginMethod(models.TextChoices):
    DIGID = "digid", "DigiD"
    EHERKENNING = "eherkenning", "eHerkenning"
    EIDAS = "eidas", "eIDAS"


class AssuranceLevel(models.TextChoices):
    """One ordered scale for all three methods; the order is what step-up compares."""

    BASIS = "basis", _("basic")
    MIDDEN = "midden", _("medium")
    SUBSTANTIEEL = "substantieel", _("substantial")
    HOOG = "hoog", _("high")

    @classmethod
    def rank(cls, level: str) -> int:
        order = [cls.BASIS, cls.MIDDEN, cls.SUBSTANTIEEL, cls.HOOG]
        return order.index(level) if level in order else -1


class LoginEventKind(models.TextChoices):
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    STEP_UP = "step_up", _("step-up")
    LOGOUT = "logout", _("logout")
    SESSION_EXPIRED = "session_expired", _("session expired")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("e-mail address")
    PHONE = "phone", _("phone number")


class ContactPreference(models.TextChoices):
    DIGITAL = "digitaal", _("digital")
    POST = "post", _("by post")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the code")
    VERIFIED = "verified", _("confirmed")
    BLOCKED = "blocked", _("too many wrong codes")
    SUPERSEDED = "superseded", _("replaced by a newer code")


class Register(models.TextChoices):
    KVK = "kvk", _("Business Register (KvK)")
    BRP = "brp", _("Personal Records Database (BRP)")
    BAG = "bag", _("address register (BAG)")


class TerugmeldingStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    FORWARDED = "forwarded", _("passed on to the register")
    CLOSED = "closed", _("closed")


class StaffLoginOutcome(models.TextChoices):
    """What happened in a staff login event (the audit trail, profiles/staff/events.py)."""

    SUCCESS = "success", _("logged in")
    FAILED = "failed", _("failed")
    LOCKED = "locked", _("refused: too many failed attempts")
    SESSION_EXPIRED = "session_expired", _("session expired")
    LOGOUT = "logout", _("logged out")
