"""Importing PDFs and session booklets: `manage.py import_resolution` and the import page. Each
text in its own transaction; all or nothing on request; bad PDFs refused with one line."""

import io
import re

import pytest
import typst
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pypdf import PdfWriter

from resolutions.models import Commitment, Resolution
from tests import pdf as pdfs

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def booklet_pdf():
    return pdfs.make_pdf([pdfs.declaration_489(), pdfs.resolution_493()], booklet=True)


@pytest.fixture(scope="module")
def broken_booklet_pdf():
    """Resolution 493 with sub-clause 25.c left out."""
    broken = pdfs.resolution_493()
    broken.paragraphs[-1].subs = [s for s in broken.paragraphs[-1].subs if s["letter"] != "c"]
    return pdfs.make_pdf([pdfs.declaration_489(), broken], booklet=True)


@pytest.fixture(scope="module")
def bilingual_pdf():
    """Resolution 493 in English and in French, one after the other in one file."""
    return pdfs.make_pdf([pdfs.resolution_493(), pdfs.resolution_493_fr()])


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_resolution", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data: bytes, name="booklet.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def numbers():
    return sorted(Resolution.objects.values_list("document_type", "number"))


# --- The command -----------------------------------------------------------------------------


def test_the_command_imports_every_text_of_a_booklet(tmp_path, booklet_pdf):
    out, _ = run(write(tmp_path, booklet_pdf))
    assert "2 texts found" in out
    assert "Declaration 489: Declaration on Standing with Ukraine" in out
    assert "Resolution 493: Galvanising Technological Advance" in out
    assert "Declaration created." in out and "Resolution created." in out
    assert numbers() == [("declaration", 489), ("resolution", 493)]
    assert Commitment.objects.filter(resolution__number=489).count() == 5
    assert Commitment.objects.filter(resolution__number=493).count() == 12
    out, _ = run(write(tmp_path, booklet_pdf))
    assert out.count("Already up to date: nothing changed.") == 2


def test_only_imports_the_texts_named(tmp_path, booklet_pdf):
    out, _ = run(write(tmp_path, booklet_pdf), "--only", "493")
    assert numbers() == [("resolution", 493)]
    assert "Not chosen: skipped." in out


def test_only_a_number_not_in_the_file_is_refused(tmp_path, booklet_pdf):
    with pytest.raises(
        CommandError, match=r"no text numbered 491 in this file \(it holds 489, 493\)"
    ):
        run(write(tmp_path, booklet_pdf), "--only", "491,493")
    assert numbers() == []


def test_a_failing_text_does_not_stop_the_others(tmp_path, broken_booklet_pdf):
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, broken_booklet_pdf))
    assert "1 of 2 texts could not be imported (Resolution 493)" in str(raised.value)
    assert numbers() == [("declaration", 489)]


def test_all_or_nothing_saves_nothing_when_a_text_fails(tmp_path, broken_booklet_pdf):
    with pytest.raises(CommandError) as raised:
        run(write(tmp_path, broken_booklet_pdf), "--all-or-nothing")
    message = str(raised.value)
    assert re.search(r"Resolution 493, line \d+: sub-clause c is missing in paragraph 25", message)
    assert "nothing was saved" in message and "\n" not in message
    assert numbers() == []


def test_a_dry_run_of_a_booklet_saves_nothing(tmp_path, booklet_pdf):
    out, _ = run(write(tmp_path, booklet_pdf), "--dry-run")
    assert out.count("would be created") == 2
    assert numbers() == []


def test_english_and_french_in_one_file_make_one_resolution(tmp_path, bilingual_pdf):
    out, _ = run(write(tmp_path, bilingual_pdf), "--dry-run")
    assert "Resolution created." not in out and "would be created" in out
    assert "would be updated: French text added" in out  # the preview sees the English first
    out, _ = run(write(tmp_path, bilingual_pdf))
    assert numbers() == [("resolution", 493)]
    commitment = Commitment.objects.get(label="25.a")
    assert commitment.text_for("fr").text.startswith("à consacrer davantage")
    out, _ = run(write(tmp_path, bilingual_pdf))
    assert out.count("Already up to date") == 2


