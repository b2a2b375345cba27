"""Parsed resolution -> database rows, in one transaction.

Importing the same text again changes nothing. Importing a corrected text updates clauses and
commitments in place, matched by paragraph number and label, so that everything attached to a
commitment later (national actions, statuses) keeps pointing at the same row.

A French text attaches its wording to the same clauses and commitments (`_fr` fields) and never
makes a second resolution; it must have the English text's paragraphs and sub-clauses. A French
text that comes first becomes the resolution, its wording standing in for the English until that
is imported. Booklets of several texts: `booklet.py`.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from .models import Clause, Commitment, Committee, Resolution, Session
from .parsing import ParsedResolution, Structure, first_difference


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
    parsed: ParsedResolution,
    original_text: str,
    *,
    language: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Save `parsed` as a resolution with its clauses and commitments, or attach its French
    wording to the resolution already there. With `dry_run`, the same work runs inside a
    transaction that is rolled back, so the report is exact."""
    language = language or parsed.language
    with transaction.atomic():
        existing = Resolution.objects.filter(
            document_type=parsed.document_type, number=parsed.number
        ).first()
        if existing is not None and existing.language != language:
            _check_structure(existing, parsed, language)
        if language == "fr" and existing is not None and existing.language != "fr":
            report = _attach_french(existing, parsed, original_text)
        else:
            report = _save(parsed, original_text, language)
            if existing is not None and existing.language == "fr" and language != "fr":
                # The English arrives for a text first imported in French: one change to say.
                report.changes = [_("English text added")]
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return report


def saved_structure(resolution: Resolution) -> Structure:
    """(number, kind, sub-clause letters) of each saved paragraph, as the parser gives them."""
    letters: dict[int, list[str]] = {}
    for clause_id, letter in resolution.commitments.order_by("order").values_list(
        "clause_id", "letter"
    ):
        if letter:
            letters.setdefault(clause_id, []).append(letter)
    return tuple(
        (number, kind, tuple(letters.get(pk, ())))
        for pk, number, kind in resolution.clauses.order_by("number").values_list(
            "pk", "number", "kind"
        )
    )


def _check_structure(resolution: Resolution, parsed: ParsedResolution, language: str) -> None:
    """Refuse a translation whose paragraphs or sub-clauses differ, naming the first difference."""
    difference = first_difference(saved_structure(resolution), resolution.language, parsed)
    if difference:
        message, line = difference
        where = _("%(text)s, line %(line)s") % {"text": parsed.name, "line": line}
        raise ImportRefused(
            _("%(where)s: %(difference)s; nothing was saved")
            % {"where": where if line else parsed.name, "difference": message}
        )


def _attach_french(
    resolution: Resolution, parsed: ParsedResolution, original_text: str
) -> ImportReport:
    """The French wording on the English resolution's own rows (the structure was checked)."""
    _check_lengths(parsed)
    report = ImportReport(resolution=resolution, created=False)
    had_french = bool(resolution.original_text_fr)
    changes = []
    changed = _assign_changed(
        resolution, {"title_fr": parsed.title, "original_text_fr": original_text}
    )
    if changed:
        resolution.save()
    if "title_fr" in changed:
        changes.append(_("title in French"))
    clauses = {c.number: c for c in resolution.clauses.all()}
    commitments = {c.label: c for c in resolution.commitments.all()}
    for parsed_clause in parsed.clauses:
        clause = clauses[parsed_clause.number]
        values = {
            "verb_fr": parsed_clause.verb,
            "text_fr": parsed_clause.text,
            "addressees_fr": parsed_clause.addressees,
        }
        if _assign_changed(clause, values):
            clause.save()
            changes.append(_("paragraph %(n)s in French") % {"n": clause.number})
        for parsed_commitment in parsed_clause.commitments:
            commitment = commitments[parsed_commitment.label]
            if _assign_changed(commitment, {"text_fr": parsed_commitment.text}):
                commitment.save()
                changes.append(_("commitment %(label)s in French") % {"label": commitment.label})
    if changes and not had_french:
        report.changes = [_("French text added")]
    else:
        report.changes = [_("%(what)s updated") % {"what": what} for what in changes]
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
    """The text as the resolution's main wording. A French text saved this way (no English yet)
    fills the French fields too."""
    _check_lengths(parsed)
    committee = _committee_named(parsed.committee)
    session = _session_for(parsed)
    french = language == "fr"
    values = {
        "title": parsed.title,
        "committee": committee,
        "session": session,
        "adoption_date": parsed.adoption_date,
        "language": language,
        "original_text": original_text,
        "text_sha256": hashlib.sha256(original_text.encode()).hexdigest(),
    }
    if french:
        values |= {"title_fr": parsed.title, "original_text_fr": original_text}
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
            if name not in {"original_text", "text_sha256", "original_text_fr", "title_fr"}
        ]
        if changed:
            resolution.save()
    _save_clauses(resolution, parsed, report, french)
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


def _save_clauses(
    resolution: Resolution, parsed: ParsedResolution, report: ImportReport, french: bool
) -> None:
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
        if french:
            values |= {
                "verb_fr": parsed_clause.verb,
                "text_fr": parsed_clause.text,
                "addressees_fr": parsed_clause.addressees,
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
            if french:
                values["text_fr"] = parsed_commitment.text
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
