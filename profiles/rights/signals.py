"""Domain events of the rights app. consent listens; profiles imports none of consent."""

from django.dispatch import Signal

# The person downloaded (or looked at the printable page of) everything the portal keeps.
# Arguments: identity, fields (what the file holds). A receiver that cannot record it raises
# profiles.signals.NotRecorded: the file is not given.
personal_data_downloaded = Signal()