def _encrypted(data):
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BAD_PDFS = {
    "empty file": (lambda pdf: b"", "the file is empty"),
    "encrypted": (_encrypted, "this PDF is encrypted (password-protected)"),
    "scanned": (
        lambda pdf: typst.compile(b"#rect(width: 100%, height: 50%, fill: luma(180))"),
        "this PDF has no text layer; it looks scanned",
    ),
    "damaged": (lambda pdf: pdf[: len(pdf) // 3], "this PDF cannot be read"),
}


@pytest.mark.parametrize("case", sorted(BAD_PDFS))
def test_a_bad_pdf_gets_one_line_and_nothing_is_saved(case, tmp_path, booklet_pdf):
    make, expected = BAD_PDFS[case]
    path = write(tmp_path, make(booklet_pdf), "bad.pdf")
    with pytest.raises(CommandError) as raised:
        run(path)
    assert str(raised.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(raised.value)
    assert numbers() == []


# --- The import page -------------------------------------------------------------------------


def upload(client, data, name="booklet.pdf"):
    return client.post("/resolutions/import/", {"file": SimpleUploadedFile(name, data)})


def test_the_preview_lists_every_text_and_imports_those_chosen(client, secretary, booklet_pdf):
    client.force_login(secretary)
    response = upload(client, booklet_pdf)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 texts found" in html
    for expected in (
        "Declaration 489",
        "Resolution 493",
        "Defence and Security Committee",
        "Economics and Security Committee",
        "3 preambular, 3 operative",
        "24 preambular, 1 operative",
        'value="489"',
        'value="493"',
    ):
        assert expected in html
    assert html.count('class="found-text found-text--new"') == 2
    assert numbers() == []
    text = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    import html as html_lib

    response = client.post(
        "/resolutions/import/",
        {"text": html_lib.unescape(text), "confirm": "yes", "only": ["489", "493"]},
    )
    assert response.status_code == 302 and response["Location"] == "/resolutions/"
    assert numbers() == [("declaration", 489), ("resolution", 493)]


def test_confirming_with_no_text_chosen_saves_nothing(client, secretary, text_493):
    client.force_login(secretary)
    response = client.post("/resolutions/import/", {"text": text_493, "confirm": "yes"})
    assert response.status_code == 422
    assert "Choose at least one text to import." in response.content.decode()
    assert numbers() == []


def test_the_preview_names_a_text_that_cannot_be_imported(client, secretary, broken_booklet_pdf):
    client.force_login(secretary)
    html = upload(client, broken_booklet_pdf).content.decode()
    assert "found-text--failed" in html
    assert re.search(r"Resolution 493, line \d+: sub-clause c is missing in paragraph 25", html)
    assert re.search(r'value="493"\s+id="text-2"\s+disabled', html)
    assert numbers() == []


def test_a_scanned_pdf_is_refused_on_the_page(client, secretary):
    client.force_login(secretary)
    scan = typst.compile(b"#rect(width: 100%, height: 50%, fill: luma(180))")
    response = upload(client, scan, "scan.pdf")
    assert response.status_code == 422
    assert "this PDF has no text layer; it looks scanned" in response.content.decode()


# --- Reading in French ---------------------------------------------------------------------


@pytest.fixture
def bilingual_493(text_493):
    from resolutions.importing import import_resolution
    from resolutions.parsing import parse_resolution

    resolution = import_resolution(parse_resolution(text_493), text_493).resolution
    french = pdfs.FIXTURE_493_FR.read_text(encoding="utf-8")
    import_resolution(parse_resolution(french), french)
    return resolution


def test_a_commitment_reads_in_french_with_english_one_click_away(client, editor_ca, bilingual_493):
    client.force_login(editor_ca)
    commitment = Commitment.objects.get(label="25.e")
    url = f"/nations/CA/commitments/{commitment.pk}/"
    html = client.get(url + "?text=fr").content.decode()
    assert "à coordonner les contrôles à l&#x27;exportation" in html
    assert "INVITE INSTAMMENT" in html
    assert 'href="?text=en"' in html and "Read this text in English" in html
    html = client.get(url).content.decode()
    assert "to coordinate export controls" in html and 'href="?text=fr"' in html


def test_french_asked_but_missing_shows_the_english_marked(client, editor_ca, resolution_493):
    client.force_login(editor_ca)
    commitment = Commitment.objects.get(label="25.e")
    html = client.get(f"/nations/CA/commitments/{commitment.pk}/?text=fr").content.decode()
    assert "to coordinate export controls" in html
    assert "(English only)" in html
    assert "?text=en" not in html  # nothing else to switch to


def test_the_resolution_page_reads_in_french(client, viewer, bilingual_493):
    client.force_login(viewer)
    html = client.get("/resolutions/resolution/493/?text=fr").content.decode()
    assert "Faire progresser la technologie" in html
    assert "à allouer les fonds publics" in html and "Soulignant" in html
    assert "(English only)" not in html


def test_lists_name_resolutions_in_the_readers_language(client, editor_ca, bilingual_493):
    client.force_login(editor_ca)
    client.cookies["django_language"] = "fr"
    assert "Faire progresser la technologie" in client.get("/resolutions/").content.decode()
    assert "Faire progresser la technologie" in client.get("/nations/CA/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Galvanising Technological Advance" in client.get("/resolutions/").content.decode()


def test_the_preview_sends_back_the_text_as_it_was(client, secretary, text_493):
    """HTML drops a newline just after <textarea>: the 493 fixture starts with blank lines, and
    losing one would shift the line numbers that messages name."""
    import html as html_lib

    client.force_login(secretary)
    page = client.post("/resolutions/import/", {"text": text_493}).content.decode()
    sent = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    as_a_browser_reads_it = html_lib.unescape(sent).removeprefix("\n")
    assert as_a_browser_reads_it == text_493
