"""Background work of the profiles app: sending codes and security notices."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from profiles.choices import ContactKind, VerificationStatus
from profiles.contact_services import CODE_VALID_FOR, verification_code_issue
from profiles.models import Verification
from profiles.sms import sms_gateway

logger = logging.getLogger(__name__)


def send_templated_email(*, to: str, template: str, context: dict, language: str) -> None:
    """Plain text and HTML from templates/emails/<template>.{txt,html,subject.txt}."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}.subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context | {"subject": subject})
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def send_verification_code(*, verification_id: int, language: str) -> None:
    """Make the code here, in the worker, so it never sits in the queue or the database."""
    with transaction.atomic():
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


@task()
def send_email_changed_notice(*, old_address: str, language: str) -> None:
    send_templated_email(
        to=old_address,
        template="email_changed",
        context={"site_url": settings.SITE_URL, "help_email": settings.HELP_EMAIL},
        language=language,
    )
