"""The texts of one file (one text, or a session booklet of several) -> the database.

Each text is imported in its own transaction: one that fails is reported with its line and does
not stop the others, unless all-or-nothing is asked for. The preview is the same import run in a
transaction that is rolled back, text after text, so a booklet holding a text in English and in
French previews exactly as it will import."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .importing import ImportRefused, ImportReport, import_resolution
from .parsing import FoundText


@dataclass
class TextOutcome:
    """What became (or would become) of one text of the file."""

    found: FoundText
    chosen: bool = True
    report: ImportReport | None = None
    error: str = ""

    @property
    def key(self) -> str:
        """How a secretary picks it: its number ("493"), as in `--only 491,493`."""
        return str(self.found.number)

    @property
    def state(self) -> str:
        """ "new", "unchanged", "updated", "failed" or "skipped"."""
        if self.error:
            return "failed"
        if self.report is None:
            return "skipped"
        if self.report.created:
            return "new"
        return "unchanged" if self.report.unchanged else "updated"

    @property
    def state_label(self) -> str:
        return {
            "new": _("new"),
            "unchanged": _("unchanged"),
            "updated": _("updated"),
            "failed": _("cannot be imported"),
            "skipped": _("not chosen"),
        }[self.state]

    @property
    def language_label(self) -> str:
        parsed = self.found.parsed
        if parsed is None:
            return ""
        return _("French") if parsed.language == "fr" else _("English")


class NothingSaved(Exception):
    """All or nothing was asked for and a text failed: every text was rolled back."""

    def __init__(self, outcomes: list[TextOutcome]):
        super().__init__(_("A text could not be imported; nothing was saved."))
        self.outcomes = outcomes


def import_texts(
    texts: list[FoundText],
    *,
    only: set[str] | None = None,
    all_or_nothing: bool = False,
    dry_run: bool = False,
) -> list[TextOutcome]:
    """Import the chosen texts (all when `only` is None), each in its own transaction. With
    `all_or_nothing`, one failure rolls every text back and raises NothingSaved. A dry run
    imports them all in one transaction that is rolled back at the end."""
    outcomes = [
        TextOutcome(found, chosen=only is None or str(found.number) in only) for found in texts
    ]
    chosen = [outcome for outcome in outcomes if outcome.chosen]
    if not (dry_run or all_or_nothing):
        for outcome in chosen:
            _import_one(outcome)  # import_resolution's own transaction
        return outcomes
    with transaction.atomic():
        for outcome in chosen:
            _import_one(outcome)  # a savepoint: a failed text leaves the others in place
            if outcome.report:
                outcome.report.dry_run = dry_run
        failed = any(outcome.error for outcome in chosen)
        if dry_run or failed:
            transaction.set_rollback(True)
    if failed and not dry_run:
        raise NothingSaved(outcomes)
    return outcomes


def _import_one(outcome: TextOutcome) -> None:
    found = outcome.found
    if found.error is not None:
        outcome.error = found.message
        return
    try:
        outcome.report = import_resolution(found.parsed, found.source)
    except ImportRefused as error:
        message = str(error)
        outcome.error = message if message.startswith(found.name) else f"{found.name}: {message}"
