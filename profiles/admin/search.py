"""Staff find a person by an exact number, e-mail address or phone number.

The values are encrypted, so the admin's usual "contains" search cannot work; an exact value
is found through its blind index (core.crypto), which is also all staff need: they search for
the person in front of them, not for everyone whose number starts with 06.
"""

import phonenumbers
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from profiles.choices import ContactKind
from profiles.models import ContactDetail, Identity


class ExactSearchAdmin:
    """search_fields only switches the search box on; get_search_results does the finding.

    identity_path: how the list's model reaches its Identity ("" for Identity itself).
    contact_path: how it reaches its contact details, or None to search numbers only.
    """

    search_fields = ["exact"]
    identity_path = ""
    contact_path: str | None = None
    search_help_text = _("A BSN, KvK number, e-mail address or phone number, written in full.")

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        prefix = f"{self.identity_path}__" if self.identity_path else ""
        found = Q(**{f"{prefix}number_index": Identity.number_index_for(term)})
        if self.contact_path is not None:
            indexes = [ContactDetail.value_index_for(ContactKind.EMAIL, term)]
            phone = _e164(term)
            if phone:
                indexes.append(ContactDetail.value_index_for(ContactKind.PHONE, phone))
            found |= Q(**{f"{self.contact_path}__value_index__in": indexes})
        return queryset.filter(found), self.contact_path is not None


def _e164(term: str) -> str:
    try:
        number = phonenumbers.parse(term, "NL")
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
