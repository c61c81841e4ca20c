"""Source register data ('Klopt dit niet?') and the history of changes."""

from django.http import Http404


def history(request):
    raise Http404


terugmelding = history
