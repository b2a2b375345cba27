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
    return since(last_update, resolution_start(adoption_date, imported_at, round_opened_on))


def resolution_start(adoption_date, imported_at, round_opened_on) -> datetime.datetime | None:
    """What the clock starts from for every commitment of a resolution, whatever the nation:
    its adoption (or import) and the opening of its current round, whichever is later. A page
    of commitments works it out once per resolution."""
    moments = [_moment(v) for v in (adoption_date or imported_at, round_opened_on) if v]
    return max(moments) if moments else None


def since(last_update, start: datetime.datetime | None) -> datetime.datetime:
    """The clock's start for one commitment: its last update or its resolution's start."""
    moments = [m for m in (_moment(last_update), start) if m]
    return max(moments) if moments else timezone.now()


def is_stale(now: datetime.datetime, days: int, *dates) -> bool:
    """`dates`: last update, adoption date, import moment, current round's opening."""
    return counted_from(*dates) < now - datetime.timedelta(days=days)
