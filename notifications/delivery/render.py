"""What a message says: the e-mail (subject, text, HTML, a Message-ID) and the SMS text, in the
language the person uses the portal in."""

import functools
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Delivery, Notification


def language_for(notification: Notification) -> str:
    # The language the person last used the portal in; the worker loads the recipient with
    # the notification (select_related), so this costs no query per message.
    return notification.recipient.language


def message_id_for(delivery: Delivery) -> str:
    """The same for every attempt at this delivery: a receiving side can drop a second copy."""
    domain = _domain_of(settings.DEFAULT_FROM_EMAIL)
    return f"<notification-{delivery.notification_id}.delivery-{delivery.pk}@{domain}>"


@functools.lru_cache(maxsize=8)
def _domain_of(address: str) -> str:
    # Parsing the address costs more than the rest of a message's headers: once per sender.
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def inbox_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("notifications:inbox")


def notification_email(delivery: Delivery, address: str) -> EmailMultiAlternatives:
    notification = delivery.notification
    subject, text, html = _rendered(
        language_for(notification),
        notification.organisation.name,
        notification.subject,
        notification.body,
        notification.link if notification.link.startswith(("https:", "http:")) else "",
        notification.case_reference,
    )
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        # Auto-Submitted keeps out-of-office replies away (RFC 3834).
        headers={"Message-ID": message_id_for(delivery), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


@functools.lru_cache(maxsize=64)
def _rendered(language, organisation, subject, body, link, case_reference) -> tuple[str, ...]:
    """Subject, text and HTML. Nothing in them is about the person, so one message to many
    people is rendered once per worker, not once per person."""
    context = {
        "organisation": organisation,
        "subject": subject,
        "body": body,
        "link": link,
        "case_reference": case_reference,
        "inbox_url": inbox_url(),
        "site_url": settings.SITE_URL,
        "LANGUAGE_CODE": language,
    }
    with translation.override(language):
        line = " ".join(render_to_string("emails/notification.subject.txt", context).split())
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    return line, text, html


def sms_text(delivery: Delivery) -> str:
    notification = delivery.notification
    with translation.override(language_for(notification)):
        return translation.gettext(
            "%(organisation)s sent you a message: %(subject)s. Read it in Mijn Omgeving "
            "Zakelijk: %(url)s"
        ) % {
            "organisation": notification.organisation.name,
            "subject": notification.subject[:80].rstrip(".!? "),
            "url": inbox_url(),
        }
