"""Domain events of the profiles app. Other apps listen; profiles imports none of them."""

from django.dispatch import Signal

# A confirmed e-mail address or phone number was set, changed or removed.
# Arguments: profile, kind ("email" | "phone"), old_value ("" when there was none).
contact_detail_changed = Signal()
