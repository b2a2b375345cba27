"""Parsed resolution -> database rows, in one transaction.

Importing the same text again changes nothing. Importing a corrected text updates clauses and
commitments in place, matched by paragraph number and label, so that everything attached to a
commitment later (national actions, statuses) keeps pointing at the same row.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from .models import Clause, Commitment, Committee, Resolution, Session
from .parsing import ParsedResolution, ResolutionParseError, parse_resolution


class ImportRefused(Exception):
    """The text was read, but saving it would lose data; nothing was saved."""


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    resolution: Resolution
    created: bool
    changes: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def unchanged(self) -> bool:
        return not self.created and not self.changes


def import_resolution(
    parsed: ParsedResolution, original_text: str, *, language: str = "en", dry_run: bool = False
) -> ImportReport:
    """Save `parsed` as a resolution with its clauses and commitments. With `dry_run`, the same
    work runs inside a transaction that is rolled back, so the report is exact."""
    with transaction.atomic():
        report = _save(parsed, original_text, language)
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


def _check_lengths(parsed: ParsedResolution) -> None:
    """Refuse, with a message, what the database columns cannot hold (PostgreSQL would fail)."""
    limits = [
        (_("title"), parsed.title, 500),
        (_("committee"), parsed.committee, 200),
        (_("place"), parsed.place, 200),
    ] + [(_("verb of paragraph %s") % c.number, c.verb, 100) for c in parsed.clauses]
    for what, value, limit in limits:
        if len(value) > limit:
            raise ImportRefused(
                _("The %(what)s is longer than %(limit)d characters; is the text well formed?")
                % {"what": what, "limit": limit}
            )


def _save(parsed: ParsedResolution, original_text: str, language: str) -> ImportReport:
    _check_lengths(parsed)
    committee = _committee_named(parsed.committee)
    session = _session_for(parsed)
    values = {
        "title": parsed.title,
        "committee": committee,
        "session": session,
        "adoption_date": parsed.adoption_date,
        "language": language,
        "original_text": original_text,
        "text_sha256": hashlib.sha256(original_text.encode()).hexdigest(),
    }
    resolution = Resolution.objects.filter(
        document_type=parsed.document_type, number=parsed.number
    ).first()
    if resolution is None:
        resolution = Resolution.objects.create(
            document_type=parsed.document_type, number=parsed.number, **values
        )
        report = ImportReport(resolution=resolution, created=True)
    else:
        report = ImportReport(resolution=resolution, created=False)
        changed = _assign_changed(resolution, values)
        # The text's checksum changes with every edit; report the fields a reader cares about.
        report.changes += [
            _("%(field)s changed") % {"field": Resolution._meta.get_field(name).verbose_name}
            for name in changed
            if name not in {"original_text", "text_sha256"}
        ]
        if changed:
            resolution.save()
    _save_clauses(resolution, parsed, report)
    return report


def _assign_changed(obj, values: dict) -> list[str]:
    """Set the values that differ on `obj`; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _committee_named(name: str) -> Committee:
    committee = Committee.objects.filter(name__iexact=name).first()
    if committee:
        return committee
    code = "".join(word[0] for word in re.findall(r"[A-Za-z]+", name) if word[0].isupper())
    code = code[:8] or "C"
    while Committee.objects.filter(code=code).exists():
        code = f"{code[:7]}{len(code)}"
    return Committee.objects.create(name=name, code=code)


def _session_for(parsed: ParsedResolution) -> Session | None:
    if not parsed.session_number:
        return None
    kind = Session.Kind.SPRING if parsed.session_kind.lower() == "spring" else Session.Kind.ANNUAL
    session, created = Session.objects.get_or_create(
        number=parsed.session_number,
        kind=kind,
        defaults={"place": parsed.place, "date": parsed.adoption_date},
    )
    if not created and not session.place and parsed.place:
        session.place = parsed.place
        session.save(update_fields=["place"])
    return session


def _save_clauses(resolution: Resolution, parsed: ParsedResolution, report: ImportReport) -> None:
    clauses = {c.number: c for c in resolution.clauses.all()}
    commitments = {c.label: c for c in resolution.commitments.all()}
    seen_labels = set()
    order = 0
    for parsed_clause in parsed.clauses:
        values = {
            "kind": parsed_clause.kind,
            "verb": parsed_clause.verb,
            "text": parsed_clause.text,
            "addressees": parsed_clause.addressees,
        }
        clause = clauses.pop(parsed_clause.number, None)
        if clause is None:
            clause = Clause.objects.create(
                resolution=resolution, number=parsed_clause.number, **values
            )
            if not report.created:
                report.changes.append(_("paragraph %(n)s added") % {"n": clause.number})
        elif _assign_changed(clause, values):
            clause.save()
            report.changes.append(_("paragraph %(n)s updated") % {"n": clause.number})

        for parsed_commitment in parsed_clause.commitments:
            order += 1
            seen_labels.add(parsed_commitment.label)
            values = {
                "clause": clause,
                "letter": parsed_commitment.letter,
                "text": parsed_commitment.text,
                "order": order,
            }
            commitment = commitments.get(parsed_commitment.label)
            if commitment is None:
                Commitment.objects.create(
                    resolution=resolution, label=parsed_commitment.label, **values
                )
                if not report.created:
                    report.changes.append(
                        _("commitment %(label)s added") % {"label": parsed_commitment.label}
                    )
            else:
                changed = _assign_changed(commitment, values)
                if changed:
                    commitment.save()
                if "text" in changed:
                    report.changes.append(
                        _("commitment %(label)s updated") % {"label": commitment.label}
                    )

    gone = [c for label, c in commitments.items() if label not in seen_labels]
    try:
        for commitment in gone:
            commitment.delete()
            report.changes.append(_("commitment %(label)s removed") % {"label": commitment.label})
        for clause in clauses.values():
            clause.delete()
            report.changes.append(_("paragraph %(n)s removed") % {"n": clause.number})
    except ProtectedError as error:
        raise ImportRefused(
            _(
                "The new text drops a commitment that national actions are attached to; "
                "nothing was saved."
            )
        ) from error


def read_resolution_file(data: bytes) -> tuple[ParsedResolution, str]:
    """The bytes of a resolution file (uploaded or read from disk, at most one byte past the
    limit): parsed, and its text as kept for the record (no BOM, Unix line ends). Refuses a text
    over RESOLUTION_TEXT_MAX_BYTES with the parser's error type, naming the limit."""
    limit = settings.RESOLUTION_TEXT_MAX_BYTES
    if len(data) > limit:
        raise ResolutionParseError(
            _("the file is larger than the limit of %(limit)s bytes") % {"limit": f"{limit:,}"}
        )
    parsed = parse_resolution(data, max_bytes=limit)
    return parsed, data.decode("utf-8-sig").replace("\r\n", "\n")
