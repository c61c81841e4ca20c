"""Times in the download: ISO 8601 with offset, in UTC, or null."""

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None
