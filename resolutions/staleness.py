"""When a commitment counts as "stale" for a nation: no update for STALE_AFTER_DAYS, counted
from the latest of its last update, the resolution's adoption and the opening of its current
reporting round. Never from "never updated": a round that opens today makes nothing stale, and
a resolution without an adoption date counts from the day it was imported. Pure: the callers
read the dates."""

import datetime

from django.utils import timezone


def _moment(value) -> datetime.datetime | None:
    """Dates count from the start of that day, in the site's time zone."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def counted_from(last_update, adoption_date, imported_at, round_opened_on) -> datetime.datetime:
    """The moment the staleness clock starts for one commitment and nation."""
    start = adoption_date or imported_at
    moments = [_moment(v) for v in (last_update, start, round_opened_on) if v]
    return max(moments) if moments else timezone.now()


def is_stale(now: datetime.datetime, days: int, *dates) -> bool:
    """`dates`: last update, adoption date, import moment, current round's opening."""
    return counted_from(*dates) < now - datetime.timedelta(days=days)
