"""How many people an API client asks about per purpose per day: the limit and the alarm.

One counter row per client, purpose and day (ApiVolumeDay), raised in one atomic statement per
request: INSERT ... ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike. Several processes
count together because the database does the adding. The raise only happens while the new
total stays within API_DAILY_VOLUME_PER_PURPOSE: a request that would go over it is not counted
and gets a 429, so the counter never passes the limit.

The day's first request also fixes the client's usual day (the average of its earlier days with
reads, up to four weeks back) in the row. A day above API_UNUSUAL_VOLUME_FACTOR times that, and
above API_UNUSUAL_VOLUME_FLOOR, is flagged once (flagged_at): the operator sees it in the admin,
and an e-mail goes to API_VOLUME_ALERT_EMAIL from the background.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from consent.choices import Reason
from consent.clients.tasks import volume_alert_send
from consent.models import ApiClient, ApiVolumeDay, Doelbinding
from core import sql
from core.api_problems import ApiProblem

USUAL_DAYS = 28


@dataclass(frozen=True)
class VolumeCount:
    allowed: bool
    limit: int
    retry_after: int  # seconds until the next day starts, for a 429

    def problem(self) -> ApiProblem:
        return ApiProblem(
            429,
            "Daily limit reached",
            f"This API client may ask about {self.limit} people per purpose per day. "
            f"This request would go over that. Try again tomorrow, in {self.retry_after} s.",
            code=Reason.DAILY_VOLUME_EXCEEDED,
            headers={"Retry-After": str(self.retry_after)},
        )


def _upsert() -> str:
    t = sql.table(ApiVolumeDay)
    return (
        f"INSERT INTO {t} (api_client_id, doelbinding_id, day, volume, usual, flagged_at) "
        "VALUES (%s, %s, %s, %s, "
        f"COALESCE((SELECT AVG(u.volume) FROM {t} u WHERE u.api_client_id = %s "
        "AND u.doelbinding_id = %s AND u.day >= %s AND u.day < %s), 0), NULL) "
        "ON CONFLICT (api_client_id, doelbinding_id, day) DO UPDATE "
        f"SET volume = {t}.volume + excluded.volume "
        f"WHERE {t}.volume + excluded.volume <= %s "
        "RETURNING id, volume, usual, flagged_at"
    )


def seconds_until_tomorrow(now: datetime | None = None) -> int:
    now = timezone.localtime(now)
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((tomorrow - now).total_seconds()))


def unusual_above(usual: float) -> float:
    """The day's volume above which it is flagged: FACTOR x the usual day, at least FLOOR."""
    return max(settings.API_UNUSUAL_VOLUME_FLOOR, settings.API_UNUSUAL_VOLUME_FACTOR * usual)


def volume_counted(
    *, client: ApiClient, doelbinding: Doelbinding, people: int, today: date | None = None
) -> VolumeCount:
    """Count `people` for today, if the day's limit allows them all; one statement."""
    limit = settings.API_DAILY_VOLUME_PER_PURPOSE
    refused = VolumeCount(False, limit, seconds_until_tomorrow())
    if people > limit:
        return refused
    if people <= 0:
        return VolumeCount(True, limit, 0)
    today = today or timezone.localdate()
    db = sql.database()
    day = db.ops.adapt_datefield_value(today)
    since = db.ops.adapt_datefield_value(today - timedelta(days=USUAL_DAYS))
    rows = sql.fetch(
        _upsert(),
        [client.pk, doelbinding.pk, day, people, client.pk, doelbinding.pk, since, day, limit],
    )
    if not rows:
        return refused
    row_id, volume, usual, flagged_at = rows[0]
    if flagged_at is None and volume > unusual_above(float(usual or 0)):
        _flag(row_id)
    return VolumeCount(True, limit, 0)


def _flag(row_id: int) -> None:
    """Once per client, purpose and day: only the request that sets flagged_at sends mail."""
    with sql.database().cursor() as cursor:
        cursor.execute(
            f"UPDATE {sql.table(ApiVolumeDay)} SET flagged_at = %s "
            "WHERE id = %s AND flagged_at IS NULL",
            [sql.database().ops.adapt_datetimefield_value(timezone.now()), row_id],
        )
        flagged = cursor.rowcount == 1
    if flagged and settings.API_VOLUME_ALERT_EMAIL:
        volume_alert_send.enqueue(volume_day_id=row_id)
