"""Domain events of the profiles app. Other apps listen; profiles imports none of them."""

from django.dispatch import Signal

# A confirmed e-mail address or phone number was set, changed or removed.
# Arguments: profile, kind ("email" | "phone"), old_value ("" when there was none).
contact_detail_changed = Signal()

# Staff are about to see people's data in the admin; the processing log must say so first.
# Arguments: staff (the user), identities (the people shown, as Identity), fields (what of them
# the page shows). A receiver that cannot record it raises NotRecorded: the page is not shown.
personal_data_shown = Signal()


class NotRecorded(Exception):
    """Showing the data could not be recorded, so it must not be shown."""
