"""What a test API client's requests see instead of real people (profiles.test_persons).

Purposes are checked as for a live client (own organisation's, tied to the client, in force);
only the persons differ. Consent is fixed per test person: a person with `consents` has
consented to every consent purpose (current text), the others to none, so a consent purpose
answers for them as for a person without consent.

No processing record is written for test traffic (consent.api.endpoints._log): the test
persons are nobody, and a record would only fill the log people read about themselves.
"""

import contextlib

from django.core.exceptions import ValidationError

from consent.choices import LegalBasis
from consent.models import Consent, Doelbinding, DoelbindingVersion
from consent.services import consent_give
from profiles.models import Profile
from profiles.sharing import Shareable
from profiles.test_persons import BY_KEY, profile_for_test_person


def consents_for_test_persons(
    version: DoelbindingVersion | None, shareable: dict[tuple, Shareable]
) -> dict[int, Consent]:
    """Per (in-memory) profile id: an unsaved consent to the current text, for those who have."""
    if version is None or version.legal_basis != LegalBasis.CONSENT:
        return {}
    return {
        found.profile.pk: Consent(version=version)
        for key, found in shareable.items()
        if BY_KEY[key].consents
    }


def recipient_for_test_person(key: tuple, doelbinding: Doelbinding) -> Profile | None:
    """The stored test person to send to (made on first use, and given consent to this purpose
    if they consent to all), or None for any number that is not a test person's."""
    profile = profile_for_test_person(key)
    if profile is None:
        return None
    version = doelbinding.current_version
    if BY_KEY[key].consents and version is not None and version.legal_basis == LegalBasis.CONSENT:
        # A purpose not open (inactive, expired) is refused by the intake as for a live client.
        with contextlib.suppress(ValidationError):
            consent_give(profile=profile, doelbinding=doelbinding, version_id=version.pk)
    return profile
