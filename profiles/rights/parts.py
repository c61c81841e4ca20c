"""The registry of what each app keeps about a person, for download and erasure.

profiles cannot import consent or notifications (the layers point the other way), yet a
download must hold everything and an erasure must leave nothing. So each app registers one
PersonalDataPart at start-up (its AppConfig.ready): how to write its data into the download,
and how to erase it. profiles registers first; erasing runs the parts in reverse order, so the
rows that point at the profile go before the profile itself.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from profiles.models import Profile


@dataclass(frozen=True)
class PersonalDataPart:
    # The key of this part in the download document (docs/data-export.md).
    name: str
    # Everything this app keeps about the person, as JSON values. A constant number of queries.
    export: Callable[[Profile], dict]
    # Remove it all. Runs inside the erasure's transaction, under the person's lock.
    erase: Callable[[Profile], None]
    # A cheap size estimate (rows), to decide whether the download is made in the background.
    size: Callable[[Profile], int] = lambda profile: 0
    # Remove what is past its retention period (RETENTION) at `now`; returns counts per kind.
    retain: Callable[[datetime], dict[str, int]] = lambda now: {}


_parts: dict[str, PersonalDataPart] = {}


def part_register(part: PersonalDataPart) -> None:
    """Idempotent: a second registration of the same name replaces the first."""
    _parts[part.name] = part


def registered_parts() -> list[PersonalDataPart]:
    return list(_parts.values())
