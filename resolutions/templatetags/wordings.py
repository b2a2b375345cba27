"""Words and dates that pages drawn in Python repeat by the hundred (status labels, "updated 5
Nov 2026"), translated and formatted once per page rather than once per cell: a gettext call
costs about as much as the rest of a matrix cell, since each looks up the active language
through a context-local.

Not a template library (no `register`): helpers for the tags of tracker.py.
"""

import datetime

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from ..models import ImplementationStatus
from .escaping import escape

Status = ImplementationStatus.Status


class StatusWords:
    """Each status's escaped value, escaped label and symbol, in the active language."""

    def __init__(self):
        self._words = {
            value: (escape(value), escape(str(label)), Status.symbol_of(value))
            for value, label in Status.choices
        }

    def of(self, value: str) -> tuple[str, str, str]:
        found = self._words.get(value)
        if found is None:  # not a status: shown as it is, with the unknown symbol
            found = self._words[value] = (escape(value), escape(value), Status.symbol_of(value))
        return found


class DateWords:
    """Dates as the pages write them ("5 Nov 2026", Django's "j M Y") in the site's time zone,
    each day formatted once."""

    def __init__(self):
        self._zone = timezone.get_current_timezone()
        # Translated when first needed: a page that writes one date pays for one month name.
        self._months: dict[int, str] = {}
        self._updated_format = None
        self._short: dict[datetime.date, str] = {}
        self._updated: dict[datetime.date, str] = {}

    def local(self, moment: datetime.datetime) -> datetime.datetime:
        return moment.astimezone(self._zone) if timezone.is_aware(moment) else moment

    def short(self, moment: datetime.datetime | datetime.date) -> str:
        """ "5 Nov 2026" (escaped: month names are translations)."""
        day = self.local(moment).date() if isinstance(moment, datetime.datetime) else moment
        found = self._short.get(day)
        if found is None:
            month = self._months.get(day.month)
            if month is None:
                month = self._months[day.month] = str(MONTHS_3[day.month]).title()
            found = self._short[day] = escape(f"{day.day} {month} {day.year:04d}")
        return found

    def updated(self, moment: datetime.datetime) -> str:
        """ "updated 5 Nov 2026", escaped."""
        day = self.local(moment).date()
        found = self._updated.get(day)
        if found is None:
            if self._updated_format is None:
                self._updated_format = _("updated %(date)s")
            found = self._updated[day] = escape(self._updated_format % {"date": self.short(day)})
        return found
