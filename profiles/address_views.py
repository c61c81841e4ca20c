"""Postal address (Dutch from BAG, or foreign) and the general contact preference."""

from django.http import Http404


def address_where(request):
    raise Http404


address_nl = address_choose = address_foreign = address_check = address_where
preference_change = preference_check = address_where
