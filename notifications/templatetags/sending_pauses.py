"""{% load sending_pauses %}{% sending_pauses_notice %}: tells staff that sending by e-mail or SMS
is paused because the mail server or the SMS gateway does not answer (one query; nothing shown
while both send). Used on the admin's home page and the lists of notifications and deliveries.
"""

from django import template

from notifications.delivery.breaker import transport_pauses_now

register = template.Library()


@register.inclusion_tag("admin/notifications/sending_pauses.html")
def sending_pauses_notice() -> dict:
    return {"pauses": transport_pauses_now()}
