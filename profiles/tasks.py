"""Background work of the profiles app: sending codes and security notices."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from core import crypto
from core.email import send_templated_email
from core.sms import sms_gateway
from profiles.choices import ContactKind, VerificationStatus
from profiles.codes import CODE_VALID_FOR, verification_code_issue
from profiles.locks import person_lock
from profiles.models import Verification

logger = logging.getLogger(__name__)


@task()
def send_verification_code(*, verification_id: int, language: str) -> None:
    """Make the code here, in the worker, so it never sits in the queue or the database."""
    with transaction.atomic():
        profile_id = Verification.objects.values_list("profile_id", flat=True).get(
            pk=verification_id
        )
        person_lock(profile_id)
        verification = Verification.objects.select_for_update().get(pk=verification_id)
        if verification.status != VerificationStatus.PENDING:
            return  # replaced by a newer code, or already used: send nothing
        code = verification_code_issue(verification=verification)
    minutes = int(CODE_VALID_FOR.total_seconds() // 60)
    if verification.kind == ContactKind.EMAIL:
        send_templated_email(
            to=verification.new_value,
            template="verification_code",
            context={"code": code, "minutes": minutes, "site_url": settings.SITE_URL},
            language=language,
        )
    else:
        with translation.override(language):
            text = translation.gettext(
                "Your code for Mijn Omgeving Zakelijk is %(code)s. It is valid for %(minutes)s "
                "minutes. Did you not ask for it? Then ignore this message."
            ) % {"code": code, "minutes": minutes}
        sms_gateway().send(to=verification.new_value, text=text)
    logger.info("verification code sent", extra={"kind": verification.kind})


# Task arguments are stored as plain JSON in the queue table: the old address travels sealed.
OLD_ADDRESS_PLACE = "profiles.tasks.send_email_changed_notice"


@task()
def send_email_changed_notice(*, old_address_sealed: str, language: str) -> None:
    send_templated_email(
        to=crypto.reveal(old_address_sealed, place=OLD_ADDRESS_PLACE),
        template="email_changed",
        context={"site_url": settings.SITE_URL, "help_email": settings.HELP_EMAIL},
        language=language,
    )
