"""A delegation's workbook: downloaded, filled in as in Excel, uploaded, previewed, confirmed."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from resolutions import actions
from resolutions.history import action_timeline
from resolutions.models import ImplementationStatus, NationalAction
from resolutions.reports.xlsx_writer import Workbook as StreamingWorkbook
from resolutions.workbook import layout

from .conftest import make_action, minimal_pdf
from .workbook_helpers import confirm, download, edit, first_blank_row, row_of, upload

pytestmark = pytest.mark.django_db

ACTIONS, STATUSES = "Actions", "Statuses"
REF_25E = "Resolution 493 · 25.e"


@pytest.fixture
def draft(commitment_25e, canada, editor_ca):
    return make_action(commitment_25e, canada, editor_ca, title="Draft law")


@pytest.fixture
def signed_in(client, editor_ca):
    client.force_login(editor_ca)
    return client


def saved_state(canada):
    """Everything the workbook could change, to compare before and after a refusal."""
    return (
        sorted(NationalAction.objects.filter(member=canada).values_list("id", "title", "version")),
        sorted(ImplementationStatus.objects.filter(member=canada).values_list("id", "version")),
    )


# --- Download ------------------------------------------------------------------------------


def test_the_workbook_has_instructions_statuses_actions_and_drop_down_lists(
    signed_in, draft, resolution_493
):
    book = load_workbook(io.BytesIO(download(signed_in)))
    assert book.sheetnames == ["Instructions", "Statuses", "Actions", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    assert "Canada" in book["Instructions"]["A1"].value
    statuses = book[STATUSES]
    assert [c.value for c in statuses[1]] == [c.header for c in layout.status_columns()]
    assert statuses.max_row - 1 == resolution_493.commitments.count() == 12
    row = row_of(statuses, 1, REF_25E)
    assert statuses.cell(row, 2).value.startswith(
        resolution_493.commitments.get(label="25.e").text[:30]
    )
    assert statuses.cell(row, 3).value == "No information"
    assert statuses.cell(row, 5).value == 0
    actions_sheet = book[ACTIONS]
    row = row_of(actions_sheet, 1, draft.pk)
    values = [c.value for c in actions_sheet[row]]
    assert values[:3] == [draft.pk, draft.version, REF_25E]
    assert values[4] == "Draft law" and values[6] == "Legislation" and values[9] == "Completed"
    assert values[10] == "Draft"

    lists = book["Lists"]
    validations = {
        (sheet, str(v.sqref).split(":")[0]): v.formula1
        for sheet in (STATUSES, ACTIONS)
        for v in book[sheet].data_validations.dataValidation
    }
    assert set(validations) == {
        (STATUSES, "C2"),
        (ACTIONS, "C2"),
        (ACTIONS, "G2"),
        (ACTIONS, "H2"),
        (ACTIONS, "J2"),
    }
    for (_sheet, _cell), formula in validations.items():
        assert formula.startswith("'Lists'!$")
    assert all(
        v.type == "list" and v.showErrorMessage
        for v in book[ACTIONS].data_validations.dataValidation
    )

    def listed(formula):
        cells = lists[formula.split("!")[1].replace("$", "")]
        return [row[0].value for row in cells]

    assert listed(validations[(ACTIONS, "G2")]) == [
        str(label) for _v, label in NationalAction.Type.choices
    ]
    assert listed(validations[(ACTIONS, "H2")]) == ["Government", "Parliament"]
    assert listed(validations[(ACTIONS, "J2")]) == ["Planned", "Under way", "Completed"]
    assert "Implemented" in listed(validations[(STATUSES, "C2")])
    assert REF_25E in listed(validations[(ACTIONS, "C2")])
    # The drop-downs reach past the empty rows offered for new actions.
    assert int(str(book[ACTIONS].data_validations.dataValidation[0].sqref).split(":")[1][1:]) > (
        actions_sheet.max_row + 100
    )


@pytest.fixture
def back_to_english():
    """A request in French leaves French active in this thread; later tests expect English."""
    yield
    translation.activate("en")


def test_the_workbook_is_in_the_persons_language(signed_in, resolution_493, back_to_english):
    book = load_workbook(io.BytesIO(download(signed_in)))
    assert book["Lists"]["B3"].value == "en"
    signed_in.cookies["django_language"] = "fr"
    french = load_workbook(
        io.BytesIO(
            signed_in.get(
                reverse("workbook-download", kwargs={"code": "CA"}), HTTP_ACCEPT_LANGUAGE="fr"
            ).content
        )
    )
    assert french.sheetnames == ["Instructions", "Statuts", "Actions", "Listes"]
    assert french["Listes"]["B3"].value == "fr"


def test_one_resolution_or_every_open_one(signed_in, resolution_493):
    one = load_workbook(io.BytesIO(download(signed_in, resolution=resolution_493.pk)))
    assert one[STATUSES].max_row == 13
    assert (
        signed_in.get(
            reverse("workbook-download", kwargs={"code": "CA"}), {"resolution": "999999"}
        ).status_code
        == 404
    )
    assert (
        signed_in.get(
            reverse("workbook-download", kwargs={"code": "CA"}), {"resolution": "nonsense"}
        ).status_code
        == 404
    )


def test_a_secretary_downloads_any_nations_workbook_and_cannot_upload(
    client, secretary, draft, resolution_493
):
    client.force_login(secretary)
    book = load_workbook(io.BytesIO(download(client, "CA")))
    # Secretaries read what every signed-in person reads: not Canada's drafts.
    assert book[ACTIONS].cell(2, 1).value != draft.pk
    page = client.get(reverse("workbook", kwargs={"code": "CA"}))
    assert page.status_code == 200 and page.context["form"] is None
    data = download(client, "CA")
    assert upload(client, data).status_code == 404


def test_viewers_and_other_nations_get_404(client, viewer, editor_fr, resolution_493):
    for person in (viewer, editor_fr):
        client.force_login(person)
        assert client.get(reverse("workbook-download", kwargs={"code": "CA"})).status_code == 404
        assert client.get(reverse("workbook", kwargs={"code": "CA"})).status_code == 404


# --- The round trip ------------------------------------------------------------------------


def test_round_trip_previews_then_saves_everything_from_the_workbook(
    signed_in, draft, canada, commitment_25e, editor_ca
):
    def fill(book):
        sheet = book[ACTIONS]
        row = row_of(sheet, 1, draft.pk)
        sheet.cell(row, 5).value = "Draft law, second reading"
        new = first_blank_row(sheet)
        for column, value in {
            3: REF_25E,
            5: "Funding for AI audits",
            7: "Funding",
            8: "Government",
            9: "2025-03-01",
            10: "Under way",
        }.items():
            sheet.cell(new, column).value = value
        statuses = book[STATUSES]
        row = row_of(statuses, 1, REF_25E)
        statuses.cell(row, 3).value = "In progress"
        statuses.cell(row, 4).value = "Two laws under way."

    preview = upload(signed_in, edit(download(signed_in), fill))
    assert preview.status_code == 200
    counts = preview.context["counts"]
    assert counts == {"create": 1, "update": 2, "unchanged": 11, "refused": 0}
    assert NationalAction.objects.filter(member=canada).count() == 1  # nothing saved yet
    assert b"Funding for AI audits" in preview.content

    done = confirm(signed_in, preview)
    assert done.status_code == 302 and done.url == reverse(
        "nation-dashboard", kwargs={"code": "CA"}
    )
    draft.refresh_from_db()
    assert draft.title == "Draft law, second reading" and draft.version == 2
    created = NationalAction.objects.get(title="Funding for AI audits")
    assert (created.action_type, created.actor, created.stage, str(created.date)) == (
        "funding",
        "government",
        "under_way",
        "2025-03-01",
    )
    assert created.author == editor_ca and created.review_state == "draft"
    status = ImplementationStatus.objects.get(member=canada, commitment=commitment_25e)
    assert (status.status, status.justification) == ("in_progress", "Two laws under way.")
    assert draft.history.first().history_change_reason == "workbook"
    assert status.history.first().history_change_reason == "workbook"
    assert "(from the workbook)" in action_timeline(draft)[0].summary
    # The same file again changes nothing: its token is used up.
    assert confirm(signed_in, preview).status_code == 302
    assert NationalAction.objects.filter(member=canada).count() == 2


def test_a_row_edited_from_an_older_version_is_refused(signed_in, draft, canada, editor_ca):
    data = download(signed_in)
    actions.update_action(
        draft,
        {**_values(draft), "title": "Changed on the page"},
        version=draft.version,
        by=editor_ca,
    )

    def fill(book):
        sheet = book[ACTIONS]
        sheet.cell(row_of(sheet, 1, draft.pk), 5).value = "Changed in the workbook"

    preview = upload(signed_in, edit(data, fill))
    [row] = [r for r in preview.context["plan"].rows if r.sheet == "actions"]
    assert row.outcome == "refused" and "download a fresh workbook" in row.reasons[0]
    before = saved_state(canada)
    confirm(signed_in, preview)
    assert saved_state(canada) == before
    draft.refresh_from_db()
    assert draft.title == "Changed on the page"


def test_a_submitted_action_is_refused_and_an_accepted_one_becomes_a_revision(
    signed_in, draft, canada, commitment_25e, editor_ca, secretary
):
    accepted = make_action(commitment_25e, canada, editor_ca, title="Accepted law")
    actions.submit_action(draft, by=editor_ca)
    actions.accept_action(actions.submit_action(accepted, by=editor_ca), by=secretary)

    def fill(book):
        sheet = book[ACTIONS]
        for title in ("Draft law", "Accepted law"):
            sheet.cell(row_of(sheet, 5, title), 6).value = "More detail"

    preview = upload(signed_in, edit(download(signed_in), fill))
    rows = {r.subject: r for r in preview.context["plan"].rows if r.sheet == "actions"}
    assert "waiting for review" in rows["Draft law"].reasons[0]
    assert rows["Accepted law"].outcome == "revise"
    assert "Revision for review" in preview.content.decode()

    confirm(signed_in, preview)
    accepted.refresh_from_db()
    assert accepted.description != "More detail"  # everyone else still sees the accepted text
    assert accepted.review_state == "accepted"
    assert accepted.revision.description == "More detail"
    assert accepted.revision.state == "pending"

    # A second upload while that revision waits is refused, not stacked on it.
    preview = upload(signed_in, edit(download(signed_in), fill))
    rows = {r.subject: r for r in preview.context["plan"].rows if r.sheet == "actions"}
    assert "already waiting" in rows["Accepted law"].reasons[0]


def test_bad_values_are_refused_with_their_reasons(signed_in, draft, resolution_493):
    def fill(book):
        sheet = book[ACTIONS]
        new = first_blank_row(sheet)
        for column, value in {
            3: "Resolution 999 · 1.a",
            5: "",
            7: "Bribery",
            8: "",
            9: "next spring",
            10: "Completed",
        }.items():
            sheet.cell(new, column).value = value
        sheet.cell(row_of(sheet, 1, draft.pk), 1).value = 999999
        statuses = book[STATUSES]
        statuses.cell(2, 3).value = "Implemented"  # without a justification
        statuses.cell(3, 3).value = "Done"
        statuses.cell(4, 6).value = 424242

    plan = upload(signed_in, edit(download(signed_in), fill)).context["plan"]
    refused = [r for r in plan.rows if r.outcome == "refused"]
    text = " ".join(reason for r in refused for reason in r.reasons)
    for expected in ("Unknown commitment “Resolution 999 · 1.a”", "A title is required",
                     "“Bribery” is not a type", "Choose a actor", "“next spring” is not a date",
                     "Unknown action", "a justification is required", "“Done” is not a status",
                     "commitment ID was changed"):  # fmt: skip
        assert expected in text, expected
    assert plan.changes == []


def test_changes_after_the_preview_stop_the_confirmation(signed_in, draft, canada, editor_ca):
    def fill(book):
        sheet = book[ACTIONS]
        sheet.cell(row_of(sheet, 1, draft.pk), 5).value = "From the workbook"

    preview = upload(signed_in, edit(download(signed_in), fill))
    actions.update_action(draft, {**_values(draft), "title": "Meanwhile"}, version=1, by=editor_ca)
    again = confirm(signed_in, preview)
    assert again.status_code == 409
    assert "Something changed since the preview" in again.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Meanwhile"


def test_a_failure_while_saving_rolls_every_row_back(draft, canada, editor_ca, commitment_25e):
    from resolutions.workbook import applying, planning
    from resolutions.workbook.reading import Row, WorkbookRows

    rows = WorkbookRows(nation="CA", language="en", actions=[
        Row(2, {"action_id": None, "commitment": REF_25E, "title": "New", "action_type": "Funding",
                "actor": "Government", "stage": "Planned"}),
        Row(3, {"action_id": draft.pk, "version": 1, "commitment": REF_25E, "title": "Renamed",
                "action_type": "Legislation", "actor": "Parliament", "stage": "Completed"}),
    ])  # fmt: skip
    plan = planning.plan_workbook(rows, applying.current_state(canada, "en"))
    assert [r.outcome for r in plan.rows] == ["create", "update"]
    actions.update_action(draft, _values(draft), version=1, by=editor_ca)  # now version 2
    with pytest.raises(applying.ApplyFailed, match="Row 3"):
        applying.apply_plan(plan, canada, by=editor_ca)
    assert not NationalAction.objects.filter(title="New").exists()


# --- Whole files refused -------------------------------------------------------------------


def _refused(client, data, canada, message):
    before = saved_state(canada)
    response = upload(client, data)
    assert response.status_code == 422
    errors = response.context["form"].errors["file"]
    assert any(message in e for e in errors), errors
    assert saved_state(canada) == before


def test_another_nations_workbook_is_refused(client, editor_fr, signed_in, canada, resolution_493):
    data = download(signed_in)
    client.force_login(editor_fr)
    response = upload(client, data, code="FR")
    assert response.status_code == 422
    assert "for another nation (CA)" in response.context["form"].errors["file"][0]


def test_renamed_sheets_and_changed_headers_are_refused(signed_in, canada, resolution_493):
    data = download(signed_in)

    def rename(book):
        book[ACTIONS].title = "My actions"

    def header(book):
        book[STATUSES]["C1"].value = "State"

    _refused(signed_in, edit(data, rename), canada, "sheets were renamed")
    _refused(signed_in, edit(data, header), canada, "headers of the sheet “Statuses” were changed")


def test_formulas_are_refused(signed_in, canada, draft):
    def formula(book):
        sheet = book[ACTIONS]
        sheet.cell(row_of(sheet, 1, draft.pk), 5).value = '=CONCAT("Draft", " law")'

    _refused(signed_in, edit(download(signed_in), formula), canada, "holds a formula")


def test_files_that_are_not_workbooks_are_refused(signed_in, canada, resolution_493, settings):
    _refused(signed_in, minimal_pdf(), canada, "not an Excel workbook")
    _refused(signed_in, b"PK\x03\x04 broken zip", canada, "not an Excel workbook")
    other = io.BytesIO()
    book = StreamingWorkbook(other)
    book.sheet("Sheet1", [10]).close()
    book.close()
    _refused(signed_in, other.getvalue(), canada, "not a workbook from the tracker")
    settings.WORKBOOK_MAX_BYTES = 100
    _refused(signed_in, download(signed_in), canada, "larger than")


def test_fifty_thousand_rows_are_refused(signed_in, canada, resolution_493):
    headers = layout.headers_in("en")
    out = io.BytesIO()
    book = StreamingWorkbook(out)
    book.sheet("Instructions", [10]).close()
    statuses = book.sheet("Statuses", [10] * 6)
    statuses.append(headers["statuses"])
    statuses.close()
    sheet = book.sheet("Actions", [10] * 12)
    sheet.append(headers["actions"])
    for n in range(50_000):
        sheet.append(["", "", REF_25E, "", f"Action {n}", "", "Funding", "Government", "",
                      "Planned"])  # fmt: skip
    sheet.close()
    lists = book.sheet("Lists", [10, 10])
    for row in ([layout.MARKER, layout.FORMAT], ["nation", "CA"], ["language", "en"]):
        lists.append(row)
    lists.close()
    book.close()
    _refused(signed_in, out.getvalue(), canada, "more than 10,000 rows")


def test_an_upload_without_a_file_is_refused(signed_in, resolution_493):
    response = signed_in.post(reverse("workbook", kwargs={"code": "CA"}), {})
    assert response.status_code == 422
    assert response.context["form"].errors["file"]


def test_a_tampered_or_foreign_token_is_refused(client, signed_in, editor_ca, draft, canada):
    response = signed_in.post(
        reverse("workbook-confirm", kwargs={"code": "CA"}), {"token": "forged"}
    )
    assert response.status_code == 302
    assert response.url == reverse("workbook", kwargs={"code": "CA"})


def _values(action):
    return {name: getattr(action, name) for name in actions.ACTION_FIELDS}


def test_download_and_preview_make_the_same_number_of_queries_whatever_the_size(
    signed_in, canada, commitment_25e, editor_ca
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        with CaptureQueriesContext(connection) as downloading:
            data = download(signed_in)
        with CaptureQueriesContext(connection) as previewing:
            assert upload(signed_in, data).status_code == 200
        return len(downloading), len(previewing)

    make_action(commitment_25e, canada, editor_ca)
    few = measure()
    for n in range(40):
        make_action(commitment_25e, canada, editor_ca, title=f"Action {n}")
    assert measure() == few


def test_uploads_never_confirmed_are_deleted_once_expired(signed_in, draft, settings):
    import os
    import time

    from django.core.files.storage import default_storage

    data = download(signed_in)
    first = upload(signed_in, data)
    assert first.status_code == 200
    [old] = default_storage.listdir("workbooks")[1]
    path = default_storage.path(f"workbooks/{old}")
    hours_ago = time.time() - 2 * settings.WORKBOOK_CONFIRM_SECONDS
    os.utime(path, (hours_ago, hours_ago))
    upload(signed_in, data)
    remaining = default_storage.listdir("workbooks")[1]
    assert old not in remaining and len(remaining) == 1
    # Its preview can no longer be confirmed; nothing is saved.
    response = confirm(signed_in, first)
    assert response.status_code == 302
