"""E-mail address and phone number: enter the new value, check it, confirm with a code."""

from django.http import Http404


def contact_change(request, slug):
    raise Http404


contact_check = contact_code = contact_remove = contact_change
