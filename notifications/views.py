"""'Berichten' (the inbox) and the channel preferences per organisation and kind of message."""

from django.http import Http404


def inbox(request):
    raise Http404


message = preferences = inbox
