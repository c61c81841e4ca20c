from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("municipality")
    PROVINCIE = "provincie", _("province")
    WATERSCHAP = "waterschap", _("water authority")
    RIJKSOVERHEID = "rijksoverheid", _("central government")
    OTHER = "other", _("other")


class DoelbindingStatus(models.TextChoices):
    CONCEPT = "concept", _("draft")
    ACTIVE = "actief", _("active")
    WITHDRAWN = "ingetrokken", _("withdrawn")


class ReviewStatus(models.TextChoices):
    """Where a purpose text stands in the four-eyes review: only an approved text is used."""

    PROPOSED = "proposed", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn by the organisation")


class LegalBasis(models.TextChoices):
    """AVG (GDPR) article 6: a legal task (6.1.e) or consent (6.1.a)."""

    LEGAL_TASK = "wettelijke_taak", _("legal task (GDPR art. 6(1)(e))")
    CONSENT = "toestemming", _("consent (GDPR art. 6(1)(a))")


class DataField(models.TextChoices):
    """The profile data a doelbinding may use."""

    EMAIL = "email", _("e-mail address")
    PHONE = "phone", _("phone number")
    POSTAL_ADDRESS = "postal_address", _("postal address")
    CONTACT_PREFERENCE = "contact_preference", _("contact preference")


class ConsentChannel(models.TextChoices):
    PORTAL = "portal", _("portal")


class Reason(models.TextChoices):
    """Why personal data was used or not: the gate's answer (may_process), and the few answers
    the portal gives around it. The processing log and delivery rows keep these codes,
    organisations see them in API answers, and the usage page explains them to the person."""

    ALLOWED = "allowed", _("allowed")
    WRONG_ORGANISATION = "wrong_organisation", _("the purpose belongs to another organisation")
    ORGANISATION_INACTIVE = "organisation_inactive", _("the organisation is not active")
    NOT_ACTIVE = "doelbinding_not_active", _("the purpose is not active")
    NOT_YET_VALID = "doelbinding_not_yet_valid", _("the purpose is not valid yet")
    EXPIRED = "doelbinding_expired", _("the purpose is no longer valid")
    FIELDS_NOT_COVERED = "fields_not_covered", _("the purpose does not cover this data")
    NO_CONSENT = "no_consent", _("the person has not given consent")
    # Before the gate: the calling system itself may not use this purpose, or not this much.
    PURPOSE_NOT_FOR_CLIENT = (
        "purpose_not_for_client",
        _("the organisation's system may not use this purpose"),
    )
    DAILY_VOLUME_EXCEEDED = (
        "daily_volume_exceeded",
        _("the organisation's system asked for too many people today"),
    )
    # Around the gate: nobody to ask about, a look by the portal's own staff, nowhere to send,
    # and the processing log that must take the record before any data leaves.
    NOT_FOUND = "not_found", _("nobody with this number has a profile")
    STAFF_VIEW = "staff_view", _("an administrator of this website looked at the data")
    NO_CONFIRMED_ADDRESS = (
        "no_confirmed_address",
        _("there is no confirmed e-mail address or phone number"),
    )
    # The person erased everything (profiles.rights): their consent ended with it.
    ERASED = "erased", _("the person deleted their details, so their consent ended")
    # The person downloaded everything the portal keeps about them.
    SUBJECT_DOWNLOAD = "subject_download", _("you downloaded your details")
    LOG_UNAVAILABLE = (
        "log_unavailable",
        _("the processing could not be logged, so nothing was sent"),
    )


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("data provided")
    REFUSED = "refused", _("refused")
